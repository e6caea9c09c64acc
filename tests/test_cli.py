"""The `digibank` console command wraps manage.py with a few operator verbs."""

import subprocess
from pathlib import Path

DIGIBANK = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "digibank"


def run(*args):
    return subprocess.run([str(DIGIBANK), *args], capture_output=True, text=True, timeout=120)


def test_without_arguments_it_explains_the_verbs():
    result = run()
    assert result.returncode == 0
    for verb in ("demo", "serve", "worker"):
        assert f"digibank {verb}" in result.stdout


def test_it_runs_any_django_command():
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_worker_is_the_database_task_worker():
    from digibank.cli import ALIASES

    assert ALIASES["worker"] == ["db_worker"]
    assert ALIASES["serve"][0] == "runserver"
