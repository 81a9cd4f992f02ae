"""Excel output (openpyxl): a workbook a county analyst can send as it is.

Sheets: Sammanfattning (title block, one row per indicator by målområde, status fills, a
progress data bar, Riket and region), Trender (yearly series with one line chart per
indicator), Kön (women and men, and the gap between them) and Om rapporten (status
meanings, the baseline rule, each KPI's Kolada title and description, versions).
Every text cell is stored as text, so titles from Kolada or a catalogue beginning with
=, +, - or @ never become formulas.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import DataBarRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from strategihalsa.catalogue import HISTORY_YEARS
from strategihalsa.model import Figures, IndicatorResult, Overview, UnitReport
from strategihalsa.render import Renderer, words
from strategihalsa.render.words import STATUS_LABELS
from strategihalsa.vocabulary import Role, Status

STATUS_FILLS = {
    Status.MET: PatternFill("solid", fgColor="C6EFCE"),
    Status.IMPROVING: PatternFill("solid", fgColor="FFEB9C"),
    Status.NOT_IMPROVING: PatternFill("solid", fgColor="FFC7CE"),
    Status.NO_DATA: PatternFill("solid", fgColor="D9D9D9"),
}
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=16)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
ONE_DECIMAL = "0.0"
SIGNED = "+0.0;-0.0;0.0"
PERCENT = "0%"

# header → (column width, number format)
SUMMARY_COLUMNS = {
    "Målområde": (22, None), "Mål nr": (7, None), "Indikator": (50, None), "KPI": (9, None),
    "Nivå": (9, None), "Utgångsläge år": (12, None), "Utgångsläge": (12, ONE_DECIMAL),
    "Senaste år": (9, None), "Senaste värde": (11, ONE_DECIMAL), "Förändring": (11, SIGNED),
    "Mål": (9, SIGNED), "Måluppfyllelse": (15, PERCENT), "Status": (18, None),
    "Når målet": (11, None), "Rang": (10, None), "Riket": (18, None),
    "Län/region": (18, None), "Liknande kommuner": (18, None), "Notering": (45, None),
}
SUMMARY_HEADERS = tuple(SUMMARY_COLUMNS)
COMPARISON_COLUMNS = {Role.RIKET: "Riket", Role.REGION: "Län/region",
                      Role.SIMILAR: "Liknande kommuner"}


def column_of(name: str) -> int:
    """1-based column of a Sammanfattning header."""
    return SUMMARY_HEADERS.index(name) + 1


def put(ws: Worksheet, row: int, column: int, value: Any, **style: Any) -> Any:
    """Write a cell; text is always stored as text, never as a formula. An empty value
    creates no cell (fewer cells to write in large batches)."""
    if value is None:
        return None
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def put_row(ws: Worksheet, row: int, values: Iterable[Any], **style: Any) -> None:
    """Write a row of cells from column 1."""
    for column, value in enumerate(values, 1):
        put(ws, row, column, value, **style)


def header(ws: Worksheet, row: int, names: Iterable[str]) -> None:
    put_row(ws, row, names, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP)
    ws.row_dimensions[row].height = 32


def signed_target(result: IndicatorResult) -> float | str:
    """+2 for 'increase by 2', −1000 for 'decrease by 1000', text for 'any change'."""
    value = words.signed_target(result)
    return words.target(result) if value is None else value


def status_cell(ws: Worksheet, row: int, column: int, code: Status | None) -> None:
    """A status word with its fill; a missing status reads 'saknar data'."""
    code = code or Status.NO_DATA
    put(ws, row, column, STATUS_LABELS[code], fill=STATUS_FILLS[code], alignment=TOP)


def status_of(figures: Figures | None) -> Status | None:
    return figures.status if figures else None


def level_label(result: IndicatorResult) -> str:
    return "region" if result.region_level else "egen"


def summary_sheet(ws: Worksheet, report: UnitReport) -> None:
    """Title block, then one row per indicator grouped by målområde."""
    run = report.run
    names = ", ".join(c.unit.title for c in report.compared)
    put(ws, 1, 1, words.title(report), font=TITLE_FONT)
    put(ws, 2, 1, f"{words.years(report)}. Jämförelse: {names}.")
    put(ws, 3, 1, f"Källa: Kolada ({run.api_url}). Skapad {run.generated_at} "
                  f"med sfh {run.version}.")
    put(ws, 4, 1, words.summary_line(report.summary) + "".join(
        f". {words.gap_line(g)}" for g in report.goal_gaps), font=BOLD)
    top = 6
    header(ws, top, SUMMARY_HEADERS)
    results = [r for area in report.areas for r in report.in_area(area)]
    for row, result in enumerate(results, top + 1):
        _summary_row(ws, row, report, result)
    last = top + len(results)
    for column, (_, fmt) in enumerate(SUMMARY_COLUMNS.values(), 1):
        for row in range(top + 1, last + 1) if fmt else ():
            ws.cell(row=row, column=column).number_format = fmt
    bar = get_column_letter(column_of("Måluppfyllelse"))
    progress = f"{bar}{top + 1}:{bar}{last}"
    ws.conditional_formatting.add(progress, DataBarRule(
        start_type="num", start_value=0, end_type="num", end_value=1, color="5B9BD5"))
    ws.freeze_panes = ws.cell(row=top + 1, column=4)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(SUMMARY_HEADERS))}{last}"
    _widths(ws, [width for width, _ in SUMMARY_COLUMNS.values()])
    _print_setup(ws, f"{top}:{top}")


def _summary_row(ws: Worksheet, row: int, report: UnitReport, result: IndicatorResult) -> None:
    ind, fig = result.indicator, result.figures
    note = "; ".join(words.notes(result)) or ind.note or ""
    put_row(ws, row, (
        ind.area, ind.goal, ind.title, ind.kpi, level_label(result),
        fig.baseline.year if fig.baseline else None,
        fig.baseline.value if fig.baseline else None,
        fig.latest.year if fig.latest else None,
        fig.latest.value if fig.latest else None,
        fig.change, signed_target(result), fig.progress, None, words.reaches(result),
        words.rank(result),
        "–", "–", "–", note,
    ), alignment=TOP)
    status_cell(ws, row, column_of("Status"), fig.status)
    for compared in report.compared:
        comparison = result.comparison(compared.role)
        status_cell(ws, row, column_of(COMPARISON_COLUMNS[compared.role]),
                    status_of(comparison.figures if comparison else None))
    ws.cell(row=row, column=column_of("Indikator")).alignment = WRAP
    ws.cell(row=row, column=column_of("Notering")).alignment = WRAP
    ws.row_dimensions[row].height = line_height(
        (ind.title, SUMMARY_COLUMNS["Indikator"][0]), (note, SUMMARY_COLUMNS["Notering"][0]))


def line_height(*texts: tuple[str, float]) -> float:
    """Row height fitting wrapped texts of the given column widths (Excel sizes rows lazily)."""
    lines = max(1, *(math.ceil(len(text) / max(width - 2, 1)) for text, width in texts))
    return 15.0 * lines


def trend_years(report: UnitReport) -> list[int]:
    """From a few years before the baseline to the latest year with a value."""
    years = [y for r in report.results for s in r.series.values() for y in s]
    first = report.run.baseline_year - HISTORY_YEARS
    first = min([first, *(i.baseline_year for i in report.run.catalogue.indicators)])
    return list(range(first, max(years) + 1)) if years else [report.run.baseline_year]


def trends_sheet(ws: Worksheet, report: UnitReport) -> None:
    """Yearly series (unit, Riket, region) and one line chart per indicator."""
    years = trend_years(report)
    header(ws, 1, ("Mål nr", "KPI", "Enhet", *map(str, years)))
    row = 2
    for n, result in enumerate(report.results):
        first = row
        for role, series in result.series.items():
            label = _series_label(report, result, role)
            put_row(ws, row, (result.indicator.goal, result.indicator.kpi, label))
            for column, year in enumerate(years, 4):
                put(ws, row, column, series.get(year), number_format=ONE_DECIMAL)
            row += 1
        _chart(ws, result, first, min(first + 1, row - 1), len(years), n)
    ws.freeze_panes = "D2"
    _widths(ws, (7, 9, 32, *[8] * len(years)))
    _print_setup(ws, "1:1")


def _series_label(report: UnitReport, result: IndicatorResult, role: Role) -> str:
    if role is Role.UNIT and result.region_level:
        region = result.comparison(Role.REGION)
        return f"{region.unit.title if region else result.data_unit} {words.REGION_LEVEL}"
    if role is Role.UNIT:
        return report.unit.title
    comparison = result.comparison(role)
    return comparison.unit.title if comparison else str(role)


def _chart(ws: Worksheet, result: IndicatorResult, first: int, last: int, n_years: int,
           index: int) -> None:
    """A small line chart of the unit and Riket, placed in a grid right of the table."""
    chart = LineChart()
    chart.title = f"Mål {result.indicator.goal}: {result.indicator.kpi}"
    chart.height, chart.width = 6.5, 11
    chart.y_axis.number_format = "0"
    data = Reference(ws, min_col=3, max_col=3 + n_years, min_row=first, max_row=last)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=4, max_col=3 + n_years, min_row=1, max_row=1))
    anchor_col = get_column_letter(5 + n_years + (index % 2) * 8)
    ws.add_chart(chart, f"{anchor_col}{2 + (index // 2) * 14}")


GENDER_HEADERS = ("Mål nr", "Indikator", "KPI",
                  "Kvinnor utgångsläge år", "Kvinnor utgångsläge", "Kvinnor senaste år",
                  "Kvinnor senaste", "Kvinnor förändring", "Kvinnor status",
                  "Män utgångsläge år", "Män utgångsläge", "Män senaste år", "Män senaste",
                  "Män förändring", "Män status",
                  "Skillnad K−M utgångsläge", "Skillnad K−M senaste", "Skillnadens förändring")


def gender_sheet(ws: Worksheet, report: UnitReport) -> None:
    """Women and men side by side for gender-divided key figures."""
    header(ws, 1, GENDER_HEADERS)
    row = 2
    for result in report.results:
        if not result.by_gender:
            continue
        cells: list[Any] = [result.indicator.goal, result.indicator.title, result.indicator.kpi]
        for code in ("K", "M"):
            fig = result.by_gender[code]
            cells += [fig.baseline.year if fig.baseline else None,
                      fig.baseline.value if fig.baseline else None,
                      fig.latest.year if fig.latest else None,
                      fig.latest.value if fig.latest else None, fig.change, None]
        gap = result.gender_gap
        put_row(ws, row, (*cells, gap.baseline, gap.latest, gap.change))
        status_cell(ws, row, 9, result.by_gender["K"].status)
        status_cell(ws, row, 15, result.by_gender["M"].status)
        for column in (5, 7, 11, 13, 16, 17):
            ws.cell(row=row, column=column).number_format = ONE_DECIMAL
        for column in (8, 14, 18):
            ws.cell(row=row, column=column).number_format = SIGNED
        ws.cell(row=row, column=2).alignment = WRAP
        ws.row_dimensions[row].height = line_height((result.indicator.title, 45))
        row += 1
    if row == 2:
        put(ws, 2, 1, "Inga nyckeltal i rapporten är uppdelade på kön.")
    ws.freeze_panes = "D2"
    _widths(ws, (7, 45, 9, *[11] * 15))
    _print_setup(ws, "1:1")


def about_sheet(ws: Worksheet, report: UnitReport) -> None:
    """What the statuses mean, how the baseline is chosen, the KPIs, versions."""
    catalogue, run = report.run.catalogue, report.run
    lines: list[tuple[Any, ...]] = [
        ("Om rapporten",),
        (),
        ("Status", "Betydelse"),
        (STATUS_LABELS[Status.MET], "Förbättringen är minst lika stor som målet."),
        (STATUS_LABELS[Status.IMPROVING], "Förbättring, men mindre än målet."),
        (STATUS_LABELS[Status.NOT_IMPROVING], "Ingen förbättring (oförändrat eller sämre)."),
        (STATUS_LABELS[Status.NO_DATA], "Utgångsläge eller senaste värde saknas, eller nyckeltalet "
                                   "finns inte längre i Kolada."),
        (),
        ("Utgångsläge", f"Värdet år {run.baseline_year} (eller indikatorns eget basår). "
                        "Saknas det används första senare år med värde, aldrig "
                        "uppföljningsåret självt."),
        ("Förändring", "Senaste värde minus utgångsläge. För mål där en minskning är en "
                       "förbättring räknas förbättringen som minus förändringen."),
        ("Måluppfyllelse", "Förbättring delat med målet (saknas när målet är 0)."),
        (),
        ("Katalog", catalogue.source),
        ("Katalogens version", f"{catalogue.name}, sha256 {catalogue.digest or '–'}"),
        ("Verktyg", f"sfh {run.version}"),
        ("Skapad", run.generated_at),
        ("Källa", f"Kolada ({run.api_url})"),
        (),
        ("Nyckeltal", "Kolada-titel", "Beskrivning"),
    ]
    lines += [(r.indicator.kpi, r.kpi.title if r.kpi else "finns inte längre i Kolada",
               r.kpi.description if r.kpi else "") for r in report.results]
    for row, values in enumerate(lines, 1):
        put_row(ws, row, values, alignment=WRAP)
    put(ws, 1, 1, "Om rapporten", font=TITLE_FONT)
    for row in (3, len(lines)):
        for column in (1, 2, 3):
            ws.cell(row=row, column=column).font = BOLD
    for row, values in enumerate(lines, 1):
        if len(values) > 1:
            ws.row_dimensions[row].height = line_height(
                *((str(v), w) for v, w in zip(values[1:], (60, 90), strict=False)))
    _widths(ws, (22, 60, 90))
    _print_setup(ws, "")


def _widths(ws: Worksheet, widths: Iterable[float]) -> None:
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def workbook(report: UnitReport) -> Workbook:
    """The four-sheet workbook of one report."""
    book = Workbook()
    summary = book.active
    summary.title = "Sammanfattning"
    summary_sheet(summary, report)
    trends_sheet(book.create_sheet("Trender"), report)
    gender_sheet(book.create_sheet("Kön"), report)
    about_sheet(book.create_sheet("Om rapporten"), report)
    return book


def save(book: Workbook) -> bytes:
    """A workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


