"""Backup and restore: the whole database and the uploaded files in one archive.

``manage.py backup`` (``digibank backup``) writes a ``.tar.gz`` holding

- ``manifest.json``: the format version, when and from which database vendor it was made, the
  applied migrations, and per table its model, row count and checksum; per uploaded file its
  size and checksum;
- ``data/<table>.jsonl``: every row of every table, one JSON object per line, ordered by key;
- ``media/…``: the files under MEDIA_ROOT.

Rows are written as Django model data (the ``python`` serializer, then JSON with full
precision: ``DjangoJSONEncoder`` would cut datetimes to milliseconds), not as SQL of one
vendor, so the same archive loads into SQLite or PostgreSQL. A table's checksum is the SHA-256
of its file, and the file is a deterministic rendering of the rows, so restore checks the
archive before it touches anything and checks the database again before it commits.

``manage.py restore`` (``digibank restore``) refuses an archive of another format or another
migration state, a corrupt one, and a database that holds data unless ``--force``; it replaces
every table in one transaction, so a refused or failed restore changes nothing.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

FORMAT = "digibank-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 2000

# Tables ``migrate`` fills by itself: a freshly migrated database holds these and is "empty".
SCHEMA_TABLES = {"django_content_type", "auth_permission"}


class BackupError(Exception):
    """The archive cannot be restored here; the message says why (nothing was changed)."""


@dataclass(frozen=True)
class TableSum:
    model: str
    rows: int
    sha256: str


def backup_models() -> list[type[models.Model]]:
    """Every table Django manages, each once: concrete models and the automatic many-to-many
    tables (a model's own many-to-many fields are left out of its rows, the table has them)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.db_table)


def _default(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"Cannot write {type(value).__name__} to a backup")


def _lines(model: type[models.Model]) -> Iterator[bytes]:
    """The model's rows as deterministic JSON lines, in key order."""
    fields = [f.name for f in model._meta.local_fields if not f.primary_key]
    serializer = serializers.get_serializer("python")()
    rows = model._base_manager.order_by("pk").iterator(chunk_size=CHUNK)
    batch: list[models.Model] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _render(serializer, batch, fields)
            batch = []
    yield from _render(serializer, batch, fields)


def _render(serializer, batch, fields) -> Iterator[bytes]:
    if not batch:
        return
    for item in serializer.serialize(batch, fields=fields):
        text = json.dumps(item, default=_default, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        yield text.encode() + b"\n"


def table_sums() -> dict[str, TableSum]:
    """Per table: its model, row count and checksum, as the database holds them now."""
    sums = {}
    for model in backup_models():
        digest, count = hashlib.sha256(), 0
        for line in _lines(model):
            digest.update(line)
            count += 1
        sums[model._meta.db_table] = TableSum(model._meta.label_lower, count, digest.hexdigest())
    return sums


def applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def _stream_sha256(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _stream_sha256(handle)


def backup_create(*, path: Path) -> dict:
    """Write the archive to ``path`` and return its manifest.

    The rows are read in one transaction that sees one moment of the database: on PostgreSQL a
    repeatable-read snapshot, on SQLite the transaction's write lock (Django begins them
    IMMEDIATE here), which holds other writers off for the seconds the backup takes.
    """
    media_root = Path(settings.MEDIA_ROOT)
    manifest: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "migrations": applied_migrations(),
        "tables": {},
        "media": {},
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    outermost = not connection.in_atomic_block
    with tarfile.open(tmp, "w:gz") as archive, transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for model in backup_models():
            table = model._meta.db_table
            with tempfile.TemporaryFile() as spool:
                digest, count = hashlib.sha256(), 0
                for line in _lines(model):
                    spool.write(line)
                    digest.update(line)
                    count += 1
                info = tarfile.TarInfo(f"data/{table}.jsonl")
                info.size = spool.tell()
                spool.seek(0)
                archive.addfile(info, spool)
            manifest["tables"][table] = {
                "model": model._meta.label_lower,
                "rows": count,
                "sha256": digest.hexdigest(),
            }
        for file in _media_files(media_root):
            name = file.relative_to(media_root).as_posix()
            manifest["media"][name] = {"size": file.stat().st_size, "sha256": _file_sha256(file)}
            archive.add(file, arcname=f"media/{name}", recursive=False)
        body = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        archive.addfile(info, io.BytesIO(body))
    tmp.replace(path)  # never leave a half-written archive under the real name
    return manifest


# --- restore -------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(f"This is not a Digibank backup: no readable {MANIFEST} ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError("This is not a Digibank backup (its manifest names another format).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"The backup has format version {manifest.get('format_version')}; "
            f"this Digibank reads version {FORMAT_VERSION}."
        )
    return manifest


def _check_migrations(manifest: dict) -> None:
    theirs = {tuple(pair) for pair in manifest.get("migrations", [])}
    ours = {tuple(pair) for pair in applied_migrations()}
    if theirs != ours:
        missing = sorted(theirs - ours)[:5]
        extra = sorted(ours - theirs)[:5]
        raise BackupError(
            "The backup was made at another migration state than this database's. "
            f"Only in the backup: {missing or 'none'}; only here: {extra or 'none'}. "
            "Restore with the Digibank version that made the backup (then migrate), "
            "into a database migrated to the same state."
        )


def _check_tables(manifest: dict) -> list[type[models.Model]]:
    ours = {m._meta.db_table: m for m in backup_models()}
    theirs = manifest.get("tables", {})
    if set(ours) != set(theirs):
        raise BackupError(
            "The backup's tables differ from this database's: only in the backup "
            f"{sorted(set(theirs) - set(ours)) or 'none'}, "
            f"only here {sorted(set(ours) - set(theirs)) or 'none'}."
        )
    return list(ours.values())


def _verify_archive(archive: tarfile.TarFile, manifest: dict) -> None:
    """Every data file and media file is there and matches its checksum."""
    for table, expected in manifest["tables"].items():
        digest, count = hashlib.sha256(), 0
        try:
            handle = archive.extractfile(f"data/{table}.jsonl")
        except KeyError:
            handle = None
        if handle is None:
            raise BackupError(f"The backup is incomplete: the rows of {table} are missing.")
        for line in handle:
            digest.update(line)
            count += 1
        if count != expected["rows"] or digest.hexdigest() != expected["sha256"]:
            raise BackupError(f"The backup is corrupt: the rows of {table} do not match their checksum.")
    for name, expected in manifest.get("media", {}).items():
        try:
            handle = archive.extractfile(f"media/{name}")
        except KeyError:
            handle = None
        if handle is None:
            raise BackupError(f"The backup is incomplete: the file {name} is missing.")
        if _stream_sha256(handle) != expected["sha256"]:
            raise BackupError(f"The backup is corrupt: the file {name} does not match its checksum.")


def tables_with_data() -> list[str]:
    """The tables that hold rows, apart from those ``migrate`` fills by itself."""
    return [
        model._meta.db_table
        for model in backup_models()
        if model._meta.db_table not in SCHEMA_TABLES and model._base_manager.exists()
    ]


def database_wipe(tables: Iterable[str]) -> None:
    """Empty the tables in one transaction (foreign keys are checked when it commits)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), list(tables), allow_cascade=True):
            cursor.execute(sql)


def _load_rows(handle, model: type[models.Model]) -> None:
    """Insert the rows as they are: a raw insert (what ``loaddata`` does row by row), so
    ``auto_now`` fields keep their stored time and no signal runs."""
    fields = model._meta.local_concrete_fields
    batch: list[models.Model] = []

    def flush():
        size = max(connection.ops.bulk_batch_size(fields, batch) or len(batch), 1)
        for start in range(0, len(batch), size):
            model._base_manager._insert(batch[start : start + size], fields=fields, raw=True)
        batch.clear()

    for item in serializers.deserialize("python", (json.loads(line) for line in handle)):
        batch.append(item.object)
        if len(batch) == CHUNK:
            flush()
    if batch:
        flush()


def _check_loaded(manifest: dict) -> None:
    now = table_sums()
    for table, expected in manifest["tables"].items():
        if (now[table].rows, now[table].sha256) != (expected["rows"], expected["sha256"]):
            raise BackupError(
                f"After loading, {table} does not match the backup ({now[table].rows} rows, "
                f"{expected['rows']} expected); the restore was rolled back, nothing was changed."
            )


def backup_restore(*, path: Path, force: bool = False) -> dict:
    """Replace the database's rows and the uploaded files by the archive's; return its manifest.

    Everything is checked before anything changes; the rows are replaced in one transaction and
    checked against the manifest before it commits. Raises ``BackupError`` (nothing changed).
    """
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 -- closed by the `with archive` below
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"Cannot read the archive {path}: {error}") from error
    with archive, tempfile.TemporaryDirectory(prefix="digibank-restore-") as scratch:
        try:
            manifest = _read_manifest(archive)
            _check_migrations(manifest)
            models_ = _check_tables(manifest)
            _verify_archive(archive, manifest)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise BackupError(f"The backup is corrupt: {error}") from error
        if not force and (busy := tables_with_data()):
            raise BackupError(
                f"The database is not empty ({len(busy)} tables hold data, e.g. {', '.join(busy[:3])}). "
                "Restoring replaces all of it: run again with --force if that is what you want."
            )
        media_root = Path(settings.MEDIA_ROOT)
        staged = Path(scratch) / "media"
        staged.mkdir()
        for name in manifest.get("media", {}):
            target = (staged / name).resolve()
            if not target.is_relative_to(staged.resolve()):
                raise BackupError(f"The backup names a file outside the media folder: {name}.")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(f"media/{name}") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
        old_media = None
        try:
            with transaction.atomic():
                database_wipe(m._meta.db_table for m in models_)
                for model in models_:
                    _load_rows(archive.extractfile(f"data/{model._meta.db_table}.jsonl"), model)
                for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                    with connection.cursor() as cursor:
                        cursor.execute(sql)
                _check_loaded(manifest)
                _check_constraints()
                # Last step inside the transaction: a failure here rolls the rows back too.
                old_media = _media_swap(staged, media_root)
        except Exception:
            if old_media is not None:
                _media_put_back(old_media, media_root)
            raise
        if old_media is not None:
            shutil.rmtree(old_media, ignore_errors=True)
    return manifest


def _media_swap(staged: Path, media_root: Path) -> Path:
    """Put the restored files in MEDIA_ROOT's place; return where the old ones wait."""
    old = media_root.with_name(media_root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        media_root.rename(old)
    try:
        shutil.copytree(staged, media_root)
    except OSError:
        _media_put_back(old, media_root)
        raise
    return old


def _media_put_back(old: Path, media_root: Path) -> None:
    shutil.rmtree(media_root, ignore_errors=True)
    if old.exists():
        old.rename(media_root)


def _check_constraints() -> None:
    """Check the deferred foreign keys now, so the commit that follows cannot fail on them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    else:
        connection.check_constraints()
