"""Hostile text and secrets through the whole pipeline: credentials in --api-url never
reach a report, and escape sequences or control characters from Kolada never reach a
terminal, a CSV or a workbook."""

from __future__ import annotations

import csv
import io
import zipfile

from click.testing import CliRunner
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa.cli import app

runner = CliRunner()
HOSTILE = "Jön\x1b[31mköping\x1b]8;;http://evil\x07\r=2+5+cmd|' /C calc'!A0\x00\x0b"


def env_for(url: str, tmp_path) -> dict:
    return {"SFH_KOLADA_URL": url, "SFH_CACHE_DIR": str(tmp_path / "c"), "NO_COLOR": "1",
            "COLUMNS": "200"}


def test_credentials_in_the_api_url_never_reach_a_report(fake, tmp_path):
    url = fake.url.replace("http://", "http://anna:hemligt@")
    env = env_for(url, tmp_path)
    result = runner.invoke(app, ["report", "-k", "0680", "-f", "json"], env=env)
    assert result.exit_code == 0, result.stderr
    assert "hemligt" not in result.stdout and "anna" not in result.stdout
    book = runner.invoke(app, ["report", "-k", "0680", "-f", "xlsx", "-o",
                               str(tmp_path / "r.xlsx")], env=env)
    assert book.exit_code == 0
    with zipfile.ZipFile(tmp_path / "r.xlsx") as archive:
        text = b"".join(archive.read(name) for name in archive.namelist())
    assert b"hemligt" not in text


def test_escape_sequences_and_controls_from_kolada_are_removed(tmp_path):
    data = fixture_data()
    for unit in data.municipalities:
        if unit["id"] == "0680":
            unit["title"] = HOSTILE
    with FakeKolada(data) as fake:
        env = env_for(fake.url, tmp_path)
        table = runner.invoke(app, ["report", "-k", "0680"], env=env)
        rows = runner.invoke(app, ["report", "-k", "0680", "-f", "csv"], env=env)
    assert table.exit_code == 0 and rows.exit_code == 0
    for output in (table.stdout, rows.stdout):
        assert not any(c in output for c in "\x1b\x07\x00\x0b\r")
    parsed = list(csv.DictReader(io.StringIO(rows.stdout)))
    assert len(parsed) == 23  # no row was split
    assert {r["unit_title"] for r in parsed} == {"Jönköping=2+5+cmd|' /C calc'!A0"}
