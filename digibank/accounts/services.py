"""Writes about staff accounts: personal API tokens, two-factor devices, preferences."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from digibank.networks.models import Network

from .models import ApiToken, User, hash_token

BACKUP_CODE_COUNT = 10
# How often the "last used" moment of an API token is written: once a minute is precise
# enough for the profile page and spares a write on every API call.
TOKEN_TOUCH_INTERVAL = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: User, network: Network, name: str) -> tuple[ApiToken, str]:
    """Create a token acting as ``user`` in ``network``. Returns the row and the raw token (shown once)."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        network=network, user=user, name=name.strip(), key_hash=hash_token(raw), prefix=raw[:12]
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used, at most once per TOKEN_TOUCH_INTERVAL (one conditional UPDATE)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Choose one of the languages offered.")})
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


# --- two-factor ---------------------------------------------------------------------------


@transaction.atomic
def two_factor_setup_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator-app device being set up; reused so a reload keeps the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the device the user proved with a code; returns fresh backup codes (shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return two_factor_backup_codes_regenerate(user=user)


@transaction.atomic
def two_factor_backup_codes_regenerate(*, user: User) -> list[str]:
    """Replace all backup codes of the user by BACKUP_CODE_COUNT new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_match(*, user: User, code: str):
    """The user's confirmed device that accepts ``code`` (an app code or a backup code), else None.

    A backup code is used up by this call. django-otp throttles each device after failures.
    """
    code = "".join(code.split()).replace("-", "").lower()
    if not code:
        return None
    # Six digits come from the app; anything else can only be a backup code.
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def two_factor_verify_new_device(*, device: TOTPDevice, code: str) -> bool:
    code = "".join(code.split())
    return code.isdigit() and device.verify_token(code)


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
