"""Ctrl-C, SIGTERM and SIGHUP during a batch of workbooks rendered in worker processes: the run ends
within 2 s of the signal (README, Reliability), its worker processes end with it, no
temporary file is left, and the exit code says why (130, 143, 129)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from fake_kolada import FakeKolada

from strategihalsa.delivery import STOP_GRACE, _end

STOP_BOUND = 2.0  # seconds from the signal to the end of the process
ALL = (["--all"], 311)  # the batch whose stop took 2.2–3.0 s: its many reports make exit slow
LAN = (["--lan", "01"], 27)  # Stockholms län: 26 kommuner and the region, still in workers


def processes_with(marker: str) -> list[int]:
    """Pids of live processes whose environment holds the marker."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def gone(marker: str) -> bool:
    """Whether every process holding the marker has ended (within a second)."""
    deadline = time.monotonic() + 1
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    return processes_with(marker) == []


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One cache for the module: the data is fetched once, the batches only render."""
    return tmp_path_factory.mktemp("cache")


def paused(pids: list[int], wait: Callable[[], None]) -> None:
    """The processes stopped (SIGSTOP) during `wait`, then continued: a batch cannot end
    while it waits for the machine to itself, however long that takes."""
    def send(signum: int) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)
    send(signal.SIGSTOP)
    try:
        wait()
    finally:
        send(signal.SIGCONT)


@pytest.mark.parametrize(("batch", "signum", "code"), [(ALL, signal.SIGINT, 130),
                                                       (LAN, signal.SIGTERM, 143),
                                                       (LAN, signal.SIGHUP, 129)])
def test_a_signal_stops_an_excel_batch_quickly_and_cleanly(shared_data, cache, tmp_path, alone,
                                                          batch, signum, code):
    """Proves, for a batch of workbooks rendered in worker processes, with the signal sent
    while the workers write files: the process ends < 2 s after it with the signal's exit
    code and no traceback, the batch is cut short, no temporary file is left, and no worker
    outlives the run. Ctrl-C stops the largest batch (`--all`); SIGTERM and SIGHUP, whose
    path differs only in the exit code, stop one län's batch, which is quicker to build.
    The stop needs the CPU the batch's workers compete for: once they write files the batch
    is paused until the test has the machine to itself (`alone`), then signalled."""
    selection, total = batch
    marker = f"SFH_TEST_RUN={uuid.uuid4()}"
    out = tmp_path / "out"
    with FakeKolada(shared_data) as fake:
        env = {**os.environ, "SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(cache),
               marker.split("=")[0]: marker.split("=")[1]}
        run = subprocess.Popen([sys.executable, "-m", "strategihalsa", "report", *selection,
                                "-f", "xlsx", "-d", str(out)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while not any(out.glob("*.xlsx")) and time.monotonic() < deadline:
            time.sleep(0.02)
        running = processes_with(marker)
        assert len(running) > 1  # the workers are running
        paused(running, alone)
        run.send_signal(signum)
        sent = time.monotonic()
        _, stderr = run.communicate(timeout=30)
        stopped = time.monotonic() - sent
    assert run.returncode == code, stderr.decode()
    assert stopped < STOP_BOUND, f"{stopped:.2f} s"
    assert len(list(out.glob("*.xlsx"))) < total
    assert not list(out.glob(".*.tmp"))
    assert gone(marker)
    assert b"Traceback" not in stderr


def deaf_to_sigterm(ready) -> None:
    """A worker that ignores SIGTERM (as one stuck in a library's signal handling might)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    time.sleep(60)


def test_a_worker_deaf_to_sigterm_is_killed_within_the_grace():
    """Proves the stop's bound does not rest on workers obeying SIGTERM: one that ignores
    it is killed after STOP_GRACE seconds, not waited for."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    worker = context.Process(target=deaf_to_sigterm, args=(ready,))
    worker.start()
    assert ready.wait(30)
    began = time.monotonic()
    _end([worker])
    assert not worker.is_alive() and worker.exitcode == -signal.SIGKILL
    assert time.monotonic() - began < STOP_GRACE + 0.5


@pytest.mark.parametrize(("stop", "code"), [("sys.exit(130)", -signal.SIGINT),
                                            ("leave(130)", 130)])
def test_an_interrupt_that_passed_through_foreign_code_still_exits_130(tmp_path, stop, code):
    # CPython marks a KeyboardInterrupt that passed through code run by PyRun_* (polars'
    # Rust runs some; a Ctrl-C can land there) and ends a `-m` process by SIGINT for it,
    # whatever its exit code, unless the process leaves without CPython's own end
    (tmp_path / "interrupted.py").write_text(
        "import ctypes, sys\nfrom strategihalsa.cli.process import leave\n"
        "ctypes.pythonapi.PyRun_SimpleString(b'raise KeyboardInterrupt')\n" + stop + "\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    done = subprocess.run([sys.executable, "-m", "interrupted"], env=env, capture_output=True)
    assert done.returncode == code


@pytest.mark.parametrize(("signum", "code", "said"), [(signal.SIGINT, 130, "sfh: interrupted"),
                                                      (signal.SIGTERM, 143, "sfh: terminated")])
def test_a_stop_while_the_command_line_is_imported_ends_it_at_once(signum, code, said):
    # the first handlers, installed before Click, polars or requests are imported
    script = ("import os, time\nfrom strategihalsa.cli import stops\n"
              "stops.handle(lambda name: stops.stop_now)\n"
              f"os.kill(os.getpid(), {int(signum)})\ntime.sleep(10)\nprint('not stopped')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=30, check=False)
    assert (done.returncode, done.stderr, done.stdout) == (code, f"{said}\n", "")


def test_a_stop_signal_that_is_ignored_stays_ignored():
    script = ("import os, signal\nfrom strategihalsa.cli import stops\n"
              "stops.handle(lambda name: stops.stop_now)\n"
              "os.kill(os.getpid(), signal.SIGINT)\nprint('still here')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=30, check=False,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    assert (done.returncode, done.stdout) == (0, "still here\n")
