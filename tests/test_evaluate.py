"""Evaluation rules with hand-computed expectations (pure functions, no server)."""

from __future__ import annotations

import polars as pl
import pytest

from strategihalsa.catalogue import load_catalogue
from strategihalsa.evaluate import evaluate, indicator_frame, plan
from strategihalsa.kolada import OBSERVATION_SCHEMA, Kpi
from strategihalsa.units import Unit

JKPG = Unit("0680", "Jönköping", "K")
TARGET_YEAR = 2022
REGION = Unit("0006", "Region Jönköpings län", "L")


def observations(*rows: tuple) -> pl.DataFrame:
    """(kpi, unit, year, gender, value) tuples → an observation frame."""
    return pl.DataFrame(
        [dict(zip(("kpi", "unit", "year", "gender", "value"), r, strict=True))
         | {"status": "", "count": 1} for r in rows],
        schema=OBSERVATION_SCHEMA,
    )


def indicators(*specs: tuple) -> pl.DataFrame:
    """(id, kpi, direction, target, baseline_year, kpi_type, divided) → indicator frame."""
    names = ("indicator", "kpi", "direction", "target", "baseline_year", "kpi_type", "divided")
    return pl.DataFrame(
        [dict(zip(names, s, strict=True)) | {"order": n, "target_year": TARGET_YEAR}
         for n, s in enumerate(specs)],
        schema={"indicator": pl.String, "kpi": pl.String, "direction": pl.String,
                "target": pl.Float64, "baseline_year": pl.Int64, "kpi_type": pl.String,
                "divided": pl.Boolean, "order": pl.Int64, "target_year": pl.Int64},
    )


def one(result: pl.DataFrame, indicator: str, role: str = "unit", gender: str = "T") -> dict:
    rows = result.filter((pl.col("indicator") == indicator) & (pl.col("role") == role)
                         & (pl.col("gender") == gender)).to_dicts()
    assert len(rows) == 1
    return rows[0]


def run(specs: list[tuple], obs: pl.DataFrame, units=(JKPG,), **kwargs) -> pl.DataFrame:
    return evaluate(plan(indicators(*specs), list(units)), obs, **kwargs)


def test_increase_goal_met_improving_and_not_improving():
    obs = observations(
        ("A", "0680", 2017, "T", 80.0), ("A", "0680", 2022, "T", 82.5),   # +2.5 ≥ 2: met
        ("B", "0680", 2017, "T", 50.0), ("B", "0680", 2021, "T", 51.0),   # +1: improving
        ("C", "0680", 2017, "T", 60.0), ("C", "0680", 2022, "T", 59.0),   # −1: not improving
    )
    specs = [(k, k, "increase", 2.0, 2017, "A", False) for k in "ABC"]
    result = run(specs, obs)
    a, b, c = one(result, "A"), one(result, "B"), one(result, "C")
    assert (a["status"], a["change"], a["progress"]) == ("met", 2.5, 1.25)
    assert (b["status"], b["latest_year"], b["progress"]) == ("improving", 2021, 0.5)
    assert (c["status"], c["improvement"]) == ("not_improving", -1.0)


def test_decrease_goal_counts_a_fall_as_improvement():
    obs = observations(("F", "0680", 2017, "T", 6000.0), ("F", "0680", 2022, "T", 5100.0))
    row = one(run([("F", "F", "decrease", 1000.0, 2017, "A", False)], obs), "F")
    assert row["change"] == -900.0
    assert row["improvement"] == 900.0
    assert row["status"] == "improving"
    assert row["progress"] == pytest.approx(0.9)


def test_exactly_reaching_the_target_is_met_despite_float_noise():
    # 16.4 - 14.4 is 1.9999999999999982 in floating point
    obs = observations(("E", "0680", 2017, "T", 14.4), ("E", "0680", 2022, "T", 16.4))
    assert one(run([("E", "E", "increase", 2.0, 2017, "A", False)], obs), "E")["status"] == "met"


