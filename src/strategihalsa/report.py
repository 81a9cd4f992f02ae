"""The report model: what every renderer (table, JSON, CSV, Excel) receives.

`assemble` turns the long result frame of `evaluate` into one `UnitReport` per report unit,
so every output format shows exactly the same numbers.
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
    """One indicator in one report: the unit's figures, by gender, and comparisons."""

    indicator: Indicator
    kpi_title: str | None
    level: str
    figures: Figures
    by_gender: dict[str, Figures] = field(default_factory=dict)
    comparisons: dict[str, Figures] = field(default_factory=dict)


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
    catalogue: str

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
    kpi_titles: dict[str, str]
    baseline_year: int
    generated_at: str
    api_url: str


def assemble(results: pl.DataFrame, report_units: list[Unit], ctx: ReportContext
             ) -> list[UnitReport]:
    """One UnitReport per report unit, indicators in catalogue order."""
    figures: dict[tuple[str, str], dict[tuple[str, str], tuple[Figures, dict]]] = defaultdict(dict)
    for row in results.iter_rows(named=True):
        key = (row["report_unit"], row["indicator"])
        figures[key][(row["role"], row["gender"])] = (_figures(row), row)
    return [_unit_report(unit, figures, ctx) for unit in report_units]


def _unit_report(unit: Unit, figures: dict, ctx: ReportContext) -> UnitReport:
    comparison_ids = [RIKET] + ([unit.region_id] if unit.kind == "kommun" else [])
    results = tuple(
        _indicator_result(indicator, figures[(unit.id, indicator.id)], ctx, unit)
        for indicator in ctx.catalogue.indicators
    )
    return UnitReport(
        unit=unit,
        comparison_units=tuple(ctx.units.get(i) for i in comparison_ids),
        results=results,
        baseline_year=ctx.baseline_year,
        target_year=ctx.catalogue.target_year,
        generated_at=ctx.generated_at,
        api_url=ctx.api_url,
        catalogue=ctx.catalogue.source,
    )


def _indicator_result(indicator: Indicator, rows: dict, ctx: ReportContext, unit: Unit
                      ) -> IndicatorResult:
    main, main_row = rows[("unit", "T")]
    by_gender = {g: rows[("unit", g)][0] for g in ("K", "M") if ("unit", g) in rows}
    comparisons = {
        (RIKET if role == "riket" else unit.region_id): fig
        for (role, gender), (fig, _) in rows.items()
        if role in ("riket", "region") and gender == "T"
    }
    return IndicatorResult(
        indicator=indicator,
        kpi_title=ctx.kpi_titles.get(indicator.kpi),
        level=main_row["level"],
        figures=main,
        by_gender=by_gender,
        comparisons=comparisons,
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
