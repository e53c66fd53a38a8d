"""`./run.sh` and `python -m bot serve` as a newcomer meets them: no pip run when nothing changed, `--port` and
`PORT`, and one clear line when the port is taken.

run.sh is run from a temporary copy of the project's top level with stand-ins for python3, the venv's python
and pip that only record how they were called, so the install logic is tested in well under a second."""
from __future__ import annotations

import os
import re
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# what `python3 -m venv .venv` leaves behind here: a python and a pip that write their arguments to $CALLS
RECORDER = '#!/bin/sh\necho "{name} $*" >> "$CALLS"\n'
FAKE_PYTHON3 = """#!/bin/sh
echo "python3 $*" >> "$CALLS"
mkdir -p .venv/bin
printf '%s' '{python}' > .venv/bin/python
printf '%s' '{pip}' > .venv/bin/pip
chmod +x .venv/bin/python .venv/bin/pip
""".format(python=RECORDER.format(name="python"), pip=RECORDER.format(name="pip"))


class Project:
    def __init__(self, base: Path) -> None:
        self.dir = base / "project"
        self.dir.mkdir()
        shutil.copy(ROOT / "run.sh", self.dir / "run.sh")
        shutil.copy(ROOT / "pyproject.toml", self.dir / "pyproject.toml")
        fakebin = base / "bin"
        fakebin.mkdir()
        (fakebin / "python3").write_text(FAKE_PYTHON3)
        (fakebin / "python3").chmod(0o755)
        self.calls = base / "calls.log"
        self.env = {**os.environ, "CALLS": str(self.calls), "PATH": f"{fakebin}{os.pathsep}{os.environ['PATH']}"}

    def run(self, *args: str) -> tuple[int, list[str], str]:
        """(exit code, the calls the script made, its standard error)."""
        self.calls.write_text("")
        proc = subprocess.run(["bash", str(self.dir / "run.sh"), *args], env=self.env, capture_output=True,
                              text=True, timeout=30, check=False)
        return proc.returncode, self.calls.read_text().splitlines(), proc.stderr


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def _installs(calls: list[str]) -> list[str]:
    return [c for c in calls if c.startswith("pip install")]


def test_first_run_creates_the_venv_and_installs(project):
    code, calls, _ = project.run()
    assert code == 0
    assert calls[0] == "python3 -m venv .venv"
    assert _installs(calls) == ["pip install --quiet --upgrade pip", "pip install --quiet -e ."]
    assert calls[-1] == "python -m bot serve"
    assert (project.dir / ".venv" / "run-sh-installed").is_file()


def test_a_warm_start_skips_pip_until_pyproject_changes(project):
    project.run()
    code, calls, _ = project.run()
    assert code == 0 and calls == ["python -m bot serve"]
    with (project.dir / "pyproject.toml").open("a") as fh:
        fh.write("\n# a dependency changed\n")
    _, calls, _ = project.run()
    assert _installs(calls) == ["pip install --quiet -e ."]
    _, calls, _ = project.run()
    assert _installs(calls) == []


def test_a_failed_install_is_retried_next_time(project):
    project.run()
    (project.dir / ".venv" / "bin" / "pip").write_text('#!/bin/sh\necho "pip $*" >> "$CALLS"\nexit 1\n')
    (project.dir / ".venv" / "run-sh-installed").unlink()
    code, calls, _ = project.run()
    assert code != 0 and "python -m bot serve" not in calls
    assert not (project.dir / ".venv" / "run-sh-installed").exists()


def test_a_removed_venv_is_recreated_and_installed(project):
    project.run()
    shutil.rmtree(project.dir / ".venv")
    _, calls, _ = project.run()
    assert calls[0] == "python3 -m venv .venv" and "pip install --quiet -e ." in calls


@pytest.mark.parametrize("args", [["--port", "5001"], ["--port=5001"]])
def test_port_is_passed_to_serve(project, args):
    code, calls, _ = project.run(*args)
    assert code == 0 and calls[-1] == "python -m bot serve --port 5001"


def test_files_are_still_diagnosed(project):
    code, calls, _ = project.run("paste.txt", "-")
    assert code == 0 and calls[-1] == "python -m bot diagnose --format markdown paste.txt -"


def test_port_with_files_or_without_a_number_is_refused(project):
    code, calls, err = project.run("--port", "5001", "paste.txt")
    assert code == 2 and "--port is for the service" in err and not calls
    code, _, err = project.run("--port")
    assert code == 2 and "--port needs a port number" in err


def test_run_sh_is_executable():
    assert (ROOT / "run.sh").stat().st_mode & stat.S_IXUSR


# ---------------------------------------------------------------- the Python side: serve's port
@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen(1)
        yield held.getsockname()[1]


def _serve(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WEBEX_", "BOT_", "DATABASE_URL", "PORT"))}
    clean.update(BOT_DATA_DIR=str(tmp_path / "var"), **env)
    return subprocess.run([sys.executable, "-m", "bot", "serve", *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=60, check=False)


def _suggested(message: str, busy: int) -> int:
    found = re.fullmatch(rf"port {busy} is in use; try \./run\.sh --port (\d+)\n", message)
    assert found, message
    return int(found.group(1))


def test_a_busy_port_gets_one_line_and_a_free_port_to_try(tmp_path, busy_port):
    proc = _serve(tmp_path, "--port", str(busy_port))
    assert proc.returncode == 2 and proc.stdout == ""
    suggested = _suggested(proc.stderr, busy_port)
    assert suggested > busy_port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))   # the port suggested is free


def test_port_variable_is_honoured_and_port_option_wins(tmp_path, busy_port):
    proc = _serve(tmp_path, PORT=str(busy_port))
    assert proc.returncode == 2
    _suggested(proc.stderr, busy_port)
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        option = other.getsockname()[1]
        proc = _serve(tmp_path, "--port", str(option), PORT=str(busy_port))
    _suggested(proc.stderr, option)


@pytest.mark.parametrize(("value", "message"), [("web", "port must be a number, not 'web'"),
                                                ("70000", "port must be between 0 and 65535, not 70000")])
def test_a_bad_port_is_refused_in_one_line(tmp_path, value, message):
    proc = _serve(tmp_path, "--port", value)
    assert proc.returncode == 2 and proc.stderr == f"cannot start: {message}\n"
