"""Excel workbooks: renderer tests fed a hand-built model, read back with openpyxl (printed
with LibreOffice in test_printed.py); CLI tests against the fake Kolada; batch runs.
Expected figures are worked out by hand from the models below and from
tests/fixture_data.py."""

from __future__ import annotations

import html
import io
import json
import os
import re
import zipfile
from dataclasses import replace

import pytest
from click.testing import CliRunner
from conftest import parse_report
from openpyxl import load_workbook

from strategihalsa.catalogue import AREAS, Catalogue, Indicator, builtin_path
from strategihalsa.cli import app
from strategihalsa.delivery import file_path
from strategihalsa.kolada.records import Kpi
from strategihalsa.model import (
    Compared,
    Comparison,
    Coverage,
    Figures,
    IndicatorResult,
    Point,
    Projection,
    Reason,
    RunInfo,
    UnitReport,
)
from strategihalsa.naming import slug
from strategihalsa.render import Format, Options, renderer
from strategihalsa.units import Unit
from strategihalsa.vocabulary import Level, Outlook, ReasonCode, Role, Status

runner = CliRunner()
SHEETS = ["Sammanfattning", "Trender", "Kön", "Om rapporten"]
FILLS = {"met": "C6EFCE", "improving": "FFEB9C", "not_improving": "FFC7CE", "no_data": "D9D9D9",
         "not_judged": "EDEDED"}
HOSTILE = "God\x1b[31m hälsa\x0b\x07\x00\ufffe\uffff för alla"  # none of these fit in XML
JONKOPING = Unit("0680", "Jönköping", "K")
RIKET = Unit("0000", "Riket", "L")
REGION = Unit("0006", "Region Jönköpings län", "L")
SIMILAR = Unit("G1", "Liknande kommuner socioekonomi, Jönköping, 2024", "G", 7)
SIMILAR_REGIONS = Unit("G2", "Liknande regioner socioekonomi, Region Jönköpings län, 2024",
                       "G", 5, of_regions=True)
LONG = " ".join(["Beskrivningen fortsätter med ännu fler ord om nyckeltalet."] * 350)


# --- a hand-built model -------------------------------------------------------------------

def figures(baseline: tuple | None, latest: tuple | None, status: Status, *,
            direction: str = "increase", target: float = 2.0, **extra) -> Figures:
    """Figures worked out from two points (change, improvement, progress, target level)."""
    if baseline is None or latest is None:
        return Figures(Point(*baseline) if baseline else None, None, None, None, None,
                       status, extra.pop("reason", Reason(ReasonCode.NO_VALUES)), **extra)
    change = latest[1] - baseline[1]
    improvement = change if direction == "increase" else -change
    level = baseline[1] + (target if direction == "increase" else -target)
    return Figures(Point(*baseline), Point(*latest), change, improvement,
                   improvement / target, status, extra.pop("reason", None),
                   target_level=level, **extra)


def indicator(goal: int, kpi: str, area: int, title: str, **extra) -> Indicator:
    return Indicator(id=f"mal-{goal}-{kpi.lower()}", title=title, area=AREAS[area], kpi=kpi,
                     direction=extra.pop("direction", "increase"),
                     target=extra.pop("target", 2.0), unit="procentenheter",
                     baseline_year=2017, goal=goal, **extra)


def result(ind: Indicator, fig: Figures, series: dict, **extra) -> IndicatorResult:
    description = extra.pop("description", f"Beskrivning av {ind.kpi}.")
    kpi = Kpi(ind.kpi, extra.pop("kpi_title", f"Kolada-titel {ind.kpi}"), description, "A",
              bool(extra.get("by_gender")))
    level = Level.REGION if extra.get("region_level") else Level.KOMMUN
    return IndicatorResult(indicator=ind, kpi=kpi, level=level,
                           region_level=extra.pop("region_level", False),
                           data_unit=extra.pop("data_unit", "0680"), figures=fig,
                           series=series, **extra)


