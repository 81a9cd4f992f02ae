"""The numbered notes of a side-by-side report (a helper of the formats that show one):
why a unit's figures for a goal are missing, or how its baseline was chosen, one note per
goal and reason naming the units it applies to, and the mark each such cell carries."""

from __future__ import annotations

from strategihalsa.model import SideBySide
from strategihalsa.render import words

Marks = dict[tuple[str, str], int]  # (unit id, indicator id) → its note's number


def side_notes(view: SideBySide) -> tuple[Marks, list[str]]:
    """The note number of each cell with a reason, and the notes in order."""
    marks: Marks = {}
    notes: dict[tuple[str, str], list[str]] = {}  # (indicator id, reason) → unit titles
    for row in view.rows:
        for unit, result in zip(view.units, row.results, strict=True):
            if result.figures.reason:
                key = (row.indicator.id, words.reason(result.figures.reason) or "")
                notes.setdefault(key, []).append(unit.title)
                marks[unit.id, row.indicator.id] = list(notes).index(key) + 1
    indicators = {row.indicator.id: row.indicator for row in view.rows}
    return marks, [f"Mål {words.goal_number(indicators[ind])} ({indicators[ind].kpi}), "
                   f"{_who(units, len(view.units))}: {reason}"
                   for (ind, reason), units in notes.items()]


def mark(marks: Marks, unit_id: str, indicator_id: str) -> str:
    """' [3]' for a cell with note 3, else ''."""
    number = marks.get((unit_id, indicator_id))
    return f" [{number}]" if number else ""


def _who(units: list[str], of: int) -> str:
    return "alla" if len(units) == of else words.joined(units)
