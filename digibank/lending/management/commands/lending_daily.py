"""``manage.py lending_daily``: the lending desk's daily jobs, for cron.

django.tasks has no schedule of its own, so an operator runs this once a day (e.g. at 07:00)::

    0 7 * * *  cd /srv/digibank && .venv/bin/python manage.py lending_daily

It enqueues ``send_due_reminders`` and ``expire_offers``; the task worker (``manage.py
db_worker``) runs them. ``--now`` runs them in this process instead (no worker needed).
Both jobs are idempotent: running this twice a day sends nothing twice.
"""

from django.core.management.base import BaseCommand

from digibank.lending.tasks import expire_offers, send_due_reminders


class Command(BaseCommand):
    help = "Enqueue the daily lending jobs: due-date reminders and expiry of open offers (run from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--network", type=int, default=None, help="Only this network (id).")
        parser.add_argument("--now", action="store_true", help="Run the jobs here instead of enqueuing them.")

    def handle(self, *args, network=None, now=False, **options):
        for job in (expire_offers, send_due_reminders):
            if now:
                result = job.call(network_id=network)
                self.stdout.write(f"{job.name}: {result}")
            else:
                result = job.enqueue(network_id=network)
                self.stdout.write(f"{job.name}: enqueued ({result.id})")
