"""Start-up: what `sfh --version`, `sfh --help` and a report from the store import (whole
processes)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

from click.testing import CliRunner

from strategihalsa import __version__
from strategihalsa.cli import app

TYPER = {"typer", "pydantic"}  # the command line's former framework and what it imported


def imported(*args: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """The top-level modules a `python -m strategihalsa ARGS` process imports, and its stdout."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "strategihalsa", *args],
                          capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, **(env or {})})
    names = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()
             if line.startswith("import time:")}
    return names, done.stdout


def test_version_is_answered_before_the_command_line_is_built():
    names, out = imported("--version")
    assert out == f"sfh {__version__}\n"
    assert not names & {"click", "rich", "polars", "requests", *TYPER}


def test_help_is_plain_click_without_heavy_modules():
    names, out = imported("--help")
    assert "click" in names and "Commands:" in out and "report" in out
    assert not names & {"polars", "requests", "openpyxl", "jinja2", "matplotlib", "rich",
                        *TYPER}


def test_a_report_from_the_store_imports_no_network_modules(cli_env):
    synced = CliRunner().invoke(app, ["sync", "--quiet"], env=cli_env)
    assert synced.exit_code == 0, synced.stderr
    names, out = imported("report", "-k", "0680", "-f", "json", env=cli_env)
    assert '"data_source": "store"' in out
    assert not names & {"requests", "requests_cache", *TYPER}


def test_a_command_imports_only_its_own_module():
    code = ("import sys; from strategihalsa.cli import app; "
            "app(['report', '--help'], standalone_mode=False); "
            "print(sorted(m for m in sys.modules if m.startswith('strategihalsa.cli.')), "
            "file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    loaded = done.stderr.strip().splitlines()[-1]
    assert loaded == str([f"strategihalsa.cli.{name}"
                          for name in ("app", "process", "reports", "stops")])


def test_a_lan_batch_in_html_draws_its_box_plots_without_pyplot(cli_env, tmp_path):
    """The command line names matplotlib's file backend, so drawing the län's box plots
    does not make matplotlib guess a backend (which imports pyplot)."""
    env = {k: v for k, v in {**os.environ, **cli_env}.items() if k != "MPLBACKEND"}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "strategihalsa", "report",
                           "--lan", "06", "-f", "html", "-d", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, check=True, env=env)
    names = {line.split("|")[-1].strip() for line in done.stderr.splitlines()
             if line.startswith("import time:")}
    assert "matplotlib.figure" in names and 'id="0680-spridning"' in (
        tmp_path / "0680-jonkoping.html").read_text("utf-8")  # box plots were drawn
    assert "matplotlib.pyplot" not in names


def test_the_command_line_collects_cycles_less_often_and_the_library_not_at_all():
    """The command line raises the collector's thresholds; importing the library leaves the
    host's own as they are."""
    code = ("import atexit, gc, sys; atexit.register(lambda: print(gc.get_threshold(), "
            "file=sys.stderr)); sys.argv = ['sfh', '--help']; "
            "from strategihalsa.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stderr.strip().splitlines()[-1] == "(50000, 20, 10)"
    library = subprocess.run([sys.executable, "-c", "import gc, strategihalsa as sfh; "
                              "sfh.report; print(gc.get_threshold())"],
                             capture_output=True, text=True, timeout=60, check=True)
    assert library.stdout.strip() == str(gc.get_threshold())
