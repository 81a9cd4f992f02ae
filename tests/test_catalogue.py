"""The catalogue: the built-in file and every validation error (exit code 3)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from strategihalsa.catalogue import builtin_path, load_catalogue
from strategihalsa.errors import CatalogueError, ExitCode

STRATEGY_TABLES = {"God och jämlik hälsa", "God kvalitet", "Hållbart och uthålligt"}


def test_builtin_catalogue_covers_all_22_goals():
    catalogue = load_catalogue()
    assert {i.goal for i in catalogue.indicators} == set(range(1, 23))
    assert len(catalogue.indicators) == 23
    assert (catalogue.baseline_year, catalogue.target_year) == (2017, 2022)
    assert {i.area for i in catalogue.indicators} == STRATEGY_TABLES


def test_builtin_catalogue_follows_the_strategy_table():
    by_goal = {}
    for indicator in load_catalogue().indicators:
        by_goal.setdefault(indicator.goal, []).append(indicator)
    fall = by_goal[9][0]
    assert (fall.kpi, fall.direction, fall.target) == ("N20402", "decrease", 1000.0)
    trust = by_goal[22][0]
    assert (trust.kpi, trust.direction, trust.target) == ("U01413", "decrease", 2.0)
    assert sorted(i.kpi for i in by_goal[19]) == ["N00923", "N00925"]
    assert all(i.target == 0 for i in by_goal[19])
    assert by_goal[3][0].kpi == "N15428"


def test_repo_root_catalogue_is_the_packaged_one():
    root = Path(__file__).resolve().parents[1] / "indicators.toml"
    assert root.read_bytes() == builtin_path().read_bytes()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    return path


def builtin_text() -> str:
    return builtin_path().read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message"), [
    ('id = "gymnasieexamen"', 'id = "behoriga-gymnasiet"',
     "indicator 'behoriga-gymnasiet': key 'id' is a duplicate"),
    ('kpi = "N17461"\ndirection = "increase"', 'kpi = "N17461"\ndirection = "upp"',
     "indicator 'gymnasieexamen': key 'direction' must be 'increase' or 'decrease'"),
    ("target = 3\n", "target = -3\n", "indicator 'gymnasieexamen': key 'target' must be"),
    ("target = 3\n", 'target = "tre"\n', "indicator 'gymnasieexamen': key 'target' has the wrong"),
    ('unit = "enheter"\n', "", "indicator 'brukare-hemtjanst': missing key 'unit'"),
    ('kpi = "N66077"', 'kpi = "n66077x"', "indicator 'barn-ekonomiskt-utsatta': key 'kpi' must"),
    ('kpi = "N66077"', 'kpi = "N66077"\ntarge = 3', "unknown key 'targe'"),
    ("goal = 20\n", "goal = 23\n", "key 'goal' must be a goal number 1..22"),
    ("baseline_year = 2017\n", 'baseline_year = "2017"\n',
     "[strategy]: key 'baseline_year' has the wrong type"),
])
def test_validation_errors_name_file_indicator_and_key(tmp_path, old, new, message):
    assert old in builtin_text()
    path = write(tmp_path, builtin_text().replace(old, new, 1))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)
    assert caught.value.exit_code == ExitCode.CATALOGUE


def test_a_catalogue_may_leave_out_goals(tmp_path):
    data = builtin_text().split("[[indicator]]")
    kept = [part for part in data if "goal = 7\n" not in part]
    catalogue = load_catalogue(write(tmp_path, "[[indicator]]".join(kept)))
    assert catalogue.missing_goals == [7]
    assert len(catalogue.indicators) == 22


def test_toml_syntax_error_gives_the_line(tmp_path):
    lines = builtin_text().splitlines()
    lines[29] = "goal = = 2"
    path = write(tmp_path, "\n".join(lines))
    with pytest.raises(CatalogueError, match=r"TOML syntax error: .*line 30"):
        load_catalogue(path)


def test_unreadable_file(tmp_path):
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "missing.toml")


def test_indicator_baseline_year_defaults_to_the_strategy(tmp_path):
    text = builtin_text().replace("baseline_year = 2017", "baseline_year = 2015", 1)
    catalogue = load_catalogue(write(tmp_path, text))
    by_id = {i.id: i for i in catalogue.indicators}
    assert by_id["behoriga-gymnasiet"].baseline_year == 2015
    assert by_id["trygga-elever-ak5"].baseline_year == 2022
    assert tomllib.loads(text)["strategy"]["baseline_year"] == 2015
