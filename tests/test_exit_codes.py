"""How `sfh` ends, tested in real processes (CliRunner never shows a traceback): a reader
that closes the pipe early, a stdout that cannot be written or encode Swedish, and usage
errors as one `sfh: error: …` line, never a traceback or a boxed panel. (Ctrl-C, SIGTERM
and SIGHUP, and how fast they end a run whatever the network does: test_hostile_stops.py.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def environment(cli_env: dict, **extra: str) -> dict:
    return {**os.environ, **cli_env, "PYTHONPATH": str(SRC), **extra}


def sfh(cli_env: dict, *args: str, **options) -> subprocess.CompletedProcess:
    env = environment(cli_env, **options.pop("env", {}))
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run([sys.executable, "-m", "strategihalsa", *args], env=env, text=True,
                          timeout=60, check=False, **streams)


def clean_end(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert "╭" not in stderr, stderr


def closed_early(cli_env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run with stdout a pipe whose reader is gone before anything is written."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "strategihalsa", *args],
                              env=environment(cli_env), stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=60, check=False)
    finally:
        os.close(write)


@pytest.mark.parametrize("args", [("report", "-k", "0680"), ("report", "-k", "0680", "-f", "json"),
                                  ("overview",), ("kommuner",)])
def test_a_closed_stdout_ends_quietly(cli_env, args):
    done = closed_early(cli_env, *args)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_closed_stdout_keeps_the_goal_verdict(cli_env):
    done = closed_early(cli_env, "report", "-k", "0680", "--fail-on-missed", "22")
    assert done.returncode == 1  # goal 22 is missed whether or not anyone read the report
    assert "not met: Jönköping: goal 22" in done.stderr
    clean_end(done.stderr)


def test_head_in_a_shell_pipeline_with_pipefail(cli_env):
    command = f"{sys.executable} -m strategihalsa report --all -f csv --liknande ingen"
    script = f"set -o pipefail; {command} | head -1"
    done = subprocess.run(["bash", "-c", script], env=environment(cli_env),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("unit_id,") and done.stderr == ""


@pytest.mark.parametrize("args", [("report", "-k", "0680"), ("report", "-k", "0680", "-f", "json"),
                                  ("schema", "report")])
def test_a_full_stdout_exits_5(cli_env, args):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = sfh(cli_env, *args, stdout=full)
    assert done.returncode == 5
    assert done.stderr == "sfh: error: cannot write to stdout: No space left on device\n"


def test_a_closed_stdout_descriptor_exits_5(cli_env):
    done = subprocess.run([sys.executable, "-m", "strategihalsa", "report", "-k", "0680", "-f",
                           "json"], env=environment(cli_env), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=60, check=False,
                          preexec_fn=lambda: os.close(1))
    assert done.returncode == 5
    assert "cannot write to stdout: it is closed" in done.stderr


def test_an_ascii_only_stdout_still_works(cli_env):
    done = sfh(cli_env, "report", "-k", "Jönköping", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "J?nk?ping (0680)" in done.stdout
    clean_end(done.stderr)
    failed = sfh(cli_env, "report", "-k", "Jönk", env={"PYTHONIOENCODING": "ascii"})
    assert failed.returncode == 2 and failed.stderr.startswith("sfh: error: unknown kommun")


@pytest.mark.parametrize(("args", "message"), [
    (["report", "--kommune", "0680"], "no such option: --kommune"),
    (["report", "-k", "0680", "--year", "2021.9"], "invalid value for '--year'"),
    (["report", "-k", "0680", "--timeout", "inf"], "invalid value for '--timeout'"),
    (["report", "-k", "0680", "--api-url", "api.kolada.se/v3"], "must start with https://"),
    (["report", "-k", "0680", "--year", "2017"], "--year 2017 must be after the baseline"),
])
def test_usage_errors_are_one_line_and_exit_2(cli_env, args, message):
    done = sfh(cli_env, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sfh: error: ") and message in lines[0]
    if lines[0].startswith(("sfh: error: no such", "sfh: error: invalid", "sfh: error: missing")):
        assert lines[0].endswith(f"see 'sfh {args[0]} --help'")
    clean_end(done.stderr)


def test_unreachable_kolada_says_what_to_do(cli_env):
    done = sfh(cli_env, "report", "-k", "0680", "--no-cache", "--retries", "0",
               "--api-url", "http://127.0.0.1:9/v3")
    assert done.returncode == 4
    [line] = done.stderr.splitlines()
    assert line.startswith("sfh: error: cannot reach Kolada at http://127.0.0.1:9/v3/municipality")
    assert "--offline" in line and "SFH_KOLADA_URL" in line and "proxy" in line
