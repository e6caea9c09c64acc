"""The `digibank` console command wraps manage.py with a few operator verbs."""

import contextlib
import subprocess
from pathlib import Path

from digibank.cli import ALIASES
from digibank.core.management.commands import devserver

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
    assert ALIASES["worker"] == ["db_worker"]
    assert ALIASES["serve"][0] == "runserver"


def test_make_run_serves_with_the_task_worker_and_stops_it_with_the_server(monkeypatch):
    """`make run` = devserver: a db_worker next to runserver, terminated when the server stops."""
    started, served = [], []

    class FakeWorker:
        pid = 4242
        terminated = False

        def __init__(self, command):
            started.append(command)

        def terminate(self):
            FakeWorker.terminated = True

        def wait(self, timeout):
            return 0

    def fake_runserver(name, addrport):
        served.append((name, addrport))
        raise KeyboardInterrupt  # Ctrl-C

    monkeypatch.delenv("RUN_MAIN", raising=False)
    monkeypatch.setattr(devserver.subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(devserver, "call_command", fake_runserver)
    with contextlib.suppress(KeyboardInterrupt):
        devserver.Command().handle(addrport="127.0.0.1:8000")
    assert started and started[0][-1] == "db_worker"
    assert served == [("runserver", "127.0.0.1:8000")]
    assert FakeWorker.terminated
    # The autoreloader's child process serves only: no second worker.
    started.clear()
    monkeypatch.setenv("RUN_MAIN", "true")
    with contextlib.suppress(KeyboardInterrupt):
        devserver.Command().handle(addrport="127.0.0.1:8000")
    assert started == []
    assert "devserver" in Path(__file__).resolve().parent.parent.joinpath("Makefile").read_text()