OVERVIEW_HEADERS = ("Mål nr", "Indikator", "KPI", "Nivå", "Riket", "Riket förändring",
                    "Uppnått", "På väg", "Ingen förbättring", "Saknar data", "Min", "Q1",
                    "Median", "Q3", "Max")


def overview_workbook(overview: Overview) -> Workbook:
    """Översikt, Matris (units × indicators, status-coloured) and Rangordning sheets."""
    book = Workbook()
    ws = book.active
    ws.title = "Översikt"
    run = overview.run
    put(ws, 1, 1, f"{run.catalogue.name} – översikt: {overview.scope}", font=TITLE_FONT)
    put(ws, 2, 1, f"{overview.unit_count} kommuner. Utgångsläge {run.baseline_year}, målår "
                  f"{run.target_year}. Förändringens fördelning: min, kvartiler "
                  "(linjär interpolation), max; regionnivå räknas över regionerna.")
    put(ws, 3, 1, f"Källa: Kolada ({run.api_url}). Skapad {run.generated_at} med sfh "
                  f"{run.version}.")
    header(ws, 5, OVERVIEW_HEADERS)
    for row, s in enumerate(overview.indicators, 6):
        spread = [getattr(s.change, k) if s.change else None
                  for k in ("min", "q1", "median", "q3", "max")]
        put_row(ws, row, (s.indicator.goal, s.indicator.title, s.indicator.kpi, str(s.level),
                          None, s.riket.change, *s.counts.values(), *spread), alignment=TOP)
        status_cell(ws, row, 5, s.riket.status)
        for column in (6, 11, 12, 13, 14, 15):
            ws.cell(row=row, column=column).number_format = SIGNED
        ws.cell(row=row, column=2).alignment = WRAP
        ws.row_dimensions[row].height = line_height((s.indicator.title, 50))
    ws.freeze_panes = "C6"
    ws.auto_filter.ref = f"A5:O{5 + len(overview.indicators)}"
    _widths(ws, (7, 50, 9, 9, 18, 11, 9, 9, 11, 11, 9, 9, 9, 9, 9))
    _print_setup(ws, "5:5")
    matrix_sheet(book.create_sheet("Matris"), overview)
    ranking_sheet(book.create_sheet("Rangordning"), overview)
    return book


