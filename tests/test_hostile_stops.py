"""Every stop ends within 2 s whatever the network does: Ctrl-C, SIGTERM and SIGHUP sent to
a real `sfh` process while a hostile fake Kolada drips headers, sends `100 Continue`
forever, never answers (in the metadata phase, on a worker thread, or a data request), or
has sfh sleeping through a long Retry-After. And the whole-request deadline (--timeout)
covers the status line and the headers too."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa.kolada import background
from strategihalsa.kolada.background import Background, Stopped, pause

SRC = Path(__file__).resolve().parents[1] / "src"
STOP_BOUND = 2.0  # seconds from the signal to the end of the process (README, Reliability)
WORDS = {signal.SIGINT: (130, "sfh: interrupted"), signal.SIGTERM: (143, "sfh: terminated"),
         signal.SIGHUP: (129, "sfh: hung up")}


@dataclass(frozen=True)
class Stuck:
    """How the fake keeps sfh waiting: a fault on requests whose path contains `match`."""

    name: str
    match: str
    fault: dict


STUCK = [
    Stuck("slow headers", "/municipality?", {"kind": "slow_headers"}),
    Stuck("100 Continue forever", "/municipality?", {"kind": "continue_forever"}),
    Stuck("hung server, main thread's metadata", "/municipality?", {"kind": "hang"}),
    Stuck("hung server, a worker's metadata", "/municipality_groups", {"kind": "hang"}),
    Stuck("hung data request", "/data/", {"kind": "hang"}),
    Stuck("sleeping through Retry-After: 60", "/municipality?",
          {"kind": "status", "status": 503, "retry_after": "60"}),
    Stuck("a worker sleeping through Retry-After: 60", "/kpi/",
          {"kind": "status", "status": 503, "retry_after": "60"}),
]


def started(fake: FakeKolada, cache: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC), "SFH_KOLADA_URL": fake.url,
           "SFH_CACHE_DIR": str(cache)}
    return subprocess.Popen([sys.executable, "-m", "strategihalsa", "report", "-k", "0680",
                             "--timeout", "600", *extra], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_request(fake: FakeKolada, match: str) -> float:
    """Until the fake has received a request matching `match`; when it was seen there."""
    deadline = time.monotonic() + 30
    while not any(match in path for path in fake.requests):
        assert time.monotonic() < deadline, fake.requests
        time.sleep(0.02)
    return time.monotonic()


def blocked(process: subprocess.Popen) -> tuple[bool, int]:
    """Whether every thread of the process sleeps (none running or waiting for a CPU), and
    the CPU time they have used, in clock ticks."""
    states, ticks = [], 0
    for task in Path(f"/proc/{process.pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that just ended
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            states.append(fields[0])
            ticks += int(fields[11]) + int(fields[12])  # utime and stime
    return all(state in "SD" for state in states), ticks


def waiting_on_request(fake: FakeKolada, match: str, process: subprocess.Popen) -> None:
    """Until the fake has received a request matching `match` and sfh sits waiting on it:
    every thread asleep and no CPU time used for 0.1 s (the last of its other work done),
    however busy the machine is."""
    wait_for_request(fake, match)
    deadline, (_, ticks) = time.monotonic() + 30, blocked(process)
    while True:
        time.sleep(0.1)
        asleep, now = blocked(process)
        if asleep and now == ticks:
            return
        ticks = now
        assert time.monotonic() < deadline, "sfh never stopped to wait"


def stopped(process: subprocess.Popen, signum: int) -> tuple[float, str, str]:
    """Send `signum`; seconds until the process ended, its stdout and stderr."""
    process.send_signal(signum)
    sent = time.monotonic()
    try:
        stdout, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    return time.monotonic() - sent, stdout, stderr


# Each way of being stuck once, Ctrl-C and SIGTERM taking turns (4 and 3 of them, each in
# main-thread and worker-thread waits). The two differ only at the top (exception type, exit
# code, words): both handlers call stop_waiting(), which is what ends every wait, and below
# the command's exit_codes() and outcome() nothing catches one but not the other (only
# `except BaseException`), so the full 7 × 2 matrix would repeat the same paths.
TURNS = [(stuck, (signal.SIGINT, signal.SIGTERM)[n % 2]) for n, stuck in enumerate(STUCK)]


@pytest.mark.parametrize(("stuck", "signum"), TURNS,
                         ids=[f"{s.name}-{signal.Signals(n).name}" for s, n in TURNS])
def test_a_stop_ends_sfh_within_2_s_whatever_the_network_does(tmp_path, stuck, signum):
    with FakeKolada(fixture_data(), drip_seconds=0.2) as fake:
        fake.fail(stuck.match, times=10**6, **stuck.fault)
        process = started(fake, tmp_path)
        waiting_on_request(fake, stuck.match, process)
        seconds, stdout, stderr = stopped(process, signum)
    code, said = WORDS[signum]
    assert (process.returncode, stderr, stdout) == (code, f"{said}\n", "")
    assert seconds < STOP_BOUND


def test_a_stop_ends_the_waits_of_every_thread_at_once(monkeypatch):
    monkeypatch.setattr(background, "STOPPING", threading.Event())
    hung = Background(lambda: time.sleep(60), "hung")
    with ThreadPoolExecutor(2) as pool:  # its threads are joined: they must end by themselves
        waits = [pool.submit(hung.result), pool.submit(pause, 60)]
        time.sleep(0.2)
        background.stop_waiting()
        stopping = time.monotonic()
        for wait in waits:
            with pytest.raises(Stopped):
                wait.result(timeout=5)
    assert time.monotonic() - stopping < 0.5


def test_sighup_ends_sfh_like_sigterm_with_129(tmp_path):
    with FakeKolada(fixture_data()) as fake:
        fake.fail("/data/", kind="hang", times=10**6)
        process = started(fake, tmp_path)
        waiting_on_request(fake, "/data/", process)
        seconds, stdout, stderr = stopped(process, signal.SIGHUP)
    assert (process.returncode, stderr, stdout) == (129, "sfh: hung up\n", "")
    assert seconds < STOP_BOUND


def test_an_ignored_sighup_stays_ignored(tmp_path):
    with FakeKolada(fixture_data(), latency=0.5) as fake:  # each request held 0.5 s
        process = subprocess.Popen(
            ["nohup", sys.executable, "-m", "strategihalsa", "report", "-k", "0680"],
            env={**os.environ, "PYTHONPATH": str(SRC), "SFH_KOLADA_URL": fake.url,
                 "SFH_CACHE_DIR": str(tmp_path)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting_on_request(fake, "/municipality?", process)
        assert process.poll() is None  # the hangup comes while sfh waits for Kolada
        process.send_signal(signal.SIGHUP)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Jönköping" in stdout


@pytest.mark.parametrize("kind", ["slow_headers", "continue_forever"])
def test_the_timeout_covers_the_status_line_and_headers(tmp_path, kind):
    with FakeKolada(fixture_data(), drip_seconds=0.2) as fake:
        fake.fail("/municipality?", kind=kind, times=10**6)
        process = started(fake, tmp_path, "--timeout", "0.5", "--retries", "1", "--backoff",
                          "0.1")
        began = wait_for_request(fake, "/municipality?")  # the first request arrived by then
        _, stderr = process.communicate(timeout=60)
        seconds = time.monotonic() - began
    assert process.returncode == 4, stderr
    assert stderr.startswith("sfh: error: Kolada's answer to http://127.0.0.1")
    assert "did not arrive within 0.5 s (--timeout), also after 1 retry" in stderr
    assert seconds < 2 * (0.5 + 0.25) + 0.1 + STOP_BOUND  # 2 tries, grace, backoff, exit
