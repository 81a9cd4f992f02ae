"""Goals the way users read them: target level, outlook against the target year, uncertain
projections, local catalogues, the summary and what is measured. Expectations are worked
out by hand from tests/fixture_data.py."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import parse_report

from strategihalsa.catalogue import builtin_path, load_catalogue
from strategihalsa.cli import app

runner = CliRunner()


def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


def report(env: dict, *extra: str) -> dict:
    result = sfh(env, "report", "-k", "0680", "-f", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return parse_report(result.stdout)


def indicator(data: dict, kpi: str) -> dict:
    return next(i for i in data["indicators"] if i["kpi"] == kpi)


def catalogue_with(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "lokal.toml"
    text = builtin_path().read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_target_level_is_baseline_plus_or_minus_the_target(cli_env):
    data = report(cli_env)
    assert indicator(data, "N15428")["target_level"] == 84.0  # 82 + 2
    assert indicator(data, "N20402")["target_level"] == 5000.0  # 6000 − 1000 (decrease)
    assert indicator(data, "U01413")["target_level"] == 28.0  # baseline 2018: 30 − 2
    assert indicator(data, "N00925")["target_level"] == 84.0  # target 0: the baseline
    assert indicator(data, "N15613")["target_level"] is None  # no baseline


def test_outlook_with_the_strategy_target_year_passed(cli_env):
    data = report(cli_env)
    assert indicator(data, "N15428")["outlook"] == "met"
    trust = indicator(data, "U01413")  # 30 → 28,5: improvement 1,5 of 2, latest 2022
    # the latest value is from the target year 2022: not a forecast any more, "ej nått"
    assert (trust["status"], trust["outlook"]) == ("improving", "not_met")
    # least squares over 2018, 2021, 2022 (30, 29, 28,5): slope −0,365/yr; 0,5 left → 2 yrs
    assert round(trust["projection"]["slope_per_year"], 4) == -0.3654
    assert trust["projection"]["reaches_target_year"] == 2024
    assert trust["projection"]["uncertain"] is True  # 3 yearly values < 5
    assert indicator(data, "U01405")["outlook"] == "not_met"  # 2018 → 2022, improving


def test_target_year_not_after_the_baseline_is_not_applicable(cli_env, tmp_path):
    """Goal 10 (N15613) has the catalogue's baseline 2022 and the target year 2022. With a
    target year of 2018, goal 21 (U01405, first value 2018 → 2022: improving) has no
    outlook either, while the school goal (N15428, 2017 → 2022, met) keeps its own."""
    goal_10 = indicator(report(cli_env), "N15613")
    assert goal_10["outlook"] == "not_applicable"
    assert goal_10["outlook_reason"] == ("ingen prognos: målåret ligger inte efter "
                                         "utgångsåret 2022")
    path = catalogue_with(tmp_path, "target_year = 2022", "target_year = 2018")
    data = report(cli_env, "--catalogue", str(path))
    health, school = indicator(data, "U01405"), indicator(data, "N15428")
    assert (health["status"], health["outlook"]) == ("improving", "not_applicable")
    assert (school["status"], school["outlook"]) == ("met", "met")
    table = sfh(cli_env, "report", "-k", "0680", "--catalogue", str(path)).stdout
    assert "ej tillämpligt" in table
    assert "ingen prognos: målåret ligger inte efter utgångsåret 2018" in " ".join(table.split())


def test_outlook_on_track_with_a_later_target_year(cli_env, tmp_path):
    path = catalogue_with(tmp_path, "target_year = 2022", "target_year = 2030")
    data = report(cli_env, "--catalogue", str(path))
    assert data["target_year"] == 2030
    assert indicator(data, "U01413")["outlook"] == "on_track"  # reached 2024 ≤ 2030
    falls = indicator(data, "N20402")  # 6000 → 4900: 1100 ≥ 1000, met
    assert falls["outlook"] == "met"


def test_summary_counts_over_the_indicators_with_data(cli_env):
    summary = report(cli_env)["summary"]
    assert summary["with_data"] == summary["met"] + summary["improving"] + summary[
        "not_improving"] == 7
    table = sfh(cli_env, "report", "-k", "0680").stdout
    assert "4 av 7 bedömda indikatorer är uppnådda" in " ".join(table.split())


LOCAL = '''
[[indicator]]
id = "fallskador-lokalt"
title = "Färre fallskador bland äldre i vår kommun"
area = "Lokala mål"
kpi = "N20402"
direction = "decrease"
target = 500
unit = "per 100 000 inv 80+"
'''


def test_a_local_catalogue_with_a_subset_and_a_local_indicator(cli_env, tmp_path):
    builtin = builtin_path().read_text(encoding="utf-8")
    head, *blocks = builtin.split("\n[[indicator]]\n")
    kept = [b for b in blocks if "goal = 3\n" in b or "goal = 22\n" in b]
    path = tmp_path / "lokal.toml"
    path.write_text("\n[[indicator]]\n".join([head, *kept]) + LOCAL, encoding="utf-8")
    catalogue = load_catalogue(path)
    assert [i.goal for i in catalogue.indicators] == [3, 22, None]
    assert catalogue.missing_goals == [g for g in range(1, 23) if g not in (3, 22)]
    data = report(cli_env, "--catalogue", str(path))
    local = indicator(data, "N20402")
    assert (local["goal"], local["area"], local["status"]) == (None, "Lokala mål", "met")
    assert local["target_level"] == 5500.0  # 6000 − 500
    checked = sfh(cli_env, "check", "--catalogue", str(path))
    assert "leaves out strategy goal(s) 1, 2, 4" in checked.stderr


def test_strategy_goals_keep_their_areas(tmp_path):
    path = catalogue_with(tmp_path, 'area = "God kvalitet"', 'area = "Lokala mål"')
    from strategihalsa.errors import CatalogueError

    try:
        load_catalogue(path)
    except CatalogueError as exc:
        assert "key 'area' must be one of" in str(exc)
    else:
        raise AssertionError("a strategy goal accepted an area of its own")


def test_what_is_measured_and_survey_notes_reach_the_reader(cli_env):
    data = report(cli_env)
    trust = indicator(data, "U01413")
    assert trust["measure"].startswith("andelen 16–84 år som saknar tillit")
    assert trust["survey"] is True and indicator(data, "N15428")["survey"] is False
    table = " ".join(sfh(cli_env, "report", "-k", "0680").stdout.replace("│", " ").split())
    assert "mäts som andelen 16–84 år som saknar tillit till andra" in table
    # the survey caveat once, below the notes, not once per survey indicator
    assert table.count("små förändringar kan bero på slumpen") == 1
    assert "Urvalsundersökning: små förändringar kan bero på slumpen." in table


def test_a_kolada_status_flag_is_kept_and_shown(tmp_path):
    from fake_kolada import FakeKolada
    from fixture_data import fixture_data

    data = fixture_data()
    for entry in data.values[("N15428", "0680")][2022]:
        entry["status"] = "B"
    with FakeKolada(data) as fake:
        env = {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "c"),
               "NO_COLOR": "1", "COLUMNS": "200"}
        school = indicator(report(env), "N15428")
        assert school["flags"] == ["B"]
        assert school["by_gender"]["K"]["flags"] == ["B"]
        table = sfh(env, "report", "-k", "0680").stdout
        assert "Kolada markerar värdet: B" in table


def test_a_thin_group_mean_is_a_note_that_quiet_silences(tmp_path):
    from fake_kolada import FakeKolada
    from fixture_data import fixture_data

    data = fixture_data()
    data.groups[0]["members"].append({"member_id": "0114", "member_title": "Upplands Väsby"})
    with FakeKolada(data) as fake:  # 2022 school values: Stockholm only, 1 of 3 members
        env = {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "c"),
               "NO_COLOR": "1", "COLUMNS": "200"}
        school = indicator(report(env), "N15428")["comparisons"]["G1001"]
        assert school["coverage"] == {"with_data": 1, "members": 3}
        loud = sfh(env, "report", "-k", "0680")
        quiet = sfh(env, "report", "-k", "0680", "--quiet")
    assert ("sfh: note: Jönköping: liknande kommuners medelvärde för N15428 bygger på färre "
            "än hälften") in loud.stderr
    assert "liknande kommuner: medel av bara 1 av 3" in " ".join(loud.stdout.split())
    assert quiet.stderr == ""


# --- words that are true: "kan inte bedömas" and "ej nått" in every format --------------
# Fixture: goal 10 (N15613) has Jönköping's 88,0 for 2022 only, its baseline year (the
# series starts there) and the target year: a value, but nothing later to judge. Goal 22
# (U01413) goes 30,0 (2018) → 28,5 (2022): improvement 1,5 of 2, short of the target, and
# 2022 is the target year: not a forecast any more. Goal 1 (U01901) is retired: no values.


def test_a_value_without_a_later_year_is_not_judged_and_a_past_target_year_not_met(cli_env):
    data = report(cli_env)
    school_safety, trust = indicator(data, "N15613"), indicator(data, "U01413")
    assert (school_safety["status"], school_safety["latest"]) == (
        "not_judged", {"year": 2022, "value": 88.0})
    assert school_safety["reason"] == ("bara utgångsåret 2022 har värde: inget senare år att "
                                       "jämföra med")
    assert indicator(data, "U01901")["status"] == "no_data"  # retired: truly no values
    assert (trust["status"], trust["outlook"]) == ("improving", "not_met")
    assert (data["summary"]["not_judged"], data["summary"]["with_data"]) == (1, 7)


def row_of(table: str, kpi: str) -> str:
    """The terminal table's lines of one indicator, from its KPI to the next goal number."""
    lines = table.splitlines()
    start = next(n for n, line in enumerate(lines) if kpi in line)
    end = next((n for n in range(start + 1, len(lines)) if lines[n][:6].strip("│ ").isdigit()),
               len(lines))
    return "\n".join(lines[start:end])


