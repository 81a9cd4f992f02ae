"""`sfh overview`: the national (or one län's) picture per indicator, as pure polars.

For every indicator: Riket's status, how many kommuner met the goal, are improving, are not
improving or lack data, and the distribution of the change across kommuner (min, quartiles
with linear interpolation, max). Region-level key figures are counted over the distinct
regions instead (their kommuner share the region's value). Also a kommun × indicator status
matrix and, per indicator, the units ranked by improvement (largest first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from strategihalsa.catalogue import Indicator
from strategihalsa.evaluate import STATUSES
from strategihalsa.report import ReportContext

OVERVIEW_SCHEMA = "sfh.overview/1"
QUANTILES = {"min": 0.0, "q1": 0.25, "median": 0.5, "q3": 0.75, "max": 1.0}


@dataclass(frozen=True)
class IndicatorOverview:
    """One indicator across all kommuner (or regions, for region-level key figures)."""

    indicator: Indicator
    kpi_title: str | None
    level: str
    riket: dict[str, Any]
    counts: dict[str, int]
    change: dict[str, float] | None


@dataclass(frozen=True)
class Overview:
    """The whole overview: per-indicator summaries, the status matrix and the rankings."""

    scope: str
    context: ReportContext
    indicators: tuple[IndicatorOverview, ...]
    matrix: pl.DataFrame
    ranking: pl.DataFrame

    @property
    def unit_count(self) -> int:
        """How many kommuner the overview covers."""
        return self.matrix.height


def summarise(results: pl.DataFrame, context: ReportContext, scope: str) -> Overview:
    """Summaries, matrix and rankings from the long result frame of `evaluate`."""
    own = results.filter((pl.col("role") == "unit") & (pl.col("gender") == "T"))
    distinct = own.unique(["indicator", "data_unit"], keep="first", maintain_order=True)
    titles = pl.DataFrame([{"data_unit": u.id, "title": u.title} for u in context.units.all],
                          schema={"data_unit": pl.String, "title": pl.String})
    catalogue = context.catalogue.indicators
    counts = _counts(distinct)
    spreads = _spreads(distinct)
    riket = {r["indicator"]: r for r in results.filter(
        (pl.col("role") == "riket") & (pl.col("gender") == "T")
    ).unique("indicator").iter_rows(named=True)}
    levels = dict(own.group_by("indicator").agg(pl.col("level").first()).iter_rows())
    summaries = tuple(
        IndicatorOverview(
            indicator=i,
            kpi_title=context.kpi_meta.get(i.kpi, {}).get("title"),
            level=levels.get(i.id, "kommun"),
            riket=_riket(riket.get(i.id)),
            counts=counts.get(i.id, dict.fromkeys(STATUSES, 0)),
            change=spreads.get(i.id),
        )
        for i in catalogue
    )
    return Overview(scope, context, summaries, _matrix(own, titles, catalogue),
                    _ranking(distinct, titles, catalogue))


def _counts(distinct: pl.DataFrame) -> dict[str, dict[str, int]]:
    tallies = distinct.group_by("indicator", "status").len()
    out: dict[str, dict[str, int]] = {}
    for indicator, status, n in tallies.iter_rows():
        out.setdefault(indicator, dict.fromkeys(STATUSES, 0))[status] = n
    return out


def _spreads(distinct: pl.DataFrame) -> dict[str, dict[str, float]]:
    stats = distinct.drop_nulls("change").group_by("indicator").agg(
        pl.col("change").quantile(q, interpolation="linear").alias(name)
        for name, q in QUANTILES.items()
    )
    return {row.pop("indicator"): row for row in stats.iter_rows(named=True)}


def _riket(row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {"status": "no_data", "baseline": None, "latest": None, "change": None}
    def point(year: str, value: str) -> dict[str, Any] | None:
        return {"year": row[year], "value": row[value]} if row[value] is not None else None
    return {"status": row["status"],
            "baseline": point("baseline_year_used", "baseline_value"),
            "latest": point("latest_year", "latest_value"), "change": row["change"]}


def _matrix(own: pl.DataFrame, titles: pl.DataFrame, catalogue) -> pl.DataFrame:
    """One row per kommun, one status column per indicator (catalogue order)."""
    wide = own.pivot(on="indicator", index="report_unit", values="status")
    ids = [i.id for i in catalogue]
    return (wide.join(titles, left_on="report_unit", right_on="data_unit", how="left")
            .select(pl.col("report_unit").alias("id"), "title", *ids).sort("id"))


def _ranking(distinct: pl.DataFrame, titles: pl.DataFrame, catalogue) -> pl.DataFrame:
    """Per indicator, units with data ranked by improvement (1 = largest)."""
    order = pl.DataFrame({"indicator": [i.id for i in catalogue],
                          "order": list(range(len(catalogue)))})
    return (
        distinct.drop_nulls("improvement")
        .join(titles, on="data_unit", how="left")
        .join(order, on="indicator")
        .with_columns(pl.col("improvement").rank("min", descending=True).over("indicator")
                      .alias("rank"))
        .sort("order", "rank", "data_unit")
        .select("indicator", "kpi", "rank", pl.col("data_unit").alias("id"), "title",
                "level", "change", "improvement", "status")
    )
