"""pytest plugin (loaded with -p before Django starts): production-like settings for the test suite.

Set before Django reads its settings, so the suite runs the same on every machine.
"""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-for-production-5f1e2d3c4b5a69788796a5b4c3d2e1f0"
)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("SMS_BACKEND", "digibank.lib.sms.LocmemSmsBackend")
