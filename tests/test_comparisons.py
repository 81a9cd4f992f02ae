"""Similar kommuner, trend projection, ranks and women–men gaps (hand-computed)."""

from __future__ import annotations

import polars as pl
import pytest
from click.testing import CliRunner
from conftest import parse_report
from fake_kolada import FakeKolada
from test_evaluate import JKPG, observations, one, run

from strategihalsa.cli import app
from strategihalsa.errors import UsageError
from strategihalsa.groups import similar_groups
from strategihalsa.kolada.records import Group
from strategihalsa.model import Gap
from strategihalsa.units import Unit

runner = CliRunner()
GROUPS = [
    Group("G1", "Liknande kommuner socioekonomi, Jönköping, 2023", ()),
    Group("G2", "Liknande kommuner socioekonomi, Jönköping, 2024", ()),
    Group("G3", "Liknande kommuner, övergripande, Jönköping, 2025", ()),
    Group("G4", "Liknande regioner socioekonomi, Region Jönköpings län, 2024", ()),
    Group("G5", "Liknande kommuner socioekonomi, Jönköpings län, 2024", ()),
]
REGION = Unit("0006", "Region Jönköpings län", "L")


def test_similar_group_is_found_by_title_newest_edition_first():
    found = similar_groups(GROUPS, [JKPG, REGION], "socioekonomi")
    assert {k: v.id for k, v in found.items()} == {"0680": "G2", "0006": "G4"}
    assert found["0680"].kind == "group"
    assert similar_groups(GROUPS, [JKPG], "Övergripande")["0680"].id == "G3"
    assert similar_groups(GROUPS, [Unit("0180", "Stockholm", "K")], "övergripande") == {}
    with pytest.raises(UsageError, match="it has socioekonomi, övergripande"):
        similar_groups(GROUPS, [JKPG], "arbetsmarknad")  # a family Kolada does not have


def series(kpi: str, unit: str, values: dict[int, float]) -> list[tuple]:
    return [(kpi, unit, year, "T", value) for year, value in values.items()]


def test_projection_slope_and_year_the_target_is_reached():
    obs = observations(
        *series("A", "0680", {2017: 80, 2018: 81, 2019: 82, 2020: 83, 2021: 84}),  # +4, met
        *series("B", "0680", {2017: 80, 2018: 81, 2019: 82, 2020: 83, 2021: 84}),  # target 10
        *series("C", "0680", {2017: 30, 2018: 29.5, 2019: 29, 2020: 28.5}),  # decrease 5
        *series("D", "0680", {2017: 50, 2018: 51, 2019: 52}),  # decrease, getting worse
        *series("E", "0680", {2017: 50, 2021: 51}),  # two points: no trend
    )
    specs = [("A", "A", "increase", 2.0, 2017, "A", False),
             ("B", "B", "increase", 10.0, 2017, "A", False),
             ("C", "C", "decrease", 5.0, 2017, "A", False),
             ("D", "D", "decrease", 2.0, 2017, "A", False),
             ("E", "E", "increase", 2.0, 2017, "A", False)]
    result = run(specs, obs)
    a, b, c, d, e = (one(result, k) for k in "ABCDE")
    assert (a["slope_per_year"], a["points"], a["reaches_target_year"]) == (1.0, 5, None)
    assert (b["slope_per_year"], b["reaches_target_year"]) == (1.0, 2027)  # 6 left at +1/yr
    assert c["slope_per_year"] == -0.5
    assert c["reaches_target_year"] == 2027  # 3.5 left at 0.5/yr: 7 years after 2020
    assert (d["status"], d["reaches_target_year"]) == ("not_improving", None)
    assert (e["points"], e["slope_per_year"]) == (2, None)


def test_rank_by_improvement_among_units_of_the_same_kind():
    units = [Unit("0680", "Jönköping", "K"), Unit("0643", "Habo", "K"),
             Unit("0180", "Stockholm", "K"), Unit("0114", "Upplands Väsby", "K")]
    obs = observations(
        *series("A", "0680", {2017: 10, 2022: 13}), *series("A", "0643", {2017: 10, 2022: 11}),
        *series("A", "0180", {2017: 10, 2022: 15}), *series("A", "0114", {2017: 10}),
    )
    specs = [("A", "A", "increase", 2.0, 2017, "A", False)]
    result = run(specs, obs, units=units, rank=True)
    mine = result.filter((pl.col("role") == "unit") & (pl.col("gender") == "T"))
    ranks = dict(mine.select("report_unit", "rank").iter_rows())
    assert ranks == {"0180": 1, "0680": 2, "0643": 3, "0114": None}
    assert set(mine["ranked"].drop_nulls()) == {3}
    assert run(specs, obs, units=units)["rank"].is_null().all()  # only when asked


def test_rank_skips_region_level_figures_in_kommun_reports():
    obs = observations(*series("R", "0006", {2017: 1, 2022: 5}))
    result = run([("R", "R", "increase", 2.0, 2017, "L", False)], obs, rank=True)
    assert one(result, "R")["rank"] is None


