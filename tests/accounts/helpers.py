import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from digibank.accounts import services

PASSWORD = "correct horse battery"  # tests/factories.UserFactory


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` periods later, within tolerance)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return str(totp.token()).zfill(device.digits)


def enable_two_factor(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed app device and backup codes, as after the set-up page."""
    device = services.two_factor_setup_device(user=user)
    codes = services.two_factor_confirm(user=user, device=device)
    return device, codes
