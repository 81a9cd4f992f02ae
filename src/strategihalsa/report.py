"""The report model: what every renderer (table, JSON, CSV, Excel) receives.

`assemble` turns the long result frame of `evaluate` (and the yearly series behind it) into
one `UnitReport` per report unit, so every output format shows exactly the same numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from strategihalsa.catalogue import Catalogue, Indicator
from strategihalsa.evaluate import STATUSES
from strategihalsa.units import RIKET, Unit, Units

SCHEMA = "sfh.report/1"
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
class IndicatorResult:
    """One indicator in one report: the unit's figures, by gender, comparisons, series."""

    indicator: Indicator
    kpi_title: str | None
    kpi_description: str | None
    level: str
    data_unit: str
    figures: Figures
    by_gender: dict[str, Figures] = field(default_factory=dict)
    comparisons: dict[str, Figures] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)


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


@dataclass(frozen=True)
class ReportContext:
    """What every report of one run shares."""

    catalogue: Catalogue
    units: Units
    kpi_meta: dict[str, dict[str, Any]]
    baseline_year: int
    generated_at: str
    api_url: str


def assemble(results: pl.DataFrame, observations: pl.DataFrame, report_units: list[Unit],
             ctx: ReportContext) -> list[UnitReport]:
    """One UnitReport per report unit, indicators in catalogue order."""
    figures: dict[tuple[str, str], dict[tuple[str, str], tuple[Figures, dict]]] = defaultdict(dict)
    for row in results.iter_rows(named=True):
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
    comparisons = {"riket": RIKET, "region": unit.region_id}
    if unit.kind != "kommun":
        del comparisons["region"]
    results = tuple(
        _indicator_result(indicator, figures[(unit.id, indicator.id)], series, comparisons, ctx)
        for indicator in ctx.catalogue.indicators
    )
    return UnitReport(
        unit=unit,
        comparison_units=tuple(ctx.units.get(i) for i in comparisons.values()),
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
        by_gender={g: rows[("unit", g)][0] for g in ("K", "M") if ("unit", g) in rows},
        comparisons={uid: rows[(role, "T")][0] for role, uid in comparisons.items()},
        series={u: series.get((indicator.kpi, u), {}) for u in dict.fromkeys(units)},
    )


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