def matrix_sheet(ws: Worksheet, overview: Overview) -> None:
    """Kommuner × indicators, each cell the status, coloured; filters on every column."""
    indicators = [s.indicator for s in overview.indicators]
    header(ws, 1, ("Kod", "Kommun", *(f"{i.goal} {i.kpi}" for i in indicators)))
    for row, entry in enumerate(overview.matrix, 2):
        put(ws, row, 1, entry.unit.id)
        put(ws, row, 2, entry.unit.title)
        for column, code in enumerate(entry.statuses, 3):
            status_cell(ws, row, column, code)
    last_column = get_column_letter(2 + len(indicators))
    ws.auto_filter.ref = f"A1:{last_column}{1 + len(overview.matrix)}"
    ws.freeze_panes = "C2"
    _widths(ws, (7, 22, *[14] * len(indicators)))
    _print_setup(ws, "1:1")


def ranking_sheet(ws: Worksheet, overview: Overview) -> None:
    """Per indicator, the units ranked by improvement (1 = largest)."""
    header(ws, 1, ("Indikator", "KPI", "Rang", "Kod", "Enhet", "Nivå", "Förändring",
                   "Förbättring", "Status"))
    for row, entry in enumerate(overview.ranking, 2):
        put_row(ws, row, (entry.indicator.id, entry.indicator.kpi, entry.rank, entry.unit.id,
                          entry.unit.title, str(entry.level), entry.change, entry.improvement))
        status_cell(ws, row, 9, entry.status)
        ws.cell(row=row, column=7).number_format = SIGNED
        ws.cell(row=row, column=8).number_format = SIGNED
    ws.auto_filter.ref = f"A1:I{1 + len(overview.ranking)}"
    ws.freeze_panes = "A2"
    _widths(ws, (28, 9, 7, 7, 24, 9, 11, 11, 18))
    _print_setup(ws, "1:1")


RENDERER = Renderer(
    binary=True,
    many=False,
    reports=lambda reports, options: save(workbook(reports[0])),
    overview=lambda overview, options: save(overview_workbook(overview)),
)
