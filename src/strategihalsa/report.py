"""The report model: what every renderer (table, JSON, CSV, Excel) receives.

`assemble` turns the long result frame of `evaluate` (and the yearly series behind it) into
one `UnitReport` per report unit, so every output format shows exactly the same numbers.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from strategihalsa.catalogue import Catalogue, Indicator
from strategihalsa.evaluate import STATUSES
from strategihalsa.units import RIKET, Unit, Units

SCHEMA = "sfh.report/1"
WOMEN = re.compile(r"\(kvinnor\)\s*$")
MEN = re.compile(r"\(män\)\s*$")
Series = dict[int, float]


@dataclass(frozen=True)
class Point:
    """A value in a year."""

    year: int
    value: float


@dataclass(frozen=True)
class Figures:
    """Baseline, follow-up and judgement for one unit (or gender) and indicator."""

    baseline: Point | None
    latest: Point | None
    change: float | None
    improvement: float | None
    progress: float | None
    status: str
    reason: str | None


@dataclass(frozen=True)
class Projection:
    """The linear trend since the baseline and when the target is reached at that pace."""

    slope_per_year: float
    reaches_target_year: int | None
    points: int


@dataclass(frozen=True)
class Rank:
    """Position by improvement among all units of the same kind (1 = most improved)."""

    position: int
    of: int


@dataclass(frozen=True)
class Gap:
    """A difference women − men at baseline and follow-up, and whether it narrowed."""

    baseline: float | None
    latest: float | None

    @property
    def change(self) -> float | None:
        """latest − baseline."""
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline

    @property
    def narrowed(self) -> bool | None:
        """Whether the gap is smaller (in absolute terms) than at baseline."""
        if self.baseline is None or self.latest is None:
            return None
        return abs(self.latest) < abs(self.baseline)

    @property
    def status(self) -> str:
        """met when the gap narrowed, not_improving when it did not, else no_data."""
        return {True: "met", False: "not_improving", None: "no_data"}[self.narrowed]


def gap_between(women: Figures | None, men: Figures | None) -> Gap:
    """Women − men at baseline and at follow-up."""
    def difference(point: str) -> float | None:
        w = getattr(women, point) if women else None
        m = getattr(men, point) if men else None
        return w.value - m.value if w and m else None

    return Gap(difference("baseline"), difference("latest"))


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator in one report: the unit's figures, by gender, comparisons, series."""

    indicator: Indicator
    kpi_title: str | None
    kpi_description: str | None
    level: str
    data_unit: str
    figures: Figures
    projection: Projection | None = None
    rank: Rank | None = None
    by_gender: dict[str, Figures] = field(default_factory=dict)
    comparisons: dict[str, Figures] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)

    @property
    def gender_gap(self) -> Gap | None:
        """Women − men for key figures divided by gender."""
        if not self.by_gender:
            return None
        return gap_between(self.by_gender.get("K"), self.by_gender.get("M"))


@dataclass(frozen=True)
class GoalGap:
    """A goal followed by separate key figures for women and men (life expectancy): the gap
    between them is the goal's second half."""

    goal: int
    women: IndicatorResult
    men: IndicatorResult

    @property
    def gap(self) -> Gap:
        return gap_between(self.women.figures, self.men.figures)


@dataclass(frozen=True)
class UnitReport:
    """A whole report for one kommun or region."""

    unit: Unit
    comparison_units: tuple[Unit, ...]
    results: tuple[IndicatorResult, ...]
    baseline_year: int
    target_year: int
    generated_at: str
    api_url: str
    catalogue: Catalogue

    @property
    def summary(self) -> dict[str, int]:
        """How many indicators have each status."""
        counts = Counter(r.figures.status for r in self.results)
        return {status: counts.get(status, 0) for status in STATUSES}

    @property
    def goal_gaps(self) -> list[GoalGap]:
        """Goals with one indicator for women and one for men, e.g. life expectancy."""
        found = []
        for goal in dict.fromkeys(r.indicator.goal for r in self.results):
            pair = [r for r in self.results if r.indicator.goal == goal]
            women = [r for r in pair if WOMEN.search(r.indicator.title)]
            men = [r for r in pair if MEN.search(r.indicator.title)]
            if len(women) == 1 and len(men) == 1:
                found.append(GoalGap(goal, women[0], men[0]))
        return found


@dataclass(frozen=True)
class ReportContext:
    """What every report of one run shares."""

    catalogue: Catalogue
    units: Units
    similar: dict[str, Unit]
    kpi_meta: dict[str, dict[str, Any]]
    baseline_year: int
    generated_at: str
    api_url: str


def assemble(results: pl.DataFrame, observations: pl.DataFrame, report_units: list[Unit],
             ctx: ReportContext) -> list[UnitReport]:
    """One UnitReport per report unit, indicators in catalogue order. Results of units that
    were evaluated only to rank the report units are not assembled."""
    wanted = results.filter(pl.col("report_unit").is_in([u.id for u in report_units]))
    figures: dict[tuple[str, str], dict[tuple[str, str], tuple[Figures, dict]]] = defaultdict(dict)
    for row in wanted.iter_rows(named=True):
        key = (row["report_unit"], row["indicator"])
        figures[key][(row["role"], row["gender"])] = (_figures(row), row)
    series = yearly_series(observations)
    return [_unit_report(unit, figures, series, ctx) for unit in report_units]


def yearly_series(observations: pl.DataFrame) -> dict[tuple[str, str], Series]:
    """Total (gender T) values by year for every (kpi, unit)."""
    totals = observations.filter((pl.col("gender") == "T") & pl.col("value").is_not_null())
    grouped = totals.sort("year").group_by("kpi", "unit").agg("year", "value")
    return {(kpi, unit): dict(zip(years, values, strict=True))
            for kpi, unit, years, values in grouped.iter_rows()}


def _unit_report(unit: Unit, figures: dict, series: dict, ctx: ReportContext) -> UnitReport:
    compared = {"riket": ctx.units.get(RIKET)}
    if unit.kind == "kommun":
        compared["region"] = ctx.units.get(unit.region_id)
    if unit.id in ctx.similar:
        compared["similar"] = ctx.similar[unit.id]
    roles = {role: other.id for role, other in compared.items()}
    results = tuple(
        _indicator_result(indicator, figures[(unit.id, indicator.id)], series, roles, ctx)
        for indicator in ctx.catalogue.indicators
    )
    return UnitReport(
        unit=unit,
        comparison_units=tuple(compared.values()),
        results=results,
        baseline_year=ctx.baseline_year,
        target_year=ctx.catalogue.target_year,
        generated_at=ctx.generated_at,
        api_url=ctx.api_url,
        catalogue=ctx.catalogue,
    )


def _indicator_result(indicator: Indicator, rows: dict, series: dict,
                      comparisons: dict[str, str], ctx: ReportContext) -> IndicatorResult:
    main, main_row = rows[("unit", "T")]
    meta = ctx.kpi_meta.get(indicator.kpi, {})
    units = [main_row["data_unit"], *comparisons.values()]
    return IndicatorResult(
        indicator=indicator,
        kpi_title=meta.get("title"),
        kpi_description=meta.get("description"),
        level=main_row["level"],
        data_unit=main_row["data_unit"],
        figures=main,
        projection=_projection(main_row),
        rank=Rank(main_row["rank"], main_row["ranked"]) if main_row["rank"] else None,
        by_gender={g: rows[("unit", g)][0] for g in ("K", "M") if ("unit", g) in rows},
        comparisons={uid: rows[(role, "T")][0] for role, uid in comparisons.items()},
        series={u: series.get((indicator.kpi, u), {}) for u in dict.fromkeys(units)},
    )


def _projection(row: dict[str, Any]) -> Projection | None:
    if row["slope_per_year"] is None:
        return None
    return Projection(row["slope_per_year"], row["reaches_target_year"], row["points"])


def _point(year: int | None, value: float | None) -> Point | None:
    return Point(int(year), float(value)) if year is not None and value is not None else None


def _figures(row: dict[str, Any]) -> Figures:
    return Figures(
        baseline=_point(row["baseline_year_used"], row["baseline_value"]),
        latest=_point(row["latest_year"], row["latest_value"]),
        change=row["change"],
        improvement=row["improvement"],
        progress=row["progress"],
        status=row["status"],
        reason=row["reason"],
    )
