#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digibank.settings")
    # A checkout without SECRET_KEY in its environment is a developer's: run with DEBUG on.
    # Deployments set SECRET_KEY (and leave DEBUG off); wsgi.py never does this.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
