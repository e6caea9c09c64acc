"""The cancellation link of an appointment booked on the public site: a signed token that names
the appointment and its network, so it cannot be guessed. The link goes out in the booking's
messages; the public site reads it back."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

# Kept from when this lived in the public app, so links already sent keep working.
CANCEL_SALT = "digibank.public.appointment-cancel"


def cancel_token_make(appointment) -> str:
    """The secret part of the cancellation link of a booking (signed: it cannot be guessed)."""
    return signing.dumps({"a": appointment.pk, "n": appointment.network_id}, salt=CANCEL_SALT, compress=True)


def cancel_token_read(token: str) -> tuple[int, int] | None:
    """(appointment id, network id) of a cancellation token, or None when it is not ours."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int) or not isinstance(data.get("n"), int):
        return None
    return data["a"], data["n"]


def cancel_url(appointment) -> str:
    """The absolute cancellation link of a booking made on the public site ("" for other bookings)."""
    if appointment.channel != "web":
        return ""
    path = reverse(
        "public:cancel",
        kwargs={"network_slug": appointment.network.slug, "token": cancel_token_make(appointment)},
    )
    return settings.SITE_URL.rstrip("/") + path
