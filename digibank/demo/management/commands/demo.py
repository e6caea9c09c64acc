"""``manage.py demo``: load (or refresh) the demo networks and print their log-ins."""

import time

from django.core.management.base import BaseCommand

from digibank.demo.services import demo_load, demo_logins
from digibank.networks.models import Network

COLUMNS = [("role", "Role"), ("username", "Username"), ("password", "Password"), ("network", "Network")]


def format_logins(logins: list[dict]) -> str:
    """A plain-text table: readable in a terminal and in CI logs."""
    widths = {key: max(len(title), *(len(row[key]) for row in logins)) for key, title in COLUMNS}
    lines = [
        "  ".join(title.ljust(widths[key]) for key, title in COLUMNS).rstrip(),
        "  ".join("-" * widths[key] for key, _title in COLUMNS),
    ]
    for row in logins:
        lines.append("  ".join(row[key].ljust(widths[key]) for key, _title in COLUMNS).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the demo networks (Iedereen Digitaal @ Leuven, Digibank Demostad) and print the log-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds a network (used by `make run`).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and Network.objects.exists():
            self.stdout.write("The database already holds networks: the demo is not loaded again.")
            if Network.objects.filter(is_demo=True).exists():
                self._print_logins(demo_logins())
            return
        started = time.monotonic()
        logins = demo_load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo networks ready in {time.monotonic() - started:.1f} s."))
        self._print_logins(logins)

    def _print_logins(self, logins: list[dict]) -> None:
        self.stdout.write("")
        self.stdout.write(f"Log in at {logins[0]['url']} with one of these demo accounts:")
        self.stdout.write(format_logins(logins))