@pytest.mark.parametrize(("baseline", "latest", "narrowed", "status"), [
    (4.0, 3.5, True, "met"), (4.0, 6.0, False, "not_improving"), (-2.0, 1.0, True, "met"),
    (None, 3.0, None, "not_judged"), (4.0, None, None, "not_judged"),
    (None, None, None, "no_data"),
])
def test_gap_narrowing(baseline, latest, narrowed, status):
    gap = Gap(baseline, latest)
    assert (gap.narrowed, gap.status) == (narrowed, status)


def sfh(env, *args):
    return runner.invoke(app, list(args), env=env)


def test_report_compares_with_similar_kommuner_and_shows_gaps(cli_env):
    result = sfh(cli_env, "report", "-k", "0680", "-f", "json")
    report = parse_report(result.stdout)
    assert report["comparison_units"][-1] == {
        "id": "G1001", "title": "Liknande kommuner socioekonomi, Jönköping, 2024",
        "kind": "group", "role": "similar"}
    school = next(i for i in report["indicators"] if i["kpi"] == "N15428")
    similar = school["comparisons"]["G1001"]  # mean of Habo and Stockholm
    assert similar["baseline"] == {"year": 2017, "value": 80.0}  # (70 + 90) / 2
    assert similar["latest"] == {"year": 2022, "value": 91.0}  # Habo's 2022 is null
    assert (similar["change"], similar["status"]) == (11.0, "met")
    assert similar["coverage"] == {"with_data": 1, "members": 2}  # 2022: Stockholm only
    assert school["by_gender"]["gap"] == {"baseline": 4.0, "latest": 6.0, "change": 2.0,
                                          "narrowed": False}
    assert report["gaps"] == [{"goal": 19, "women": "medellivslangd-kvinnor",
                               "men": "medellivslangd-man", "baseline": 4.0, "latest": 3.5,
                               "change": -0.5, "narrowed": True, "status": "met"}]
    table = sfh(cli_env, "report", "-k", "0680").stdout
    assert "Liknande" in table
    assert "Mål 19, skillnad kvinnor–män: 4,0 → 3,5 år (minskar ✔)" in table


def test_liknande_can_be_chosen_or_turned_off(cli_env, fake):
    off = parse_report(sfh(cli_env, "report", "-k", "0680", "-f", "json", "--liknande",
                           "ingen").stdout)
    assert [u["id"] for u in off["comparison_units"]] == ["0000", "0006"]
    assert len(fake.requests) == 3  # no municipality_groups request
    unknown = sfh(cli_env, "report", "-k", "0680", "-f", "json", "--liknande", "övergripande")
    assert unknown.exit_code == 2  # the fixture's Kolada has only the socioekonomi family
    assert "Kolada has no such family of similar kommuner; it has socioekonomi" in unknown.stderr
    other = sfh(cli_env, "report", "-k", "0643", "-f", "json")
    assert other.exit_code == 0
    assert "no 'Liknande kommuner/regioner socioekonomi' group for Habo" in other.stderr


def test_rank_option_ranks_among_all_kommuner_in_the_same_requests(cli_env, fake):
    report = parse_report(sfh(cli_env, "report", "-k", "0680", "-f", "json", "--rank").stdout)
    school = next(i for i in report["indicators"] if i["kpi"] == "N15428")
    # improvements: Jönköping +3.5, Stockholm +1.0, Habo none (2022 is null)
    assert school["rank"] == {"position": 1, "of": 2}
    data_requests = [r for r in fake.requests if "/data/" in r]
    assert len(data_requests) == 2  # Riket and the regions with the metadata, then the rest
    assert "/municipality/0000,0001,0003,0004,0005,0006," in data_requests[0]
    assert "/municipality/0180,0643,0680,G1001/" in data_requests[1]


def test_comparisons_are_judged_over_the_units_own_years(cli_env):
    """Fixture U01405 (goal 21, target +3): Jönköping has no 2017 value (Kolada: Privacy),
    so it is judged 2018 → 2022: 76,0 → 77,1. The others over exactly those years."""
    report = parse_report(sfh(cli_env, "report", "-k", "0680", "-f", "json").stdout)
    health = next(i for i in report["indicators"] if i["kpi"] == "U01405")
    assert (health["baseline"], health["latest"]) == ({"year": 2018, "value": 76.0},
                                                       {"year": 2022, "value": 77.1})
    riket, region, similar = (health["comparisons"][k] for k in ("0000", "0006", "G1001"))
    # Riket 73,0 → 73,4 (its own 2017 value, 72,0, is not used)
    assert riket["baseline"] == {"year": 2018, "value": 73.0}
    assert riket["change"] == pytest.approx(0.4)
    assert riket["years"] == {"baseline": 2018, "latest": 2022}
    # the similar kommuner: (74 + 80) / 2 = 77 in 2018, (73 + 81) / 2 = 77 in 2022: no
    # improvement (over their own 2017 → 2022, (70 + 76) / 2 = 73 → 77, it would be met)
    assert (similar["baseline"]["value"], similar["change"]) == (77.0, 0.0)
    assert similar["status"] == "not_improving"
    # the region has no 2018 value (Kolada: "Not applicable"), but one for 2022: it cannot
    # be judged over the unit's years, and why
    assert (region["status"], region["baseline"], region["reason_code"]) == (
        "not_judged", None, "not_in_unit_years")
    assert region["latest"] == {"year": 2022, "value": 74.3}
    assert region["reason"] == ("jämförs över enhetens år 2018–2022: inget värde för 2018; "
                                "Kolada anger ej tillämpligt för 2018")
    assert region["years"] == {"baseline": 2018, "latest": 2022}


