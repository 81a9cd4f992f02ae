"""CSV in its two dialects: `rfc` (the machine-friendly default, unchanged) and `excel`
(semicolon, decimal comma, UTF-8 with a byte-order mark, CRLF: opens in Swedish Excel by
double-click). Hostile text: line breaks stay inside quoted fields, formulas are defused,
NUL bytes are dropped. Renderer tests use the hand-built model of test_xlsx; expected
values are worked out by hand from it and from tests/fixture_data.py."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from click.testing import CliRunner
from test_xlsx import kommun_report

from strategihalsa.cli import app
from strategihalsa.render import CsvDialect, Options, renderer, words_csv
from strategihalsa.render.csv import PICTURE_COLUMNS

runner = CliRunner()
RFC, EXCEL = Options(csv_dialect=CsvDialect.rfc), Options(csv_dialect=CsvDialect.excel)


def render(report, options: Options) -> bytes:
    return renderer("csv").reports([report], options)


def parse(data: bytes, options: Options) -> list[dict[str, str]]:
    """Read back as a spreadsheet would: the dialect's separator, BOM removed."""
    text = data.decode("utf-8-sig")
    separator = ";" if options is EXCEL else ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=separator))


def retitled(title: str, note: str | None = None):
    """The hand-built report with its first indicator's title (and note) replaced."""
    report = kommun_report()
    first = report.results[0]
    indicator = replace(first.indicator, title=title, note=note)
    return replace(report, results=(replace(first, indicator=indicator), *report.results[1:]))


def test_rfc_is_comma_dot_lf_without_a_byte_order_mark():
    data = render(kommun_report(), RFC)
    assert data.startswith(b"unit_id,unit_title,id,goal,title,")
    assert b"\r\n" not in data and data.count(b"\n") == 1 + 5
    row = parse(data, RFC)[0]
    assert (row["baseline_value"], row["latest_value"], row["change"]) == ("82.0", "85.5",
                                                                          "3.5")


def test_excel_is_semicolon_decimal_comma_crlf_with_a_byte_order_mark():
    data = render(kommun_report(), EXCEL)
    assert data.startswith("\ufeffEnhetskod;Enhet;Indikator-id;Mål nr;Indikator;".encode())
    assert data.count(b"\r\n") == 1 + 5 and data.count(b"\n") == 1 + 5
    rows = parse(data, EXCEL)
    school, sitting = rows[0], rows[1]
    assert (school["Basår"], school["Utgångsläge"], school["Senaste värde"],
            school["Förändring"], school["Andel av målet"]) == ("2017", "82,0", "85,5", "3,5",
                                                                 "1,75")
    assert (school["Mål (ändring)"], school["Målnivå"]) == ("2,0", "84,0")
    # 47,1 − 47,0 = 0,10000000000000142 in full: rounded to the key figure's one decimal
    assert (sitting["Förändring"], sitting["Förbättring"]) == ("0,1", "-0,1")
    assert sitting["Mål (ändring)"] == "-5,0"  # "minska med 5" as a decrease
    assert (school["Status"], school["Riket: status"], school["Region: status"]) == (
        "uppnått", "på väg", "ingen förbättring")
    assert (school["Riktning"], school["Bättre"], school["Mot målåret"]) == (
        "öka", "högre", "uppnått")
    assert (school["Osäker trend"], school["Urvalsundersökning"]) == ("ja", "nej")
    assert school["Liknande: med data"] == "5" and school["Indikator"].startswith("Fler elever")
    assert school["Liknande: id"] == "G1"


def test_rfc_keeps_full_precision_and_english_codes():
    sitting = parse(render(kommun_report(), RFC), RFC)[1]
    assert sitting["change"] == "0.10000000000000142"
    assert (sitting["status"], sitting["direction"], sitting["target"]) == (
        "not_improving", "decrease", "5.0")


@pytest.mark.parametrize("options", [RFC, EXCEL])
def test_line_breaks_inside_a_field_never_split_a_row(options):
    report = retitled("Första raden\r\nandra\rtredje\nfjärde")
    data = render(report, options)
    rows = parse(data, options)
    assert len(rows) == 5
    title, kpi = ("title", "kpi") if options is RFC else ("Indikator", "KPI")
    assert rows[0][title] == "Första raden\r\nandra\rtredje\nfjärde"
    assert rows[1][kpi] == "U01425"


@pytest.mark.parametrize("options", [RFC, EXCEL])
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_a_spreadsheet_would_run_is_defused(options, start):
    rows = parse(render(retitled(f"{start}SUM(A1:A9)"), options), options)
    assert rows[0]["title" if options is RFC else "Indikator"] == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize("options", [RFC, EXCEL])
