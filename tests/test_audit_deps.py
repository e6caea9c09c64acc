""".ci/audit-deps judges pip-audit's report: a known vulnerability fails (1), a package no
service answered for is "could not audit" (3, never a pass), a complete clean report passes (0)."""

import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "audit-deps"
CLEAN = {"name": "django", "version": "6.1.3", "vulns": []}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "aliases": ["CVE-2024-22195"], "fix_versions": ["3.1.3"]}],
}
SKIPPED = {
    "name": "segno",
    "skip_reason": "Dependency not found on PyPI and could not be audited: segno (1.6.6)",
}


def judge(tmp_path, report) -> subprocess.CompletedProcess:
    path = tmp_path / "report.json"
    path.write_text(report if isinstance(report, str) else json.dumps(report))
    return subprocess.run(
        [str(SCRIPT), "--from-json", str(path)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("dependencies", "code"),
    [
        ([CLEAN], 0),
        ([CLEAN, VULNERABLE], 1),
        ([CLEAN, VULNERABLE, SKIPPED], 1),
        ([CLEAN, SKIPPED], 3),
    ],
)
def test_it_passes_only_a_complete_clean_audit(tmp_path, dependencies, code):
    result = judge(tmp_path, {"dependencies": dependencies, "fixes": []})

    assert result.returncode == code, result.stdout + result.stderr


def test_it_names_the_vulnerability_and_its_fix(tmp_path):
    result = judge(tmp_path, {"dependencies": [VULNERABLE], "fixes": []})

    assert "VULNERABLE jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (CVE-2024-22195) fixed in: 3.1.3" in result.stdout


def test_an_unreadable_report_is_could_not_audit_not_a_pass(tmp_path):
    assert judge(tmp_path, "Traceback … ConnectionError").returncode == 3
