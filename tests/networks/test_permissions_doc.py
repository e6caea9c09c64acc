import pytest
from django.core.management import CommandError, call_command

from digibank.networks.management.commands.permissions_doc import DOC_PATH, render_permissions_doc
from digibank.networks.roles import PERMISSIONS, Role


def test_the_committed_permissions_doc_is_up_to_date():
    call_command("permissions_doc", "--check")


def test_the_doc_has_a_row_per_permission_and_a_column_per_role():
    text = render_permissions_doc()
    for code in PERMISSIONS:
        assert f"| `{code}` |" in text
    header = next(line for line in text.splitlines() if line.startswith("| Permission"))
    assert header.count("|") == len(Role) + 3
    network_row = next(line for line in text.splitlines() if "`network.manage`" in line)
    assert network_row.count("✓") == 1


def test_check_fails_when_the_file_is_stale(tmp_path):
    stale = tmp_path / "permissions.md"
    stale.write_text("old\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("permissions_doc", "--check", "--output", str(stale))
    call_command("permissions_doc", "--output", str(stale))
    call_command("permissions_doc", "--check", "--output", str(stale))
    assert stale.read_text(encoding="utf-8") == DOC_PATH.read_text(encoding="utf-8")
