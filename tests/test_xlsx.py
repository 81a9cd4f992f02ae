"""Excel workbooks and batch runs: read back with openpyxl and compared with the JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import parse_report
from openpyxl import load_workbook
from typer.testing import CliRunner

from strategihalsa.catalogue import HISTORY_YEARS, builtin_path
from strategihalsa.cli import app
from strategihalsa.delivery import file_path, slug
from strategihalsa.render import Format
from strategihalsa.units import Unit

runner = CliRunner()
SHEETS = ["Sammanfattning", "Trender", "Kön", "Om rapporten"]
FILLS = {"met": "C6EFCE", "improving": "FFEB9C", "not_improving": "FFC7CE", "no_data": "D9D9D9"}


def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def workbook_and_json(cli_env, tmp_path):
    target = tmp_path / "jkpg.xlsx"
    result = sfh(cli_env, "report", "-k", "0680", "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    as_json = parse_report(sfh(cli_env, "report", "-k", "0680", "-f", "json").stdout)
    return load_workbook(target), as_json


def summary_rows(ws) -> dict[str, dict]:
    headers = [c.value for c in ws[6]]
    rows = {}
    for cells in ws.iter_rows(min_row=7):
        row = dict(zip(headers, cells, strict=True))
        rows[row["KPI"].value] = row
    return rows


def test_workbook_has_the_four_sheets_and_headers(workbook_and_json):
    book, _ = workbook_and_json
    assert book.sheetnames == SHEETS
    ws = book["Sammanfattning"]
    assert ws["A1"].value == "Strategi för hälsa – Jönköping (0680)"
    headers = [c.value for c in ws[6]]
    for name in ("Mål nr", "Indikator", "KPI", "Utgångsläge år", "Utgångsläge", "Senaste år",
                 "Senaste värde", "Förändring", "Mål", "Status", "Riket", "Län/region"):
        assert name in headers
    assert ws.freeze_panes == "D7"
    assert ws.auto_filter.ref == "A6:S29"
    assert ws.page_setup.orientation == "landscape"
    assert any("Källa: Kolada" in str(c.value) for c in ws["A"][:5])


def test_summary_numbers_are_the_json_numbers(workbook_and_json):
    book, as_json = workbook_and_json
    rows = summary_rows(book["Sammanfattning"])
    assert len(rows) == 23
    for indicator in as_json["indicators"]:
        row = rows[indicator["kpi"]]
        assert row["Mål nr"].value == indicator["goal"]
        assert row["Förändring"].value == indicator["change"]
        assert row["Måluppfyllelse"].value == indicator["progress"]
        baseline, latest = indicator["baseline"] or {}, indicator["latest"] or {}
        assert row["Utgångsläge år"].value == baseline.get("year")
        assert row["Utgångsläge"].value == baseline.get("value")
        assert row["Senaste värde"].value == latest.get("value")
        assert row["Status"].fill.fgColor.rgb.endswith(FILLS[indicator["status"]])
        riket = indicator["comparisons"]["0000"]["status"]
        assert row["Riket"].fill.fgColor.rgb.endswith(FILLS[riket])
    assert rows["N20402"]["Mål"].value == -1000
    assert rows["N20402"]["Förändring"].number_format == "+0.0;-0.0;0.0"


def test_every_status_gets_its_fill(workbook_and_json):
    book, _ = workbook_and_json
    seen = {r["Status"].value: r["Status"].fill.fgColor.rgb[-6:]
            for r in summary_rows(book["Sammanfattning"]).values()}
    assert seen == {"uppnått": FILLS["met"], "på väg": FILLS["improving"],
                    "ingen förbättring": FILLS["not_improving"], "saknar data": FILLS["no_data"]}


def test_progress_has_a_data_bar(workbook_and_json):
    book, _ = workbook_and_json
    rules = book["Sammanfattning"].conditional_formatting
    assert any(rule.type == "dataBar" for cf in rules for rule in cf.rules)


def test_trends_have_series_and_one_chart_per_indicator(workbook_and_json):
    book, _ = workbook_and_json
    ws = book["Trender"]
    years = [c.value for c in ws[1]][3:]
    assert years[0] == str(2017 - HISTORY_YEARS) and "2022" in years
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    falls = [r for r in rows if r[1] == "N20402"]
    assert [r[2] for r in falls] == ["Jönköping", "Riket", "Region Jönköpings län",
                                     "Liknande kommuner socioekonomi, Jönköping, 2024"]
    assert falls[0][3 + years.index("2017")] == 6000.0
    assert falls[0][3 + years.index("2022")] == 4900.0
    caries = [r for r in rows if r[1] == "N80401"]
    assert caries[0][2] == "Region Jönköpings län (regionnivå)"
    assert len(ws._charts) == 23


def test_gender_sheet_has_women_men_and_gap(workbook_and_json):
    book, _ = workbook_and_json
    ws = book["Kön"]
    headers = [c.value for c in ws[1]]
    school = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "N15428")
    row = dict(zip(headers, [c.value for c in school], strict=True))
    # women 84 → 85, men 80 → 79: gap 4 → 6
    assert (row["Kvinnor förändring"], row["Män förändring"]) == (1.0, -1.0)
    assert (row["Skillnad K−M utgångsläge"], row["Skillnad K−M senaste"]) == (4.0, 6.0)
    assert row["Skillnadens förändring"] == 2.0
    assert row["Kvinnor status"] == "på väg"


def test_about_sheet_lists_statuses_and_kpis(workbook_and_json):
    book, _ = workbook_and_json
    text = [c.value for row in book["Om rapporten"].iter_rows() for c in row if c.value]
    assert "uppnått" in text
    assert "Testnyckeltal N15428" in text
    assert str(builtin_path()) in text


def test_titles_never_become_formulas(cli_env, tmp_path):
    hostile = {"=HYPERLINK(\"http://x\",\"klick\")": "behoriga-gymnasiet",
               "+1+1": "gymnasieexamen", "-2+3": "fallskador-80plus", "@SUM(A1)": "god-halsa"}
    text = builtin_path().read_text(encoding="utf-8")
    for title, ident in hostile.items():
        old = f'id = "{ident}"\ngoal'
        start = text.index(old)
        line_start = text.index("title = ", start)
        line_end = text.index("\n", line_start)
        text = text[:line_start] + f"title = {json.dumps(title)}" + text[line_end:]
    catalogue = tmp_path / "hostile.toml"
    catalogue.write_text(text, encoding="utf-8")
    target = tmp_path / "x.xlsx"
    result = sfh({**cli_env, "SFH_CATALOGUE": str(catalogue)}, "report", "-k", "0680",
                 "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    ws = load_workbook(target)["Sammanfattning"]
    cells = {c.value: c for c in ws["C"] if c.value in hostile}
    assert set(cells) == set(hostile)
    assert all(c.data_type == "s" for c in cells.values())


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(cli_env, tmp_path,
                                                                 monkeypatch):
    target = tmp_path / "out" / "r.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"previous report")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = sfh(cli_env, "report", "-k", "0680", "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 5
    assert "No space left on device" in result.stderr
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in target.parent.iterdir()] == ["r.xlsx"]


def test_xlsx_to_a_pipe_writes_the_workbook(cli_env):
    result = sfh(cli_env, "report", "-k", "0680", "-f", "xlsx")  # stdout is not a terminal
    assert result.exit_code == 0
    assert result.stdout_bytes[:2] == b"PK"  # a zip container: the .xlsx itself


def test_xlsx_to_a_terminal_is_refused(cli_env, monkeypatch):
    monkeypatch.setattr("strategihalsa.cli.reports.stdout_is_terminal", lambda: True)
    result = sfh(cli_env, "report", "-k", "0680", "-f", "xlsx")
    assert result.exit_code == 2
    assert "--format xlsx is binary: add --output FILE" in result.stderr


@pytest.mark.parametrize(("title", "expected"), [
    ("Jönköping", "jonkoping"), ("Upplands Väsby", "upplands-vasby"),
    ("../../etc/passwd", "etc-passwd"), ("Region Jönköpings län", "region-jonkopings-lan"),
    ("///", "enhet"),
])
def test_slugs_are_ascii_and_safe(title, expected):
    assert slug(title) == expected


def test_file_path_never_leaves_the_folder(tmp_path):
    evil = Unit("../../0680", "../../../etc/cron.d/x", "K")
    path = file_path(tmp_path, evil, Format.xlsx)
    assert path.parent == tmp_path
    assert path.name == "0680-etc-cron-d-x.xlsx"


def test_lan_batch_writes_one_workbook_per_unit_with_four_requests(cli_env, fake, tmp_path):
    folder = tmp_path / "rapporter"
    result = sfh(cli_env, "report", "--lan", "06", "-f", "xlsx", "-d", str(folder))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "0006-region-jonkopings-lan.xlsx", "0643-habo.xlsx", "0680-jonkoping.xlsx"]
    assert len(fake.requests) == 4
    assert "/municipality/0000,0006,0643,0680,G1001/" in fake.requests[3]
    assert "wrote 3 file(s)" in result.stderr
    region_book = load_workbook(folder / "0006-region-jonkopings-lan.xlsx")
    assert region_book["Sammanfattning"]["A1"].value.endswith("(0006)")


def test_all_batch_covers_every_kommun_and_region(cli_env, tmp_path):
    folder = tmp_path / "alla"
    result = sfh(cli_env, "report", "--all", "-f", "json", "-d", str(folder), "--quiet")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["0001-region-stockholm.json", "0006-region-jonkopings-lan.json",
                     "0180-stockholm.json", "0643-habo.json", "0680-jonkoping.json"]
    habo = parse_report((folder / "0643-habo.json").read_text(encoding="utf-8"))
    school = next(i for i in habo["indicators"] if i["kpi"] == "N15428")
    assert school["status"] == "no_data"  # 2022 is null for Habo


def test_a_failing_unit_is_skipped_and_reported(cli_env, tmp_path):
    folder = tmp_path / "r"
    (folder / "0643-habo.xlsx").mkdir(parents=True)  # a folder where the file should go
    result = sfh(cli_env, "report", "--lan", "06", "-f", "xlsx", "-d", str(folder))
    assert result.exit_code == 5
    assert "failed: 0643 Habo" in result.stderr
    assert (folder / "0680-jonkoping.xlsx").is_file()
    assert (folder / "0006-region-jonkopings-lan.xlsx").is_file()


def test_batch_csv_to_stdout_and_json_needs_a_folder(cli_env):
    combined = sfh(cli_env, "report", "--lan", "06", "-f", "csv")
    assert combined.exit_code == 0
    lines = combined.stdout.strip().splitlines()
    assert len(lines) == 1 + 3 * 23
    refused = sfh(cli_env, "report", "--lan", "06", "-f", "json")
    assert refused.exit_code == 2
    assert "add --output-dir" in refused.stderr


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_workbook_opens_in_libreoffice(cli_env, tmp_path):
    target = tmp_path / "jkpg.xlsx"
    assert sfh(cli_env, "report", "-k", "0680", "-f", "xlsx", "-o", str(target)).exit_code == 0
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(target)],
        capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert Path(tmp_path / "jkpg.pdf").stat().st_size > 1000


def test_parallel_writing_gives_the_same_workbooks_and_reports_failures(client, tmp_path):
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.delivery import write_batch
    from strategihalsa.render import Options
    from strategihalsa.run import build_reports
    from strategihalsa.units import Selection

    reports = build_reports(client, load_catalogue(), Selection(lan="06"))
    (tmp_path / "0643-habo.xlsx").mkdir()  # in the way: this one must fail
    result = write_batch(reports, Format.xlsx, Options(), tmp_path, workers=2)
    assert sorted(p.name for p in result.written) == ["0006-region-jonkopings-lan.xlsx",
                                                      "0680-jonkoping.xlsx"]
    assert len(result.failed) == 1 and result.failed[0].startswith("0643 Habo: cannot write")
    book = load_workbook(tmp_path / "0680-jonkoping.xlsx")
    assert book.sheetnames == SHEETS
    assert book["Sammanfattning"]["A1"].value == "Strategi för hälsa – Jönköping (0680)"
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind
