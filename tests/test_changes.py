"""`sfh changes` against two syncs of the fake Kolada: exactly what changed, hand-checked
from tests/fixture_data.py, with exit 6; noise under the tolerance is no change."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import shipped_schema

from strategihalsa.catalogue import builtin_path
from strategihalsa.cli import app
from strategihalsa.kolada.records import Complaints, kpis_from_api
from strategihalsa.store.changes import due
from strategihalsa.store.snapshot import Snapshot, snapshot_paths, store_folder

runner = CliRunner()
CHANGES_SCHEMA = shipped_schema("changes")


def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


def sync(env: dict) -> None:
    result = sfh(env, "sync", "--quiet")
    assert result.exit_code == 0, result.stderr


def entry(fake, kpi: str, unit: str, year: int, gender: str = "T") -> dict:
    return next(e for e in fake.state.data.values[(kpi, unit)][year] if e["gender"] == gender)


def kpi(fake, kpi_id: str) -> dict:
    return next(k for k in fake.state.data.kpis if k["id"] == kpi_id)


def changes_json(env: dict, *args: str) -> tuple[int, dict]:
    """The exit code and the JSON output, validated against the shipped schema."""
    result = sfh(env, "changes", "--format", "json", *args)
    data = json.loads(result.stdout)
    jsonschema.validate(data, CHANGES_SCHEMA)
    return result.exit_code, data


def test_changes_lists_exactly_what_kolada_changed(cli_env, fake):
    sync(cli_env)
    entry(fake, "N20402", "0000", 2017)["value"] = 5100.0  # revised (was 5000)
    entry(fake, "N00925", "0680", 2022)["value"] = 84.0 * (1 + 1e-8)  # republishing noise
    fake.state.data.values[("N15428", "0000")][2023].append(
        {"gender": "T", "count": 1, "status": "", "value": 88.0, "isdeleted": False})  # new year
    entry(fake, "N20402", "0000", 2022)["isdeleted"] = True  # deleted (was 4500)
    kpi(fake, "U01413")["title"] = "Testnyckeltal U01413 (-2024)"  # retired
    kpi(fake, "N80401")["title"] = "Testnyckeltal N80401 per 100 000"  # redefined
    sync(cli_env)
    code, found = changes_json(cli_env)
    assert code == 6 and found["changed"] is True
    assert found["published"] == [{"kpi": "N15428", "year": 2023, "units": 1,
                                   "new_year": True}]
    assert found["revised"] == [{"kpi": "N20402", "unit": "0000", "year": 2017, "gender": "T",
                                 "before": 5000.0, "after": 5100.0}]
    assert found["deleted"] == [{"kpi": "N20402", "unit": "0000", "year": 2022, "gender": "T",
                                 "before": 4500.0, "after": None}]
    assert found["redefined"] == [{"kpi": "N80401", "field": "title",
                                   "before": "Testnyckeltal N80401",
                                   "after": "Testnyckeltal N80401 per 100 000"}]
    assert found["retired"] == [{"kpi": "U01413", "title": "Testnyckeltal U01413 (-2024)"}]
    assert found["goals"] == []  # only Riket's values changed: no unit's goal moved


def test_the_text_tells_the_same_in_swedish(cli_env, fake):
    sync(cli_env)
    entry(fake, "N20402", "0000", 2017)["value"] = 5100.0
    kpi(fake, "N80401")["title"] = "Testnyckeltal N80401 per 100 000"
    sync(cli_env)
    result = sfh(cli_env, "changes")
    assert result.exit_code == 6
    older, newer = (Snapshot(p).manifest.fetched.astimezone(ZoneInfo("Europe/Stockholm"))
                    for p in snapshot_paths(store_folder(Path(cli_env["SFH_CACHE_DIR"]))))
    assert result.stdout.startswith(  # to the second: two syncs may be a minute apart
        f"Ändringar i Kolada mellan {older:%Y-%m-%d %H:%M:%S %Z} och "
        f"{newer:%Y-%m-%d %H:%M:%S %Z}\n")
    assert "N20402: 1 värde, t.ex. 0000 2017 T: 5000 → 5100" in result.stdout
    assert "id:t kan nu mäta något annat" in result.stdout
    assert "N80401 title: 'Testnyckeltal N80401' → 'Testnyckeltal N80401 per 100 000'" \
        in result.stdout
    assert sfh(cli_env, "changes", "--quiet").stdout == ""


def test_noise_under_the_tolerance_is_no_change(cli_env, fake):
    sync(cli_env)
    entry(fake, "N00925", "0680", 2022)["value"] = 84.0 * (1 + 1e-8)
    entry(fake, "N15428", "0680", 2022)["value"] = 85.5 * (1 - 5e-7)
    sync(cli_env)
    result = sfh(cli_env, "changes")
    assert result.exit_code == 0 and "Inga ändringar." in result.stdout
    assert sfh(cli_env, "changes", "--tolerance", "1e-9").exit_code == 6


def test_a_goal_whose_status_changed(cli_env, fake):
    sync(cli_env)
    # Jönköping, goal 3 (N15428, increase by 2): 82.0 (2017) → 85.5 (2022) is +3.5, met;
    # revised to 83.0 it is +1.0, improving
    entry(fake, "N15428", "0680", 2022)["value"] = 83.0
    sync(cli_env)
    code, found = changes_json(cli_env, "--kommun", "0680")
    assert code == 6
    (goal,) = found["goals"]
    assert (goal["unit"], goal["goal"], goal["kpi"]) == ("0680", 3, "N15428")
    assert goal["status"] == ["met", "improving"]
    assert goal["outlook"][0] == "met" and goal["outlook"][1] != "met"


def test_changes_needs_two_snapshots(cli_env):
    none = sfh(cli_env, "changes")
    assert none.exit_code == 4 and "run `sfh sync` first" in none.stderr
    sync(cli_env)
    one = sfh(cli_env, "changes")
    assert one.exit_code == 0 and "nothing to compare yet" in one.stderr


def test_since_compares_with_the_snapshot_before_that_day(cli_env, fake):
    sync(cli_env)
    sync(cli_env)
    store = store_folder(Path(cli_env["SFH_CACHE_DIR"]))
    first = snapshot_paths(store)[0]
    first.rename(store / first.name.replace(first.name[:8], "20200101"))
    entry(fake, "N20402", "0000", 2017)["value"] = 5100.0
    sync(cli_env)
    assert changes_json(cli_env)[0] == 6
    code, found = changes_json(cli_env, "--since", "2021-01-01")
    assert code == 6 and found["older"]["fetched_at"] != found["newer"]["fetched_at"]
    assert sfh(cli_env, "changes", "--since", "1.1.2021").exit_code == 2


def test_kpis_due_are_those_published_since_the_snapshot(cli_env, fake):
    kpi(fake, "N80401")["publication_date"] = "2030-01-15"
    sync(cli_env)
    snapshot = Snapshot(snapshot_paths(store_folder(Path(cli_env["SFH_CACHE_DIR"])))[-1])
    assert [d.kpi for d in due(snapshot, date(2030, 1, 20))] == ["N80401"]
    assert due(snapshot, date(2030, 1, 14)) == []


def test_the_next_publication_date_is_read_from_kolada():
    raws = [{"id": "N1", "title": "a", "municipality_type": "K", "publication_date": "2026-09-25"},
            {"id": "N2", "title": "b", "municipality_type": "K", "publication_date": "snart"},
            {"id": "N3", "title": "c", "municipality_type": "K", "publication_date": "2026-13-45"},
            {"id": "N4", "title": "d", "municipality_type": "K", "publication_date": 20260925}]
    kpis = kpis_from_api(raws, Complaints())
    assert [k.publication_date for k in kpis] == ["2026-09-25", "", "", ""]


def test_sfh_schema_changes_prints_the_shipped_schema(cli_env):
    result = sfh(cli_env, "schema", "changes")
    assert result.exit_code == 0 and json.loads(result.stdout) == CHANGES_SCHEMA
    assert CHANGES_SCHEMA["properties"]["schema"]["const"] == "sfh.changes/1"


@pytest.mark.parametrize("path, bad", [(("goals", 0, "status", 1), "better"),
                                       (("revised", 0, "gender"), "X"),
                                       (("published", 0, "units"), "1")])
def test_the_changes_schema_refuses_what_sfh_never_writes(path, bad):
    value = {"kpi": "N1", "unit": "0680", "year": 2022, "gender": "T", "before": 1.0,
             "after": 2.0}
    goal = {"unit": "0680", "unit_title": "Jönköping", "goal": 3, "kpi": "N15428",
            "status": ["met", "improving"], "outlook": ["met", "on_track"]}
    data = {"schema": "sfh.changes/1", "changed": True, "tolerance": 1e-6,
            "older": {"fetched_at": "2026-12-03T05:00:00+00:00", "api_url": "u"},
            "newer": {"fetched_at": "2026-12-04T05:00:00+00:00", "api_url": "u"},
            "published": [{"kpi": "N1", "year": 2023, "units": 1, "new_year": True}],
            "revised": [value], "deleted": [], "redefined": [], "retired": [],
            "goals": [goal], "due": []}
    jsonschema.validate(data, CHANGES_SCHEMA)
    *parents, last = path
    target = data
    for step in parents:
        target = target[step]
    target[last] = bad
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, CHANGES_SCHEMA)


LOCAL_ON_N15428 = '''
[[indicator]]
id = "behorighet-lokalt"
title = "Fler behöriga till gymnasiet i vår kommun"
area = "Lokala mål"
kpi = "N15428"
direction = "increase"
target = 2
unit = "procentenheter"
'''


def test_a_local_indicator_whose_status_changed_has_no_goal_number(cli_env, fake, tmp_path):
    head = builtin_path().read_text(encoding="utf-8").split("\n[[indicator]]\n")[0]
    path = tmp_path / "lokal.toml"
    path.write_text(head + LOCAL_ON_N15428, encoding="utf-8")
    env = {**cli_env, "SFH_CATALOGUE": str(path)}
    sync(env)
    # the same revision as for goal 3 above: +3.5 (met) becomes +1.0 (improving)
    entry(fake, "N15428", "0680", 2022)["value"] = 83.0
    sync(env)
    code, found = changes_json(env, "--kommun", "0680")
    (goal,) = found["goals"]
    assert (code, goal["goal"], goal["status"]) == (6, None, ["met", "improving"])
    text = sfh(env, "changes", "--kommun", "0680").stdout
    assert "0680 Jönköping: lokal indikator (N15428) uppnått → på väg" in " ".join(text.split())
