"""An e-mail backend for the crash test (tests/messaging/test_worker_crash.py), chosen by the
worker subprocess with ``EMAIL_BACKEND=tests.messaging.fault_mail.EmailBackend``.

Every message the "provider" accepts is appended to ``FAULT_MAIL_LOG`` (one recipient a line,
flushed and synced: it survives the kill). ``FAULT_MAIL_BLOCK_ON=n`` makes the n-th message of
this process hang, after touching ``FAULT_MAIL_LOG.blocked``: before it is accepted, or after
with ``FAULT_MAIL_BLOCK_AFTER_ACCEPT=1`` (the provider has it, our commit has not happened).
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

_delivered = 0


class EmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        global _delivered
        log = Path(os.environ["FAULT_MAIL_LOG"])
        block_on = int(os.environ.get("FAULT_MAIL_BLOCK_ON", "0"))
        after_accept = os.environ.get("FAULT_MAIL_BLOCK_AFTER_ACCEPT") == "1"
        for message in messages:
            _delivered += 1
            blocking = _delivered == block_on
            if blocking and not after_accept:
                _hang(log)
            with log.open("a") as out:
                out.write(f"{message.to[0]}\n")
                out.flush()
                os.fsync(out.fileno())
            if blocking:
                _hang(log)
        return len(messages)


def _hang(log: Path) -> None:
    Path(f"{log}.blocked").touch()
    time.sleep(600)  # until the test kills the process
