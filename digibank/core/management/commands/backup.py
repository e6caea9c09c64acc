"""``manage.py backup`` (``digibank backup``): the database and the uploaded files in one archive.

    digibank backup                         # var/backups/digibank-<vendor>-<time>.tar.gz
    digibank backup /srv/backups/night.tar.gz

See digibank/core/backup.py for what the archive holds, and ``digibank restore``.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from digibank.core.backup import backup_create


class Command(BaseCommand):
    help = "Write the whole database and the uploaded files (MEDIA_ROOT) to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the archive (default: var/backups/…).")

    def handle(self, *args, path=None, **options):
        if path is None:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            folder = Path(settings.BASE_DIR) / "var" / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"digibank-{connection.vendor}-{stamp}.tar.gz"
        manifest = backup_create(path=Path(path))
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Wrote {path}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['media'])} files."
        )
