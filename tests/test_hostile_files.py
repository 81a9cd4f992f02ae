"""Hostile files and arguments, in real processes (a hang fails the test, not the suite): a
catalogue that is a device, a FIFO, a folder or too large; a cache another process keeps
locked; a 10,000-character --kommun."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LOCK_BOUND = 3.0 + 20  # LOCK_WAIT, then the run itself on a busy machine (was > 75 s)


def sfh(cli_env: dict, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    env = {**os.environ, **cli_env, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "strategihalsa", *args], env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "catalogue.toml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(("name", "kind"), [("/dev/zero", "a device"),
                                            ("/dev/urandom", "a device"),
                                            ("fifo", "a FIFO"), ("folder", "a folder")])
def test_a_catalogue_that_is_not_a_regular_file_is_exit_3(cli_env, tmp_path, fifo, name,
                                                          kind):
    path = {"fifo": str(fifo), "folder": str(tmp_path)}.get(name, name)
    for args in (["report", "-k", "0680"], ["indicators"], ["check"]):
        done = sfh(cli_env, *args, "--catalogue", path, timeout=10)
        assert done.returncode == 3, done.stderr
        assert done.stderr == (f"sfh: error: {path}: the catalogue must be a regular file, "
                               f"not {kind}\n")


def test_a_catalogue_over_1_mib_is_exit_3(cli_env, tmp_path):
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 110_000)
    done = sfh(cli_env, "indicators", "--catalogue", str(big), timeout=10)
    assert done.returncode == 3
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
        self.process.communicate("", timeout=10)


@pytest.mark.parametrize("filled", [False, True], ids=["new cache", "filled cache"])
def test_a_locked_cache_is_waited_for_briefly_then_bypassed(cli_env, filled):
    cache = Path(cli_env["SFH_CACHE_DIR"])
    if filled:
        assert sfh(cli_env, "report", "-k", "0680").returncode == 0
    else:
        cache.mkdir(mode=0o700)
    with Locker(cache / "kolada.sqlite"):
        started = time.monotonic()
        done = sfh(cli_env, "report", "-k", "0680", "-f", "json")
        seconds = time.monotonic() - started
        offline = sfh(cli_env, "report", "-k", "0680", "--offline")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(f"sfh: warning: the cache in {cache} is locked by another "
                             "process (waited 3 s); continuing without it") == 1
    assert '"schema"' in done.stdout and seconds < LOCK_BOUND
    assert offline.returncode == 4
    assert offline.stderr.startswith(f"sfh: error: offline: the cache in {cache} is locked")


def test_a_stop_ends_the_wait_for_a_locked_cache_at_once(cli_env):
    cache = Path(cli_env["SFH_CACHE_DIR"])
    cache.mkdir(mode=0o700)
    env = {**os.environ, **cli_env, "PYTHONPATH": str(SRC)}
    with Locker(cache / "kolada.sqlite"):
        process = subprocess.Popen([sys.executable, "-m", "strategihalsa", "report", "-k",
                                    "0680"], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)  # started, and waiting for the lock (3 s)
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=30)
        seconds = time.monotonic() - sent
    assert (process.returncode, stderr) == (143, "sfh: terminated\n")
    assert seconds < 2.0


def test_a_very_long_kommun_is_cut_in_the_message(cli_env):
    done = sfh(cli_env, "report", "-k", "x" * 10_000)
    assert done.returncode == 2
    assert done.stderr == f"sfh: error: unknown kommun '{'x' * 60}…'\n"
    digits = sfh(cli_env, "report", "-k", "9" * 10_000)
    assert digits.returncode == 2 and len(digits.stderr) < 200