def test_comparison_years_in_csv(cli_env):
    import csv
    import io
    rows = csv.DictReader(io.StringIO(sfh(cli_env, "report", "-k", "0680", "-f", "csv").stdout))
    health = next(r for r in rows if r["kpi"] == "U01405")
    assert (health["riket_baseline_year"], health["riket_latest_year"]) == ("2018", "2022")
    assert (health["region_baseline_year"], health["region_baseline_value"]) == ("2018", "")
    assert health["region_reason_code"] == "not_in_unit_years"
    assert health["region_missing_status"] == "Not applicable"
    assert health["similar_change"] == "0.0"


@pytest.fixture
def shared_env(shared_data, tmp_path):
    with FakeKolada(shared_data) as fake:
        yield {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "cache"),
               "NO_COLOR": "1"}


def test_jonkoping_goal_21_over_its_own_years_in_the_real_data(shared_env):
    """../shared/kolada U01405: Jönköping 2017 is null, 2018 76,0, 2022 77,1. Its similar
    group G176284 (0780 0880 1285 1380 1496 1880 1980): 2017 only 1880 73,503 and 1980
    71,581 (mean 72,542: +0,59 to 2022, improving); 2018 72 73 – 76 75 74 74 (mean 74,0);
    2022 77,2 75,3 73,2 73,1 69,6 72,17418112 71,3327277 (mean 73,12955840)."""
    report = parse_report(sfh(shared_env, "report", "-k", "0680", "-f", "json").stdout)
    health = next(i for i in report["indicators"] if i["goal"] == 21)
    assert health["baseline"]["year"] == 2018
    years = {c["baseline"]["year"] for c in health["comparisons"].values() if c["baseline"]}
    assert years == {2018}
    riket = health["comparisons"]["0000"]  # 73,0 → 73,4
    assert riket["change"] == pytest.approx(0.4)
    similar = next(c for c in health["comparisons"].values() if c["role"] == "similar")
    assert similar["baseline"]["value"] == pytest.approx(444 / 6)
    assert similar["change"] == pytest.approx(511.90690882 / 7 - 74.0)
    assert similar["status"] == "not_improving"


def test_thin_similar_mean_note_only_for_key_figures_with_data(shared_env):
    """../shared/kolada: Jönköping has no baseline for goals 10–12 (N15613, N15601, N15602:
    2022 only), whose similar-kommuner means rest on few members: no note about them."""
    done = sfh(shared_env, "report", "-k", "0680", "-f", "json")
    assert done.exit_code == 0
    assert not any(kpi in done.stderr for kpi in ("N15613", "N15601", "N15602"))


def test_ranking_fetches_no_similar_group_of_the_units_only_ranked():
    from conftest import quick_settings
    from fake_kolada import FakeKolada
    from fixture_data import fixture_data

    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.kolada import KoladaClient
    from strategihalsa.run import build_reports
    from strategihalsa.settings import Comparisons
    from strategihalsa.units import Selection

    data = fixture_data()
    data.groups.append({"id": "G2002", "title": "Liknande kommuner socioekonomi, Habo, 2024",
                        "members": [{"member_id": "0680", "member_title": "Jönköping"}]})
    with FakeKolada(data) as fake:
        client = KoladaClient(quick_settings(fake.url))
        [report] = build_reports(client, load_catalogue(), Selection(kommun="0680"), None,
                                 Comparisons(rank=True))
        asked = [path for path in fake.requests if path.startswith("/v3/data/")]
    assert any("G1001" in path for path in asked)  # Jönköping's own similar group
    assert not any("G2002" in path for path in asked)  # Habo is only ranked
    assert any(result.rank for result in report.results)


def test_local_indicators_for_women_and_men_make_no_goal_gap():
    from strategihalsa.catalogue import Indicator
    from strategihalsa.model import Figures, IndicatorResult, UnitReport
    from strategihalsa.vocabulary import Level, Status

    empty = Figures(None, None, None, None, None, Status.NO_DATA, None)

    def result(title: str, goal: int | None) -> IndicatorResult:
        indicator = Indicator(title[0], title, "Lokala mål", "N1", "increase", 1.0, "år", 2017,
                              goal=goal)
        return IndicatorResult(indicator, None, Level.KOMMUN, False, "0680", empty)

    results = (result("Egen (kvinnor)", None), result("Egen (män)", None),
               result("Liv (kvinnor)", 19), result("Liv (män)", 19))
    report = UnitReport(JKPG, (), results, run=None)  # goal_gaps reads only the results
    assert [gap.goal for gap in report.goal_gaps] == [19]
