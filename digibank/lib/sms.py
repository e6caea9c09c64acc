"""Pluggable SMS sending. ``settings.SMS_BACKEND`` names the backend class.

ConsoleSmsBackend prints (development, demo); FileSmsBackend appends to a file (tests,
acceptance); a gateway backend for production implements ``send(to, text) -> str``.
"""

import json
import logging
import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class BaseSmsBackend:
    def send(self, to: str, text: str) -> str:
        """Send one SMS; return a message id. Raise SmsError on failure."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, to: str, text: str) -> str:
        sys.stdout.write(f"[SMS to {to}] {text}\n")
        return f"console-{timezone.now().timestamp()}"


class FileSmsBackend(BaseSmsBackend):
    def __init__(self, path: str | None = None):
        self.path = Path(path or getattr(settings, "SMS_FILE_PATH", settings.BASE_DIR / "var" / "sms.jsonl"))

    def send(self, to: str, text: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"to": to, "text": text, "at": timezone.now().isoformat()}) + "\n")
        return f"file-{timezone.now().timestamp()}"


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in ``LocmemSmsBackend.outbox`` (tests)."""

    outbox: list[dict] = []

    def send(self, to: str, text: str) -> str:
        self.outbox.append({"to": to, "text": text})
        return f"locmem-{len(self.outbox)}"


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, text: str) -> str:
    return get_sms_backend().send(to, text)
