"""The architecture change must not change what users get: `report --format json` for
--kommun 0680 and --region 0006, and `--lan 06 --format csv`, hold every key, column and
value that the previous version produced (golden files in tests/golden; new keys allowed).
The runs go through the `sfh` command line in this process (CliRunner): the same parsing,
building and rendering as a subprocess, without starting Python and its imports six times."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_kolada import FakeKolada, KoladaData
from fixture_data import fixture_data
from golden_compare import csv_differences, json_differences

from strategihalsa.cli import app

GOLDEN = Path(__file__).parent / "golden"
RUNS = {"kommun-0680.json": ["--kommun", "0680", "--format", "json"],
        "region-0006.json": ["--region", "0006", "--format", "json"],
        "lan-06.csv": ["--lan", "06", "--format", "csv"]}


def run_report(url: str, cache: Path, args: list[str]) -> str:
    env = {"SFH_KOLADA_URL": url, "SFH_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    done = CliRunner().invoke(app, ["report", *args], env=env)
    assert done.exit_code == 0, done.output
    return done.stdout


def compare(data: KoladaData, prefix: str, tmp_path: Path) -> None:
    with FakeKolada(data) as fake:
        for name, args in RUNS.items():
            golden = (GOLDEN / f"{prefix}-{name}").read_text(encoding="utf-8")
            actual = run_report(fake.url, tmp_path / "cache", args)
            compare_text = csv_differences if name.endswith(".csv") else json_differences
            assert compare_text(golden, actual) == [], name


def test_fixture_outputs_match_the_previous_version(tmp_path):
    compare(fixture_data(), "fixture", tmp_path)


def test_real_data_outputs_match_the_previous_version(shared_data, tmp_path):
    compare(shared_data, "shared", tmp_path)


def test_the_comparison_notices_a_changed_value():
    golden = '{"a": {"b": [1, 2]}, "generated_at": "x"}'
    assert json_differences(golden, '{"a": {"b": [1, 2], "c": 3}, "generated_at": "y"}') == []
    assert json_differences(golden, '{"a": {"b": [1, 3]}}') == [".a.b[1]: 2 != 3"]
    with pytest.raises(AssertionError):
        assert csv_differences("x,y\n1,2\n", "x,y\n1,5\n") == []
