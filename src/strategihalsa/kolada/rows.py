"""Kolada's v3 data rows → observations, one per (kpi, unit, year, gender), validated.

A row that is not a v3 data row (not an object, no kpi or municipality as text, no valid
period, `values` not a list of objects) is a `KoladaError`: nothing about it can be trusted.
Inside a good row, each entry is repaired or flagged, never guessed:
- `isdeleted` entries are dropped; gender codes are upper-cased, unknown codes dropped;
- a value that is NaN, infinite or beyond ±1e12 becomes missing (null), with a warning;
- a number sent as text is read ("86.4", and "86,4" with a decimal comma); other text
  (including "NaN" or "1 234") becomes missing, with a warning;
- a non-empty `status` is kept as Kolada's flag (cleaned like every text from Kolada, see
  text.clean), `count` (members behind a group mean) too;
- identical duplicates are kept once; conflicting ones (same kpi, unit, year and gender,
  different value, status or count) become one missing value, with a warning naming them.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from typing import Any

import polars as pl

from strategihalsa.errors import KoladaError
from strategihalsa.kolada.records import Complaints, period, row_problem
from strategihalsa.text import clean
from strategihalsa.vocabulary import ALL_GENDERS

OBSERVATION_SCHEMA = {"kpi": pl.String, "unit": pl.String, "year": pl.Int32,
                      "gender": pl.String, "value": pl.Float64, "status": pl.String,
                      "count": pl.Int64}
KEY = ["kpi", "unit", "year", "gender"]
MAX_MAGNITUDE = 1e12
MAX_COUNT = 1_000_000
PLAIN_DELETED = (None, False)  # `isdeleted` of an entry that is kept
NUMBER = re.compile(r"[+-]?[0-9]{1,30}(?:[.,][0-9]{1,30})?(?:[eE][+-]?[0-9]{1,3})?")
NOT_A_NUMBER = "Kolada sent values that are not numbers (treated as missing)"
ABSURD = "Kolada sent values that are not finite or beyond ±1e12 (treated as missing)"
CONFLICT = "Kolada sent conflicting values for one observation (treated as missing)"
log = logging.getLogger("strategihalsa")


def to_observations(rows: list[dict[str, Any]], warn: Callable[[str], None] | None = None,
                    checked: bool = False) -> pl.DataFrame:
    """Flatten v3 data rows to validated observations (see the module docstring); problems
    are told through `warn` (default: the 'strategihalsa' logger). `checked`: every row has
    already passed `row_problem` (the client checks each answer as it arrives)."""
    if not checked:
        problem = next((p for p in map(row_problem, rows) if p), None)
        if problem:
            raise KoladaError(f"Kolada sent {problem}")
    complaints = Complaints()
    frame = pl.DataFrame(_columns(rows, complaints), schema=OBSERVATION_SCHEMA)
    frame = _settle_duplicates(frame, complaints)
    for message in complaints.messages():
        (warn or log.warning)(message)
    return frame


def _columns(rows: list[dict[str, Any]], complaints: Complaints) -> dict[str, list[Any]]:
    """The observations' columns, each entry read by `_plain` or, failing that, checked."""
    columns: dict[str, list[Any]] = {name: [] for name in OBSERVATION_SCHEMA}
    appenders = [columns[name].append for name in OBSERVATION_SCHEMA]
    for row in rows:
        key = (clean(row["kpi"]), clean(row["municipality"]), period(row["period"]))
        for entry in row["values"]:
            observation = _plain(entry, key) or _observation(entry, key, complaints)
            for append, field in zip(appenders, observation or (), strict=False):
                append(field)
    return columns


