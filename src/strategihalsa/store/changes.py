"""What changed in Kolada between two snapshots: new values, revised values (beyond a relative
tolerance, so that republishing noise is not a change), deleted values, KPIs whose title or
description changed, KPIs retired, and goals whose status or outlook changed.

Values are compared for kommuner, regions and Riket; group means follow their members and
would only repeat their changes. Which KPIs are due (their next publication date has passed
since the newer snapshot) is told too, but is not a change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from strategihalsa.catalogue import Catalogue
from strategihalsa.kolada.records import Kpi
from strategihalsa.settings import Comparisons
from strategihalsa.store import DEFAULT_TOLERANCE
from strategihalsa.store.snapshot import Manifest, Snapshot
from strategihalsa.units import Selection

if TYPE_CHECKING:
    from strategihalsa.store.reader import StoreSource

KEY = ["kpi", "unit", "year", "gender"]
RETIRED_TITLE = re.compile(r"\(-\d{4}\)\s*$")
COMPARED_FIELDS = ("title", "description", "municipality_type", "is_divided_by_gender")


@dataclass(frozen=True)
class Published:
    """New values of a KPI in a year, for how many units; `new_year` when the KPI had no
    value in that year before."""

    kpi: str
    year: int
    units: int
    new_year: bool


@dataclass(frozen=True)
class ValueChange:
    """One value revised (before and after) or deleted (after is None, `deleted`)."""

    kpi: str
    unit: str
    year: int
    gender: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class Redefined:
    """A KPI whose metadata field changed: the id may now measure something else."""

    kpi: str
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Retired:
    """A KPI gone from Kolada's metadata, or newly titled '… (-YYYY)'."""

    kpi: str
    title: str


@dataclass(frozen=True)
class GoalChange:
    """A unit's goal whose status or outlook changed."""

    unit: str
    unit_title: str
    goal: int | None  # None: a local indicator
    kpi: str
    status: tuple[str, str]
    outlook: tuple[str, str]


@dataclass(frozen=True)
class Due:
    """A KPI whose next publication date has passed since the newer snapshot."""

    kpi: str
    title: str
    publication_date: str


@dataclass(frozen=True)
class Changes:
    """Everything that changed from `older` to `newer`."""

    older: Manifest
    newer: Manifest
    tolerance: float
    published: list[Published] = field(default_factory=list)
    revised: list[ValueChange] = field(default_factory=list)
    deleted: list[ValueChange] = field(default_factory=list)
    redefined: list[Redefined] = field(default_factory=list)
    retired: list[Retired] = field(default_factory=list)
    goals: list[GoalChange] = field(default_factory=list)
    due: list[Due] = field(default_factory=list)

    @property
    def any(self) -> bool:
        """Whether anything changed (KPIs due are not a change)."""
        return bool(self.published or self.revised or self.deleted or self.redefined
                    or self.retired or self.goals)


def compare(older: Snapshot, newer: Snapshot, tolerance: float = DEFAULT_TOLERANCE,
            goals: Sequence[GoalChange] = (), today: date | None = None) -> Changes:
    """The changes from `older` to `newer` (goal changes computed by the caller)."""
    joined = _joined(older.values(_units()), newer.values(_units()))
    old_kpis, new_kpis = {k.id: k for k in older.kpis}, {k.id: k for k in newer.kpis}
    retired = _retired(old_kpis, new_kpis)
    redefined = [r for r in _redefined(old_kpis, new_kpis)
                 if not (r.field == "title" and r.kpi in {k.kpi for k in retired})]
    return Changes(older.manifest, newer.manifest, tolerance,
                   published=_published(joined), revised=_revised(joined, tolerance),
                   deleted=_deleted(joined), redefined=redefined, retired=retired,
                   goals=list(goals), due=due(newer, today or date.today()))


def _units() -> pl.Expr:
    """Kommuner, regions and Riket (not group means)."""
    return ~pl.col("unit").str.starts_with("G")


def _joined(older: pl.DataFrame, newer: pl.DataFrame) -> pl.DataFrame:
    """Every key of either snapshot, with `before`/`after` values and which side had it."""
    return (older.select(*KEY, before="value", was=pl.lit(True))
            .join(newer.select(*KEY, after="value", now=pl.lit(True)), on=KEY, how="full",
                  coalesce=True)
            .with_columns(pl.col("was", "now").fill_null(False)))


