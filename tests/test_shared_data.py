"""The real CLI against a fake Kolada fed with the real data in ../shared/kolada.

Expected figures were read by hand from ../shared/kolada/values.csv.gz. Skipped when the
folder is absent (a user's fresh clone).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import parse_report
from fake_kolada import FakeKolada

from strategihalsa.cli import app


@pytest.fixture(scope="module")
def real_fake(shared_data):
    with FakeKolada(shared_data) as server:
        yield server


def run(real_fake, tmp_path, *args):
    env = {"SFH_KOLADA_URL": real_fake.url, "SFH_CACHE_DIR": str(tmp_path), "NO_COLOR": "1",
           "COLUMNS": "200"}
    return CliRunner().invoke(app, ["report", "--kommun", "0680", *args], env=env)


def test_jonkoping_report_from_real_data(real_fake, tmp_path):
    real_fake.reset()
    result = run(real_fake, tmp_path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = parse_report(result.stdout)
    assert len(real_fake.requests) == 5  # 4 at once (3 lists, the 3 units' values), the group's
    ind = {i["id"]: i for i in report["indicators"]}
    assert len(ind) == 23
    school = ind["behoriga-gymnasiet"]  # N15428, 0680, T: 2017 85.61046512, 2022 86.41900122
    assert school["change"] == pytest.approx(86.41900122 - 85.61046512)
    assert school["status"] == "improving"
    falls = ind["fallskador-80plus"]  # N20402: 2017 6189.8, 2022 5083.0
    assert falls["improvement"] == pytest.approx(1106.8)
    assert falls["status"] == "met"
    trust = ind["tillit-till-andra"]  # U01413: no 2017 value; 2018 30.0, 2022 28.0
    assert trust["baseline"] == {"year": 2018, "value": 30.0}
    assert trust["status"] == "met"
    assert ind["tobaksrok-hemmet"]["status"] == "no_data"  # U01901 retired from the KPI list


def test_terminal_report_from_real_data(real_fake, tmp_path):
    result = run(real_fake, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "Strategi för hälsa – Jönköping (0680)" in result.stdout
    assert "2017: 6\u00a0189,8" in result.stdout
    assert "bedömda indikatorer är uppnådda" in result.stdout
