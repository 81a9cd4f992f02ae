"""Hostile files and arguments: a catalogue that is a device, a FIFO or a folder, and a stop
while waiting for a cache another process keeps locked, in real processes (a hang fails the
test, not the suite); a catalogue that is too large, a locked cache (with the lock wait
shortened) and a 10,000-character --kommun, which cannot hang, in this process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from strategihalsa.cli import app
from strategihalsa.kolada import cache as kcache

SRC = Path(__file__).resolve().parents[1] / "src"


def sfh(cli_env: dict, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    env = {**os.environ, **cli_env, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "strategihalsa", *args], env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "catalogue.toml"
    os.mkfifo(path)
    return path


# Each kind of file under one command, the commands taking turns: every command reads its
# catalogue through catalogue.load_catalogue, where the one check is, and a command that
# read the file another way would fail with any of these kinds (hang, or another message).
@pytest.mark.parametrize(("name", "kind", "args"), [
    ("/dev/zero", "a device", ["report", "-k", "0680"]),
    ("/dev/urandom", "a device", ["indicators"]),
    ("fifo", "a FIFO", ["check"]),
    ("folder", "a folder", ["report", "-k", "0680"])])
def test_a_catalogue_that_is_not_a_regular_file_is_exit_3(cli_env, tmp_path, fifo, name,
                                                          kind, args):
    path = {"fifo": str(fifo), "folder": str(tmp_path)}.get(name, name)
    done = sfh(cli_env, *args, "--catalogue", path, timeout=10)
    assert done.returncode == 3, done.stderr
    assert done.stderr == (f"sfh: error: {path}: the catalogue must be a regular file, "
                           f"not {kind}\n")


def test_a_catalogue_over_1_mib_is_exit_3(cli_env, tmp_path):
    """In-process: a regular file cannot hang the suite, even if the size check went."""
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 110_000)
    done = CliRunner().invoke(app, ["indicators", "--catalogue", str(big)], env=cli_env)
    assert done.exit_code == 3
    assert done.stderr == f"sfh: error: {big}: the catalogue is larger than 1 MiB; is it the " \
                          "right file?\n"


class Locker:
    """Another process holding an exclusive lock on the cache database until told to stop."""

    def __init__(self, database: Path) -> None:
        script = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
                  " c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read()")
        self.process = subprocess.Popen([sys.executable, "-c", script, str(database)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline() == "locked\n"

    def __enter__(self) -> Locker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """End the other process, and with it its lock."""
        self.process.communicate("", timeout=10)


@pytest.fixture
def short_lock_wait(monkeypatch) -> float:
    """`cache.LOCK_WAIT` (3 s) shortened for the test, and a fresh memory of locked caches
    (what a new process starts with)."""
    monkeypatch.setattr(kcache, "LOCK_WAIT", 0.3)
    monkeypatch.setattr(kcache, "_locked", set())
    return kcache.LOCK_WAIT


@pytest.mark.parametrize("filled", [False, True], ids=["new cache", "filled cache"])
def test_a_locked_cache_is_waited_for_briefly_then_bypassed(cli_env, short_lock_wait, filled):
    """In-process (the lock, not the process, is what is tested), with the wait shortened:
    the run waits LOCK_WAIT, warns once naming the wait, answers without the cache; with
    --offline the same lock is exit 4."""
    cache = Path(cli_env["SFH_CACHE_DIR"])
    if filled:
        assert CliRunner().invoke(app, ["report", "-k", "0680"], env=cli_env).exit_code == 0
    else:
        cache.mkdir(mode=0o700)
    with Locker(cache / "kolada.sqlite"):
        started = time.monotonic()
        done = CliRunner().invoke(app, ["report", "-k", "0680", "-f", "json"], env=cli_env)
        seconds = time.monotonic() - started
        kcache._locked.clear()  # as a new process: the offline run waits again
        offline = CliRunner().invoke(app, ["report", "-k", "0680", "--offline"], env=cli_env)
    assert done.exit_code == 0, done.stderr
    assert done.stderr.count(f"sfh: warning: the cache in {cache} is locked by another "
                             "process (waited 0.3 s); continuing without it") == 1
    assert '"schema"' in done.stdout and seconds < short_lock_wait + 20  # the run, busy
    assert offline.exit_code == 4
    assert offline.stderr.startswith(f"sfh: error: offline: the cache in {cache} is locked")


def test_a_lock_released_within_the_wait_is_waited_for(cli_env, monkeypatch):
    """The other process lets go 0.5 s into a 10 s wait: the run then uses the cache (no
    warning; an offline run answers from it), so it did wait rather than give up at once."""
    monkeypatch.setattr(kcache, "LOCK_WAIT", 10.0)
    cache = Path(cli_env["SFH_CACHE_DIR"])
    cache.mkdir(mode=0o700)
    with Locker(cache / "kolada.sqlite") as locker:
        threading.Timer(0.5, locker.release).start()
        done = CliRunner().invoke(app, ["report", "-k", "0680"], env=cli_env)
    assert done.exit_code == 0 and "locked" not in done.stderr, done.stderr
    offline = CliRunner().invoke(app, ["report", "-k", "0680", "--offline"], env=cli_env)
    assert offline.exit_code == 0 and offline.stdout == done.stdout, offline.stderr


def sqlite_open(pid: int, database: Path) -> bool:
    """Whether process `pid` has the SQLite file open (sfh is then waiting for its lock)."""
    try:
        return any(os.path.realpath(fd) == str(database)
                   for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def test_a_stop_ends_the_wait_for_a_locked_cache_at_once(cli_env):
    """A real process (the signal is the point), stopped as soon as it holds the locked file
    open, i.e. inside the 3 s wait, not after a guessed sleep."""
    cache = Path(cli_env["SFH_CACHE_DIR"])
    cache.mkdir(mode=0o700)
    database = (cache / "kolada.sqlite").resolve()
    env = {**os.environ, **cli_env, "PYTHONPATH": str(SRC)}
    with Locker(database):
        process = subprocess.Popen([sys.executable, "-m", "strategihalsa", "report", "-k",
                                    "0680"], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not sqlite_open(process.pid, database) and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=30)
        seconds = time.monotonic() - sent
    assert (process.returncode, stderr) == (143, "sfh: terminated\n")
    assert seconds < 2.0


def test_a_very_long_kommun_is_cut_in_the_message(cli_env):
    """In-process (an exception would be exit 1 here, not 2)."""
    done = CliRunner().invoke(app, ["report", "-k", "x" * 10_000], env=cli_env)
    assert done.exit_code == 2
    assert done.stderr == f"sfh: error: unknown kommun '{'x' * 60}…'\n"
    digits = CliRunner().invoke(app, ["report", "-k", "9" * 10_000], env=cli_env)
    assert digits.exit_code == 2 and len(digits.stderr) < 200