def test_baseline_falls_back_to_first_later_year_and_says_so():
    obs = observations(("T", "0680", 2016, "T", 10.0), ("T", "0680", 2017, "T", None),
                       ("T", "0680", 2019, "T", 30.0), ("T", "0680", 2022, "T", 27.0))
    row = one(run([("T", "T", "decrease", 2.0, 2017, "A", False)], obs), "T")
    assert (row["baseline_year_used"], row["baseline_value"]) == (2019, 30.0)
    assert row["improvement"] == 3.0
    assert row["status"] == "met"
    assert (row["reason_code"], row["wanted_baseline"]) == ("baseline_moved", 2017)


def test_baseline_is_never_the_follow_up_year():
    obs = observations(("S", "0680", 2022, "T", 88.0))
    row = one(run([("S", "S", "increase", 2.0, 2022, "K", False)], obs), "S")
    assert row["status"] == "not_judged"  # a value, but only the baseline year's
    assert row["latest_value"] == 88.0
    assert row["baseline_value"] is None
    assert row["reason_code"] == "latest_not_after_baseline"


def test_no_baseline_between_baseline_year_and_follow_up():
    obs = observations(("S", "0680", 2015, "T", 1.0), ("S", "0680", 2022, "T", 2.0))
    row = one(run([("S", "S", "increase", 2.0, 2017, "A", False)], obs), "S")
    assert row["status"] == "not_judged"  # 2022 has a value, 2017–2021 none
    assert row["reason_code"] == "no_baseline"


def test_target_zero_means_any_improvement_and_has_no_progress():
    obs = observations(("L", "0680", 2017, "T", 84.0), ("L", "0680", 2022, "T", 84.3),
                       ("M", "0680", 2017, "T", 80.0), ("M", "0680", 2022, "T", 80.0))
    specs = [(k, k, "increase", 0.0, 2017, "A", False) for k in "LM"]
    result = run(specs, obs)
    assert one(result, "L")["status"] == "met"
    assert one(result, "L")["progress"] is None
    assert one(result, "M")["status"] == "not_improving"


def test_follow_up_year_and_baseline_override():
    obs = observations(*[("Y", "0680", y, "T", float(v))
                         for y, v in [(2015, 70), (2017, 72), (2019, 75), (2022, 71)]])
    spec = [("Y", "Y", "increase", 2.0, 2017, "A", False)]
    capped = one(run(spec, obs, follow_up_year=2020), "Y")
    assert (capped["latest_year"], capped["change"], capped["status"]) == (2019, 3.0, "met")
    overridden = one(run(spec, obs, baseline_year=2015), "Y")
    assert (overridden["baseline_year_used"], overridden["change"]) == (2015, 1.0)
    # up to 2016 the only value is 2015's, before the baseline year: not judged
    assert one(run(spec, obs, follow_up_year=2016), "Y")["status"] == "not_judged"


def test_region_only_kpi_uses_the_region_in_a_kommun_report():
    obs = observations(("R", "0006", 2017, "T", 90.0), ("R", "0006", 2022, "T", 93.0))
    result = run([("R", "R", "increase", 2.0, 2017, "L", False)], obs)
    row = one(result, "R")
    assert (row["level"], row["data_unit"], row["status"]) == ("region", "0006", "met")


def test_kommun_only_kpi_in_a_region_report_has_no_data_with_reason():
    obs = observations(("K", "0680", 2017, "T", 1.0), ("K", "0680", 2022, "T", 9.0))
    row = one(run([("K", "K", "increase", 2.0, 2017, "K", False)], obs, units=(REGION,)), "K")
    assert row["status"] == "no_data"
    assert row["reason_code"] == "kommun_only"


def test_retired_kpi_has_no_data_with_reason():
    result = run([("X", "U01901", "decrease", 2.0, 2017, None, False)], observations())
    assert one(result, "X")["reason_code"] == "kpi_retired"


