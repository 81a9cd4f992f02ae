"""The numbered notes of a side-by-side report (a helper of the formats that show one):
a goal's series break or caveat from the catalogue, and why a unit's figures for a goal are
missing or how its baseline was chosen (one note per goal and reason, naming the units it
applies to), with the mark each goal text or cell carries."""

from __future__ import annotations

from dataclasses import dataclass

from strategihalsa.model import GoalRow, SideBySide
from strategihalsa.render import words
from strategihalsa.units import Unit

Marks = dict[tuple[str, str], int]  # (unit id, or '' for the goal, indicator id) → number
GOAL = ""  # the unit id of a goal's own note in Marks


@dataclass(frozen=True)
class SideNote:
    """One note: its text ('Mål 10 (N15613), Värnamo: …'), and the regions whose
    kommunernas bild (in the same document) it points to."""

    text: str
    pictured: tuple[Unit, ...] = ()

    def plain(self) -> str:
        """The text with the pointer in words: '…; se kommunernas bild'."""
        return f"{self.text}; {words.SIDE_PICTURE_SEE}" if self.pictured else self.text


def side_notes(view: SideBySide) -> tuple[Marks, list[SideNote]]:
    """The note number of each goal text and cell with a note, and the notes in order."""
    marks: Marks = {}
    notes: list[SideNote] = []
    names = dict(zip((u.id for u in view.units), words.side_names(view), strict=True))
    for row in view.rows:
        head = f"Mål {words.goal_number(row.indicator)} ({row.indicator.kpi})"
        if row.indicator.note:
            notes.append(SideNote(f"{head}: {row.indicator.note.rstrip('. ')}"))
            marks[GOAL, row.indicator.id] = len(notes)
        for (reason, pictured), units in _reasons(view, row).items():
            who = "alla" if len(units) == len(view.units) else words.joined(
                [names[u.id] for u in units])
            notes.append(SideNote(f"{head}, {who}: {reason}", pictured))
            marks.update({(u.id, row.indicator.id): len(notes) for u in units})
    return marks, notes


def _reasons(view: SideBySide, row: GoalRow) -> dict[tuple[str, tuple[Unit, ...]],
                                                      list[Unit]]:
    """The units of one goal row by their reason (and the region whose picture explains it)."""
    found: dict[tuple[str, tuple[Unit, ...]], list[Unit]] = {}
    for unit, result in zip(view.units, row.results, strict=True):
        text = words.reason(result.figures.reason)
        if text:
            found.setdefault((text, (unit,) if result.picture else ()), []).append(unit)
    return found


def mark(marks: Marks, unit_id: str, indicator_id: str) -> str:
    """' [3]' for a cell (or with GOAL a goal's text) with note 3, else ''."""
    number = marks.get((unit_id, indicator_id))
    return f" [{number}]" if number else ""
