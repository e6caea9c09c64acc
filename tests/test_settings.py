"""Settings from the environment: secure defaults and a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_with_debug_off_the_deploy_check_reports_nothing():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "a-long-random-enough-secret-key-for-the-deploy-check-only",
        DEBUG="0",
        ALLOWED_HOSTS="digibank.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", SECRET_KEY="", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_database_url_selects_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django, os; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": "postgres://u@db.example:5432/digibank",
            "DJANGO_SETTINGS_MODULE": "digibank.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_the_empty_choice_of_a_select_is_translated_in_every_language():
    """Django 6's "- Select an option -" was English in 54 Dutch dropdowns."""
    for language in ("nl", "fr"):
        with translation.override(language):
            assert str(BLANK_CHOICE_LABEL) != "- Select an option -", language


def test_with_debug_off_every_cookie_is_secure_the_language_cookie_too():
    script = (
        "from django.conf import settings;"
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SECURE)"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        DEBUG="0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="digibank.example",
    )
    assert result.stdout.split()[-3:] == ["True", "True", "True"], result.stderr
