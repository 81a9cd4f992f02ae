"""Jämförelse: several units side by side, one row per indicator and three columns per unit
(its status symbol over the years, coloured; its change and its latest value as numbers,
the change and the target in the row's unit), exactly as each unit's own Sammanfattning
has them.

The goal, its text, KPI, target and which way is better repeat on every printed part; the
units follow in parts of `UNITS_PER_PART` across landscape A4. Notes, each unit's summary
and the legend follow the table.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from strategihalsa.model import IndicatorResult
from strategihalsa.model_side import GoalRow, SideBySide
from strategihalsa.render import words, words_side
from strategihalsa.render.side_notes import GOAL, Marks, SideNote, mark, side_notes
from strategihalsa.render.xlsx.cells import (
    BOLD_TEXT,
    FINE,
    HEADER,
    INTEGER,
    NUMBER,
    SIGNED,
    STATUS,
    TEXT,
    WRAPPED_TITLE,
    Look,
    Sheet,
    signed,
)
from strategihalsa.render.xlsx.paper import Paper
from strategihalsa.render.xlsx.summary import goal, indicator_text, source

TOP = 5  # the header row; the unit names span the row above
TITLES: tuple[tuple[str, float], ...] = (("Mål nr", 5), ("Indikator", 32), ("KPI", 8),
                                         ("Måttenhet", 12), (words_side.TARGET_CHANGE, 10),
                                         ("Bättre", 6))
UNIT: tuple[tuple[str, float], ...] = (("Status, år", 11), ("Förändring", 10),
                                       ("Senaste", 8))
WHOLE, ONE_DECIMAL, FINE_DIGITS = "#,##0", "#,##0.0", "#,##0.0##"  # number formats' digits
UNITS_PER_PART = 3  # units on one printed page across (at about 100 %)


def widths(view: SideBySide) -> list[float]:
    """The sheet's column widths."""
    return [w for _, w in TITLES] + [w for _ in view.units for _, w in UNIT]


def compare_sheet(sheet: Sheet, view: SideBySide, pictures: dict[str, str]) -> None:
    """Title block, the unit names over their columns, a row per indicator, the notes
    and summaries below (a note on a region's kommun-only key figure naming its sheet in
    `pictures`, unit id → sheet name); print layout."""
    marks, notes = side_notes(view)
    sheet.span(1, 1, len(TITLES), words_side.side_by_side_title(view), WRAPPED_TITLE)
    sheet.span(2, 1, len(TITLES), f"{words.years(view.reports[0])}. "
                                  f"{words_side.SIDE_BY_SIDE_NOTE}.", TEXT)
    sheet.span(3, 1, len(TITLES), words.LEGEND, TEXT)
    for n, unit in enumerate(view.units):
        first = len(TITLES) + 1 + n * len(UNIT)
        sheet.span(TOP - 1, first, first + len(UNIT) - 1, f"{unit.title} ({unit.id})", HEADER)
    sheet.header(TOP, [name for name, _ in TITLES] + [name for _ in view.units
                                                      for name, _ in UNIT])
    last = _rows(sheet, view, marks)
    _below(sheet, view, [_note(note, pictures) for note in notes], last + 2)
    sheet.freeze(TOP + 1, len(TITLES) + 1)
    sheet.finish()
    parts = tuple(len(TITLES) + len(UNIT) * UNITS_PER_PART * k
                  for k in range(1, math.ceil(len(view.units) / UNITS_PER_PART)))
    Paper(f"{TOP - 1}:{TOP}", len(TITLES), parts, header=words_side.side_by_side_title(view),
          footer=source(view.reports[0])).apply(sheet)


def _rows(sheet: Sheet, view: SideBySide, marks: Marks) -> int:
    """One row per indicator; the last row written."""
    row = TOP
    for goal_row in view.rows:
        row += 1
        sheet.row(row, [*_titles(goal_row, marks), *(cell for unit, result in zip(
            view.units, goal_row.results, strict=True) for cell in _unit_cells(
            result, mark(marks, unit.id, result.indicator.id)))])
    return row


def _titles(row: GoalRow, marks: Marks) -> list[tuple[Any, Look]]:
    first = row.results[0]
    value = words.signed_target(first)
    goal_target = (words.target(first), TEXT) if value is None else (
        value, _in_unit(first, WHOLE if float(value).is_integer() else ONE_DECIMAL))
    return [(goal(first), INTEGER),
            (indicator_text(first) + mark(marks, GOAL, row.indicator.id), TEXT),
            (row.indicator.kpi, TEXT), (row.indicator.unit, TEXT), goal_target,
            (words.better_mark(row.indicator)[0], TEXT)]


def _unit_cells(result: IndicatorResult, note: str) -> list[tuple[Any, Look]]:
    """'✔ 2017–2022' (or '– [3]') on the status colour, the change as a number in the
    row's unit ('+0,0 pe', up to three decimals where one would read +0,0) and the latest
    value."""
    fig = result.figures
    status = " ".join(filter(None, [words.STATUS_SYMBOLS[fig.status], words_side.span(fig)]))
    digits = FINE_DIGITS if signed(fig.change)[1] is FINE else ONE_DECIMAL
    return [(status + note, STATUS[fig.status]), (fig.change, _in_unit(result, digits)),
            (fig.latest.value if fig.latest else None, NUMBER)]


def _in_unit(result: IndicatorResult, digits: str) -> Look:
    """A signed number with the row's unit when it is short: '+2 pe', '−1 106,8' (the
    Måttenhet column names every row's unit)."""
    return _signed_look(words.short_unit(result), digits)


@lru_cache(maxsize=64)
def _signed_look(unit: str, digits: str) -> Look:
    """'+#,##0.0" pe"' with a real minus, zero signed as '+0,0 pe'."""
    suffix = '" ' + "".join(c for c in unit if c not in '"\\') + '"' if unit else ""
    signed = f"+{digits}{suffix}"
    return Look(alignment=SIGNED.alignment,
                number_format=f'{signed};"{words.MINUS}"{digits}{suffix};{signed}')


def _note(note: SideNote, pictures: dict[str, str]) -> str:
    """The note's text, a pointer to a region's kommunernas bild naming its sheet."""
    return f"{note.head}: " + " ".join(
        (f"{part.text}; {words_side.SIDE_PICTURE_SEE} (bladet "
         f"{words.joined([pictures[u.id] for u in part.pictured])})."
         if part.pictured else f"{part.text}.") for part in note.parts)


def _below(sheet: Sheet, view: SideBySide, notes: list[str], row: int) -> None:
    """Each unit's summary line, then the numbered notes, across the repeated columns."""
    for name, report in zip(words_side.side_names(view), view.reports, strict=True):
        sheet.span(row, 1, len(TITLES), f"{name}: {words.summary_line(report.summary)}",
                   BOLD_TEXT)
        row += 1
    for n, note in enumerate(notes, 1):
        sheet.span(row + n, 1, len(TITLES), f"[{n}] {note}", TEXT)
