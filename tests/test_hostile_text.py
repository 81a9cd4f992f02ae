"""Text from Kolada that no output may carry: lone surrogates (valid JSON), the characters
XML 1.0 forbids (U+FFFE, U+FFFF, other noncharacters, C0 controls), bidi controls and
terminal escapes, in every title, description and in the data's `status`, through every
format and `sfh kpi` / `sfh overview`: removed at the boundary (text.clean), never a
traceback or a corrupt workbook. The fake weaves fake_hostile.UNSAFE_TEXT into each text,
so the cleaned text is the original one."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner
from fake_hostile import UNSAFE_TEXT
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa.cli import app
from strategihalsa.text import clean

runner = CliRunner()
UNSAFE = {char for char in UNSAFE_TEXT if not char.isprintable()}
FIELDS = {"units and groups": "/municipality", "KPIs": "/kpi/", "status": "/data/"}
RUNS = {
    "table": ["report", "-k", "0680"],
    "json": ["report", "-k", "0680", "-f", "json"],
    "csv": ["report", "-k", "0680", "-f", "csv"],
    "xlsx": ["report", "-k", "0680", "-o", "{out}/r.xlsx"],
    "html": ["report", "-k", "0680", "-o", "{out}/r.html"],
    "kpi": ["kpi", "N15428"],
    "kpi json": ["kpi", "N15428", "-f", "json"],
    "overview": ["overview"],
    "overview xlsx": ["overview", "-o", "{out}/o.xlsx"],
}


def test_clean_removes_every_unsafe_character_and_keeps_the_rest():
    assert clean(f"Jö{UNSAFE_TEXT}nköping\t😀") == "Jönköping 😀"
    assert clean("\ud800") == "" and clean("a\udfffb") == "ab"
    assert clean("\u202eabc\u2066d\u2069\u200e\u200f\u061c") == "abcd"
    assert clean("x\U0010ffff\U0001fffe\ufdd0\ufdef\ufffe\uffffy") == "xy"


def output_of(args: list[str], tmp_path, env: dict) -> str:
    """What a run wrote: stdout, or the text inside the file it wrote."""
    files = [arg.format(out=tmp_path) for arg in args]
    result = runner.invoke(app, files, env=env)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    written = next((f for f in files if f.startswith(str(tmp_path))), None)
    if written is None:
        return result.stdout + result.stderr
    if written.endswith(".xlsx"):
        book = openpyxl.load_workbook(written)  # a corrupt workbook does not open
        return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                         for cell in row if cell.value is not None)
    with open(written, encoding="utf-8") as text:
        return text.read()


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("run", RUNS)
def test_unsafe_text_from_kolada_never_reaches_an_output(tmp_path, field, run):
    with FakeKolada(fixture_data()) as fake:
        fake.fail(FIELDS[field], kind="hostile_status" if field == "status" else "hostile_text",
                  times=10**6)
        env = {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "c"),
               "NO_COLOR": "1", "COLUMNS": "200"}
        text = output_of(RUNS[run], tmp_path, env)
    assert not UNSAFE & set(text), sorted(UNSAFE & set(text))
    assert "pwned" not in text and "evil" not in text


def test_cleaned_titles_and_status_read_as_kolada_meant_them(tmp_path):
    with FakeKolada(fixture_data()) as fake:
        fake.fail("/data/", kind="hostile_status", times=10**6)  # first: data paths hold
        for match in ("/municipality", "/kpi/"):                # "/municipality/" too
            fake.fail(match, kind="hostile_text", times=10**6)
        env = {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "c")}
        report = json.loads(runner.invoke(app, ["report", "-k", "0680", "-f", "json"],
                                          env=env).stdout)
        kpi = json.loads(runner.invoke(app, ["kpi", "N15428", "-f", "json"], env=env).stdout)
    assert report["unit"]["title"] == "Jönköping"
    assert kpi["title"] == "Testnyckeltal N15428"
    assert {i["kpi_title"] for i in report["indicators"] if i["kpi"] == "N15428"} == {
        "Testnyckeltal N15428"}
    flags = " ".join(flag for i in report["indicators"] for flag in i["flags"])
    assert "B" in flags and flags.isprintable()