def compare(riket: Figures, region: Figures, similar: Figures, coverage: Coverage | None = None
            ) -> tuple[Comparison, ...]:
    return (Comparison(Role.RIKET, RIKET, riket), Comparison(Role.REGION, REGION, region),
            Comparison(Role.SIMILAR, SIMILAR, similar, coverage))


def kommun_results() -> tuple[IndicatorResult, ...]:
    """Five indicators: four with values for the unit (one region level), one without."""
    school = indicator(3, "N15428", 0, "Fler elever i åk 9 ska vara behöriga till gymnasiet")
    sitting = indicator(8, "U01425", 0, "Minska andelen som har en stillasittande fritid",
                        direction="decrease", target=5.0, survey=True,
                        measure="andelen stillasittande (lägre är bättre)")
    falls = indicator(9, "N20402", 0, "Minska antalet äldre som drabbas av fallskador")
    care = indicator(16, "U71455", 1, "Primärvården ska ge bättre kontinuitet")
    health = indicator(21, "U01405", 2, HOSTILE, note=f"Notering{HOSTILE}")
    no_data = figures(None, None, Status.NO_DATA)
    return (
        result(school, figures((2017, 82.0), (2022, 85.5), Status.MET, flags=("B",)),
               {Role.UNIT: {2015: 80.0, 2017: 82.0, 2022: 85.5},
                Role.RIKET: {2017: 86.0, 2022: 87.0}, Role.REGION: {2017: 85.0, 2022: 84.0},
                Role.SIMILAR: {2017: 84.0, 2022: 86.0}},
               outlook=Outlook.MET, projection=Projection(0.7, None, 3, True),
               by_gender={"K": figures((2017, 84.0), (2022, 85.0), Status.IMPROVING),
                          "M": figures((2017, 80.0), (2022, 79.0), Status.NOT_IMPROVING)},
               comparisons=compare(figures((2017, 86.0), (2022, 87.0), Status.IMPROVING),
                                   figures((2017, 85.0), (2022, 84.0), Status.NOT_IMPROVING),
                                   figures((2017, 84.0), (2022, 86.0), Status.MET),
                                   Coverage(5, 7))),
        result(sitting, figures((2018, 47.0), (2022, 47.1), Status.NOT_IMPROVING,
                                direction="decrease", target=5.0,
                                reason=Reason(ReasonCode.BASELINE_MOVED, wanted=2017,
                                              used=2018, latest=2022)),
               {Role.UNIT: {2018: 47.0, 2020: 50.0, 2022: 47.1}, Role.SIMILAR: {2022: 46.0}},
               outlook=Outlook.OFF_TRACK, projection=Projection(0.025, None, 3, True),
               comparisons=compare(no_data, no_data, no_data, Coverage(2, 7))),
        result(falls, no_data, {Role.UNIT: {}, Role.RIKET: {}},
               comparisons=compare(no_data, no_data, no_data), description=LONG),
        result(care, figures((2017, 80.0), (2022, 81.0), Status.IMPROVING),
               {Role.UNIT: {2017: 80.0, 2022: 81.0}, Role.REGION: {2017: 80.0, 2022: 81.0},
                Role.RIKET: {2017: 79.0, 2022: 80.5}},
               region_level=True, data_unit="0006", outlook=Outlook.ON_TRACK,
               projection=Projection(0.2, 2027, 6, False),
               comparisons=compare(no_data, figures((2017, 80.0), (2022, 81.0),
                                                    Status.IMPROVING), no_data)),
        result(health, figures((2017, 70.0), (2022, 75.0), Status.MET),
               {Role.UNIT: {2017: 70.0, 2022: 75.0}}, kpi_title=f"Kolada{HOSTILE}",
               comparisons=compare(no_data, no_data, no_data)),
    )


def run_info(indicators: tuple[Indicator, ...]) -> RunInfo:
    catalogue = Catalogue("Strategi för hälsa", 2017, 2022, indicators, "katalog.toml", "abc")
    return RunInfo(catalogue, 2017, None, "2026-01-01T00:00:00+00:00", "http://kolada", "9.9")


