"""The inspection commands: indicators, kommuner, kpi, check, init-catalogue, schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from strategihalsa.catalogue import builtin_path, load_catalogue
from strategihalsa.check import check_catalogue
from strategihalsa.cli import app
from strategihalsa.kolada.records import Kpi

runner = CliRunner()


def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


def test_indicators_lists_the_catalogue(cli_env):
    rows = json.loads(sfh(cli_env, "indicators", "--format", "json").stdout)
    assert len(rows) == 23
    falls = next(r for r in rows if r["id"] == "fallskador-80plus")
    assert (falls["kpi"], falls["direction"], falls["target"]) == ("N20402", "decrease", 1000.0)
    table = sfh(cli_env, "indicators").stdout
    assert "fallskador-80plus" in table and "N20402" in table
    assert "minska" in table and "1\u00a0000" in table and "öka" in table
    assert "decrease" not in table and "increase" not in table and "2.0" not in table


@pytest.mark.parametrize("columns", ["60", "80", "120", "200"])
def test_inspection_tables_never_break_words(cli_env, columns):
    env = {**cli_env, "COLUMNS": columns}
    for args, code, expected in (
            (["indicators"], 0, ["fallskador-80plus", "procentenheter", "Målområde",
                                 "behoriga-gymnasiet"]),
            (["kommuner"], 0, ["Region Jönköpings län", "0680"]),
            (["kpi", "N20402"], 0, ["Uppdelat på kön", "4\u00a0500,0"]),
            (["check"], 3, ["tobaksrok-hemmet", "U01901"])):  # 3: U01901 is retired
        result = sfh(env, *args)
        assert result.exit_code == code, result.stderr
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= int(columns)
        for word in expected:
            assert any(word in line for line in lines), (args, columns, result.stdout)

def test_kommuner_search_is_accent_insensitive(cli_env):
    rows = json.loads(sfh(cli_env, "kommuner", "jonk", "--format", "json").stdout)
    assert rows == [{"id": "0006", "title": "Region Jönköpings län", "type": "region",
                     "lan": "06"},
                    {"id": "0680", "title": "Jönköping", "type": "kommun", "lan": "06"}]
    by_code = json.loads(sfh(cli_env, "kommuner", "06", "--format", "json").stdout)
    assert [r["id"] for r in by_code] == ["0006", "0643", "0680"]  # the region of län 06 too
    everything = json.loads(sfh(cli_env, "kommuner", "--format", "json").stdout)
    assert [r["id"] for r in everything] == ["0001", "0006", "0180", "0643", "0680"]
    none = sfh(cli_env, "kommuner", "xyz")
    assert none.exit_code == 2 and "no kommun or region matches 'xyz'" in none.stderr


def test_kpi_shows_metadata_and_riket_values(cli_env):
    data = json.loads(sfh(cli_env, "kpi", "n20402", "--format", "json").stdout)
    assert data["id"] == "N20402"
    assert data["municipality_type"] == "A"
    assert data["riket"] == [{"year": 2022, "gender": "T", "value": 4500.0},
                             {"year": 2017, "gender": "T", "value": 5000.0}]
    table = sfh(cli_env, "kpi", "N20402").stdout
    assert "Testnyckeltal N20402" in table and "4\u00a0500,0" in table
    assert "Uppdelat på kön" in table and "kommuner och regioner" in table
    assert "totalt" in table and "4500.0" not in table
    for raw in ("is_divided_by_gender", "municipality_type", "True", "False"):
        assert raw not in table


def test_kpi_without_values_says_so(cli_env):
    result = sfh(cli_env, "kpi", "N15613")
    assert result.exit_code == 0, result.stderr
    assert "Riket: Kolada har inga värden för N15613." in result.stdout
    assert "Riket, senaste åren" not in result.stdout


@pytest.mark.parametrize(("kpi", "message"), [("U01901", "Kolada has no KPI U01901"),
                                              ("bogus", "is not a Kolada KPI id")])
def test_kpi_rejects_unknown_ids(cli_env, kpi, message):
    result = sfh(cli_env, "kpi", kpi)
    assert result.exit_code == 2
    assert message in result.stderr


def retire(meta: list[dict], kpi: str, year: int) -> list[dict]:
    return [{**m, "title": f"{m['title']} (-{year})"} if m["id"] == kpi else m for m in meta]


def test_check_finds_missing_and_retired_kpis_and_level_warnings():
    from fixture_data import KPIS

    findings = check_catalogue(load_catalogue(),
                               [Kpi.from_api(m) for m in retire(KPIS, "U71455", 2024)])
    errors = {(f.kpi, f.message) for f in findings if f.severity == "error"}
    assert errors == {("U01901", "U01901 finns inte i Kolada (borttaget eller felskrivet)"),
                      ("U71455", "U71455 är avslutat: sista data avser 2024")}
    warnings = {(f.kpi, f.message.split(":")[0]) for f in findings if f.severity == "warning"}
    assert ("N80401", "N80401 redovisas bara för regioner") in warnings
    assert ("N33871", "N33871 redovisas bara för kommuner") in warnings
    assert ("N33871", "N33871 är inte uppdelat på kön") in warnings
    assert not any(kpi in ("N00925", "N00923") for kpi, _ in warnings)  # women/men by title
    assert [f.severity for f in findings] == sorted(f.severity for f in findings)


def test_check_exit_codes(cli_env, tmp_path):
    failing = sfh(cli_env, "check")
    assert failing.exit_code == 3  # U01901 is not in Kolada
    assert "fel" in failing.stdout and "varning" in failing.stdout
    clean = tmp_path / "clean.toml"
    text = builtin_path().read_text(encoding="utf-8").replace('kpi = "U01901"', 'kpi = "N20402"')
    clean.write_text(text, encoding="utf-8")
    relaxed = sfh(cli_env, "check", "--catalogue", str(clean))
    assert relaxed.exit_code == 0, relaxed.stdout
    assert "0 error(s)" in relaxed.stderr
    assert sfh(cli_env, "check", "--catalogue", str(clean), "--strict").exit_code == 3
    rows = json.loads(sfh(cli_env, "check", "--catalogue", str(clean), "-f", "json").stdout)
    assert {r["severity"] for r in rows} == {"warning"}


def test_init_catalogue_writes_a_loadable_copy_and_refuses_to_overwrite(cli_env, tmp_path):
    target = tmp_path / "min-kommun.toml"
    assert sfh(cli_env, "init-catalogue", str(target)).exit_code == 0
    assert load_catalogue(target).indicators == load_catalogue().indicators
    assert "# Keys of each [[indicator]]" in target.read_text(encoding="utf-8")
    again = sfh(cli_env, "init-catalogue", str(target))
    assert again.exit_code == 2 and "add --force" in again.stderr
    assert sfh(cli_env, "init-catalogue", str(target), "--force").exit_code == 0


def test_schema_report_is_a_valid_schema_that_accepts_a_report(cli_env):
    schema = json.loads(sfh(cli_env, "schema", "report").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    report = json.loads(sfh(cli_env, "report", "-k", "0680", "-f", "json").stdout)
    jsonschema.validate(report, schema)
    broken = {**report, "summary": {"met": -1}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
