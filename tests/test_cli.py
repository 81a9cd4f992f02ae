"""`sfh report` end to end against the fake Kolada: formats, JSON contract, exit codes."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import parse_report

from strategihalsa.cli import app, expand_goal_shorthand

runner = CliRunner()


def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


def report_json(env: dict, *args: str) -> dict:
    result = sfh(env, "report", "--kommun", "0680", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return parse_report(result.stdout)


def by_id(report: dict) -> dict[str, dict]:
    return {i["id"]: i for i in report["indicators"]}


def test_json_report_follows_the_contract(cli_env, fake):
    report = report_json(cli_env)
    assert report["schema"] == "sfh.report/1"
    assert report["source"] == "Kolada"
    assert report["api_url"] == fake.url
    assert report["unit"] == {"id": "0680", "title": "Jönköping", "type": "K"}
    assert (report["baseline_year"], report["target_year"]) == (2017, 2022)
    assert len(report["indicators"]) == 23
    keys = {"id", "goal", "title", "area", "kpi", "kpi_title", "direction", "target", "unit",
            "level", "baseline", "latest", "change", "improvement", "progress", "status",
            "reason", "by_gender", "comparisons"}
    assert all(keys <= set(i) for i in report["indicators"])
    # goal 21 (U01405): 76,0 → 77,1 of +3, improving; goal 10 (N15613) has a value for its
    # baseline year 2022 only: not judged, not "no data"
    assert report["summary"] == {"met": 4, "improving": 2, "not_improving": 1, "no_data": 15,
                                 "not_judged": 1, "with_data": 7}


def test_json_figures_match_hand_computation(cli_env):
    ind = by_id(report_json(cli_env))
    school = ind["behoriga-gymnasiet"]
    assert school["baseline"] == {"year": 2017, "value": 82.0}
    assert school["latest"] == {"year": 2022, "value": 85.5}  # the deleted 2023 entry ignored
    assert (school["change"], school["progress"], school["status"]) == (3.5, 1.75, "met")
    assert school["by_gender"]["K"]["change"] == 1.0
    assert school["by_gender"]["K"]["status"] == "improving"
    assert school["by_gender"]["M"]["status"] == "not_improving"
    assert school["comparisons"]["0000"]["status"] == "improving"
    assert school["comparisons"]["0006"]["change"] == -1.0
    falls = ind["fallskador-80plus"]
    assert (falls["change"], falls["improvement"], falls["status"]) == (-1100.0, 1100.0, "met")
    assert falls["comparisons"]["0000"]["improvement"] == 500.0
    trust = ind["tillit-till-andra"]
    assert trust["baseline"] == {"year": 2018, "value": 30.0}
    assert (trust["improvement"], trust["progress"], trust["status"]) == (1.5, 0.75, "improving")
    assert trust["reason"] == "utgångsläge 2018 (inget värde för 2017)"
    assert ind["medellivslangd-man"]["progress"] is None
    assert ind["medellivslangd-kvinnor"]["status"] == "not_improving"
    caries = ind["kariesfria-3-aringar"]
    assert (caries["level"], caries["change"], caries["status"]) == ("region", 3.0, "met")
    assert ind["tobaksrok-hemmet"]["reason"] == "nyckeltalet U01901 finns inte längre i Kolada"
    assert ind["tobaksrok-hemmet"]["kpi_title"] is None
    assert ind["trygga-elever-ak5"]["status"] == "not_judged"  # only its baseline year 2022
    assert ind["trygga-elever-ak5"]["reason_code"] == "latest_not_after_baseline"
    assert set(ind["gymnasieexamen"]["by_gender"]) == {"K", "M", "gap"}
    assert ind["medellivslangd-man"]["by_gender"] == {}


def test_one_report_costs_five_requests_at_once_then_the_group_then_none_from_cache(
        cli_env, fake):
    report_json(cli_env)
    paths = [p.split("?")[0] for p in fake.requests]
    kpis = next(p for p in paths if p.startswith("/v3/kpi/")).split("/")[3]
    years = next(p for p in paths if p.startswith("/v3/data/")).rsplit("/", 1)[1]
    early = f"/v3/data/kpi/{kpis}/municipality/0000,0006,0680/year/{years}"
    assert len(paths) == 5 and set(paths) >= {early, f"/v3/kpi/{kpis}", "/v3/municipality",
                                              "/v3/municipality_groups"}
    group = next(p for p in paths if "/municipality/G1001/" in p)  # the similar kommuner
    assert paths.index(group) > paths.index("/v3/municipality_groups")  # once it named them
    report_json(cli_env)
    assert len(fake.requests) == 5


def test_kommun_by_name_and_region_report(cli_env):
    named = sfh(cli_env, "report", "--kommun", "JONKOPING", "--format", "json")
    assert parse_report(named.stdout)["unit"]["id"] == "0680"
    region = sfh(cli_env, "report", "--region", "06", "--format", "json")
    assert region.exit_code == 0, region.stderr
    data = parse_report(region.stdout)
    assert data["unit"]["id"] == "0006"
    assert set(by_id(data)["kariesfria-3-aringar"]["comparisons"]) == {"0000"}
    assert by_id(data)["kariesfria-3-aringar"]["status"] == "met"


def test_table_output(cli_env):
    result = sfh(cli_env, "report", "--kommun", "0680")
    assert result.exit_code == 0, result.stderr
    assert "Strategi för hälsa – Jönköping (0680)" in result.stdout
    assert "God och jämlik hälsa" in result.stdout
    assert "✔ uppnått" in result.stdout
    assert "utgångsläge 2018 (inget värde för 2017)" in result.stdout
    assert ("4 av 7 bedömda indikatorer är uppnådda, 2 på väg, 1 utan förbättring; "
            "1 kan inte bedömas, 15 saknar data" in result.stdout)
    assert "\x1b[" not in result.stdout  # NO_COLOR and not a terminal: plain text
    assert result.stderr == ""


def test_csv_output_to_file(cli_env, tmp_path):
    target = tmp_path / "jkpg.csv"
    result = sfh(cli_env, "report", "--kommun", "0680", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 23
    school = next(r for r in rows if r["id"] == "behoriga-gymnasiet")
    assert (school["baseline_value"], school["latest_value"], school["status"]) == \
        ("82.0", "85.5", "met")
    assert (school["women_status"], school["riket_status"], school["region_change"]) == \
        ("improving", "improving", "-1.0")
    assert (school["similar_id"], school["similar_change"]) == ("G1001", "11.0")
    assert (school["gap_baseline"], school["gap_latest"], school["gap_change"]) == \
        ("4.0", "6.0", "2.0")


def test_baseline_and_year_options(cli_env):
    ind = by_id(report_json(cli_env, "--year", "2021"))
    assert ind["tillit-till-andra"]["latest"] == {"year": 2021, "value": 29.0}
    # up to 2021 its only value is the baseline year's (2017): nothing later to judge
    assert ind["behoriga-gymnasiet"]["status"] == "not_judged"
    early = by_id(report_json(cli_env, "--baseline", "2016"))
    assert early["behoriga-gymnasiet"]["baseline"] == {"year": 2016, "value": 80.0}
    assert early["behoriga-gymnasiet"]["change"] == 5.5


@pytest.mark.parametrize(("goals", "code"), [(None, 1), ("3,9", 0), ("22", 1), ("1", 0)])
def test_fail_on_missed(cli_env, goals, code):
    args = ["--fail-on-missed"] + (["--goals", goals] if goals else [])
    result = sfh(cli_env, "report", "--kommun", "0680", "--format", "json", *args)
    assert result.exit_code == code, result.stderr
    parse_report(result.stdout)  # the report is still written
    if code:
        assert "not met: Jönköping: goal 22 (tillit-till-andra): improving" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--kommun", "Jonkopin"], "unknown kommun 'Jonkopin'; did you mean Jönköping (0680)"),
    (["--kommun", "0006"], "0006 is a region (Region Jönköpings län), not a kommun"),
    (["--region", "99"], "no region has the code '99'"),
    ([], "give exactly one of --kommun, --region, --lan or --all"),
    (["--kommun", "0680", "--lan", "06"], "give exactly one of --kommun, --region"),
    (["--kommun", "0680", "--baseline", "2022", "--year", "2020"], "must be before --year 2020"),
    (["--kommun", "0680", "--year", "1980"], "--year 1980 is outside 1990.."),
    (["--kommun", "0680", "--year", "2999"], "--year 2999 is outside 1990.."),
    (["--kommun", "0680", "--year", "2017"], "--year 2017 must be after the baseline year 2017"),
    (["--kommun", "0680", "--year", "2016"], "--year 2016 must be after the baseline year 2017"),
    (["--kommun", "0680", "--baseline", str(date.today().year)], "--baseline"),
    (["--kommun", "0680", "--year", "2021.9"], "invalid value for '--year'"),
    (["--kommun", "0680", "--timeout", "inf"], "invalid value for '--timeout'"),
    (["--kommun", "0680", "--timeout", "1e308"], "invalid value for '--timeout'"),
    (["--kommun", "0680", "--api-url", "api.kolada.se/v3"],
     "--api-url 'api.kolada.se/v3' must start with https:// (or http://)"),
    (["--kommun", "0680", "--liknande", "xyz"],
     "--liknande 'xyz': Kolada has no such family of similar kommuner; it has socioekonomi"),
    (["--kommun", "0680", "--fail-on-missed", "--goals", "3,x"], "goal numbers like 3,4,13"),
    (["--kommun", "0680", "--goals", "0,23"], "goal numbers are 1..22"),
    (["--kommun", "0680", "--offline", "--no-cache"], "--offline needs the cache"),
    (["--kommun", "0680", "--format", "csv", "--output", "rapport.xlsx"],
     "--format csv does not match --output rapport.xlsx (a .xlsx file is xlsx)"),
])
def test_usage_errors_exit_2(cli_env, args, message):
    result = sfh(cli_env, "report", *args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()  # one line, never a boxed panel
    assert line.startswith("sfh: error: ") and message in line
    assert result.stdout == ""


def test_click_usage_errors_name_the_help_to_read(cli_env):
    result = sfh(cli_env, "report", "--kommune", "0680")
    assert result.exit_code == 2
    assert result.stderr == ("sfh: error: no such option: --kommune (Possible options: "
                             "--kommun); see 'sfh report --help'\n")
    missing = sfh(cli_env, "kpi").stderr
    assert missing == "sfh: error: missing argument 'KPI'; see 'sfh kpi --help'\n"


def test_bad_catalogue_exits_3(cli_env, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[strategy\n", encoding="utf-8")
    result = sfh({**cli_env, "SFH_CATALOGUE": str(bad)}, "report", "--kommun", "0680")
    assert result.exit_code == 3
    assert f"{bad}: TOML syntax error" in result.stderr


def test_unreachable_kolada_exits_4(cli_env):
    env = {**cli_env, "SFH_KOLADA_URL": "http://127.0.0.1:9/v3"}
    result = sfh(env, "report", "--kommun", "0680", "--no-cache", "--retries", "0")
    assert result.exit_code == 4
    assert "cannot reach Kolada at http://127.0.0.1:9/v3/municipality" in result.stderr
    assert "use --offline if the cache holds the answers" in result.stderr


def test_unwritable_output_exits_5_and_leaves_nothing(cli_env, tmp_path):
    target = tmp_path / "missing-dir" / "out.json"
    result = sfh(cli_env, "report", "--kommun", "0680", "--format", "json", "-o", str(target))
    assert result.exit_code == 5
    assert "cannot write" in result.stderr
    assert not target.parent.exists()


def test_existing_output_is_replaced_whole(cli_env, tmp_path):
    target = tmp_path / "out" / "out.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    result = sfh(cli_env, "report", "--kommun", "0680", "--format", "json", "-o", str(target))
    assert result.exit_code == 0
    assert parse_report(target.read_text(encoding="utf-8"))["unit"]["id"] == "0680"
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]  # no temporary file left


def test_version_and_help(cli_env):
    from strategihalsa import __version__

    assert sfh(cli_env, "--version").stdout.strip() == f"sfh {__version__}"
    help_text = sfh(cli_env, "report", "--help").stdout
    assert "sfh report --kommun 0680" in help_text
    assert "Exit codes" in help_text


def test_python_dash_m_runs_the_cli(cli_env):
    env = {**os.environ, **cli_env}
    done = subprocess.run([sys.executable, "-m", "strategihalsa", "report", "--kommun", "0680",
                           "--format", "json"], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert parse_report(done.stdout)["unit"]["title"] == "Jönköping"


@pytest.mark.parametrize("columns", ["80", "120", "200"])
def test_table_never_cuts_numbers_at_any_width(cli_env, columns):
    result = sfh({**cli_env, "COLUMNS": columns}, "report", "--kommun", "0680")
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert "2017: 6\u00a0000,0" in result.stdout  # falls 80+, thousands separated
    assert "2022: 4\u00a0900,0" in result.stdout
    if int(columns) < 100:  # compact: one text block per indicator
        flat = " ".join(result.stdout.replace("│", " ").split())
        assert "2017: 82,0 → 2022: 85,5, +3,5 av +2 pe (målnivå 84,0)" in flat


@pytest.mark.parametrize(("args", "expanded"), [
    (["--fail-on-missed", "3,4,13"], ["--fail-on-missed", "--goals", "3,4,13"]),
    (["--fail-on-missed=22"], ["--fail-on-missed", "--goals", "22"]),
    (["--fail-on-missed", "-f", "json"], ["--fail-on-missed", "-f", "json"]),
    (["-k", "0680", "--fail-on-missed"], ["-k", "0680", "--fail-on-missed"]),
])
def test_fail_on_missed_goal_shorthand(args, expanded):
    assert expand_goal_shorthand(args) == expanded


@pytest.mark.parametrize(("goals", "code"), [("3,9", 0), ("22", 1)])
def test_fail_on_missed_shorthand_end_to_end(cli_env, goals, code):
    env = {**os.environ, **cli_env}
    done = subprocess.run([sys.executable, "-m", "strategihalsa", "report", "--kommun", "0680",
                           "--format", "json", "--fail-on-missed", goals], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == code, done.stderr


def test_impossible_years_fail_before_any_request(cli_env, fake):
    result = sfh(cli_env, "report", "--kommun", "0680", "--baseline", "2022", "--year", "2020")
    assert result.exit_code == 2
    assert fake.requests == []


@pytest.mark.parametrize("stdout", [[], ["--output", "-"]])
def test_binary_formats_go_to_a_pipe_but_never_to_a_terminal(cli_env, monkeypatch, stdout):
    piped = sfh(cli_env, "report", "-k", "0680", "-f", "xlsx", *stdout)
    assert piped.exit_code == 0, piped.stderr
    assert zipfile.is_zipfile(io.BytesIO(piped.stdout_bytes))
    monkeypatch.setattr("strategihalsa.cli.reports.stdout_is_terminal", lambda: True)
    refused = sfh(cli_env, "report", "-k", "0680", "-f", "xlsx", *stdout)
    assert refused.exit_code == 2
    assert "--format xlsx is binary: add --output FILE" in refused.stderr
    assert refused.stdout_bytes == b""


def test_quiet_prints_nothing_unless_something_is_wrong(cli_env, tmp_path):
    folder = tmp_path / "veckans"
    batch = sfh(cli_env, "report", "--lan", "06", "-f", "xlsx", "-d", str(folder), "--quiet",
                "--liknande", "ingen")
    assert (batch.exit_code, batch.stderr) == (0, "")
    assert len(list(folder.iterdir())) == 3 + 1  # the units and the län workbook
    one = sfh(cli_env, "report", "-k", "0680", "-o", str(tmp_path / "a.json"), "-q")
    assert (one.exit_code, one.stderr) == (0, "")
    loud = sfh(cli_env, "report", "--lan", "06", "-f", "xlsx", "-d", str(folder),
               "--liknande", "ingen")
    assert loud.stderr == f"sfh: wrote 4 file(s) to {folder}\n"
    warned = sfh(cli_env, "report", "--lan", "06", "-f", "csv", "-q")  # a real warning stays
    assert warned.stderr.startswith("sfh: warning: Kolada has no 'Liknande kommuner/regioner")


@pytest.mark.parametrize(("name", "looks_like"), [
    ("rapport.xlsx", lambda data: zipfile.is_zipfile(io.BytesIO(data))),
    ("rapport.json", lambda data: parse_report(data.decode())["unit"]["id"] == "0680"),
    ("RAPPORT.CSV", lambda data: data.startswith(b"unit_id,")),
    ("rapport.txt", lambda data: "Strategi för hälsa – Jönköping" in data.decode()),
    ("rapport.out", lambda data: "Strategi för hälsa – Jönköping" in data.decode()),
])
def test_the_output_file_name_implies_the_format(cli_env, tmp_path, name, looks_like):
    target = tmp_path / name
    result = sfh(cli_env, "report", "-k", "0680", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert looks_like(target.read_bytes())
    agreeing = sfh(cli_env, "report", "-k", "0680", "-o", str(target), "-f", "table")
    assert agreeing.exit_code == (0 if name.endswith((".txt", ".out")) else 2)


def test_overview_output_name_implies_the_format(cli_env, tmp_path):
    target = tmp_path / "sverige.xlsx"
    assert sfh(cli_env, "overview", "-o", str(target)).exit_code == 0
    assert zipfile.is_zipfile(target)


def test_goals_select_the_goals_in_every_format(cli_env):
    data = report_json(cli_env, "--goals", "3,9")
    assert [i["goal"] for i in data["indicators"]] == [3, 9]
    assert data["summary"]["with_data"] == 2
    rows = list(csv.DictReader(io.StringIO(
        sfh(cli_env, "report", "-k", "0680", "-f", "csv", "--goals", "3,9").stdout)))
    assert [r["goal"] for r in rows] == ["3", "9"]
    table = sfh(cli_env, "report", "-k", "0680", "--goals", "3,9").stdout
    assert "N15428" in table and "N20402" in table and "N00925" not in table
    assert "2 av 2 bedömda indikatorer är uppnådda" in " ".join(table.split())


def test_fail_on_missed_warns_when_the_goals_have_no_data(cli_env):
    result = sfh(cli_env, "report", "-k", "0680", "-f", "json", "--fail-on-missed", "1,10")
    assert result.exit_code == 0
    assert result.stderr == ("sfh: warning: no goal 1, 10 has data to judge: --fail-on-missed "
                             "checked nothing\n")


def test_follow_up_year_shows_in_the_table_and_the_json(cli_env):
    table = " ".join(sfh(cli_env, "report", "-k", "0680", "--year", "2021").stdout.split())
    assert "Utgångsläge 2017, uppföljning 2021, målår 2022" in table
    assert report_json(cli_env, "--year", "2021")["follow_up_year"] == 2021


def test_lan_by_its_name(cli_env):
    for name in ("Jönköpings län", "jonkopings lan", "Jönköping län", "Region Jönköpings län"):
        result = sfh(cli_env, "report", "--lan", name, "-f", "csv", "--liknande", "ingen")
        assert result.exit_code == 0, result.stderr
        assert {r["unit_id"] for r in csv.DictReader(io.StringIO(result.stdout))} == \
            {"0006", "0643", "0680"}


def tricky_data():
    from fixture_data import fixture_data

    data = fixture_data()
    for unit in data.municipalities:
        if unit["id"] == "0643":
            unit["title"] = "Habo [/x] [red]"
    for kpi in data.kpis:
        if kpi["id"] == "N20402":
            kpi["title"] = "Fall [/] [bold]80+"
    return data


def test_text_from_kolada_is_never_markup(tmp_path):
    from fake_kolada import FakeKolada

    with FakeKolada(tricky_data()) as server:
        env = {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(tmp_path), "NO_COLOR": "1",
               "COLUMNS": "120"}
        report = sfh(env, "report", "-k", "0643")
        assert report.exit_code == 0, report.stderr
        assert "Habo [/x] [red] (0643)" in report.stdout
        assert "group for Habo [/x] [red]" in report.stderr
        listed = sfh(env, "kommuner", "habo")
        assert listed.exit_code == 0 and "Habo [/x] [red]" in listed.stdout
        kpi = sfh(env, "kpi", "N20402")
        assert kpi.exit_code == 0 and "Fall [/] [bold]80+" in kpi.stdout
        overview = sfh(env, "overview")
        assert overview.exit_code == 0 and "Fall [/] [bold]80+" not in overview.stderr
        ranked = sfh(env, "report", "-k", "0643", "--rank")
        assert ranked.exit_code == 0 and "Habo [/x] [red] (0643)" in ranked.stdout
        checked = sfh(env, "check")  # the built-in catalogue names U01901, which Kolada lacks
        assert checked.exit_code == 3 and "U01901" in checked.stdout


def test_diagnostics_carry_no_control_characters(capsys):
    from strategihalsa.cli.app import error

    error("warning: Habo\x1b[31m\x07 röd")
    assert capsys.readouterr().err == "sfh: warning: Habo röd\n"


@pytest.mark.parametrize("args", [  # a repeated --kommun/--region compares side by side
    ["report", "--lan", "06", "--lan", "01"],
    ["overview", "--lan", "06", "--lan", "01"],
])
def test_a_repeated_unit_option_is_refused_not_dropped(cli_env, args):
    done = runner.invoke(app, args, env=cli_env)
    assert done.exit_code == 2
    assert f"{args[1]} was given 2 times" in done.stderr
    assert done.stdout == ""


def test_overview_help_lists_only_its_own_exit_codes():
    text = runner.invoke(app, ["overview", "--help"], env={"COLUMNS": "120"}).stdout
    assert "130" in text and "some goal not met" not in text
    assert "some goal not met" in runner.invoke(app, ["report", "--help"],
                                                env={"COLUMNS": "120"}).stdout


@pytest.mark.parametrize("args", [["--help"], ["report", "--help"], ["cache", "clear", "-h"]])
def test_help_shows_no_type_after_a_flag(args):
    """Neither after sfh's flags nor after --help."""
    text = runner.invoke(app, args, env={"COLUMNS": "120"}).stdout
    assert "Show this message and exit." in text
    assert "<bool>" not in text and "BOOLEAN" not in text


def test_help_still_shows_the_type_of_an_option_taking_a_value():
    text = runner.invoke(app, ["report", "--help"], env={"COLUMNS": "120"}).stdout
    assert "--fail-on-missed" in text and "--baseline INTEGER" in text
