"""Notifications in the test world: one for the service desk in leuven, one in the other network."""

from digibank.notifications.models import Notification


def extend_world(w):
    w.notification_desk = Notification.objects.create(
        network=w.leuven, user=w.desk, text="Welcome: this is your first notification", url="/"
    )
    w.notification_other = Notification.objects.create(
        network=w.other, user=w.outsider, text="Request for Zoë Zegers was referred", url=""
    )