def kommun_report() -> UnitReport:
    results = kommun_results()
    return UnitReport(JONKOPING, (Compared(Role.RIKET, RIKET), Compared(Role.REGION, REGION),
                                  Compared(Role.SIMILAR, SIMILAR)),
                      results, run_info(tuple(r.indicator for r in results)))


def region_report() -> UnitReport:
    ind = indicator(3, "N15428", 0, "Fler elever i åk 9 ska vara behöriga till gymnasiet")
    fig = figures((2017, 85.0), (2022, 84.0), Status.NOT_IMPROVING)
    res = result(ind, fig, {Role.UNIT: {2017: 85.0, 2022: 84.0}, Role.RIKET: {2017: 86.0},
                            Role.SIMILAR: {2017: 83.0, 2022: 84.5}}, data_unit="0006",
                 comparisons=(Comparison(Role.RIKET, RIKET, fig),
                              Comparison(Role.SIMILAR, SIMILAR_REGIONS, fig, Coverage(4, 5))))
    return UnitReport(REGION, (Compared(Role.RIKET, RIKET),
                               Compared(Role.SIMILAR, SIMILAR_REGIONS)), (res,),
                      run_info((ind,)))


def book_of(report: UnitReport):
    data = renderer("xlsx").reports([report], Options())
    return load_workbook(io.BytesIO(data)), data


def header_row(ws, row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value}


def rows_by_kpi(ws, top: int = 6) -> dict[str, dict]:
    headers = header_row(ws, top)
    return {ws.cell(row, headers["KPI"]).value: {h: ws.cell(row, c) for h, c in headers.items()}
            for row in range(top + 1, ws.max_row + 1) if ws.cell(row, headers["KPI"]).value}


def chart_series(chart) -> list[str]:
    return [s.tx.v for s in chart.series]


def chart_title(chart) -> str:
    return "".join(r.t for p in chart.title.tx.rich.p for r in p.r)


# --- renderer tests on the hand-built model -----------------------------------------------

def test_trend_headings_have_rows_tall_enough_for_their_font():
    """A målområde's heading is 12 pt bold: in a default row (15 pt) LibreOffice printed it
    into the band of the repeated header row above it."""
    sheet = book_of(kommun_report())[0]["Trender"]
    headings = [c for c in sheet["A"] if c.font.sz and c.font.sz >= 12]
    assert headings and headings[0].row == 2  # the first right under the repeated header
    assert all(sheet.row_dimensions[c.row].height >= 1.5 * c.font.sz for c in headings)


def test_one_chart_per_indicator_with_values_for_the_unit():
    book, _ = book_of(kommun_report())
    charts = book["Trender"]._charts
    # goals 3, 8, 16 (region level), 21 have values; goal 9 has none and gets no chart
    assert [chart_title(c) for c in charts] == [
        "Mål 3: Fler elever i åk 9 ska vara behöriga till gymnasiet",
        "Mål 8: Minska andelen som har en stillasittande fritid",
        "Mål 16: Primärvården ska ge bättre kontinuitet",
        "Mål 21: God[31m hälsa för alla"]  # control characters dropped, text kept
    text = [c.value for row in book["Trender"].iter_rows() for c in row if c.value]
    assert "Utan värden för Jönköping, och därför utan diagram: mål 9." in text


def test_charts_show_the_unit_its_region_riket_similar_and_the_target_level():
    book, _ = book_of(kommun_report())
    school, sitting, care, _ = book["Trender"]._charts
    assert chart_series(school) == ["Jönköping", "Region Jönköpings län", "Riket",
                                    "Liknande kommuner", "Målnivå"]
    assert chart_series(sitting) == ["Jönköping", "Liknande kommuner", "Målnivå"]
    # region level: the unit's line is the region's; not drawn twice
    assert chart_series(care) == ["Region Jönköpings län", "Riket", "Målnivå"]


