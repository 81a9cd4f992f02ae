"""The Python API (`import strategihalsa as sfh`) against the fake Kolada's fixture data.

Expected figures are read off tests/fixture_data.py by hand: Jönköping's N15428 (goal 3) is
82,0 in 2017 and 85,5 in 2022 (change +3,5 against a target of +2: met); women 84,0 → 85,0,
men 80,0 → 79,0.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import strategihalsa as sfh
from strategihalsa.errors import CatalogueError, UsageError

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def kolada(fake, tmp_path) -> dict:
    """Connection arguments for the fake, with a private cache."""
    return {"api_url": fake.url, "cache": tmp_path / "cache", "timeout": 2.0, "backoff": 0.0}


def test_report_gives_the_typed_model_and_a_frame(kolada):
    reports = sfh.report("0680", **kolada)
    assert len(reports) == 1 and reports[0].unit.title == "Jönköping"
    frame = reports.to_polars()
    goal3 = frame.filter(frame["goal"] == 3).row(0, named=True)
    assert (goal3["baseline_year"], goal3["baseline_value"]) == (2017, 82.0)
    assert (goal3["latest_year"], goal3["latest_value"]) == (2022, 85.5)
    assert goal3["change"] == pytest.approx(3.5) and goal3["status"] == "met"
    assert goal3["women_change"] == pytest.approx(1.0) and goal3["men_change"] == -1.0
    assert frame.height == len(reports[0].results)


def test_goals_and_no_similar_kommuner(kolada):
    plain = sfh.report("Jönköping", goals=[3, 9], liknande="ingen", **kolada)
    assert [r.indicator.goal for r in plain[0].results] == [3, 9]
    assert {c.role for r in plain[0].results for c in r.comparisons} == {"riket", "region"}
    compared = sfh.report("0680", goals=[3], **kolada)
    assert "G1001" in compared.to_dicts()[0]["indicators"][0]["comparisons"]


def test_offline_uses_only_the_cache(kolada, fake):
    sfh.report("0680", **kolada)
    asked = len(fake.requests)
    again = sfh.report("0680", offline=True, **kolada)
    assert len(fake.requests) == asked  # not one request
    goal3 = next(i for i in again.to_dicts()[0]["indicators"] if i["goal"] == 3)
    assert goal3["latest"]["value"] == 85.5
    with pytest.raises(UsageError, match="offline"):
        sfh.report("0680", **{**kolada, "cache": False, "offline": True})


def test_files_through_the_renderer_registry(kolada, tmp_path):
    reports = sfh.report("0680", **kolada)
    path = reports.to_xlsx(tmp_path / "jkpg.xlsx")
    assert "Sammanfattning" in load_workbook(path).sheetnames
    assert reports.to_html().startswith("<!DOCTYPE html>")
    assert reports.write(tmp_path / "jkpg.csv").read_text("utf-8").startswith("unit_id,")


def test_a_lan_writes_one_file_per_unit(kolada, tmp_path):
    lan = sfh.report(lan="06", liknande="ingen", **kolada)
    assert [r.unit.id for r in lan] == ["0006", "0643", "0680"]
    folder = lan.write(tmp_path / "out", "xlsx")
    assert sorted(p.name for p in folder.iterdir()) == [  # and the län workbook
        "0006-region-jonkopings-lan.xlsx", "06-jonkopings-lan.xlsx", "0643-habo.xlsx",
        "0680-jonkoping.xlsx"]
    with pytest.raises(UsageError, match="one unit per file"):
        lan.to_html()


def test_overview(kolada):
    result = sfh.overview(lan="06", **kolada)
    frame = result.to_polars()
    jkpg = frame.filter((frame["unit_id"] == "0680") & (frame["goal"] == 3)).row(0, named=True)
    assert jkpg["change"] == pytest.approx(3.5)
    assert {d["kpi"] for d in result.to_dicts()} >= {"N15428", "N20402"}


def test_errors_are_typed(kolada, tmp_path):
    with pytest.raises(UsageError):
        sfh.report("Jonkopin", **kolada)
    bad = tmp_path / "bad.toml"
    bad.write_text("[strategy]\n", encoding="utf-8")
    with pytest.raises(CatalogueError):
        sfh.report("0680", catalogue=bad, **kolada)


def test_import_stays_light():
    code = ("import sys, strategihalsa as sfh; assert callable(sfh.report); "
            "print(sorted(m for m in ('polars', 'requests', 'openpyxl') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_readme_python_api_example_runs(fake, tmp_path):
    section = README.split("## Python API", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)
    env = {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True,
                          cwd=tmp_path, env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "N15428" in done.stdout and (tmp_path / "jonkoping.xlsx").exists()


def test_errors_name_arguments_not_options():
    from strategihalsa.cli.app import option
    from strategihalsa.settings import ClientSettings, Period

    with pytest.raises(UsageError) as failure:
        ClientSettings(timeout=0.0)
    assert str(failure.value).startswith("timeout must be a number of seconds in 0.1..600")
    assert failure.value.spelled(option).startswith("--timeout must be")
    with pytest.raises(UsageError) as failure:
        Period(2022, 2020)
    assert str(failure.value) == "baseline 2022 must be before year 2020"
    assert failure.value.spelled(option) == "--baseline 2022 must be before --year 2020"
    with pytest.raises(UsageError) as failure:
        ClientSettings(offline=True)
    assert str(failure.value) == "offline needs the cache; drop cache=False"


def test_a_local_indicator_is_marked_alike_in_every_format():
    from strategihalsa.catalogue import Indicator
    from strategihalsa.render import words

    local = Indicator("X1", "Egen", "Lokala mål", "N1", "increase", 1.0, "procent", 2017)
    goal3 = Indicator("G3", "Mål tre", "Hälsa", "N2", "increase", 1.0, "procent", 2017, goal=3)
    assert (words.goal_number(local), words.goal_label(local)) == ("L", "Lokal indikator")
    assert (words.goal_number(goal3), words.goal_label(goal3)) == ("3", "Mål 3")
    assert words.column_label(local, 1, 2) == "Lb"


def test_the_workbook_explains_the_family_of_similar_units_actually_used(kolada):
    from dataclasses import replace

    from strategihalsa.model import Compared
    from strategihalsa.render.xlsx.about import concepts
    from strategihalsa.units import Unit
    from strategihalsa.vocabulary import Role

    report = sfh.report("0680", goals=[3], **kolada)[0]  # the fixture's G1001: socioekonomi
    meaning = dict(concepts(report))["Liknande kommuner"]
    assert "lika i socioekonomisk struktur." in meaning
    overall = Unit("G9", "Liknande kommuner, övergripande, Jönköping, 2025", "G", 7)
    other = replace(report, compared=tuple(
        Compared(c.role, overall) if c.role is Role.SIMILAR else c for c in report.compared))
    meaning = dict(concepts(other))["Liknande kommuner"]
    assert "lika i familjen ”övergripande”." in meaning and "socioekonomisk" not in meaning


def test_library_messages_name_arguments_the_cli_names_options():
    from strategihalsa.catalogue import parse_goals
    from strategihalsa.cli.app import option
    from strategihalsa.groups import check_family, editions
    from strategihalsa.kolada.records import Group
    from strategihalsa.source import parse_age
    from strategihalsa.units import Selection

    def both(call) -> tuple[str, str]:
        with pytest.raises(UsageError) as failure:
            call()
        return str(failure.value), failure.value.spelled(option)

    assert both(Selection) == (
        "give exactly one of kommun, region, lan or all_units",
        "give exactly one of --kommun, --region, --lan or --all")
    assert both(lambda: parse_goals("3,x"))[0] == "goals takes goal numbers like 3,4,13, not '3,x'"
    assert both(lambda: parse_goals("0"))[1] == "--goals: goal numbers are 1..22, got '0'"
    assert both(lambda: parse_age("soon")) == (
        "max_age 'soon' is not an age such as 1d, 12h or 30m",
        "--max-age 'soon' is not an age such as 1d, 12h or 30m")
    found = editions([Group("G1", "Liknande kommuner socioekonomi, Jönköping, 2024", ())])
    python, cli = both(lambda: check_family(found, "xyz"))
    assert python.startswith("liknande 'xyz': Kolada has no such family")
    assert cli.startswith("--liknande 'xyz': Kolada has no such family")


def test_a_region_code_for_a_kommun_names_the_region_argument(kolada):
    with pytest.raises(UsageError) as failure:
        sfh.report("0006", **kolada)
    assert str(failure.value).endswith("not a kommun: use region 0006")
    assert "--" not in str(failure.value)


def test_kolada_messages_name_arguments(fake, tmp_path):
    from strategihalsa.errors import KoladaError

    with pytest.raises(KoladaError) as failure:
        sfh.report("0680", api_url=fake.url + "/nowhere", cache=False, retries=0)
    assert "check api_url" in str(failure.value) and "--" not in str(failure.value)


def test_sync_and_changes_from_python(kolada, fake):
    first = sfh.sync(liknande="ingen", **kolada)
    assert first.parent.name == "store" and (first / "values.parquet").exists()
    assert sfh.changes(cache=kolada["cache"]) is None  # one snapshot: nothing to compare
    row = next(e for e in fake.state.data.values[("N15428", "0680")][2022] if e["gender"] == "T")
    row["value"] = 86.0  # revised from 85,5 (tests/fixture_data.py)
    sfh.sync(liknande="ingen", **kolada)
    found = sfh.changes(kommun="0680", cache=kolada["cache"])
    assert found is not None and found.changed
    revised = found.to_dict()["revised"]
    assert [(r["kpi"], r["unit"], r["year"], r["before"], r["after"]) for r in revised] == [
        ("N15428", "0680", 2022, 85.5, 86.0)]
    assert "Reviderade värden" in found.to_text()


def test_sync_and_changes_refuse_what_cannot_work(kolada):
    with pytest.raises(UsageError) as failure:
        sfh.sync(**{**kolada, "offline": True})
    assert "drop offline and cache=False" in str(failure.value)
    with pytest.raises(UsageError, match="since 'yesterday' is not a date"):
        sfh.changes(since="yesterday", cache=kolada["cache"])
    with pytest.raises(UsageError, match=r"^keep must be in 1\.\.1000, not 0$"):
        sfh.sync(keep=0, **kolada)
    with pytest.raises(UsageError, match=r"^tolerance must be in 0\.\.1, not 2$"):
        sfh.changes(tolerance=2, cache=kolada["cache"])