def _published(joined: pl.DataFrame) -> list[Published]:
    """New values per KPI and year; a year is new when the KPI had no value in it."""
    old_years = joined.filter("was").select("kpi", "year").unique()
    added = joined.filter(~pl.col("was") & pl.col("after").is_not_null())
    counted = (added.group_by("kpi", "year").agg(units=pl.col("unit").n_unique())
               .join(old_years.with_columns(known=pl.lit(True)), on=["kpi", "year"],
                     how="left").sort("kpi", "year"))
    return [Published(kpi, year, units, not known)
            for kpi, year, units, known in counted.iter_rows()]


def _close(tolerance: float) -> pl.Expr:
    """`before` and `after` differ by at most `tolerance`, relatively (False when either is
    missing)."""
    scale = pl.max_horizontal(pl.col("before").abs(), pl.col("after").abs())
    return ((pl.col("after") - pl.col("before")).abs() <= tolerance * scale).fill_null(False)


def _revised(joined: pl.DataFrame, tolerance: float) -> list[ValueChange]:
    """Values present in both whose relative change exceeds `tolerance` (or that became or
    stopped being missing)."""
    both = joined.filter("was", "now")
    same_gap = pl.col("before").is_null() & pl.col("after").is_null()
    return _value_changes(both.filter(~(_close(tolerance) | same_gap)))


def _deleted(joined: pl.DataFrame) -> list[ValueChange]:
    """Values the older snapshot had and the newer does not."""
    return _value_changes(joined.filter(pl.col("was") & ~pl.col("now")))


def _value_changes(frame: pl.DataFrame) -> list[ValueChange]:
    rows = frame.sort(KEY).select(*KEY, "before", "after").iter_rows()
    return [ValueChange(*row) for row in rows]


def _redefined(older: dict[str, Kpi], newer: dict[str, Kpi]) -> list[Redefined]:
    """KPIs in both snapshots whose title, description, level or gender division changed."""
    return [Redefined(kpi, name, str(getattr(older[kpi], name)), str(getattr(newer[kpi], name)))
            for kpi in sorted(older.keys() & newer.keys()) for name in COMPARED_FIELDS
            if getattr(older[kpi], name) != getattr(newer[kpi], name)]


def _retired(older: dict[str, Kpi], newer: dict[str, Kpi]) -> list[Retired]:
    """KPIs gone from the metadata, or newly titled '… (-YYYY)'."""
    gone = [Retired(kpi, older[kpi].title) for kpi in sorted(older.keys() - newer.keys())]
    marked = [Retired(kpi, newer[kpi].title) for kpi in sorted(older.keys() & newer.keys())
              if RETIRED_TITLE.search(newer[kpi].title)
              and not RETIRED_TITLE.search(older[kpi].title)]
    return gone + marked


def due(snapshot: Snapshot, today: date) -> list[Due]:
    """KPIs whose next publication date is after the snapshot's fetch and not after today."""
    fetched = snapshot.manifest.fetched.date()
    return [Due(k.id, k.title, k.publication_date) for k in snapshot.kpis
            if k.publication_date and fetched < date.fromisoformat(k.publication_date) <= today]


def goal_changes(older: Snapshot, newer: Snapshot, catalogue: Catalogue,
                 selection: Selection, tolerance: float = DEFAULT_TOLERANCE
                 ) -> list[GoalChange]:
    """The selected units' goals whose status or outlook differs between the snapshots,
    both evaluated with the same catalogue (comparisons play no part in a goal's status);
    the newer values within the tolerance of the older count as the older (noise)."""
    from strategihalsa.store.reader import StoreSource

    settled = _settled(older.values(), newer.values(), tolerance)
    before, after = (_judgements(source, catalogue, selection)
                     for source in (StoreSource(older), StoreSource(newer, settled)))
    return [GoalChange(*key, status=(before[key][0], now[0]), outlook=(before[key][1], now[1]))
            for key, now in after.items() if key in before and before[key] != now]


def _settled(older: pl.DataFrame, newer: pl.DataFrame, tolerance: float) -> pl.DataFrame:
    """The newer values, those within the tolerance of the older replaced by the older."""
    joined = newer.rename({"value": "after"}).join(
        older.select(*KEY, before="value"), on=KEY, how="left")
    value = pl.when(_close(tolerance)).then("before").otherwise("after")
    return joined.select(*KEY, value=value, status="status", count="count")


def _judgements(source: StoreSource, catalogue: Catalogue, selection: Selection
                ) -> dict[tuple[str, str, int | None, str], tuple[str, str]]:
    """(unit, title, goal, kpi) → (status, outlook) from one snapshot's values."""
    from strategihalsa.run import build_reports

    reports = build_reports(source, catalogue, selection, None,
                            Comparisons(similar_family=None))
    return {(r.unit.id, r.unit.title, result.indicator.goal, result.indicator.kpi):
            (str(result.figures.status), str(result.outlook))
            for r in reports for result in r.results}