def test_chart_lines_are_straight_with_markers_and_span_gaps():
    book, _ = book_of(kommun_report())
    for chart in book["Trender"]._charts:
        assert chart.display_blanks == "span"
        for series in chart.series:
            assert not series.smooth  # written only when on; Excel and LibreOffice: straight
            if series.tx.v == "Målnivå":
                assert series.graphicalProperties.line.prstDash == "dash"
            else:
                assert series.marker.symbol in {"circle", "square", "triangle", "diamond"}
                assert series.marker.size == 6


def test_trend_rows_hold_the_series_and_the_target_level_from_the_baseline():
    book, _ = book_of(kommun_report())
    ws = book["Trender"]
    years = [c.value for c in ws[1]][1:]
    assert years[0] == "2012" and years[-1] == "2022"  # baseline 2017 − 5 .. target year
    rows = {ws.cell(r, 1).value: [ws.cell(r, 2 + years.index(str(y))).value
                                  for y in range(2015, 2023)]
            for r in range(3, 12)}
    assert rows["Jönköping"] == [80.0, None, 82.0, None, None, None, None, 85.5]
    assert rows["Målnivå"] == [None, None, 84.0, 84.0, 84.0, 84.0, 84.0, 84.0]  # 82 + 2
    chart = ws._charts[0]
    first_year = chart.series[0].val.numRef.f  # from the first year with a value (2015)
    assert first_year == f"'Trender'!$E${3 + 3}:$L${3 + 3}"


def test_region_report_calls_its_group_liknande_regioner():
    book, _ = book_of(region_report())
    assert chart_series(book["Trender"]._charts[0]) == [
        "Region Jönköpings län", "Riket", "Liknande regioner", "Målnivå"]
    headers = header_row(book["Sammanfattning"], 6)
    assert "Liknande regioner" in headers and "Liknande kommuner" not in headers
    assert "Region" not in headers  # a region report has no region to compare with


def test_summary_shows_target_level_outlook_reach_measure_coverage_and_notes():
    book, _ = book_of(kommun_report())
    rows = rows_by_kpi(book["Sammanfattning"])
    school, sitting, care = rows["N15428"], rows["U01425"], rows["U71455"]
    assert school["Målnivå"].value == 84.0
    assert sitting["Målnivå"].value == 42.0  # 47 − 5
    assert (school["Mot 2022"].value, sitting["Mot 2022"].value,
            care["Mot 2022"].value) == ("uppnått", "ej i fas", "i fas")
    assert (school["Når målet"].value, sitting["Når målet"].value,
            care["Når målet"].value) == ("nått", "ej i takt?", "2027")
    assert "Mäts som andelen stillasittande (lägre är bättre)" in sitting["Indikator"].value
    assert "urvalsundersökning" in sitting["Notering"].value  # explained once, in Om rapporten
    assert "slumpen" not in sitting["Notering"].value
    assert "utgångsläge 2018 (inget värde för 2017)" in sitting["Notering"].value
    assert "Kolada markerar värdet: B" in school["Notering"].value
    assert school["Liknande kommuner: underlag"].value == "medel av 5 av 7"
    assert school["Andel av målet"].value == 1.75  # 3,5 of 2
    assert care["Nivå"].value == "region"
    assert care["Indikator"].value.endswith("(regionnivå)")


def test_summary_status_cells_are_filled_and_comparisons_have_their_own():
    book, _ = book_of(kommun_report())
    school = rows_by_kpi(book["Sammanfattning"])["N15428"]
    assert school["Status"].value == "✔ uppnått"
    assert school["Status"].fill.fgColor.rgb.endswith(FILLS["met"])
    assert school["Riket"].value == "↗ på väg"
    assert school["Region"].fill.fgColor.rgb.endswith(FILLS["not_improving"])
    assert school["Riket: förändring"].value == 1.0
    assert school["Förändring"].number_format == "+#,##0.0;-#,##0.0;0.0"


