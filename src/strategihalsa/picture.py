"""The kommuner's picture in a region report: for a key figure Kolada publishes only for
kommuner, the län's kommuner as their own reports judge them, and their mean.

Each kommun's figures are its own evaluated row (`evaluate` ran it exactly as for its own
report). The mean obeys the same-period rule: it is taken over the kommuner with values in
the same baseline and follow-up year, the pair of years most kommuner share (only when no
kommun has both: the follow-up year most have; ties: the newest follow-up, then the earliest
baseline), so baseline and follow-up are means of the same kommuner, and it is judged by
`evaluate.judge`, the rules every unit is judged by, but only when at least half of the
län's kommuner are behind it (else its status is "no data": `KommunPicture.thin`). It is
weighted by population (Kolada's `POPULATION` in the same year) when the data hold it for
every kommun in the mean in both years, else unweighted; `weighting` says which.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any
from unicodedata import combining, normalize

import polars as pl

from strategihalsa.assemble import figures_of
from strategihalsa.evaluate import MAIN, judge
from strategihalsa.model import KommunFigures, KommunPicture
from strategihalsa.scope import POPULATION
from strategihalsa.units import Unit, known_or_id
from strategihalsa.vocabulary import TOTAL, Level, Status

KEYS = ["region", "indicator"]
SWEDISH_LAST = str.maketrans("åäö", "{|}")  # after z, in the Swedish alphabet's order
WEIGHTED, UNWEIGHTED = "population", "unweighted"
KOMMUN_ONLY = "K"  # Kolada's municipality_type of a key figure published only for kommuner
# every kommun in a mean has its population in each year it has a value in
WEIGHED = (pl.col("latest_weight").is_not_null()
           & (pl.col("baseline_value").is_null() | pl.col("baseline_weight").is_not_null())
           ).all()
MEAN_COLUMNS = ("baseline_flag", "latest_flag", "reason_code")  # none for a mean


def kommun_rows(results: pl.DataFrame, regions: Collection[str]) -> pl.DataFrame:
    """Every kommun's own total for the key figures published only for kommuner, in the
    län of these regions."""
    return results.filter(MAIN & (pl.col("report_kind") == Level.KOMMUN)
                          & (pl.col("kpi_type") == KOMMUN_ONLY)
                          & pl.col("region").is_in(list(regions)))


def mean_rows(kommuner: pl.DataFrame, observations: pl.DataFrame) -> pl.DataFrame:
    """Per (region, indicator): the mean of the kommuner with values in the pair of years
    most of them share (`averaged` of them), weighted by their population in each year where
    the `observations` hold it for all of them (`weighting`), judged like a unit."""
    pairs = kommuner.filter(pl.col("latest_value").is_not_null()).with_columns(
        pl.when(pl.col("baseline_value").is_not_null()).then(pl.col("baseline_year_used"))
        .alias("pair_baseline"))
    rows = pairs.join(_most_common_pair(pairs), on=[*KEYS, "pair_baseline", "latest_year"],
                      how="semi", nulls_equal=True)
    means = _weights(rows, observations).group_by(*KEYS, "direction", "target").agg(
        pl.col("pair_baseline").first().alias("baseline_year_used"),
        _mean("baseline", WEIGHED),
        pl.col("latest_year").first(),
        _mean("latest", WEIGHED),
        pl.len().alias("averaged"),
        pl.when(WEIGHED).then(pl.lit(WEIGHTED)).otherwise(pl.lit(UNWEIGHTED)).alias("weighting"),
    )
    return judge(means).with_columns(pl.lit(None).alias(c) for c in MEAN_COLUMNS)


def _most_common_pair(rows: pl.DataFrame) -> pl.DataFrame:
    """Per (region, indicator), the (baseline, follow-up) pair most kommuner have values in:
    a pair with a baseline before one without, then the most kommuner, the newest follow-up,
    the earliest baseline."""
    counted = rows.group_by(*KEYS, "pair_baseline", "latest_year").len().sort(
        pl.col("pair_baseline").is_null(), "len", "latest_year", "pair_baseline",
        descending=[False, True, True, False])
    return counted.group_by(KEYS, maintain_order=True).first()


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


def pictures(results: pl.DataFrame, observations: pl.DataFrame, lookup: Mapping[str, Unit],
             report_units: Sequence[Unit]) -> dict[tuple[str, str], KommunPicture]:
    """The picture of every (region id, indicator id) with kommun-only data, for the
    regions among the report units, from the evaluated rows: each kommun's figures as its
    own report has them."""
    kommuner = kommun_rows(results, [unit.id for unit in report_units if unit.is_region])
    if kommuner.is_empty():
        return {}
    members: dict[tuple[str, str], list[KommunFigures]] = {}
    for row in kommuner.iter_rows(named=True):
        members.setdefault((row["region"], row["indicator"]), []).append(
            KommunFigures(known_or_id(lookup, row["report_unit"]), figures_of(row)))
    means = {(row["region"], row["indicator"]): row
             for row in mean_rows(kommuner, observations).iter_rows(named=True)}
    return {key: _picture(sorted(units, key=lambda k: swedish_order(k.unit.title)),
                          means.get(key)) for key, units in members.items()}


def _picture(members: list[KommunFigures], mean: dict[str, Any] | None) -> KommunPicture:
    """The picture; a `thin` mean (too few kommuner behind it) without status or progress."""
    picture = KommunPicture(
        kommuner=tuple(members),
        mean=figures_of(mean) if mean else None,
        averaged=int(mean["averaged"]) if mean else 0,
        weighting=mean["weighting"] if mean else UNWEIGHTED,
    )
    if picture.thin and picture.mean:
        return replace(picture, mean=replace(picture.mean, status=Status.NOT_JUDGED,
                                             progress=None))
    return picture


def swedish_order(name: str) -> str:
    """A sort key in Swedish alphabetical order: å, ä, ö after z; é as e; case ignored."""
    folded = name.casefold().translate(SWEDISH_LAST)
    return "".join(c for c in normalize("NFD", folded) if not combining(c))
