"""``digibank backup`` / ``digibank restore``: a round trip gives back every row and file, and a
refused restore changes nothing. Transactional: restore commits for real (SQLite and PostgreSQL)."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import JSONField

from digibank.accounts.models import User
from digibank.core import backup

pytestmark = pytest.mark.django_db(transaction=True)


def raw_sums() -> dict[str, tuple[int, str]]:
    """Per table: its row count and a checksum of its rows read with plain SQL (not through the
    backup's own serializer, so the test does not trust what it checks). JSON is compared as
    JSON: SQLite keeps it as text, whose key order means nothing."""
    sums = {}
    with connection.cursor() as cursor:
        for model in backup.backup_models():
            fields = model._meta.local_concrete_fields
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")  # noqa: S608 -- our own names
            rows = [tuple(_plain(f, value) for f, value in zip(fields, row, strict=True)) for row in cursor]
            sums[model._meta.db_table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return sums


def _plain(field, value):
    if isinstance(field, JSONField) and value is not None:
        return json.dumps(json.loads(value) if isinstance(value, str) else value, sort_keys=True)
    return value


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "agreements").mkdir(parents=True)
    (settings.MEDIA_ROOT / "agreements" / "loan-1.pdf").write_bytes(b"%PDF-1.7 a signed agreement")
    return settings.MEDIA_ROOT


def rewrite(source, target, **replace: bytes) -> None:
    """Copy an archive, replacing the named members' contents."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            body = replace.get(member.name, old.extractfile(member).read())
            member.size = len(body)
            new.addfile(member, io.BytesIO(body))


def test_a_network_backed_up_wiped_and_restored_comes_back_row_for_row(world, media, tmp_path):
    before = raw_sums()
    assert before["accounts_user"][0] > 5 and before["residents_resident"][0] > 0
    archive = tmp_path / "night.tar.gz"

    call_command("backup", str(archive), stdout=io.StringIO())
    backup.database_wipe(before)
    (media / "agreements" / "loan-1.pdf").unlink()
    (media / "stray.txt").write_text("not in the backup")
    assert raw_sums()["accounts_user"][0] == 0

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "Restored" in out.getvalue()
    after = raw_sums()
    assert after == before, [t for t in before if before[t] != after[t]]
    assert (media / "agreements" / "loan-1.pdf").read_bytes() == b"%PDF-1.7 a signed agreement"
    assert not (media / "stray.txt").exists()
    # The keys go on where the backup left off.
    assert User.objects.create(username="after-restore").pk > max(
        User.objects.exclude(username="after-restore").values_list("pk", flat=True)
    )


def test_the_manifest_names_the_format_vendor_migrations_and_each_tables_rows(world, media, tmp_path):
    archive = tmp_path / "night.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["database_vendor"] == connection.vendor
    assert ["residents", "0001_initial"] in manifest["migrations"]
    assert manifest["tables"]["accounts_user"]["rows"] == User.objects.count()
    assert set(manifest["media"]) == {"agreements/loan-1.pdf"}


def test_it_refuses_to_overwrite_a_database_with_data_without_force(world, media, tmp_path):
    archive = tmp_path / "night.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    User.objects.create(username="made-after-the-backup")
    before = raw_sums()

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    assert raw_sums() == before

    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert not User.objects.filter(username="made-after-the-backup").exists()


def test_it_refuses_a_corrupt_archive_and_changes_nothing(world, media, tmp_path):
    archive, corrupt = tmp_path / "night.tar.gz", tmp_path / "corrupt.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        users = opened.extractfile("data/accounts_user.jsonl").read()
    rewrite(
        archive,
        corrupt,
        **{"data/accounts_user.jsonl": users.replace(b'"is_superuser":false', b'"is_superuser":true')},
    )
    User.objects.create(username="made-after-the-backup")
    before = raw_sums()

    with pytest.raises(CommandError, match="corrupt: the rows of accounts_user"):
        call_command("restore", str(corrupt), "--force")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:5000])
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(truncated), "--force")
    assert raw_sums() == before


def test_it_refuses_an_archive_of_another_migration_state(world, media, tmp_path):
    archive, other = tmp_path / "night.tar.gz", tmp_path / "other.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    manifest["migrations"].append(["residents", "9999_from_the_future"])
    rewrite(archive, other, **{"manifest.json": json.dumps(manifest).encode()})

    with pytest.raises(CommandError, match="another migration state.*9999_from_the_future"):
        call_command("restore", str(other), "--force")


def test_a_restore_that_fails_halfway_rolls_back_rows_and_files(world, media, tmp_path, monkeypatch):
    archive = tmp_path / "night.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    User.objects.create(username="made-after-the-backup")
    (media / "new.txt").write_text("uploaded after the backup")
    before = raw_sums()

    def fail():
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(backup, "_check_constraints", fail)
    with pytest.raises(RuntimeError):
        call_command("restore", str(archive), "--force")

    assert raw_sums() == before
    assert (media / "new.txt").exists() and (media / "agreements" / "loan-1.pdf").exists()
