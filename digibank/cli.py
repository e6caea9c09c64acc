"""The ``digibank`` console command for operators: manage.py with a few friendly verbs.

digibank demo      load (or refresh) the demo networks
digibank serve     run the development server on 127.0.0.1:8000
digibank worker    run the background task worker (django.tasks, database backend)
digibank backup [FILE]            the database and uploaded files in one .tar.gz
digibank restore FILE [--force]   put a backup back (refuses a database with data without --force)
digibank retention [--dry-run]    delete what is past its retention period (daily, from cron)
digibank <cmd>     any Django management command (migrate, createsuperuser, check ...)
"""

import os
import sys

ALIASES = {
    "serve": ["runserver", "127.0.0.1:8000"],
    "worker": ["db_worker"],
    "demo": ["demo"],
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digibank.settings")
    if not os.environ.get("SECRET_KEY"):  # as manage.py: without a secret key it is a developer's machine
        os.environ.setdefault("DEBUG", "1")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command = ALIASES.get(argv[0], [argv[0]]) + argv[1:]
    from django.core.management import execute_from_command_line  # noqa: PLC0415 -- Django is set up first

    execute_from_command_line(["digibank", *command])
