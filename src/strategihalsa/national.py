"""`sfh overview`: the national (or one län's) picture per indicator, as pure polars.

For every indicator: Riket's figures, how many kommuner met the goal, are improving, are not
improving or lack data, and the distribution of the change across kommuner (min, quartiles
with linear interpolation, max). Region-level key figures are counted over the distinct
regions instead (their kommuner share the region's value). Also a kommun × indicator status
matrix and, per indicator, the units ranked by improvement (largest first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from strategihalsa.assemble import figures_of
from strategihalsa.catalogue import Indicator
from strategihalsa.evaluate import MAIN, rank_by_improvement
from strategihalsa.kolada.records import Kpi
from strategihalsa.model import Figures, RunInfo
from strategihalsa.model_overview import IndicatorOverview, MatrixRow, Overview, RankingRow, Spread
from strategihalsa.units import Unit, known_or_id
from strategihalsa.vocabulary import LEVELS, STATUSES, TOTAL, Level, Role, Status

QUANTILES = {"min": 0.0, "q1": 0.25, "median": 0.5, "q3": 0.75, "max": 1.0}
NO_FIGURES = Figures(None, None, None, None, None, Status.NO_DATA, None)


def summarise(results: pl.DataFrame, lookup: Mapping[str, Unit], kpis: Mapping[str, Kpi],
              run: RunInfo, scope: str) -> Overview:
    """Summaries, matrix and rankings from the long result frame of `evaluate`."""
    own = results.filter(MAIN)
    distinct = own.unique(["indicator", "data_unit"], keep="first", maintain_order=True)
    catalogue = run.catalogue.indicators
    counts, spreads = _counts(distinct), _spreads(distinct)
    riket = {r["indicator"]: figures_of(r) for r in results.filter(
        (pl.col("role") == Role.RIKET) & (pl.col("gender") == TOTAL)
    ).unique("indicator").iter_rows(named=True)}
    levels = dict(own.group_by("indicator").agg(pl.col("level").first()).iter_rows())
    summaries = tuple(
        IndicatorOverview(
            indicator=i, kpi=kpis.get(i.kpi), level=Level(levels.get(i.id, Level.KOMMUN)),
            riket=riket.get(i.id, NO_FIGURES),
            counts=counts.get(i.id, dict.fromkeys(Status, 0)), change=spreads.get(i.id))
        for i in catalogue
    )
    return Overview(scope, run, summaries, _matrix(own, lookup, catalogue),
                    _ranking(distinct, lookup, catalogue))


def _counts(distinct: pl.DataFrame) -> dict[str, dict[Status, int]]:
    tallies = distinct.group_by("indicator", "status").len()
    out: dict[str, dict[Status, int]] = {}
    for indicator, status, n in tallies.iter_rows():
        out.setdefault(indicator, dict.fromkeys(Status, 0))[Status(status)] = n
    return out


def _spreads(distinct: pl.DataFrame) -> dict[str, Spread]:
    stats = distinct.drop_nulls("change").group_by("indicator").agg(
        *(pl.col("change").quantile(q, interpolation="linear").alias(name)
          for name, q in QUANTILES.items()), pl.len().alias("count"))
    return {row.pop("indicator"): Spread(**row) for row in stats.iter_rows(named=True)}


def _matrix(own: pl.DataFrame, lookup: Mapping[str, Unit], catalogue: Sequence[Indicator]
            ) -> tuple[MatrixRow, ...]:
    """One row per kommun, one status per indicator (catalogue order)."""
    wide = own.pivot(on="indicator", index="report_unit", values="status").sort("report_unit")
    ids = [i.id for i in catalogue]
    return tuple(MatrixRow(known_or_id(lookup, row[0]),
                           tuple(STATUSES[s or Status.NO_DATA] for s in row[1:]))
                 for row in wide.select("report_unit", *ids).iter_rows())


def _ranking(distinct: pl.DataFrame, lookup: Mapping[str, Unit],
             catalogue: Sequence[Indicator]) -> tuple[RankingRow, ...]:
    """Per indicator, units with data ranked by improvement (1 = largest)."""
    by_id = {i.id: i for i in catalogue}
    order = pl.DataFrame({"indicator": list(by_id), "order": list(range(len(by_id)))})
    ranked = (
        rank_by_improvement(distinct, ["indicator"])
        .join(order, on="indicator")
        .sort("order", "rank", "data_unit")
        .select("indicator", "rank", "data_unit", "level", "change", "improvement", "status")
    )
    return tuple(RankingRow(by_id[i], rank, known_or_id(lookup, unit), LEVELS[level], change,
                            improvement, STATUSES[status])
                 for i, rank, unit, level, change, improvement, status in ranked.iter_rows())
