"""Goal fulfilment, as pure polars functions (no I/O).

`plan` lays out what to evaluate: every report unit × indicator × role (the unit itself,
Riket, the region) × gender, with the Kolada unit whose values answer it. `evaluate` joins
that plan with the observations and applies the rules of Strategi för hälsa:

- baseline: the value in the baseline year, else the first later year with a value, never
  the follow-up year itself;
- follow-up: the latest value (at or before the requested year);
- change = follow-up − baseline; improvement = change, negated for "decrease" goals;
- status: met (improvement ≥ target; for target 0 any improvement), improving, not_improving;
  without a change not_judged where there is a value (e.g. only the baseline year: goals
  10–12 start in 2022, the target year) and no_data where there is none, both with a reason
  code; progress = improvement / target (none for target 0);
- Riket, the region and the similar kommuner are judged over the unit's own baseline and
  follow-up years, and have no data where they lack a value in either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from strategihalsa.catalogue import Catalogue
from strategihalsa.kolada.records import Kpi
from strategihalsa.units import RIKET, Unit
from strategihalsa.vocabulary import ALL_GENDERS, TOTAL, Level, Outlook, ReasonCode, Role, Status

TOLERANCE = 1e-9
HORIZON_YEARS = 100  # a target further away than this is "not reached at this pace"
MIN_POINTS = 3  # yearly values needed for a trend
CERTAIN_POINTS = 5  # fewer yearly values than this: the projection is uncertain
PLAN_KEYS = ["kpi", "data_unit", "gender"]
SIGN = pl.when(pl.col("direction") == "decrease").then(-1.0).otherwise(1.0)
MAIN = (pl.col("role") == Role.UNIT) & (pl.col("gender") == TOTAL)
ALIGNED = (pl.col("role") != Role.UNIT) & pl.col("unit_latest_year").is_not_null()
# the data are a region's: the unit's own at region level (level comes from Unit.kind), or
# the region compared with a kommun
DATA_IS_REGION = ((pl.col("role") == Role.REGION)
                  | ((pl.col("role") == Role.UNIT) & (pl.col("level") == Level.REGION)))
FOUND = ("value", "status", "count")  # what a comparator's value in the unit's year brings
POINTS = {"baseline": ("baseline_year_used", "baseline_value", "baseline_flag", None),
          "latest": ("latest_year", "latest_value", "latest_flag", "latest_count")}


def indicator_frame(catalogue: Catalogue, kpis: Sequence[Kpi]) -> pl.DataFrame:
    """The catalogue joined with Kolada's KPI metadata (absent KPIs have kpi_type null)."""
    meta = pl.DataFrame(
        [{"kpi": k.id, "kpi_type": k.municipality_type or None,
          "divided": k.is_divided_by_gender} for k in kpis],
        schema={"kpi": pl.String, "kpi_type": pl.String, "divided": pl.Boolean},
    ).unique("kpi")
    rows = [
        {"indicator": i.id, "order": n, "kpi": i.kpi, "direction": i.direction,
         "target": i.target, "baseline_year": i.baseline_year,
         "target_year": catalogue.target_year}
        for n, i in enumerate(catalogue.indicators)
    ]
    return pl.DataFrame(rows).join(meta, on="kpi", how="left").with_columns(
        pl.col("divided").fill_null(False)
    )


