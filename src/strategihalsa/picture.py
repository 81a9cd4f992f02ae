"""The kommuner's picture in a region report: for a key figure Kolada publishes only for
kommuner, the län's kommuner as their own reports judge them, and their mean.

Each kommun's figures are its own evaluated row (`evaluate` ran it exactly as for its own
report). The mean obeys the same-period rule: it is taken over the kommuner judged over the
same baseline and follow-up years (those most kommuner are judged over; ties: the newest
follow-up, the earliest baseline), so baseline and follow-up are means of the same kommuner,
and it is judged by `evaluate.judge`, the rules every unit is judged by. It is weighted by
population (Kolada's `POPULATION` in the same year) when the data hold it for every kommun
in the mean in both years, else unweighted; `weighting` says which.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import polars as pl

from strategihalsa.assemble import figures_of
from strategihalsa.evaluate import MAIN, judge
from strategihalsa.model import KommunFigures, KommunPicture
from strategihalsa.units import Unit, known_or_id
from strategihalsa.vocabulary import TOTAL, Level, Status

KEYS = ["region", "indicator"]
POPULATION = "N01951"  # Kolada's "Invånare totalt, antal" (31 December): a mean's weights
WEIGHTED, UNWEIGHTED = "population", "unweighted"
KOMMUN_ONLY = "K"  # Kolada's municipality_type of a key figure published only for kommuner
# every kommun in a mean has its population in each year it has a value in
WEIGHED = (pl.col("latest_weight").is_not_null()
           & (pl.col("baseline_value").is_null() | pl.col("baseline_weight").is_not_null())
           ).all()
MEAN_COLUMNS = ("baseline_flag", "latest_flag", "reason_code")  # none for a mean


def pictured_kommuner(kommuner: Sequence[Unit], report_units: Sequence[Unit]) -> list[Unit]:
    """The kommuner of the län of every region among the report units."""
    lans = {unit.lan for unit in report_units if unit.is_region}
    return [kommun for kommun in kommuner if kommun.lan in lans]


def kommun_rows(results: pl.DataFrame, regions: Collection[str]) -> pl.DataFrame:
    """Every kommun's own total for the key figures published only for kommuner, in the
    län of these regions."""
    return results.filter(MAIN & (pl.col("report_kind") == Level.KOMMUN)
                          & (pl.col("kpi_type") == KOMMUN_ONLY)
                          & pl.col("region").is_in(list(regions)))


def mean_rows(kommuner: pl.DataFrame, observations: pl.DataFrame) -> pl.DataFrame:
    """Per (region, indicator): the mean of the kommuner judged over the most common pair
    of years (`averaged` of them), weighted by their population in each year where the
    `observations` hold it for all of them (`weighting`), judged like a unit."""
    latest = _most_common(kommuner.filter(pl.col("latest_value").is_not_null()),
                          "latest_year", newest=True)
    rows = kommuner.join(latest, on=KEYS, how="inner").filter(
        pl.col("latest_year") == pl.col("common_latest_year"))
    judged = rows.filter(pl.col("status") != Status.NO_DATA)
    baseline = _most_common(judged, "baseline_year_used", newest=False)
    rows = rows.join(baseline, on=KEYS, how="left").filter(
        pl.col("common_baseline_year_used").is_null()
        | (pl.col("baseline_year_used") == pl.col("common_baseline_year_used")))
    rows = _weights(rows, observations)
    means = rows.group_by(*KEYS, "direction", "target").agg(
        pl.col("common_baseline_year_used").first().alias("baseline_year_used"),
        _mean("baseline", WEIGHED),
        pl.col("latest_year").first(),
        _mean("latest", WEIGHED),
        pl.len().alias("averaged"),
        pl.when(WEIGHED).then(pl.lit(WEIGHTED)).otherwise(pl.lit(UNWEIGHTED)).alias("weighting"),
    )
    return judge(means).with_columns(pl.lit(None).alias(c) for c in MEAN_COLUMNS)


def _weights(rows: pl.DataFrame, observations: pl.DataFrame) -> pl.DataFrame:
    """Each kommun's population in its baseline and follow-up year (`<point>_weight`)."""
    population = observations.filter((pl.col("kpi") == POPULATION) & (pl.col("gender") == TOTAL)
                                     & pl.col("value").is_not_null())
    for point, year in (("baseline", "baseline_year_used"), ("latest", "latest_year")):
        rows = rows.join(population.select(pl.col("unit").alias("report_unit"),
                                           pl.col("year").alias(year),
                                           pl.col("value").alias(f"{point}_weight")),
                         on=["report_unit", year], how="left")
    return rows


def _mean(point: str, weighed: pl.Expr) -> pl.Expr:
    """The mean of `<point>_value`: weighted by `<point>_weight` when `weighed`; null
    without values (never 0/0)."""
    value, weight = pl.col(f"{point}_value"), pl.col(f"{point}_weight")
    weighted = (value * weight).sum() / weight.filter(value.is_not_null()).sum()
    return (pl.when(value.count() == 0).then(None).when(weighed).then(weighted)
            .otherwise(value.mean()).alias(f"{point}_value"))


def _most_common(rows: pl.DataFrame, column: str, newest: bool) -> pl.DataFrame:
    """Per (region, indicator), the value of `column` most rows have (`common_<column>`)."""
    counted = rows.group_by(*KEYS, column).len().sort(
        "len", column, descending=[True, newest])
    return counted.group_by(KEYS, maintain_order=True).first().select(
        *KEYS, pl.col(column).alias(f"common_{column}"))


def pictures(results: pl.DataFrame, observations: pl.DataFrame, lookup: Mapping[str, Unit],
             report_units: Sequence[Unit]) -> dict[tuple[str, str], KommunPicture]:
    """The picture of every (region id, indicator id) with kommun-only data, for the
    regions among the report units, from the evaluated rows: each kommun's figures as its
    own report has them."""
    kommuner = kommun_rows(results, [unit.id for unit in report_units if unit.is_region])
    if kommuner.is_empty():
        return {}
    members: dict[tuple[str, str], list[KommunFigures]] = {}
    for row in kommuner.sort("report_unit").iter_rows(named=True):
        members.setdefault((row["region"], row["indicator"]), []).append(
            KommunFigures(known_or_id(lookup, row["report_unit"]), figures_of(row)))
    means = {(row["region"], row["indicator"]): row
             for row in mean_rows(kommuner, observations).iter_rows(named=True)}
    return {key: _picture(units, means.get(key)) for key, units in members.items()}


def _picture(members: list[KommunFigures], mean: dict[str, Any] | None) -> KommunPicture:
    return KommunPicture(
        kommuner=tuple(members),
        mean=figures_of(mean) if mean else None,
        averaged=int(mean["averaged"]) if mean else 0,
        weighting=mean["weighting"] if mean else UNWEIGHTED,
    )
