"""Excel output (XlsxWriter): a workbook a county analyst can send as it is, on screen and on
paper.

A report's sheets: Sammanfattning (title block, one row per indicator by målområde: figures,
target, målnivå, status, outlook, rank, then Riket, the region and the similar kommuner, and
notes), Trender (per indicator with values: its series and a line chart of the unit, the
region, Riket, the similar kommuner and the target level), Kön (women, men and the gap) and
Om rapporten (meanings, provenance, the key figures' Kolada descriptions). The overview
workbook: Översikt, Matris, Rangordning and Förändring. A batch's län workbook: Status,
Förändring and Placering i länet, units × goals. Every sheet prints on A4 with its
header row repeated, page breaks where a reader expects them, and text of at least 8 pt.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from strategihalsa.model import Overview, UnitReport
from strategihalsa.render import Options, Renderer
from strategihalsa.render.xlsx import about, gender, lan_summary, overview, summary, trends
from strategihalsa.render.xlsx.book import Book


def workbook(report: UnitReport) -> Book:
    """The four-sheet workbook of one report."""
    book = Book()
    chosen, own = summary.columns(report)
    summary.summary_sheet(book.sheet("Sammanfattning", [c.width for c in chosen]), report,
                          chosen, own)
    years = trends.trend_years(report)
    widths = [trends.LABEL_WIDTH, *[trends.YEAR_WIDTH] * len(years), trends.GAP_WIDTH]
    trends.trends_sheet(book.sheet("Trender", widths), report, years)
    gender.gender_sheet(book.sheet("Kön", gender.WIDTHS), report)
    about.about_sheet(book.sheet("Om rapporten", about.WIDTHS), report)
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


def render_reports(reports: Sequence[UnitReport], options: Options) -> bytes:
    """One report's workbook (a batch writes one file per unit)."""
    with collection_paused():
        return save(workbook(reports[0]))


def render_overview(data: Overview, options: Options) -> bytes:
    """The overview workbook."""
    with collection_paused():
        return save(overview_workbook(data))


def render_lan(reports: Sequence[UnitReport], options: Options) -> bytes:
    """A batch's län workbook: its units × goals."""
    with collection_paused():
        return save(lan_summary.lan_workbook(reports))


RENDERER = Renderer(binary=True, many=False, reports=render_reports, overview=render_overview,
                    index=render_lan)
