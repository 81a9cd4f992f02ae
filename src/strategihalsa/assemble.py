"""From the evaluated frame to the report model: one `UnitReport` per report unit.

Each comparison's role and unit come from the evaluated rows themselves (the plan decided
them once); "region level" is read from the unit's own row. Every output format then shows
exactly the same numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

import polars as pl

from strategihalsa.catalogue import Indicator
from strategihalsa.evaluate import CERTAIN_POINTS
from strategihalsa.kolada.records import Kpi
from strategihalsa.model import (
    Compared,
    Comparison,
    Coverage,
    Figures,
    IndicatorResult,
    KommunPicture,
    Point,
    Projection,
    Rank,
    Reason,
    RunInfo,
    Series,
    UnitReport,
)
from strategihalsa.units import Unit, known_or_id
from strategihalsa.vocabulary import (
    GENDERS,
    LEVELS,
    ROLES,
    STATUSES,
    TOTAL,
    Level,
    Outlook,
    ReasonCode,
    Role,
)

Rows = dict[tuple[Role, str], dict[str, Any]]
SeriesKey = tuple[str, str, str]  # (kpi, unit, gender)
Pictures = Mapping[tuple[str, str], KommunPicture]
# what `figures_of` reads of a row (and the indicator): rows alike in these have equal figures
FIGURE_FIELDS = ("indicator", "baseline_year_used", "baseline_value", "baseline_flag",
                 "latest_year", "latest_value", "latest_flag", "change", "improvement",
                 "progress", "status", "target_level", "reason_code", "wanted_baseline",
                 "unit_baseline_year", "unit_latest_year", "follow_up_year", "kpi",
                 "missing_status", "missing_year")
FIGURES = "figures"  # the key of a row's figures once assembled
# every column assembling reads (of a row taken apart into Python values: a quarter fewer)
ASSEMBLED = (*FIGURE_FIELDS, "report_unit", "role", "gender", "data_unit", "level", "outlook",
             "rank", "ranked", "latest_count", "points", "slope_per_year",
             "reaches_target_year")


def assemble(results: pl.DataFrame, observations: pl.DataFrame, report_units: Sequence[Unit],
             lookup: Mapping[str, Unit], kpis: Mapping[str, Kpi], run: RunInfo,
             pictures: Pictures | None = None) -> list[UnitReport]:
    """One UnitReport per report unit, indicators in catalogue order. Results of units that
    were evaluated only to rank the report units (or to picture a region's kommuner) are not
    assembled; a region's indicators carry its kommuner's picture (`pictures`, by region
    and indicator id) where there is one."""
    wanted = results.filter(pl.col("report_unit").is_in([u.id for u in report_units])
                            ).select(ASSEMBLED)
    rows: dict[tuple[str, str], Rows] = defaultdict(dict)
    figures = shared_figures()
    for row in wanted.iter_rows(named=True):
        row[FIGURES] = figures(row)
        rows[(row["report_unit"], row["indicator"])][(ROLES[row["role"]], row["gender"])] = row
    series = yearly_series(observations)
    return [_unit_report(unit, rows, series, lookup, kpis, run, pictures or {})
            for unit in report_units]


def yearly_series(observations: pl.DataFrame) -> dict[SeriesKey, Series]:
    """Values by year for every (kpi, unit, gender)."""
    known = observations.filter(pl.col("value").is_not_null())
    grouped = known.sort("year").group_by("kpi", "unit", "gender").agg("year", "value")
    return {(kpi, unit, gender): dict(zip(years, values, strict=True))
            for kpi, unit, gender, years, values in grouped.iter_rows()}


def _unit_report(unit: Unit, rows: dict[tuple[str, str], Rows], series: dict[SeriesKey, Series],
                 lookup: Mapping[str, Unit], kpis: Mapping[str, Kpi], run: RunInfo,
                 pictures: Pictures) -> UnitReport:
    indicators = run.catalogue.indicators
    compared = _compared(rows[(unit.id, indicators[0].id)], lookup) if indicators else ()
    results = tuple(
        _indicator_result(unit, indicator, rows[(unit.id, indicator.id)], series, compared,
                          kpis.get(indicator.kpi), pictures.get((unit.id, indicator.id)))
        for indicator in indicators
    )
    return UnitReport(unit=unit, compared=compared, results=results, run=run)


def _compared(rows: Rows, lookup: Mapping[str, Unit]) -> tuple[Compared, ...]:
    """The comparison units of a report, in role order, from one indicator's rows."""
    found = {role: row["data_unit"] for (role, gender), row in rows.items()
             if role is not Role.UNIT and gender == TOTAL}
    return tuple(Compared(role, known_or_id(lookup, found[role]))
                 for role in Role if role in found)


def _indicator_result(unit: Unit, indicator: Indicator, rows: Rows, series: dict[SeriesKey, Series],
                      compared: Sequence[Compared], kpi: Kpi | None,
                      picture: KommunPicture | None) -> IndicatorResult:
    main = rows[(Role.UNIT, TOTAL)]
    level = LEVELS[main["level"]]
    data_units = {Role.UNIT: main["data_unit"], **{c.role: c.unit.id for c in compared}}
    return IndicatorResult(
        indicator=indicator,
        kpi=kpi,
        level=level,
        region_level=level is Level.REGION and unit.kind == Level.KOMMUN,
        data_unit=main["data_unit"],
        figures=main[FIGURES],
        outlook=Outlook(main["outlook"]),
        projection=_projection(main),
        rank=Rank(main["rank"], main["ranked"]) if main["rank"] else None,
        by_gender={g: rows[(Role.UNIT, g)][FIGURES] for g in GENDERS
                   if (Role.UNIT, g) in rows},
        comparisons=tuple(_comparison(c, rows[(c.role, TOTAL)]) for c in compared),
        series={role: series.get((indicator.kpi, uid, TOTAL), {}) for role, uid
                in data_units.items()},
        gender_series={g: series[(indicator.kpi, main["data_unit"], g)] for g in GENDERS
                       if (Role.UNIT, g) in rows and (indicator.kpi, main["data_unit"], g)
                       in series},
        picture=picture if unit.is_region else None,
    )


def _comparison(compared: Compared, row: dict[str, Any]) -> Comparison:
    coverage = None
    if compared.role is Role.SIMILAR and row["latest_count"] is not None:
        coverage = Coverage(int(row["latest_count"]), compared.unit.members)
    return Comparison(compared.role, compared.unit, row[FIGURES], coverage, _years(row))


def _years(row: dict[str, Any]) -> tuple[int, int] | None:
    """The unit's baseline and follow-up years, else the comparator's own (when both)."""
    for years in ((row["unit_baseline_year"], row["unit_latest_year"]),
                  (row["baseline_year_used"], row["latest_year"])):
        if None not in years:
            return int(years[0]), int(years[1])
    return None


def _projection(row: dict[str, Any]) -> Projection | None:
    if row["slope_per_year"] is None:
        return None
    return Projection(row["slope_per_year"], row["reaches_target_year"], row["points"],
                      row["points"] < CERTAIN_POINTS)


def _point(year: int | None, value: float | None) -> Point | None:
    return Point(int(year), float(value)) if year is not None and value is not None else None


def shared_figures() -> Callable[[dict[str, Any]], Figures]:
    """`figures_of`, made once for rows alike in `FIGURE_FIELDS`: a comparator's figures
    recur in the report of every unit judged over the same years (of 38,703 rows of all
    units, 14,297 differ)."""
    made: dict[tuple[Any, ...], Figures] = {}
    key_of = itemgetter(*FIGURE_FIELDS)

    def figures(row: dict[str, Any]) -> Figures:
        key = key_of(row)
        found = made.get(key)
        if found is None:
            found = made[key] = figures_of(row)
        return found

    return figures


def figures_of(row: dict[str, Any]) -> Figures:
    """The figures of one evaluated row."""
    flags = (row["baseline_flag"], row["latest_flag"])
    return Figures(
        baseline=_point(row["baseline_year_used"], row["baseline_value"]),
        latest=_point(row["latest_year"], row["latest_value"]),
        change=row["change"],
        improvement=row["improvement"],
        progress=row["progress"],
        status=STATUSES[row["status"]],
        reason=_reason(row),
        target_level=row["target_level"],
        flags=tuple(dict.fromkeys(f for f in flags if f)),
    )


def _reason(row: dict[str, Any]) -> Reason | None:
    """The reason code of a row and what it refers to."""
    if row["reason_code"] is None:
        return None
    aligned = row["reason_code"] == ReasonCode.NOT_IN_UNIT_YEARS
    return Reason(
        ReasonCode(row["reason_code"]), wanted=row["wanted_baseline"],
        used=row["unit_baseline_year" if aligned else "baseline_year_used"],
        latest=row["unit_latest_year" if aligned else "latest_year"],
        until=row["follow_up_year"], kpi=row["kpi"], kolada=row["missing_status"],
        kolada_year=row["missing_year"] if row["missing_status"] else None,
        missing=tuple(row[f"unit_{point}_year"] for point in ("baseline", "latest")
                      if aligned and row[f"{point}_value"] is None),
    )
