"""Kolada's metadata as typed, frozen records, made from the raw v3 objects at the client
boundary: the rest of the package never reads a raw Kolada dict.

The `*_from_api` functions validate a whole answer: objects without their id, title or
type are skipped (a unit without a usable title is kept under its code instead: its data
are sound, and skipping it would blame the user for asking), an id given twice is kept
once, and every problem is noted in `Complaints`, which the client turns into warnings.
Every text field is cleaned (text.clean) on the way in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from strategihalsa.text import clean, clean_all

YEARS = range(1900, 2101)
TEXT_IDS = "a data row whose kpi or municipality is not text"


def _text(raw: dict[str, Any], key: str) -> str:
    """A text field, cleaned; "" when it is missing or not text."""
    value = raw.get(key)
    return clean(value) if isinstance(value, str) else ""


@dataclass(frozen=True)
class Kpi:
    """A key figure: id, title, description, level (K, L or A), gender division, and the
    date of its next publication (YYYY-MM-DD, '' when Kolada gives none)."""

    id: str
    title: str
    description: str
    municipality_type: str
    is_divided_by_gender: bool
    publication_date: str = ""

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Kpi:
        """From a v3 `/kpi` object."""
        return cls(_text(raw, "id"), _text(raw, "title"), _text(raw, "description"),
                   _text(raw, "municipality_type"), raw.get("is_divided_by_gender") is True,
                   _date(raw.get("publication_date")))


def _date(raw: Any) -> str:
    """A valid ISO date (YYYY-MM-DD) as text, or '' for anything else."""
    text = raw.strip()[:10] if isinstance(raw, str) else ""
    try:
        return date.fromisoformat(text).isoformat() if len(text) == 10 else ""
    except ValueError:
        return ""


@dataclass(frozen=True)
class Municipality:
    """A kommun (type K), a region or Riket (type L)."""

    id: str
    title: str
    type: str

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Municipality:
        """From a v3 `/municipality` object; titled by its code if the title is unusable."""
        return cls(_text(raw, "id"), _text(raw, "title").strip() or _text(raw, "id"),
                   _text(raw, "type"))


@dataclass(frozen=True)
class Group:
    """A municipality group (e.g. similar kommuner) and its member ids."""

    id: str
    title: str
    members: tuple[str, ...]

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Group:
        """From a v3 `/municipality_groups` object."""
        members = listed if isinstance(listed := raw.get("members"), list) else []
        ids = [i for m in members if type(m) is dict and type(i := m.get("member_id")) is str
               and i]
        return cls(_text(raw, "id"), _text(raw, "title"), clean_all(ids))


class Complaints:
    """Problems found in Kolada's answers: each kind told once, with a few examples."""

    def __init__(self) -> None:
        self.examples: dict[str, list[str]] = {}

    def add(self, kind: str, example: str) -> None:
        """Note one more case of `kind` (a sentence saying what was done about it)."""
        self.examples.setdefault(kind, []).append(example)

    def extend(self, other: Complaints) -> None:
        """Note `other`'s cases after these, as if found here in that order."""
        for kind, examples in other.examples.items():
            self.examples.setdefault(kind, []).extend(examples)

    def messages(self) -> list[str]:
        """One line per kind: `kind: a, b, c and 7 more`."""
        return [f"{kind}: {_some(examples)}" for kind, examples in self.examples.items()]


def _some(examples: list[str]) -> str:
    more = len(examples) - 3
    return ", ".join(examples[:3]) + (f" and {more} more" if more > 0 else "")


def is_text(value: Any) -> bool:
    """A non-empty string (ids are never numbers: 0680 must keep its zero)."""
    return isinstance(value, str) and bool(value.strip())


def row_problem(row: Any) -> str | None:
    """Why `row` is not a v3 data row, or None."""
    if not isinstance(row, dict):
        return "a data row that is not an object"
    for key in ("kpi", "municipality", "period", "values"):
        if row.get(key) is None:
            return f"a data row without '{key}'"
    if not (is_text(row["kpi"]) and is_text(row["municipality"])):
        return TEXT_IDS
    if period(row["period"]) is None:
        return f"a data row with a bad period ({str(row['period'])[:20]!r})"
    if not isinstance(row["values"], list) or not all(
            isinstance(entry, dict) for entry in row["values"]):
        return "a data row whose values are not a list of objects"
    return None


def period(raw: Any) -> int | None:
    """The year of a row's `period` (an int, or a string of digits), or None."""
    if isinstance(raw, str) and re.fullmatch(r"\s*[0-9]{4}\s*", raw):
        raw = int(raw)
    return raw if type(raw) is int and raw in YEARS else None


def usable(raws: list[dict[str, Any]], required: tuple[str, ...], what: str,
           complaints: Complaints) -> list[dict[str, Any]]:
    """The objects that have every `required` field as text; the others are told and skipped."""
    kept = []
    for raw in raws:
        missing = [key for key in required if not is_text(raw.get(key))]
        if missing:
            complaints.add(f"Kolada sent {what} without {'/'.join(missing)} (skipped)",
                           _label(raw))
        else:
            kept.append(raw)
    return kept


def _label(raw: dict[str, Any]) -> str:
    for key in ("id", "title"):
        if is_text(raw.get(key)):
            return clean(raw[key])[:60]
    return clean(repr(raw)[:60])


def unique_by_id(records: list[Any], what: str, complaints: Complaints) -> list[Any]:
    """First record per id; identical repeats vanish, conflicting ones are told."""
    first: dict[str, Any] = {}
    for record in records:
        if (kept := first.setdefault(record.id, record)) is not record and kept != record:
            complaints.add(f"Kolada sent conflicting {what} for one id (kept the first)",
                           record.id)
    return list(first.values())


def municipalities_from_api(raws: list[dict[str, Any]],
                            complaints: Complaints) -> list[Municipality]:
    """Units with id and type, each id once; one without a usable title is kept, titled
    by its code (the data are Kolada's all the same), and told."""
    kept = usable(raws, ("id", "type"), "units", complaints)
    for raw in kept:
        if not _text(raw, "title").strip():
            complaints.add("Kolada sent units without a usable title (shown by their code)",
                           _text(raw, "id"))
    return unique_by_id([Municipality.from_api(raw) for raw in kept], "units", complaints)


def kpis_from_api(raws: list[dict[str, Any]], complaints: Complaints) -> list[Kpi]:
    """KPIs with id, title and municipality_type, each id once."""
    kept = usable(raws, ("id", "title", "municipality_type"), "KPIs", complaints)
    return unique_by_id([Kpi.from_api(raw) for raw in kept], "KPIs", complaints)


def groups_from_api(raws: list[dict[str, Any]], complaints: Complaints) -> list[Group]:
    """Groups with id and title, each id once; members without a member_id are told."""
    groups = []
    for raw in usable(raws, ("id", "title"), "groups", complaints):
        group = Group.from_api(raw)
        members = raw.get("members")
        if not isinstance(members, list) or len(group.members) < len(members):
            complaints.add("Kolada sent groups with malformed members (those skipped)",
                           group.id)
        groups.append(group)
    return unique_by_id(groups, "groups", complaints)


@dataclass(frozen=True)
class Metadata:
    """Kolada's metadata for one run."""

    municipalities: list[Municipality]
    kpis: list[Kpi]
    groups: list[Group]


@dataclass(frozen=True)
class Provenance:
    """Where a run's data came from: the API, when it was fetched (ISO 8601, UTC), and
    whether from the local store or the network (Kolada or its HTTP cache)."""

    api_url: str
    fetched_at: str
    origin: str
