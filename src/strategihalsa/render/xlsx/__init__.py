"""Excel output (openpyxl): a workbook a county analyst can send as it is, on screen and on
paper.

A report's sheets: Sammanfattning (title block, one row per indicator by målområde: figures,
target, målnivå, status, outlook, rank, then Riket, the region and the similar kommuner, and
notes), Trender (per indicator with values: its series and a line chart of the unit, the
region, Riket, the similar kommuner and the target level), Kön (women, men and the gap) and
Om rapporten (meanings, provenance, the key figures' Kolada descriptions). The overview
workbook: Översikt, Matris, Rangordning and Förändring. Every sheet prints on A4 with its
header row repeated, page breaks where a reader expects them, and text of at least 8 pt.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from strategihalsa.model import Overview, UnitReport
from strategihalsa.render import Options, Renderer
from strategihalsa.render.xlsx import about, gender, overview, summary, trends
from strategihalsa.render.xlsx.cells import Sheet, new_book


def new_sheet(book: Workbook, title: str, widths: Sequence[float], styles: dict[int, Any]
              ) -> Sheet:
    """A sheet with its column widths (the first one reuses the workbook's empty sheet)."""
    ws = book.active if book.active.title == "Sheet" else book.create_sheet()
    ws.title = title
    return Sheet(ws, widths, styles)


def workbook(report: UnitReport) -> Workbook:
    """The four-sheet workbook of one report."""
    book, styles = new_book(), {}
    chosen, own = summary.columns(report)
    summary.summary_sheet(new_sheet(book, "Sammanfattning", [c.width for c in chosen],
                                    styles), report, chosen, own)
    years = trends.trend_years(report)
    widths = [trends.LABEL_WIDTH, *[trends.YEAR_WIDTH] * len(years), trends.GAP_WIDTH]
    trends.trends_sheet(new_sheet(book, "Trender", widths, styles), report, years)
    gender.gender_sheet(new_sheet(book, "Kön", gender.WIDTHS, styles), report)
    about.about_sheet(new_sheet(book, "Om rapporten", about.WIDTHS, styles), report)
    return book


def overview_workbook(data: Overview) -> Workbook:
    """Översikt, Matris, Rangordning and Förändring."""
    book, styles = new_book(), {}
    overview.summary_sheet(new_sheet(book, "Översikt", [w for _, w in
                                                         overview.SUMMARY_HEADERS], styles), data)
    count = len(data.indicators)
    marks = [*overview.UNIT_WIDTHS, *[overview.MARK_WIDTH] * count]
    numbers = [*overview.UNIT_WIDTHS, *[overview.NUMBER_WIDTH] * count]
    overview.matrix_sheet(new_sheet(book, "Matris", marks, styles), data)
    overview.rank_sheet(new_sheet(book, "Rangordning", marks, styles), data)
    overview.change_sheet(new_sheet(book, "Förändring", numbers, styles), data)
    return book


def save(book: Workbook) -> bytes:
    """A workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_reports(reports: Sequence[UnitReport], options: Options) -> bytes:
    """One report's workbook (a batch writes one file per unit)."""
    return save(workbook(reports[0]))


def render_overview(data: Overview, options: Options) -> bytes:
    """The overview workbook."""
    return save(overview_workbook(data))


RENDERER = Renderer(binary=True, many=False, reports=render_reports, overview=render_overview)
