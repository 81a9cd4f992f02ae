"""Excel output (XlsxWriter): a workbook a county analyst can send as it is, on screen and on
paper.

A report's sheets: Sammanfattning (title block, one row per indicator by målområde: figures,
target, målnivå, status, outlook, rank, then Riket, the region and the similar kommuner, and
notes), Trender (per indicator with values: its series and a line chart of the unit, the
region, Riket, the similar kommuner and the target level), Kön (women, men and the gap), in a
region report Kommunernas bild (the län's kommuner for kommun-only key figures) and
Om rapporten (meanings, provenance, the key figures' Kolada descriptions). Several units side
by side: Jämförelse (a row per indicator, two columns per unit), then each unit's own
sheets named after its code, and Om rapporten once. The overview
workbook: Översikt, Matris, Rangordning and Förändring. A batch's län workbook: Status,
Förändring and Placering i länet, units × goals. Every sheet prints on A4 with its
header row repeated, page breaks where a reader expects them, and text of at least 8 pt.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from strategihalsa.model import UnitReport
from strategihalsa.model_overview import Overview
from strategihalsa.model_side import SideBySide
from strategihalsa.render import Options, Renderer
from strategihalsa.render.xlsx import (
    about,
    compare,
    gender,
    kommuner,
    lan_summary,
    overview,
    summary,
    trends,
)
from strategihalsa.render.xlsx.book import Book


def workbook(report: UnitReport) -> Book:
    """The workbook of one report: four sheets (five for a region with kommun-only key
    figures)."""
    book = Book()
    add_report(book, report)
    about.about_sheet(book.sheet("Om rapporten", about.WIDTHS), report)
    return book


def add_report(book: Book, report: UnitReport, prefix: str = "") -> None:
    """A report's Sammanfattning, Trender, Kön (and a region's Kommunernas bild), their names
    after `prefix`."""
    chosen, own = summary.columns(report)
    summary.summary_sheet(book.sheet(f"{prefix}Sammanfattning", [c.width for c in chosen]),
                          report, chosen, own)
    years = trends.trend_years(report)
    widths = [trends.LABEL_WIDTH, *[trends.YEAR_WIDTH] * len(years), trends.GAP_WIDTH]
    trends.trends_sheet(book.sheet(f"{prefix}Trender", widths), report, years)
    gender.gender_sheet(book.sheet(f"{prefix}Kön", gender.WIDTHS), report)
    if kommuner.pictured(report):
        kommuner.kommuner_sheet(book.sheet(f"{prefix}{kommuner.TITLE}", kommuner.WIDTHS), report)


def side_by_side_workbook(view: SideBySide) -> Book:
    """Jämförelse, then each unit's own sheets (named after its code: '0680 Trender'), and
    Om rapporten once (the reports share their catalogue and run)."""
    book = Book()
    prefixes = [sheet_prefix(place, r.unit.id) for place, r in enumerate(view.reports, 1)]
    compare.compare_sheet(book.sheet("Jämförelse", compare.widths(view)), view, {
        r.unit.id: f"{prefix}{kommuner.TITLE}" for prefix, r in zip(prefixes, view.reports,
                                                                    strict=True)})
    for prefix, report in zip(prefixes, view.reports, strict=True):
        add_report(book, report, prefix)
    about.about_sheet(book.sheet("Om rapporten", about.WIDTHS), view.reports[0],
                      side_by_side=True)
    return book


def overview_workbook(data: Overview) -> Book:
    """Översikt, Matris, Rangordning and Förändring."""
    book = Book()
    overview.summary_sheet(book.sheet("Översikt", [w for _, w in overview.SUMMARY_HEADERS]),
                           data)
    count = len(data.indicators)
    marks = [*overview.UNIT_WIDTHS, *[overview.MARK_WIDTH] * count]
    numbers = [*overview.UNIT_WIDTHS, *[overview.NUMBER_WIDTH] * count]
    overview.matrix_sheet(book.sheet("Matris", marks), data)
    overview.rank_sheet(book.sheet("Rangordning", marks), data)
    overview.change_sheet(book.sheet("Förändring", numbers), data)
    return book


def save(book: Book) -> bytes:
    """A workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Cyclic garbage collection paused while one workbook is built and saved: the writer
    makes tens of thousands of small objects, and the collections they trigger would scan
    the whole heap (in a batch, every report) again and again (a batch renders about 13 %
    faster). The workbook's garbage goes at the next collection after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sheet_prefix(place: int, code: str) -> str:
    """'0680 ' before a unit's sheet names; its place among the units ('3 ') when Kolada's
    code is not four digits (a sheet name must not hold some characters, nor be long)."""
    return f"{code} " if len(code) == 4 and code.isascii() and code.isdigit() else f"{place} "


def render_reports(reports: Sequence[UnitReport], options: Options) -> bytes:
    """One report's workbook (a batch writes one file per unit)."""
    with collection_paused():
        return save(workbook(reports[0]))


def render_overview(data: Overview, options: Options) -> bytes:
    """The overview workbook."""
    with collection_paused():
        return save(overview_workbook(data))


def render_side_by_side(view: SideBySide, options: Options) -> bytes:
    """The side-by-side workbook."""
    with collection_paused():
        return save(side_by_side_workbook(view))


def render_lan(reports: Sequence[UnitReport], options: Options) -> bytes:
    """A batch's län workbook: its units × goals."""
    with collection_paused():
        return save(lan_summary.lan_workbook(reports))


RENDERER = Renderer(binary=True, many=False, reports=render_reports, overview=render_overview,
                    side_by_side=render_side_by_side, index=render_lan)
