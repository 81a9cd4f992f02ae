"""The second round of hostile answers: a 404 on a later page, a 2 MB next_url, a unit
whose title is not text. Each is an honest exit code with nothing lost silently.

Expected figures come from tests/fixture_data.py: N15428 for Jönköping (0680) has rows for
2016, 2017, 2022 and (deleted) 2023, so with two rows per page its answer has two pages.
"""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from conftest import quick_settings
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa.cli import app
from strategihalsa.errors import KoladaError
from strategihalsa.kolada import KoladaClient
from strategihalsa.kolada.http import MAX_URL_LENGTH
from strategihalsa.kolada.records import (
    Complaints,
    Municipality,
    groups_from_api,
    municipalities_from_api,
)

runner = CliRunner()


def env_for(fake: FakeKolada, tmp_path) -> dict:
    return {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "c"), "NO_COLOR": "1"}


def test_a_404_on_a_later_data_page_is_an_error_not_fewer_rows():
    with FakeKolada(fixture_data(), page_size=2) as fake:
        client = KoladaClient(quick_settings(fake.url))
        assert len(client.value_rows(["N15428"], ["0680"])) == 4
        fake.fail("&page=2", kind="status", status=404)
        with pytest.raises(KoladaError, match=r"HTTP 404 for .*page=2, page 2 of .*/data/kpi/"
                                              r"N15428/municipality/0680.*incomplete"):
            client.value_rows(["N15428"], ["0680"])
    assert client.unknown_kpis == set()


def test_a_404_on_a_later_page_writes_nothing_and_exits_4(tmp_path):
    with FakeKolada(fixture_data(), page_size=2) as fake:
        fake.fail("&page=2", kind="status", status=404, times=10**6)
        result = runner.invoke(app, ["report", "-k", "0680", "-o", str(tmp_path / "r.csv")],
                               env=env_for(fake, tmp_path))
    assert result.exit_code == 4
    assert "HTTP 404" in result.stderr and "incomplete" in result.stderr
    assert not (tmp_path / "r.csv").exists()


def test_a_2_mb_next_url_is_refused_at_once(fake):
    fake.fail("/municipality?", kind="long_next")
    client = KoladaClient(quick_settings(fake.url))
    started = time.monotonic()
    with pytest.raises(KoladaError, match=rf"refused to request a URL of 2,0[0-9,]+ characters "
                                          rf"\(over {MAX_URL_LENGTH:,};"):
        client.municipalities()
    assert time.monotonic() - started < 2
    assert len(fake.requests) == 1


def test_the_refusal_of_a_long_url_is_one_short_line(fake, tmp_path):
    fake.fail("/municipality?", kind="long_next")
    result = runner.invoke(app, ["report", "-k", "0680"], env=env_for(fake, tmp_path))
    assert result.exit_code == 4
    [line] = result.stderr.splitlines()
    assert line.startswith("sfh: error: refused to request a URL of") and len(line) < 300


@pytest.mark.parametrize("title", [680, None, "", {"sv": "Jönköping"}, "\u202e\ud800"])
def test_a_unit_whose_title_is_not_text_is_shown_by_its_code(tmp_path, title):
    data = fixture_data()
    next(unit for unit in data.municipalities if unit["id"] == "0680")["title"] = title
    with FakeKolada(data) as fake:
        result = runner.invoke(app, ["report", "-k", "0680", "-f", "csv"],
                               env=env_for(fake, tmp_path))
    assert result.exit_code == 0, result.stderr
    assert ("sfh: warning: Kolada sent units without a usable title (shown by their code): "
            "0680") in result.stderr
    assert result.stdout.splitlines()[1].startswith("0680,0680,")


def test_a_unit_without_a_type_is_still_skipped_and_told(tmp_path):
    data = fixture_data()
    next(unit for unit in data.municipalities if unit["id"] == "0680")["type"] = 680
    with FakeKolada(data) as fake:
        result = runner.invoke(app, ["report", "-k", "0680"], env=env_for(fake, tmp_path))
    assert "Kolada sent units without type (skipped): 0680" in result.stderr
    assert result.exit_code == 2  # Kolada cannot say whether 0680 is a kommun or a region


def test_every_text_field_of_the_metadata_is_cleaned_ids_and_members_too():
    complaints = Complaints()
    [unit] = municipalities_from_api(
        [{"id": "06\u202e80", "title": "Jö\ud800nköping", "type": "K\ufffe"}], complaints)
    assert unit == Municipality("0680", "Jönköping", "K")
    [group] = groups_from_api([{"id": "G1\u2066", "title": "Grupp\x1b[2J",
                                "members": [{"member_id": "0680\uffff"}]}], complaints)
    assert (group.id, group.title, group.members) == ("G1", "Grupp", ("0680",))
    municipalities_from_api([{"title": "Ond\ud800\u202e\x1b]0;x\x07", "type": 5}], complaints)
    assert complaints.messages() == ["Kolada sent units without id/type (skipped): Ond"]
