"""The code base stays ruff-clean and passes `mypy --strict` (part of the test suite so CI
enforces both; mypy reads its settings from pyproject.toml [tool.mypy])."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from conftest import unavailable

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    if importlib.util.find_spec("ruff") is None:
        unavailable("ruff is not installed (pip install -e '.[test]')")
    command = [sys.executable, "-m", "ruff", "check", "src", "tests", "bench"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean():
    if importlib.util.find_spec("mypy") is None:
        unavailable("mypy is not installed (pip install -e '.[test]')")
    command = [sys.executable, "-m", "mypy"]  # strict, on src/strategihalsa: see pyproject
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
