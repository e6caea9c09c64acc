"""``manage.py restore`` (``digibank restore``): put a backup made by ``digibank backup`` back.

    digibank migrate                        # first: an empty database at the backup's migrations
    digibank restore night.tar.gz
    digibank restore night.tar.gz --force   # replace a database that holds data

Refuses (exit code 1, nothing changed) an archive that is corrupt, of another format or of
another migration state, and a database that holds data unless ``--force``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digibank.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files by those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by `digibank backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds data (everything in it is lost).",
        )

    def handle(self, *args, path, force=False, **options):
        try:
            manifest = backup_restore(path=Path(path), force=force)
        except BackupError as error:
            raise CommandError(f"Restore refused, nothing was changed: {error}") from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored {path} (made {manifest['created_at']} on {manifest['database_vendor']}): "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['media'])} files."
        )
