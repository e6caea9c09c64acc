"""``manage.py devserver``: the development server and the task worker together (``make run``).

Messages (appointment confirmations, reminders, the outbox) are sent by the task worker; a demo
without it would queue them for ever. This starts ``db_worker`` next to ``runserver`` and stops
it when the server stops (Ctrl-C stops both). Production runs them as two services.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development server and the background task worker together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        # runserver's autoreloader runs this command again in a child process (RUN_MAIN=true):
        # the worker belongs to the outer process only.
        worker = None
        if os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen([sys.executable, "manage.py", "db_worker"])  # noqa: S603 -- our own command
            self.stdout.write(f"Task worker started (pid {worker.pid}); Ctrl-C stops it with the server.")
        try:
            call_command("runserver", addrport)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
