"""The `sfh` command line: `app` (the Click group, shared options, errors → exit codes),
`reports` (report, overview), `inspection` (indicators, kommuner, kpi, check, init-catalogue,
schema, cache) and `store` (sync, changes). Commands parse, call the library, print, and map
errors to exit codes.

`main` answers `sfh --version` before anything else is imported (Click alone costs ~0.05 s
to import); `app` is imported on first use, and each command when it runs.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

from strategihalsa import __version__
from strategihalsa.cli import stops
from strategihalsa.errors import ExitCode

__all__ = ["app", "expand_goal_shorthand", "main"]
# A run allocates millions of short-lived objects (imports, ~100,000 observations read from
# JSON) and few reference cycles: a cycle collection every 50,000 allocations instead of
# every 700 spares 5-8 % of a cold run's CPU at the same peak memory (bench/RESULTS.md).
# Only the command line: the library leaves its host's collector alone.
GC_THRESHOLDS = (50_000, 20, 10)


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        print_version()
        return
    stops.handle(lambda name: stops.stop_now)  # until the command line installs its own
    gc.set_threshold(*GC_THRESHOLDS)
    # the command line draws charts into files only: naming matplotlib's file backend spares
    # it guessing one (which imports pyplot, ~20 ms, the first time a box plot is drawn)
    os.environ.setdefault("MPLBACKEND", "svg")
    load().main()


def print_version() -> None:
    """`sfh 0.x`, as Click would print it; a stdout that cannot be written is exit 5."""
    try:
        sys.stdout.write(f"sfh {__version__}\n")
        sys.stdout.flush()
    except OSError as exc:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush
        if not isinstance(exc, BrokenPipeError):  # a reader that went away is no failure
            sys.stderr.write(f"sfh: error: cannot write to stdout: {exc.strerror or exc}\n")
            sys.exit(ExitCode.OUTPUT)


def load() -> Any:
    """The app module; `app` here is then its Click group (not the submodule of that
    name)."""
    module = importlib.import_module("strategihalsa.cli.app")
    globals().update(app=module.app, expand_goal_shorthand=module.expand_goal_shorthand)
    return module


def __getattr__(name: str) -> Any:
    """`from strategihalsa.cli import app` without importing the command line up front."""
    if name in ("app", "expand_goal_shorthand"):
        load()
        return globals()[name]
    raise AttributeError(f"module 'strategihalsa.cli' has no attribute {name!r}")
