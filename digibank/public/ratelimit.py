"""A rate limit per address on the public forms, instead of a CAPTCHA (which would exclude the
very people the site is for).

Every POST of a public form counts one for (network, address, minute) in the database: the
count is raised by the database (``F("count") + 1``) on a row made unique by a constraint, so
several processes and threads count together and never lose a hit. The 21st POST of one
address in one clock minute is refused (429); the first 20 go through.

The address is stored as a keyed hash (HMAC with SECRET_KEY), never as such, and rows older
than a few minutes are deleted as new ones come in.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import RateCounter

LIMIT_PER_MINUTE = 20
KEEP = datetime.timedelta(minutes=10)


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind our own reverse proxy (BEHIND_PROXY: settings set
    SECURE_PROXY_SSL_HEADER) the last X-Forwarded-For entry, the one our proxy added."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _now() -> datetime.datetime:
    return timezone.now()


def rate_hit(*, network, address: str, now: datetime.datetime | None = None) -> bool:
    """Count one submission of ``address``; True when it is within the limit, False when refused."""
    now = now or _now()
    minute = now.replace(second=0, microsecond=0)
    network_id = getattr(network, "pk", network)
    key = address_hash(address)
    rows = RateCounter.objects.in_network(network_id).filter(ip_hash=key, minute=minute)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(network_id=network_id, ip_hash=key, minute=minute, count=1)
            except IntegrityError:  # another request of this address created the row a moment ago
                rows.update(count=F("count") + 1)
            RateCounter.objects.in_network(network_id).filter(minute__lt=minute - KEEP).delete()
        count = rows.values_list("count", flat=True).get()
    return count <= LIMIT_PER_MINUTE