def _plain(entry: dict[str, Any], key: tuple[str, str, int | None]) -> tuple[Any, ...] | None:
    """The observation of an entry in Kolada's usual shape (not deleted, a gender code as
    sent, a finite float within bounds or null, no status, a sane count or none), read in
    one go; None for any other entry, which `_observation` then reads with every check."""
    value, count, status = entry.get("value"), entry.get("count"), entry.get("status")
    if (entry.get("gender") in ALL_GENDERS and entry.get("isdeleted") in PLAIN_DELETED
            and (value is None or (type(value) is float and abs(value) <= MAX_MAGNITUDE))
            and (status is None or status == "")
            and (count is None or (type(count) is int and 0 <= count <= MAX_COUNT))):
        return (*key, entry["gender"], value, "", count)
    return None


def _observation(entry: dict[str, Any], key: tuple[str, str, int | None],
                 complaints: Complaints) -> tuple[Any, ...] | None:
    """(kpi, unit, year, gender, value, status, count), or None for a dropped entry."""
    if _deleted(entry.get("isdeleted")):
        return None
    raw_gender = entry.get("gender")
    gender = raw_gender.strip().upper() if isinstance(raw_gender, str) else ""
    if gender not in ALL_GENDERS:
        complaints.add("Kolada sent values with an unknown gender code (dropped)",
                       _where(key, gender))
        return None
    value = _value(entry.get("value"), key, gender, complaints)
    return (*key, gender, value, _status(entry.get("status")), _count(entry.get("count")))


def _where(key: tuple[str, str, int | None], gender: str) -> str:
    """'N15428/0680/2022/T', naming an observation in a warning."""
    return "/".join(str(part) for part in (*key, gender or "?"))


def _deleted(raw: Any) -> bool:
    return raw is True or (isinstance(raw, str) and raw.strip().lower() == "true")


def _value(raw: Any, key: tuple[str, str, int | None], gender: str,
           complaints: Complaints) -> float | None:
    if type(raw) is float and math.isfinite(raw) and abs(raw) <= MAX_MAGNITUDE:
        return raw  # the common case, checked first
    number = _number(raw)
    if raw is not None and number is None:
        complaints.add(NOT_A_NUMBER, f"{_where(key, gender)} ({str(raw)[:20]!r})")
    elif number is not None and not (math.isfinite(number) and abs(number) <= MAX_MAGNITUDE):
        complaints.add(ABSURD, f"{_where(key, gender)} ({number:g})")
        return None
    return number


def _number(raw: Any) -> float | None:
    """A float from a JSON number or numeric text (decimal comma allowed), else None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        try:
            return float(raw)
        except OverflowError:
            return math.inf
    if isinstance(raw, str) and NUMBER.fullmatch(raw.strip()):
        return float(raw.strip().replace(",", "."))
    return None


def _status(raw: Any) -> str:
    """Kolada's flag on a value, cleaned like every text from Kolada (at most 100 chars)."""
    return "" if raw is None else clean(str(raw)).strip()[:100]


def _count(raw: Any) -> int | None:
    if isinstance(raw, str) and re.fullmatch(r"\s*[0-9]{1,7}\s*", raw):
        raw = int(raw)
    return raw if type(raw) is int and 0 <= raw <= MAX_COUNT else None


def _settle_duplicates(frame: pl.DataFrame, complaints: Complaints) -> pl.DataFrame:
    """Identical duplicates once; conflicting ones as one missing value, told."""
    frame = frame.unique(maintain_order=True)
    clash = pl.len().over(KEY) > 1
    clashes = frame.filter(clash).unique(KEY, maintain_order=True)
    if clashes.is_empty():
        return frame
    for kpi, unit, year, gender in clashes.select(KEY).iter_rows():
        complaints.add(CONFLICT, f"{kpi}/{unit}/{year}/{gender}")
    return frame.with_columns(
        value=pl.when(clash).then(None).otherwise(pl.col("value")),
        status=pl.when(clash).then(pl.lit("")).otherwise(pl.col("status")),
        count=pl.when(clash).then(None).otherwise(pl.col("count")),
    ).unique(KEY, keep="first", maintain_order=True)