def test_gender_rows_only_for_divided_kpis_and_comparisons_only_total():
    obs = observations(
        ("G", "0680", 2017, "K", 50.0), ("G", "0680", 2022, "K", 53.0),
        ("G", "0680", 2017, "M", 40.0), ("G", "0680", 2022, "M", 39.0),
        ("G", "0000", 2017, "T", 45.0), ("G", "0000", 2022, "T", 46.0),
    )
    specs = [("G", "G", "increase", 2.0, 2017, "A", True),
             ("H", "H", "increase", 2.0, 2017, "A", False)]
    result = run(specs, obs)
    assert one(result, "G", gender="K")["status"] == "met"
    assert one(result, "G", gender="M")["status"] == "not_improving"
    assert one(result, "G", role="riket")["status"] == "improving"
    assert result.filter((pl.col("indicator") == "H") & (pl.col("gender") != "T")).is_empty()
    assert result.filter((pl.col("role") != "unit") & (pl.col("gender") != "T")).is_empty()
    assert set(result.filter(pl.col("indicator") == "G")["role"]) == {"unit", "riket", "region"}


def test_region_report_compares_with_riket_only():
    result = run([("A", "A", "increase", 2.0, 2017, "A", False)], observations(), units=(REGION,))
    assert set(result["role"]) == {"unit", "riket"}


def test_indicator_frame_marks_kpis_missing_from_kolada():
    catalogue = load_catalogue()
    frame = indicator_frame(catalogue, [Kpi("N15428", "t", "", "A", True)])
    assert frame.height == 23
    known = frame.filter(pl.col("kpi_type").is_not_null())
    assert known["kpi"].to_list() == ["N15428"]
    assert known["divided"].to_list() == [True]


def test_a_kommun_only_key_figure_is_explained_for_region_data_only():
    """K figure with values only for Jönköping: the region (own or compared) is 'kommun_only',
    never Riket (also a type-L id starting 00)."""
    obs = observations(("K1", "0680", 2017, "T", 10.0), ("K1", "0680", 2022, "T", 12.0))
    result = run([("K1", "K1", "increase", 1.0, 2017, "K", False)], obs, units=(JKPG, REGION))
    own_region = result.filter((pl.col("report_unit") == "0006") & (pl.col("role") == "unit"))
    assert own_region["reason_code"].to_list() == ["kommun_only"]
    assert one(result.filter(pl.col("report_unit") == "0680"), "K1", "region")[
        "reason_code"] == "kommun_only"
    assert "kommun_only" not in set(result.filter(pl.col("role") == "riket")["reason_code"])


class Recording(dict):
    """A row that remembers which of its fields were read."""

    def __init__(self, row: dict) -> None:
        super().__init__(row)
        self.read: set[str] = set()

    def __getitem__(self, key: str):
        self.read.add(key)
        return super().__getitem__(key)


def test_figures_are_shared_only_between_rows_alike_in_every_field_they_read():
    from strategihalsa.assemble import FIGURE_FIELDS, figures_of, shared_figures

    obs = observations(("A", "0680", 2018, "T", 80.0), ("A", "0680", 2022, "T", 82.5),
                       ("B", "0680", 2016, "T", 5.0), ("B", "0680", 2022, "T", 4.0),
                       ("C", "0680", 2018, "T", 1.0))
    specs = [("A", "A", "increase", 2.0, 2017, "A", False),  # baseline moved to 2018
             ("B", "B", "decrease", 1.0, 2016, "A", False),  # met
             ("C", "C", "increase", 1.0, 2018, "A", False),  # only the baseline year
             ("D", "D", "increase", 1.0, 2017, "A", False)]  # no values
    rows = [Recording(row) for row in run(specs, obs).to_dicts()]
    for row in rows:
        figures_of(row)
    assert set().union(*(row.read for row in rows)) <= set(FIGURE_FIELDS)
    assert {row["reason_code"] for row in rows} >= {"baseline_moved", "no_values"}
    a = next(r for r in rows if (r["indicator"], r["role"], r["gender"]) == ("A", "unit", "T"))
    figures = shared_figures()
    first = figures(a)
    assert figures(dict(a)) is first
    assert (first.latest.value, figures(a | {"latest_value": 82.4}).latest.value) == (82.5, 82.4)
