"""Goal fulfilment, as pure polars functions (no I/O).

`plan` lays out what to evaluate: every report unit × indicator × role (the unit itself,
Riket, the region) × gender, with the Kolada unit whose values answer it. `evaluate` joins
that plan with the observations and applies the rules of Strategi för hälsa:

- baseline: the value in the baseline year, else the first later year with a value, never
  the follow-up year itself;
- follow-up: the latest value (at or before the requested year);
- change = follow-up − baseline; improvement = change, negated for "decrease" goals;
- status: met (improvement ≥ target; for target 0 any improvement), improving, not_improving,
  or no_data with a reason; progress = improvement / target (none for target 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from strategihalsa.catalogue import Catalogue
from strategihalsa.units import RIKET, Unit

TOLERANCE = 1e-9
STATUSES = ("met", "improving", "not_improving", "no_data")
PLAN_KEYS = ["kpi", "data_unit", "gender"]


def indicator_frame(catalogue: Catalogue, kpi_meta: Sequence[dict]) -> pl.DataFrame:
    """The catalogue joined with Kolada's KPI metadata (absent KPIs have kpi_type null)."""
    meta = pl.DataFrame(
        [{"kpi": m["id"], "kpi_type": m.get("municipality_type"),
          "divided": bool(m.get("is_divided_by_gender"))} for m in kpi_meta],
        schema={"kpi": pl.String, "kpi_type": pl.String, "divided": pl.Boolean},
    ).unique("kpi")
    rows = [
        {"indicator": i.id, "order": n, "kpi": i.kpi, "direction": i.direction,
         "target": i.target, "baseline_year": i.baseline_year}
        for n, i in enumerate(catalogue.indicators)
    ]
    return pl.DataFrame(rows).join(meta, on="kpi", how="left").with_columns(
        pl.col("divided").fill_null(False)
    )


def plan(indicators: pl.DataFrame, units: Sequence[Unit]) -> pl.DataFrame:
    """Every (report unit, indicator, role, gender) to evaluate, and where its data lives."""
    report_units = pl.DataFrame(
        [{"report_unit": u.id, "report_kind": u.kind, "region": u.region_id} for u in units],
        schema={"report_unit": pl.String, "report_kind": pl.String, "region": pl.String},
    )
    grid = report_units.join(indicators, how="cross").with_columns(
        pl.when((pl.col("report_kind") == "kommun") & (pl.col("kpi_type").fill_null("A") != "L"))
        .then(pl.lit("kommun")).otherwise(pl.lit("region")).alias("level")
    )
    own = grid.with_columns(
        pl.lit("unit").alias("role"),
        pl.when(pl.col("level") == "kommun").then("report_unit").otherwise("region")
        .alias("data_unit"),
    )
    riket = grid.with_columns(pl.lit("riket").alias("role"), pl.lit(RIKET).alias("data_unit"))
    region = grid.filter(pl.col("report_kind") == "kommun").with_columns(
        pl.lit("region").alias("role"), pl.col("region").alias("data_unit")
    )
    genders = pl.DataFrame({"gender": ["T", "K", "M"]})
    frames = pl.concat([own, riket, region]).join(genders, how="cross")
    keep = (pl.col("gender") == "T") | ((pl.col("role") == "unit") & pl.col("divided"))
    return frames.filter(keep).sort("report_unit", "order", "role", "gender")


def evaluate(
    planned: pl.DataFrame,
    observations: pl.DataFrame,
    *,
    follow_up_year: int | None = None,
    baseline_year: int | None = None,
) -> pl.DataFrame:
    """Baseline, latest value, change, improvement, progress, status and reason per plan row."""
    values = observations.filter(pl.col("value").is_not_null()).select(
        "kpi", pl.col("unit").alias("data_unit"), "gender", "year", "value"
    )
    if follow_up_year is not None:
        values = values.filter(pl.col("year") <= follow_up_year)
    rows = planned.with_columns(
        (pl.lit(baseline_year) if baseline_year else pl.col("baseline_year"))
        .cast(pl.Int32).alias("wanted_baseline")
    )
    rows = rows.join(_latest(values), on=PLAN_KEYS, how="left")
    rows = rows.join(_baselines(rows, values), on=[*PLAN_KEYS, "wanted_baseline", "latest_year"],
                     how="left")
    return _judge(rows, follow_up_year)


def _latest(values: pl.DataFrame) -> pl.DataFrame:
    return values.group_by(PLAN_KEYS).agg(
        pl.col("year").max().alias("latest_year"),
        pl.col("value").sort_by("year").last().alias("latest_value"),
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
        )
    )


def _judge(rows: pl.DataFrame, follow_up_year: int | None) -> pl.DataFrame:
    sign = pl.when(pl.col("direction") == "decrease").then(-1.0).otherwise(1.0)
    change = pl.col("latest_value") - pl.col("baseline_value")
    rows = rows.with_columns(change.alias("change"), (change * sign + 0.0).alias("improvement"))
    improvement, target = pl.col("improvement"), pl.col("target")
    met = pl.when(target > 0).then(improvement >= target - TOLERANCE).otherwise(
        improvement > TOLERANCE
    )
    status = (
        pl.when(improvement.is_null()).then(pl.lit("no_data"))
        .when(met).then(pl.lit("met"))
        .when(improvement > TOLERANCE).then(pl.lit("improving"))
        .otherwise(pl.lit("not_improving"))
    )
    return rows.with_columns(
        status.alias("status"),
        pl.when(target > 0).then(improvement / target).alias("progress"),
        _reason(follow_up_year).alias("reason"),
    )


def _reason(follow_up_year: int | None) -> pl.Expr:
    """Why a figure is missing, or how its baseline was chosen (Swedish, for the report)."""
    until = f" till och med {follow_up_year}" if follow_up_year else ""
    year = pl.col("wanted_baseline").cast(pl.String)
    return (
        pl.when(pl.col("kpi_type").is_null())
        .then(pl.format("nyckeltalet {} finns inte längre i Kolada", "kpi"))
        .when(pl.col("latest_value").is_null() & (pl.col("kpi_type") == "K")
              & pl.col("data_unit").str.starts_with("00") & (pl.col("data_unit") != RIKET))
        .then(pl.lit("nyckeltalet redovisas bara för kommuner"))
        .when(pl.col("latest_value").is_null())
        .then(pl.lit("Kolada har inga värden" + until))
        .when(pl.col("baseline_value").is_null())
        .then(pl.format("inget utgångsvärde: inget värde från {} till före {}",
                        year, pl.col("latest_year").cast(pl.String)))
        .when(pl.col("baseline_year_used") != pl.col("wanted_baseline"))
        .then(pl.format("utgångsläge {} (inget värde för {})",
                        pl.col("baseline_year_used").cast(pl.String), year))
    )