def plan(indicators: pl.DataFrame, units: Sequence[Unit],
         similar: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Every (report unit, indicator, role, gender) to evaluate, and where its data lives.

    Roles: the unit itself, Riket, the region (for kommuner) and, where `similar` maps a
    unit to a Kolada group id, the mean of the similar kommuner or regions.
    """
    similar = similar or {}
    report_units = pl.DataFrame(
        [{"report_unit": u.id, "report_kind": u.kind, "region": u.region_id,
          "similar": similar.get(u.id)} for u in units],
        schema={"report_unit": pl.String, "report_kind": pl.String, "region": pl.String,
                "similar": pl.String},
    )
    grid = report_units.join(indicators, how="cross").with_columns(
        pl.when((pl.col("report_kind") == Level.KOMMUN)
                & (pl.col("kpi_type").fill_null("A") != "L"))
        .then(pl.lit(Level.KOMMUN.value)).otherwise(pl.lit(Level.REGION.value)).alias("level")
    )
    own = grid.with_columns(
        pl.lit(Role.UNIT.value).alias("role"),
        pl.when(pl.col("level") == Level.KOMMUN).then("report_unit").otherwise("region")
        .alias("data_unit"),
    )
    riket = grid.with_columns(pl.lit(Role.RIKET.value).alias("role"),
                              pl.lit(RIKET).alias("data_unit"))
    region = grid.filter(pl.col("report_kind") == Level.KOMMUN).with_columns(
        pl.lit(Role.REGION.value).alias("role"), pl.col("region").alias("data_unit")
    )
    group = grid.filter(pl.col("similar").is_not_null()).with_columns(
        pl.lit(Role.SIMILAR.value).alias("role"), pl.col("similar").alias("data_unit")
    )
    genders = pl.DataFrame({"gender": list(ALL_GENDERS)})
    frames = pl.concat([own, riket, region, group]).join(genders, how="cross")
    keep = (pl.col("gender") == TOTAL) | ((pl.col("role") == Role.UNIT) & pl.col("divided"))
    return frames.filter(keep).sort("report_unit", "order", "role", "gender")


def evaluate(
    planned: pl.DataFrame,
    observations: pl.DataFrame,
    *,
    follow_up_year: int | None = None,
    baseline_year: int | None = None,
    rank: bool = False,
    over_unit_years: bool = True,
) -> pl.DataFrame:
    """Baseline, latest value, change, improvement, progress, status, reason code, the
    trend (slope per year, projected year the target is reached) and, with `rank`, each
    unit's rank by improvement among the report units of its kind. With `over_unit_years`
    the comparisons are judged over each unit's own years, else over their own."""
    known = observations.select(
        "kpi", pl.col("unit").alias("data_unit"), "gender", "year", "value", "status", "count"
    )
    if follow_up_year is not None:
        known = known.filter(pl.col("year") <= follow_up_year)
    values = known.filter(pl.col("value").is_not_null())
    rows = planned.with_columns(
        (pl.lit(baseline_year) if baseline_year else pl.col("baseline_year"))
        .cast(pl.Int32).alias("wanted_baseline"),
        pl.lit(follow_up_year, pl.Int32).alias("follow_up_year"),
    )
    rows = rows.join(_latest(values), on=PLAN_KEYS, how="left")
    rows = rows.join(_baselines(rows, values), on=[*PLAN_KEYS, "wanted_baseline", "latest_year"],
                     how="left")
    rows = _over_unit_years(rows, values, over_unit_years)
    rows = _why_missing(_judge(rows), _withheld(known))
    rows = _outlook(_project(rows, values))
    return _rank(rows) if rank else rows.with_columns(
        pl.lit(None, pl.UInt32).alias("rank"), pl.lit(None, pl.UInt32).alias("ranked"))


def _latest(values: pl.DataFrame) -> pl.DataFrame:
    return values.group_by(PLAN_KEYS).agg(
        pl.col("year").max().alias("latest_year"),
        pl.col("value").sort_by("year").last().alias("latest_value"),
        pl.col("status").sort_by("year").last().alias("latest_flag"),
        pl.col("count").sort_by("year").last().alias("latest_count"),
    )


def _baselines(rows: pl.DataFrame, values: pl.DataFrame) -> pl.DataFrame:
    """First value from the wanted baseline year on, strictly before the follow-up year."""
    wanted = rows.select(*PLAN_KEYS, "wanted_baseline", "latest_year").unique().drop_nulls()
    return (
        wanted.join(values, on=PLAN_KEYS)
        .filter(pl.col("year").is_between("wanted_baseline", pl.col("latest_year") - 1))
        .group_by(*PLAN_KEYS, "wanted_baseline", "latest_year")
        .agg(
            pl.col("year").min().alias("baseline_year_used"),
            pl.col("value").sort_by("year").first().alias("baseline_value"),
            pl.col("status").sort_by("year").first().alias("baseline_flag"),
        )
    )


def _over_unit_years(rows: pl.DataFrame, values: pl.DataFrame, enabled: bool) -> pl.DataFrame:
    """Riket, the region and the similar kommuner over the unit's own baseline and follow-up
    years (`unit_baseline_year`, `unit_latest_year`): their values in exactly those years,
    missing where they have none. Where the unit has no such years (or not `enabled`),
    their own."""
    judged = MAIN & pl.col("baseline_value").is_not_null() & pl.lit(enabled)
    span = rows.filter(judged).select(
        "report_unit", "indicator", pl.col("baseline_year_used").alias("unit_baseline_year"),
        pl.col("latest_year").alias("unit_latest_year"))
    rows = rows.join(span, on=["report_unit", "indicator"], how="left")
    for point in POINTS:
        rows = _at_unit_year(rows, values, point)
    return rows


def _at_unit_year(rows: pl.DataFrame, values: pl.DataFrame, point: str) -> pl.DataFrame:
    """A comparator's year, value, flag (and count) of `point` taken in the unit's year."""
    unit_year = f"unit_{point}_year"
    found = values.select(*PLAN_KEYS, pl.col("year").alias(unit_year),
                          *(pl.col(source).alias(f"found_{source}") for source in FOUND))
    taken = {name: pl.col(f"found_{source}") for source, name in
             zip(FOUND, POINTS[point][1:], strict=True) if name}
    taken[POINTS[point][0]] = pl.when(pl.col("found_value").is_not_null()).then(unit_year)
    rows = rows.join(found, on=[*PLAN_KEYS, unit_year], how="left")
    return rows.with_columns(
        pl.when(ALIGNED).then(expr).otherwise(pl.col(name)).cast(rows.schema[name]).alias(name)
        for name, expr in taken.items()
    ).drop(f"found_{source}" for source in FOUND)


def _withheld(known: pl.DataFrame) -> pl.DataFrame:
    """Kolada's status on missing values ("Privacy", "Missing", …) by key and year."""
    return known.filter(pl.col("value").is_null() & (pl.col("status").fill_null("") != "")
                        ).select(*PLAN_KEYS, "year", pl.col("status").alias("missing_status"))


def _why_missing(rows: pl.DataFrame, withheld: pl.DataFrame) -> pl.DataFrame:
    """The year a reason refers to (`missing_year`) and Kolada's status on the missing
    value there (`missing_status`), where Kolada gave one."""
    last = withheld.group_by(PLAN_KEYS).agg(pl.col("year").max().alias("last_withheld"))
    code = pl.col("reason_code")
    year = (
        pl.when(code == ReasonCode.NO_VALUES).then("last_withheld")
        .when(code.is_in([ReasonCode.NO_BASELINE, ReasonCode.BASELINE_MOVED,
                          ReasonCode.LATEST_NOT_AFTER_BASELINE])).then("wanted_baseline")
        .when(code == ReasonCode.NOT_IN_UNIT_YEARS)
        .then(pl.when(pl.col("baseline_value").is_null()).then("unit_baseline_year")
              .otherwise("unit_latest_year"))
    )
    rows = rows.join(last, on=PLAN_KEYS, how="left").with_columns(
        year.cast(pl.Int32).alias("missing_year")).drop("last_withheld")
    return rows.join(withheld.rename({"year": "missing_year"}), on=[*PLAN_KEYS, "missing_year"],
                     how="left")


def _judge(rows: pl.DataFrame) -> pl.DataFrame:
    return judge(rows).with_columns(_reason_code().alias("reason_code"))


def judge(rows: pl.DataFrame) -> pl.DataFrame:
    """Change, improvement, status, progress and target level from `baseline_value`,
    `latest_value`, `direction` and `target`: the one place the goal rules are applied."""
    change = pl.col("latest_value") - pl.col("baseline_value")
    rows = rows.with_columns(change.alias("change"), (change * SIGN + 0.0).alias("improvement"))
    improvement, target = pl.col("improvement"), pl.col("target")
    met = pl.when(target > 0).then(improvement >= target - TOLERANCE).otherwise(
        improvement > TOLERANCE
    )
    valued = pl.col("latest_value").is_not_null() | pl.col("baseline_value").is_not_null()
    status = (
        pl.when(improvement.is_null() & valued).then(pl.lit(Status.NOT_JUDGED.value))
        .when(improvement.is_null()).then(pl.lit(Status.NO_DATA.value))
        .when(met).then(pl.lit(Status.MET.value))
        .when(improvement > TOLERANCE).then(pl.lit(Status.IMPROVING.value))
        .otherwise(pl.lit(Status.NOT_IMPROVING.value))
    )
    return rows.with_columns(
        status.alias("status"),
        pl.when(target > 0).then(improvement / target).alias("progress"),
        (pl.col("baseline_value") + target * SIGN).alias("target_level"),
    )


def _project(rows: pl.DataFrame, values: pl.DataFrame) -> pl.DataFrame:
    """Least-squares slope from the baseline year to the follow-up (at least 3 points), and
    the year the target is reached at that pace (null when met or never at this pace).
    Fitted for the units' own totals only: that is what the reports show."""
    span = [*PLAN_KEYS, "baseline_year_used", "latest_year"]
    fits = (
        rows.filter(MAIN).select(span).drop_nulls().unique()
        .join(values, on=PLAN_KEYS)
        .filter(pl.col("year").is_between("baseline_year_used", "latest_year"))
        .group_by(span)
        .agg(pl.len().alias("points"),
             (pl.cov("year", "value") / pl.col("year").cast(pl.Float64).var()).alias("slope"))
        .with_columns(pl.when(pl.col("points") >= MIN_POINTS).then("slope").alias("slope"))
    )
    rows = rows.join(fits, on=span, how="left").with_columns(pl.col("points").fill_null(0))
    pace = pl.col("slope") * SIGN
    remaining = pl.col("target") - pl.col("improvement")
    years_left = (remaining / pace).ceil()
    reaches = pl.max_horizontal(pl.col("latest_year") + years_left, pl.col("latest_year") + 1)
    reachable = (pl.col("status").is_in([Status.IMPROVING, Status.NOT_IMPROVING])
                 & (pace > TOLERANCE)
                 & (years_left <= HORIZON_YEARS))
    return rows.with_columns(
        pl.col("slope").alias("slope_per_year"),
        pl.when(reachable).then(reaches).cast(pl.Int32).alias("reaches_target_year"),
    ).drop("slope")


def _outlook(rows: pl.DataFrame) -> pl.DataFrame:
    """not_applicable when the baseline is not before the target year; else met, on_track
    (reached by the target year at this pace), off_track, or unknown; a latest value from
    the target year on leaves only met or not_met (the target year has come: no forecast)."""
    status, reaches = pl.col("status"), pl.col("reaches_target_year")
    first = pl.coalesce("baseline_year_used", "wanted_baseline")
    outlook = (
        pl.when(first >= pl.col("target_year")).then(pl.lit(Outlook.NOT_APPLICABLE.value))
        .when(status == Status.MET).then(pl.lit(Outlook.MET.value))
        .when(status.is_in([Status.NO_DATA, Status.NOT_JUDGED])).then(pl.lit(Outlook.UNKNOWN.value))
        .when(pl.col("latest_year") >= pl.col("target_year")).then(pl.lit(Outlook.NOT_MET.value))
        .when(pl.col("slope_per_year").is_null()).then(pl.lit(Outlook.UNKNOWN.value))
        .when(reaches <= pl.col("target_year")).then(pl.lit(Outlook.ON_TRACK.value))
        .otherwise(pl.lit(Outlook.OFF_TRACK.value))
    )
    return rows.with_columns(outlook.alias("outlook"))


def _rank(rows: pl.DataFrame) -> pl.DataFrame:
    """Rank 1 = largest improvement among report units of the same kind, own-level data."""
    own = rows.filter(MAIN & (pl.col("level") == pl.col("report_kind")))
    ranks = rank_by_improvement(own, ["indicator", "report_kind"]).select(
        "report_unit", "indicator", "role", "gender", "rank", "ranked")
    return rows.join(ranks, on=["report_unit", "indicator", "role", "gender"], how="left")


def rank_by_improvement(rows: pl.DataFrame, over: list[str]) -> pl.DataFrame:
    """The rows with an improvement, ranked within `over`: `rank` 1 = the largest (ties share
    the best place) and `ranked`, how many were ranked."""
    return rows.filter(pl.col("improvement").is_not_null()).with_columns(
        pl.col("improvement").rank("min", descending=True).over(over).alias("rank"),
        pl.len().over(over).cast(pl.UInt32).alias("ranked"),
    )


def _reason_code() -> pl.Expr:
    """Why a figure is missing, or how its baseline was chosen (a `ReasonCode`)."""
    missing = pl.col("latest_value").is_null() | pl.col("baseline_value").is_null()
    return (
        pl.when(pl.col("kpi_type").is_null()).then(pl.lit(ReasonCode.KPI_RETIRED.value))
        .when(pl.col("latest_value").is_null() & (pl.col("kpi_type") == "K")
              & DATA_IS_REGION)
        .then(pl.lit(ReasonCode.KOMMUN_ONLY.value))
        .when(ALIGNED & missing)
        .then(pl.lit(ReasonCode.NOT_IN_UNIT_YEARS.value))
        .when(pl.col("latest_value").is_null()).then(pl.lit(ReasonCode.NO_VALUES.value))
        .when(pl.col("baseline_value").is_null()
              & (pl.col("wanted_baseline") >= pl.col("latest_year")))
        .then(pl.lit(ReasonCode.LATEST_NOT_AFTER_BASELINE.value))
        .when(pl.col("baseline_value").is_null()).then(pl.lit(ReasonCode.NO_BASELINE.value))
        .when((pl.col("baseline_year_used") != pl.col("wanted_baseline")) & ~ALIGNED)
        .then(pl.lit(ReasonCode.BASELINE_MOVED.value))
    )