def test_the_terminal_says_kan_inte_bedomas_and_ej_natt(cli_env):
    for width in ("250", "80"):
        table = sfh({**cli_env, "COLUMNS": width}, "report", "-k", "0680").stdout
        assert "kan inte bedömas" in row_of(table, "N15613"), width
        assert "saknar data" not in row_of(table, "N15613"), width
        assert "saknar data" in row_of(table, "U01901"), width
        assert "ej nått" in row_of(table, "U01413") and "i fas" not in row_of(table, "U01413")
        assert "○ kan inte bedömas" in table  # the legend


def test_csv_xlsx_and_html_say_kan_inte_bedomas_and_ej_natt(cli_env, tmp_path):
    import csv

    from openpyxl import load_workbook

    out = {ext: tmp_path / f"jkpg.{ext}" for ext in ("csv", "xlsx", "html")}
    sfh(cli_env, "report", "-k", "0680", "-o", str(out["csv"]), "--csv-dialect", "excel")
    rows = {r["KPI"]: r for r in csv.DictReader(
        out["csv"].read_text(encoding="utf-8-sig").splitlines(), delimiter=";")}
    assert (rows["N15613"]["Status"], rows["U01413"]["Mot målåret"]) == (
        "kan inte bedömas", "ej nått")
    sfh(cli_env, "report", "-k", "0680", "-o", str(out["xlsx"]))
    sheet = load_workbook(out["xlsx"])["Sammanfattning"]
    cells = {str(row[2].value): [c.value for c in row] for row in sheet.iter_rows()}
    assert "○ kan inte bedömas" in cells["N15613"] and "ej nått" in cells["U01413"]
    sfh(cli_env, "report", "-k", "0680", "-o", str(out["html"]))
    page = out["html"].read_text(encoding="utf-8")
    assert "(mot 2022: ej nått)" in page and "○ kan inte bedömas" in page
