"""Start-up: what `sfh --version` and `sfh --help` import (whole processes)."""

from __future__ import annotations

import subprocess
import sys

from strategihalsa import __version__


def imported(*args: str) -> tuple[set[str], str]:
    """The top-level modules a `python -m strategihalsa ARGS` process imports, and its stdout."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "strategihalsa", *args],
                          capture_output=True, text=True, timeout=60, check=True)
    names = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()
             if line.startswith("import time:")}
    return names, done.stdout


def test_version_is_answered_before_the_command_line_is_built():
    names, out = imported("--version")
    assert out == f"sfh {__version__}\n"
    assert not names & {"typer", "rich", "click", "pydantic", "polars", "requests"}


def test_help_is_rich_without_markdown_tracebacks_or_pydantic():
    names, out = imported("--help")
    assert "rich" in names and "╭─ Commands" in out and "report" in out
    assert not names & {"markdown_it", "pygments", "pydantic"}
