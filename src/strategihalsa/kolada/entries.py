"""Kolada's v3 data entries read into observation columns, checked (no polars: the client
reads each answer on the thread that fetched it, while the others are on their way).

Rows reach here checked (`records.row_problem`). Inside a row, each entry is repaired or
flagged, never guessed:
- `isdeleted` entries are dropped; gender codes are upper-cased, unknown codes dropped;
- a value that is NaN, infinite or beyond ±1e12 becomes missing (null), with a warning;
- a number sent as text is read ("86.4", and "86,4" with a decimal comma); other text
  (including "NaN" or "1 234") becomes missing, with a warning;
- a non-empty `status` is kept as Kolada's flag (cleaned like every text from Kolada, see
  text.clean), `count` (members behind a group mean) too.
A row decoded typed (`decoding.Row`) is in Kolada's usual shape throughout and is read
without checks; of a row as dict, an entry in the usual shape is read in one go (`_plain`),
any other with every check.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from strategihalsa.kolada.decoding import MAX_COUNT, MAX_MAGNITUDE, Row
from strategihalsa.kolada.records import TEXT_IDS, Complaints, is_text, period, row_problem
from strategihalsa.text import clean
from strategihalsa.vocabulary import ALL_GENDERS

FIELDS = ("kpi", "unit", "year", "gender", "value", "status", "count")
PLAIN_DELETED = (None, False)  # `isdeleted` of an entry that is kept
NUMBER = re.compile(r"[+-]?[0-9]{1,30}(?:[.,][0-9]{1,30})?(?:[eE][+-]?[0-9]{1,3})?")
DataRow = Row | dict[str, Any]  # typed, or as sent
RowKey = tuple[str, str, int | None]  # kpi, unit, year
KeySets = tuple[set[str], set[str], set[int | None]]  # distinct kpis, units, years
NOT_A_NUMBER = "Kolada sent values that are not numbers (treated as missing)"
ABSURD = "Kolada sent values that are not finite or beyond ±1e12 (treated as missing)"


@dataclass
class Read:
    """Observations as columns (`FIELDS`), and the problems found reading them."""

    columns: dict[str, list[Any]] = field(default_factory=lambda: {f: [] for f in FIELDS})
    complaints: Complaints = field(default_factory=Complaints)

    @classmethod
    def joined(cls, parts: Sequence[Read]) -> Read:
        """The parts one after another, as if read in one go."""
        if len(parts) == 1:
            return parts[0]
        whole = cls()
        for part in parts:
            for name in FIELDS:
                whole.columns[name] += part.columns[name]
            whole.complaints.extend(part.complaints)
        return whole


def read(rows: Sequence[DataRow]) -> Read:
    """The observations of checked rows (typed or as dicts), appended to the columns one
    by one (a tuple per observation, transposed after, costs twice the time and the
    collector's attention)."""
    result = Read()
    add = tuple(result.columns[name].append for name in FIELDS)
    for row in rows:
        if isinstance(row, Row):
            _read_typed(row, add)
        else:
            _read_dict(row, add, result.complaints)
    return result


Appenders = tuple[Callable[[Any], None], ...]  # one per column of FIELDS


def _read_typed(row: Row, add: Appenders) -> None:
    """The observations of a typed row, as they are (only deleted entries dropped)."""
    kpi, unit, year, gender, value, status, count = add
    row_kpi, row_unit = clean(row.kpi), clean(row.municipality)
    for entry in row.values:
        if not entry.isdeleted:
            kpi(row_kpi)
            unit(row_unit)
            year(row.period)
            gender(entry.gender)
            value(entry.value)
            status(_status(entry.status) if entry.status else "")
            count(entry.count)


def _read_dict(row: dict[str, Any], add: Appenders, complaints: Complaints) -> None:
    """The observations of a row as dict, each entry by `_plain` or with every check."""
    key = (clean(row["kpi"]), clean(row["municipality"]), period(row["period"]))
    for entry in row["values"]:
        observation = _plain(entry, key) or _observation(entry, key, complaints)
        if observation is not None:
            for append, part in zip(add, observation, strict=True):
                append(part)


def rows_problem(rows: Sequence[Any]) -> str | None:
    """Why an item of a data answer is not a v3 data row (the first reason found), or None;
    of typed rows only the distinct ids are checked (that none is blank)."""
    typed = [row for row in rows if isinstance(row, Row)]
    if len(typed) < len(rows):
        others = (row for row in rows if not isinstance(row, Row))
        if problem := next(filter(None, map(row_problem, others)), None):
            return problem
    ids = {row.kpi for row in typed} | {row.municipality for row in typed}
    return None if all(map(is_text, ids)) else TEXT_IDS


def row_key(row: DataRow) -> RowKey:
    """(kpi, unit, year) of a checked data row, typed or not, as Kolada sent them."""
    if isinstance(row, Row):
        return row.kpi, row.municipality, row.period
    return row["kpi"], row["municipality"], period(row["period"])


def distinct_keys(rows: Sequence[DataRow]) -> KeySets:
    """The distinct kpis, units and years of checked data rows, typed or as dicts, as Kolada
    sent them (a key per row, taken apart after, costs four times as much)."""
    typed = [row for row in rows if isinstance(row, Row)]
    others = [row_key(row) for row in rows if not isinstance(row, Row)]
    return ({row.kpi for row in typed} | {key[0] for key in others},
            {row.municipality for row in typed} | {key[1] for key in others},
            {row.period for row in typed} | {key[2] for key in others})


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
