"""``manage.py send_messages``: send what waits in the outbox (run every few minutes from cron).

Messages queued by a capability are enqueued for the task worker right away; this is the
safety net that sends what was delayed (``send_after``), retries errors and stale claims, and
marks as failed what ran out of attempts. Two runs at once send nothing twice.
"""

from django.core.management.base import BaseCommand

from digibank.messaging.sending import messages_send_due
from digibank.messaging.tasks import send_messages


class Command(BaseCommand):
    help = "Send the outbox's due messages and retry failed ones (run from cron every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--network", type=int, default=None, help="Only this network (id).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue the job for the task worker instead."
        )

    def handle(self, *args, network=None, enqueue=False, **options):
        if enqueue:
            send_messages.enqueue(network_id=network)
            self.stdout.write("Enqueued send_messages.")
            return
        result = messages_send_due(network_id=network)
        self.stdout.write(f"Claimed {result['claimed']}, failed {result['failed']}.")
