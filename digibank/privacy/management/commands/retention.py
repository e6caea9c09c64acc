"""``manage.py retention``: delete what has no reason to be kept any more (docs/privacy.md).

Run it once a day from cron::

    30 3 * * *  cd /srv/digibank && .venv/bin/python manage.py retention

``--dry-run`` prints what each rule would delete and changes nothing; ``--enqueue`` hands the
run to the task worker (``retention_daily``) instead of running it here.
"""

from django.core.management.base import BaseCommand

from digibank.privacy.retention import retention_run
from digibank.privacy.tasks import retention_daily


class Command(BaseCommand):
    help = "Delete (or blank) what is past its retention period; --dry-run only counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would go; change nothing.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue the job for the task worker instead."
        )

    def handle(self, *args, dry_run=False, enqueue=False, **options):
        if enqueue:
            result = retention_daily.enqueue()
            self.stdout.write(f"Enqueued retention_daily ({result.id}).")
            return
        verb = "would delete" if dry_run else "deleted"
        for result in retention_run(dry_run=dry_run):
            self.stdout.write(
                f"{result.name}: {verb} {result.count} ({result.model} before {result.cutoff:%Y-%m-%d %H:%M})"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