def test_row_heights_fit_the_text_and_never_exceed_excels_maximum():
    book, _ = book_of(kommun_report())
    for ws in book:
        heights = [d.height for d in ws.row_dimensions.values() if d.height]
        assert heights and max(heights) <= 409
    about = book["Om rapporten"]
    pieces = [about.cell(r, 3).value for r in range(1, about.max_row + 1)
              if about.cell(r, 3).value and "fortsätter" in about.cell(r, 3).value]
    assert len(pieces) > 5  # the long description runs on over several rows
    assert " ".join(pieces).split() == LONG.split()  # and no word is lost


def test_about_sheet_bolds_its_header_rows_not_the_last_key_figure():
    book, _ = book_of(kommun_report())
    ws = book["Om rapporten"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Nyckeltal")
    assert [ws.cell(header, c).value for c in (1, 2, 3)] == ["Nyckeltal", "Kolada-titel",
                                                           "Beskrivning"]
    assert all(ws.cell(header, c).font.b for c in (1, 2, 3))
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value)
    assert ws.cell(last, 1).value == "U01405" and not ws.cell(last, 1).font.b


def test_gender_sheet_has_a_row_for_women_men_and_the_gap():
    """School (fixture): women 84 → 85, men 80 → 79, so the gap 4 → 6 grows by 2."""
    book, _ = book_of(kommun_report())
    ws = book["Kön"]
    headers = header_row(ws, 1)
    rows = [{h: ws.cell(r, c).value for h, c in headers.items()} for r in (2, 3, 4)]
    figures = ("Avser", "Basår", "Utgångsläge", "Senaste år", "Senaste värde", "Förändring")
    assert [tuple(row[h] for h in figures) for row in rows] == [
        ("Kvinnor", 2017, 84.0, 2022, 85.0, 1.0), ("Män", 2017, 80.0, 2022, 79.0, -1.0),
        ("Skillnad K−M", None, 4.0, None, 6.0, 2.0)]
    assert rows[2]["Status"] == "skillnaden minskar inte"
    assert [row["KPI"] for row in rows] == ["N15428"] * 3  # each row filters on its own
    assert ws.row_dimensions[1].height >= 2 * 13  # the wrapped header is tall enough
    tops = {ws.cell(2, c).alignment.vertical for c in range(1, len(headers) + 1)}
    assert tops == {"top"}


def test_gender_sheet_fits_one_portrait_page_across_at_a_legible_scale():
    book, _ = book_of(kommun_report())
    ws = book["Kön"]
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.scale >= 80
    assert not ws.col_breaks.brk  # one printed part


