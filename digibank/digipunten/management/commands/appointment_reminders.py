"""Enqueue the appointment reminder job (run hourly from cron; the outbox sends the messages).

``--now`` runs it in this process instead of enqueuing (handy without a worker).
"""

from django.core.management.base import BaseCommand

from digibank.digipunten import messages
from digibank.digipunten.tasks import send_appointment_reminders


class Command(BaseCommand):
    help = "Queue the due appointment reminders in the outbox (each at most once)."

    def add_arguments(self, parser):
        parser.add_argument("--network", type=int, help="Only this network (id).")
        parser.add_argument("--now", action="store_true", help="Run here instead of enqueuing.")

    def handle(self, *args, **options):
        if options["now"]:
            result = messages.send_due(network_id=options["network"])
            self.stdout.write(f"created {result['created']}")
            return
        result = send_appointment_reminders.enqueue(network_id=options["network"])
        self.stdout.write(f"{send_appointment_reminders.name}: enqueued ({result.id})")
