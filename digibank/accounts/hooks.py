"""What the accounts app registers with the foundation's registries. Called once from
AccountsConfig.ready()."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from digibank.privacy.retention import register_retention


def register() -> None:
    # Log-in throttling (django-axes) keeps the address and browser of every attempt: once the
    # cool-off is long over they serve nobody.
    register_retention(
        name="login_attempts",
        model="axes.AccessAttempt",
        period_setting="RETENTION_LOGIN_ATTEMPTS_DAYS",
        rows=lambda cutoff: AccessAttempt.objects.filter(attempt_time__lt=cutoff),
    )
    register_retention(
        name="login_failures",
        model="axes.AccessFailureLog",
        period_setting="RETENTION_LOGIN_ATTEMPTS_DAYS",
        rows=lambda cutoff: AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
    )
    register_retention(
        name="login_log",
        model="axes.AccessLog",
        period_setting="RETENTION_LOGIN_LOG_DAYS",
        rows=lambda cutoff: AccessLog.objects.filter(attempt_time__lt=cutoff),
    )