def test_hostile_text_never_breaks_the_workbook():
    book, _ = book_of(kommun_report())
    texts = [c.value for ws in book for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("God[31m hälsa för alla" in t for t in texts)
    assert not [t for t in texts if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", t)]


def test_names_that_look_like_cell_references_stay_words():
    unit = "Jönköping=2+5+cmd|' /C calc'!A0"  # XlsxWriter reads 'x!A0' as a reference
    results = list(kommun_results())
    results[0] = replace(results[0], indicator=replace(results[0].indicator, title="Mål!B2"))
    report = replace(kommun_report(), unit=Unit("0680", unit, "K"), results=tuple(results))
    chart = book_of(report)[0]["Trender"]._charts[0]
    assert chart.series[0].tx.strRef is None  # words, not a reference to a cell
    assert chart.series[0].tx.v.replace("\u2060", "") == unit  # a word joiner nobody sees
    assert chart_title(chart).replace("\u2060", "") == "Mål 3: Mål!B2"


def test_a_long_title_is_cut_to_what_a_page_header_holds_in_its_size():
    report = kommun_report()
    long = replace(report.run.catalogue, name="2030 Strategi för hälsa & " * 20)
    _, data = book_of(replace(report, run=replace(report.run, catalogue=long)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(f"xl/worksheets/sheet{n}.xml").decode() for n in (1, 2, 3, 4)]
    headers = [html.unescape(re.search("<oddHeader>(.*?)</oddHeader>", xml).group(1))
               for xml in sheets]
    assert all(len(h) <= 255 and "Strategi för hälsa && 2030 Strategi" in h for h in headers)
    assert all('&10 2030 Strategi' in h for h in headers)  # a size of 10, not of 102030
    assert all(h.endswith("&A") for h in headers)  # the sheet's name is still there


def test_every_sheet_prints_on_a4_at_a_legible_scale_with_repeated_headers():
    book, _ = book_of(kommun_report())
    for ws in book:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert 10 * ws.page_setup.scale / 100 >= 8  # 10 pt text prints at 8 pt or more
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
    summary = book["Sammanfattning"]
    assert summary.print_title_rows == "$6:$6" and summary.print_title_cols == "$A:$C"
    own = header_row(summary, 6)["Mot 2022"]
    assert [b.id for b in summary.col_breaks.brk] == [own]  # two printed parts
    assert [b.id for b in summary.row_breaks.brk] == [9, 10]  # a page per målområde
    assert book["Trender"].print_title_rows == "$1:$1"


# --- the overview workbook, the CLI and the fake Kolada ---------------------------------

def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def workbook_and_json(cli_env, tmp_path):
    target = tmp_path / "jkpg.xlsx"
    result = sfh(cli_env, "report", "-k", "0680", "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    as_json = parse_report(sfh(cli_env, "report", "-k", "0680", "-f", "json").stdout)
    return load_workbook(target), as_json


def test_workbook_has_the_four_sheets_and_headers(workbook_and_json):
    book, _ = workbook_and_json
    assert book.sheetnames == SHEETS
    ws = book["Sammanfattning"]
    assert ws["A1"].value == "Strategi för hälsa – Jönköping (0680)"
    headers = header_row(ws, 6)
    for name in ("Mål nr", "Indikator", "KPI", "Basår", "Utgångsläge", "Senaste år",
                 "Senaste värde", "Förändring", "Mål (ändring)", "Målnivå", "Status",
                 "Mot 2022", "Riket", "Region", "Liknande kommuner", "Notering"):
        assert name in headers
    assert ws.freeze_panes == "D7"
    assert ws.auto_filter.ref == f"A6:{ws.cell(6, len(headers)).column_letter}29"
    assert ws.page_setup.orientation == "landscape"
    assert "Källa: Kolada" in ws.oddFooter.left.text


def same_number(cell: object, number: float | None) -> bool:
    """The JSON's number in a cell, to the 16 significant digits XlsxWriter writes (Excel
    itself keeps 15): 1.0999999999999943 is stored as 1.099999999999994."""
    if number is None or cell is None:
        return cell is number
    return cell == pytest.approx(number, rel=1e-15, abs=0)


def test_summary_numbers_are_the_json_numbers(workbook_and_json):
    book, as_json = workbook_and_json
    rows = rows_by_kpi(book["Sammanfattning"])
    assert len(rows) == 23
    for indicator in as_json["indicators"]:
        row = rows[indicator["kpi"]]
        assert row["Mål nr"].value == indicator["goal"]
        assert same_number(row["Förändring"].value, indicator["change"])
        assert same_number(row["Andel av målet"].value, indicator["progress"])
        assert same_number(row["Målnivå"].value, indicator["target_level"])
        baseline, latest = indicator["baseline"] or {}, indicator["latest"] or {}
        assert row["Basår"].value == baseline.get("year")
        assert same_number(row["Utgångsläge"].value, baseline.get("value"))
        assert same_number(row["Senaste värde"].value, latest.get("value"))
        assert row["Status"].fill.fgColor.rgb.endswith(FILLS[indicator["status"]])
        riket = indicator["comparisons"]["0000"]["status"]
        assert row["Riket"].fill.fgColor.rgb.endswith(FILLS[riket])
    assert rows["N20402"]["Mål (ändring)"].value == -1000


def test_fixture_charts_are_the_indicators_with_values(workbook_and_json):
    book, _ = workbook_and_json
    ws = book["Trender"]
    # Jönköping has values for N80401 (its region's, region level), N15428, N20402,
    # N15613 (2022 only), N00925, N00923, U01405 and U01413: eight charts
    kpis = [re.search(r"Nyckeltal (\w+)", c.value).group(1) for c in ws["A"]
            if isinstance(c.value, str) and c.value.startswith("Nyckeltal")]
    assert kpis == ["N80401", "N15428", "N20402", "N15613", "N00925", "N00923", "U01405",
                    "U01413"]
    assert len(ws._charts) == 8
    falls = next(c for c in ws._charts if "fallskador" in chart_title(c))
    assert chart_series(falls) == ["Jönköping", "Riket", "Målnivå"]
    years = [c.value for c in ws[1]]
    trust = next(r for r in range(1, ws.max_row + 1)
                 if str(ws.cell(r, 1).value).startswith("Nyckeltal U01413"))
    assert ws.cell(trust + 2, 1).value == "Jönköping"
    assert [ws.cell(trust + 2, years.index(str(y)) + 1).value for y in range(2017, 2023)] == [
        None, 30.0, None, None, 29.0, 28.5]  # 2017 is null; 2018 stands alone


def test_overview_workbook_prints_in_a_few_pages_worth(cli_env, tmp_path):
    target = tmp_path / "oversikt.xlsx"
    assert sfh(cli_env, "overview", "-f", "xlsx", "-o", str(target)).exit_code == 0
    book = load_workbook(target)
    assert book.sheetnames == ["Översikt", "Matris", "Rangordning", "Förändring"]
    headers = [c.value for c in book["Översikt"][5]]
    assert "Saknar data (antal)" in headers and "Förändring: min" in headers
    matrix = book["Matris"]
    assert [c.value for c in matrix[3]][:3] == ["Kod", "Kommun", "1 U01901"]
    jonkoping = next(r for r in matrix.iter_rows(min_row=4) if r[0].value == "0680")
    school = [c.value for c in matrix[3]].index("3 N15428")
    assert jonkoping[school].value == "✔"  # 82 → 85,5 of +2
    ranks = book["Rangordning"]
    column = [c.value for c in ranks[3]].index("3 N15428")
    placed = {r[0].value: r[column].value for r in ranks.iter_rows(min_row=4)}
    assert placed["0680"] == 1 and placed["0180"] == 2  # +3,5 before Stockholm's +1
    for ws in book:
        assert 10 * ws.page_setup.scale / 100 >= 8


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
    cells = {c.value.split("\n")[0]: c for c in ws["B"] if isinstance(c.value, str)}
    assert set(hostile) <= set(cells)
    assert all(cells[title].data_type == "s" for title in hostile)


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
    assert sorted(p.name for p in folder.iterdir()) == [  # and the län workbook
        "0006-region-jonkopings-lan.xlsx", "06-jonkopings-lan.xlsx", "0643-habo.xlsx",
        "0680-jonkoping.xlsx"]
    assert len(fake.requests) == 4
    assert "/municipality/0000,0006,0643,0680,G1001/" in fake.requests[3]
    assert "wrote 4 file(s)" in result.stderr
    region_book = load_workbook(folder / "0006-region-jonkopings-lan.xlsx")
    assert region_book["Sammanfattning"]["A1"].value.endswith("(0006)")


def test_a_failing_unit_is_skipped_and_reported(cli_env, tmp_path):
    folder = tmp_path / "r"
    (folder / "0643-habo.xlsx").mkdir(parents=True)  # a folder where the file should go
    result = sfh(cli_env, "report", "--lan", "06", "-f", "xlsx", "-d", str(folder))
    assert result.exit_code == 5
    assert "failed: 0643 Habo" in result.stderr
    assert (folder / "0680-jonkoping.xlsx").is_file()
    assert (folder / "0006-region-jonkopings-lan.xlsx").is_file()


def test_parallel_writing_gives_the_same_workbooks_and_reports_failures(client, tmp_path):
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.delivery import write_batch
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


# --- on paper: LibreOffice prints the workbooks to PDF -------------------------------------


def test_the_years_comparisons_are_judged_over(workbook_and_json):
    """Fixture U01405: Jönköping 2018 → 2022 (no 2017 value): so are the comparisons; the
    region lacks 2018 and says so in the note."""
    book, _ = workbook_and_json
    sheet = book["Sammanfattning"]
    assert "Jämförs med Riket, Region Jönköpings län och liknande kommuner (medel av 2), " \
           "över samma år som enhetens utgångsläge och senaste värde" in sheet["A2"].value
    rows = rows_by_kpi(sheet)
    assert (rows["U01405"]["Basår"].value, rows["U01405"]["Senaste år"].value) == (2018, 2022)
    # a 2022 value but none for 2018 (Kolada: not applicable): it cannot be judged, and why
    assert rows["U01405"]["Region"].value == "○ kan inte bedömas"
    assert "Region: jämförs över enhetens år 2018–2022: inget värde för 2018; Kolada anger " \
        "ej tillämpligt för 2018" in rows["U01405"]["Notering"].value


def test_about_sheet_names_the_catalogue_without_a_file_path():
    book, _ = book_of(kommun_report())  # the catalogue's source is "katalog.toml", digest abc
    about = book["Om rapporten"]
    texts = [str(c.value) for row in about.iter_rows() for c in row if c.value]
    assert "Strategi för hälsa, sha256 abc" in texts
    assert not any("katalog.toml" in text for text in texts)


def test_a_small_change_shows_enough_decimals_for_its_status():
    improving = figures((2017, 84.53), (2022, 84.56), Status.IMPROVING)  # +0,03
    book, _ = book_of(replace_first_figures(improving))
    school = rows_by_kpi(book["Sammanfattning"])["N15428"]
    assert school["Förändring"].number_format == "+#,##0.0##;-#,##0.0##;0.0"  # shows +0,03
    assert rows_by_kpi(book["Sammanfattning"])["U01425"]["Förändring"].number_format == \
        "+#,##0.0;-#,##0.0;0.0"


def replace_first_figures(new: Figures) -> UnitReport:
    from dataclasses import replace
    report = kommun_report()
    return replace(report, results=(replace(report.results[0], figures=new),
                                    *report.results[1:]))


def test_a_charts_x_axis_ends_at_its_last_value_or_the_target_year():
    """Goal 16 (care) gets a 2024 value, so the sheet's years run to 2024; goal 3's chart
    (values and target level to 2022, the target year) still ends at 2022, goal 16's at
    2024."""
    from dataclasses import replace
    report = kommun_report()
    care = report.results[3]
    later = replace(care, series={**care.series, Role.UNIT: {**care.series[Role.UNIT],
                                                             2024: 82.0}})
    results = (*report.results[:3], later, *report.results[4:])
    book, _ = book_of(replace(report, results=results))
    header = [c.value for c in book["Trender"][1]]
    school, _, care_chart, _ = book["Trender"]._charts
    ends = [chart.series[0].cat.numRef.f.split(":")[-1] if chart.series[0].cat.numRef
            else chart.series[0].cat.strRef.f.split(":")[-1] for chart in (school, care_chart)]
    columns = [re.sub(r"[$\d]", "", end) for end in ends]
    from openpyxl.utils import column_index_from_string
    assert [header[column_index_from_string(c) - 1] for c in columns] == ["2022", "2024"]


def test_notes_run_on_so_rows_are_not_tall_and_blank():
    book, _ = book_of(kommun_report())
    sitting = rows_by_kpi(book["Sammanfattning"])["U01425"]["Notering"].value
    # the baseline moved (2018 for 2017), the survey mark, the thin group mean (2 of 7)
    assert sitting == ("utgångsläge 2018 (inget värde för 2017); urvalsundersökning; "
                       "liknande kommuner: medel av bara 2 av 7")
