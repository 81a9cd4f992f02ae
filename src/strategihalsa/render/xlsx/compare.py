"""Jämförelse: several units side by side, one row per indicator and two columns per unit
(its status symbol over the years, coloured, and its change as a number), exactly as each
unit's own Sammanfattning has them.

The goal, its text, KPI, target and which way is better repeat on every printed part; the
units follow in parts of `UNITS_PER_PART` across landscape A4. Notes, each unit's summary
and the legend follow the table.
"""

from __future__ import annotations

import math
from typing import Any

from strategihalsa.model import GoalRow, IndicatorResult, SideBySide
from strategihalsa.render import words
from strategihalsa.render.side_notes import Marks, mark, side_notes
from strategihalsa.render.xlsx.cells import (
    BOLD_TEXT,
    HEADER,
    INTEGER,
    STATUS,
    TEXT,
    WRAPPED_TITLE,
    Look,
    Sheet,
    signed,
)
from strategihalsa.render.xlsx.paper import Paper
from strategihalsa.render.xlsx.summary import goal, indicator_text, source, target

TOP = 5  # the header row; the unit names span the row above
TITLES: tuple[tuple[str, float], ...] = (("Mål nr", 5), ("Indikator", 38), ("KPI", 8),
                                         ("Mål (ändring)", 9), ("Bättre", 6))
UNIT: tuple[tuple[str, float], ...] = (("Status, år", 13), ("Förändring", 10))
UNITS_PER_PART = 4  # units on one printed page across (at about 100 %)


def widths(view: SideBySide) -> list[float]:
    """The sheet's column widths."""
    return [w for _, w in TITLES] + [w for _ in view.units for _, w in UNIT]


def compare_sheet(sheet: Sheet, view: SideBySide) -> None:
    """Title block, the unit names over their two columns, a row per indicator, the notes
    and summaries below; print layout."""
    marks, notes = side_notes(view)
    sheet.span(1, 1, len(TITLES), words.side_by_side_title(view), WRAPPED_TITLE)
    sheet.span(2, 1, len(TITLES), f"{words.years(view.reports[0])}. "
                                  f"{words.SIDE_BY_SIDE_NOTE}.", TEXT)
    sheet.span(3, 1, len(TITLES), words.LEGEND, TEXT)
    for n, unit in enumerate(view.units):
        first = len(TITLES) + 1 + n * len(UNIT)
        sheet.span(TOP - 1, first, first + len(UNIT) - 1, f"{unit.title} ({unit.id})", HEADER)
    sheet.header(TOP, [name for name, _ in TITLES] + [name for _ in view.units
                                                      for name, _ in UNIT])
    last = _rows(sheet, view, marks)
    _below(sheet, view, notes, last + 2)
    sheet.freeze(TOP + 1, len(TITLES) + 1)
    sheet.finish()
    parts = tuple(len(TITLES) + len(UNIT) * UNITS_PER_PART * k
                  for k in range(1, math.ceil(len(view.units) / UNITS_PER_PART)))
    Paper(f"{TOP - 1}:{TOP}", len(TITLES), parts, header=words.side_by_side_title(view),
          footer=source(view.reports[0])).apply(sheet)


def _rows(sheet: Sheet, view: SideBySide, marks: Marks) -> int:
    """One row per indicator; the last row written."""
    row = TOP
    for goal_row in view.rows:
        row += 1
        sheet.row(row, [*_titles(goal_row), *(cell for unit, result in zip(
            view.units, goal_row.results, strict=True) for cell in _unit_cells(
            result, mark(marks, unit.id, result.indicator.id)))])
    return row


def _titles(row: GoalRow) -> list[tuple[Any, Look]]:
    first = row.results[0]
    return [(goal(first), INTEGER), (indicator_text(first), TEXT), (row.indicator.kpi, TEXT),
            target(first), (words.better_mark(row.indicator)[0], TEXT)]


def _unit_cells(result: IndicatorResult, note: str) -> list[tuple[Any, Look]]:
    """'✔ 2017–2022' (or '– [3]') on the status colour, and the change as a number."""
    fig = result.figures
    status = " ".join(filter(None, [words.STATUS_SYMBOLS[fig.status], words.span(fig)]))
    return [(status + note, STATUS[fig.status]), signed(fig.change)]


def _below(sheet: Sheet, view: SideBySide, notes: list[str], row: int) -> None:
    """Each unit's summary line, then the numbered notes, across the repeated columns."""
    for report in view.reports:
        sheet.span(row, 1, len(TITLES), f"{report.unit.title}: "
                                        f"{words.summary_line(report.summary)}", BOLD_TEXT)
        row += 1
    for n, note in enumerate(notes, 1):
        sheet.span(row + n, 1, len(TITLES), f"[{n}] {note}", TEXT)
