"""Ctrl-C and SIGTERM during a large batch: the run stops within seconds, its worker
processes end with it, no temporary file is left, and the exit code says why."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from fake_kolada import FakeKolada


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


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_an_excel_batch_quickly_and_cleanly(shared_data, tmp_path, signum,
                                                          code):
    marker = f"SFH_TEST_RUN={uuid.uuid4()}"
    out = tmp_path / "out"
    with FakeKolada(shared_data) as fake:
        env = {**os.environ, "SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "c"),
               marker.split("=")[0]: marker.split("=")[1]}
        run = subprocess.Popen([sys.executable, "-m", "strategihalsa", "report", "--all",
                                "-f", "xlsx", "-d", str(out)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while not (out.exists() and any(out.glob("*.xlsx"))) and time.monotonic() < deadline:
            time.sleep(0.05)
        run.send_signal(signum)
        sent = time.monotonic()
        _, stderr = run.communicate(timeout=30)
        stopped = time.monotonic() - sent
    assert run.returncode == code, stderr.decode()
    assert stopped < 3.0
    assert len(list(out.glob("*.xlsx"))) < 311
    assert not list(out.glob(".*.tmp"))
    time.sleep(0.5)
    assert processes_with(marker) == []
    assert b"Traceback" not in stderr
