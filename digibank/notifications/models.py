"""In-app notifications for staff (e-mail copies are sent alongside by the capability)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned, NetworkQuerySet


class NotificationQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """A notification is for one user only."""
        return self.filter(user_id=membership.user_id)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(NetworkOwned):
    visible_with = ("notification.view",)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["network", "user", "read_at"], name="notification_inbox_idx")]
