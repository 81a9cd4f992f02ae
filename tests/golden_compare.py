"""Comparing an output with a golden file from an earlier version: every key (JSON) or
column (CSV) the golden file has must be there with the same value; new keys and columns
may be added. `generated_at` and `api_url` (time and port of the run) are ignored."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

IGNORED = {"generated_at", "api_url"}


def differences(golden: Any, actual: Any, where: str = "") -> list[str]:
    """Where `actual` departs from `golden` (golden's keys only)."""
    if isinstance(golden, dict):
        if not isinstance(actual, dict):
            return [f"{where}: not an object"]
        return [d for key, value in golden.items() if key not in IGNORED
                for d in (differences(value, actual[key], f"{where}.{key}") if key in actual
                          else [f"{where}.{key}: missing"])]
    if isinstance(golden, list):
        if not isinstance(actual, list) or len(actual) != len(golden):
            return [f"{where}: list differs in length"]
        return [d for n, (g, a) in enumerate(zip(golden, actual, strict=True))
                for d in differences(g, a, f"{where}[{n}]")]
    return [] if golden == actual else [f"{where}: {golden!r} != {actual!r}"]


def json_differences(golden: str, actual: str) -> list[str]:
    """Differences between two JSON texts."""
    return differences(json.loads(golden), json.loads(actual))


def csv_differences(golden: str, actual: str) -> list[str]:
    """Differences between two CSV texts, column by column."""
    old = list(csv.DictReader(io.StringIO(golden)))
    new = list(csv.DictReader(io.StringIO(actual)))
    return differences(old, new)