def test_nul_and_other_control_characters_are_dropped(options):
    data = render(retitled("Titel\x00 med\x07 NUL\x1b[31m"), options)
    assert b"\x00" not in data and b"\x07" not in data and b"\x1b" not in data
    assert parse(data, options)[0]["title" if options is RFC else "Indikator"] == \
        "Titel med NUL[31m"


def test_a_separator_or_quote_inside_text_is_quoted():
    data = render(retitled('Semikolon; komma, och "citat"'), EXCEL)
    assert b'"Semikolon; komma, och ""citat"""' in data
    assert parse(data, EXCEL)[0]["Indikator"] == 'Semikolon; komma, och "citat"'


def test_cli_excel_dialect_for_a_lan_batch_and_the_overview(cli_env):
    result = runner.invoke(app, ["report", "--lan", "06", "-f", "csv", "--csv-dialect",
                                 "excel"], env=cli_env)
    assert result.exit_code == 0, result.stderr
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 1 + 3 * 23
    rows = parse(data, EXCEL)
    school = next(r for r in rows if r["Enhetskod"] == "0680" and r["KPI"] == "N15428")
    assert (school["Utgångsläge"], school["Senaste värde"], school["Förändring"]) == (
        "82,0", "85,5", "3,5")  # fixture: 82 → 85,5
    overview = runner.invoke(app, ["overview", "-f", "csv", "--csv-dialect", "excel"],
                             env=cli_env)
    assert overview.exit_code == 0, overview.stderr
    lines = overview.stdout_bytes.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Indikator-id;Mål nr;Indikator;KPI;Riktning;Mål (ändring);Nivå;"
                               "Riket: status;Riket: förändring;Uppnått;På väg")
    school = next(line for line in lines if line.startswith("behoriga-gymnasiet;"))
    assert ";öka;2,0;kommun;på väg;1,0;" in school  # Riket 86 → 87
    assert len([line for line in lines if line]) == 1 + 23


def test_cli_default_stays_rfc(cli_env):
    result = runner.invoke(app, ["report", "-k", "0680", "-f", "csv"], env=cli_env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"unit_id,unit_title,")
    assert b"\r" not in result.stdout_bytes


def fetched_report():
    """The hand-built report with its data fetched from the store at 05:00 UTC."""
    report = kommun_report()
    run = replace(report.run, data_fetched_at="2026-12-04T05:00:00+00:00", data_source="store")
    return replace(report, run=run)


def test_data_as_of_closes_every_row_in_both_dialects():
    data = render(fetched_report(), RFC)
    picture = ",".join(PICTURE_COLUMNS).encode()  # a region's kommunernas bild comes after
    assert data.split(b"\n")[0].removesuffix(b"," + picture).endswith(b",better," + b",".join(
        f"{role}_{name}".encode() for role in ("riket", "region", "similar")
        for name in ("baseline_year", "baseline_value", "latest_year", "reason",
                     "reason_code", "missing_status")) + b",data_fetched_at,data_source")
    rows = parse(data, RFC)
    assert {(r["data_fetched_at"], r["data_source"]) for r in rows} == {
        ("2026-12-04T05:00:00+00:00", "store")}
    excel = render(fetched_report(), EXCEL)
    swedish = ";".join(map(words_csv.csv_header, PICTURE_COLUMNS)).encode("utf-8")
    assert excel.split(b"\r\n")[0].removesuffix(b";" + swedish).endswith(
        "Liknande: Koladas status på saknat värde;Data hämtade;Datakälla".encode())
    rows = parse(excel, EXCEL)  # 05:00 UTC is 06:00 in Sweden in December
    assert {(r["Data hämtade"], r["Datakälla"]) for r in rows} == {
        ("2026-12-04 06:00 CET", "lokalt lager, sfh sync")}


def test_cli_overview_csv_ends_with_data_as_of(cli_env):
    result = runner.invoke(app, ["overview", "-f", "csv"], env=cli_env)
    assert result.exit_code == 0, result.stderr
    header, first = result.stdout.split("\n")[:2]
    # not_judged, a status added later, is the last column: the earlier ones keep their places
    assert header.endswith(",change_max,better,data_fetched_at,data_source,not_judged")
    better, fetched, source = first.split(",")[-4:-1]  # tobaksrok-hemmet: a decrease goal
    assert (better, source) == ("lower", "network") and fetched.endswith("+00:00")
