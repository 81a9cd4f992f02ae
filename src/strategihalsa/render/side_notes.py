"""The numbered notes of a side-by-side report (a helper of the formats that show one):
one note per goal, holding the catalogue's series break or caveat and why units' figures
are missing or how their baselines were chosen (a sentence per reason naming the units it
applies to); its number marks the goal's text and each cell it explains."""

from __future__ import annotations

from dataclasses import dataclass

from strategihalsa.model_side import GoalRow, SideBySide
from strategihalsa.render import words, words_reason, words_side
from strategihalsa.units import Unit

Marks = dict[tuple[str, str], int]  # (unit id, or '' for the goal, indicator id) → number
GOAL = ""  # the unit id of a goal's own note in Marks


@dataclass(frozen=True)
class Part:
    """One sentence of a goal's note ('Värnamo: inget utgångsvärde: …'), and the regions
    whose kommunernas bild (in the same document) it points to."""

    text: str
    pictured: tuple[Unit, ...] = ()

    def plain(self) -> str:
        """The sentence for a format without the units' own reports (the terminal's), the
        pointer in words: '…; kommunernas bild visas i regionens egen rapport'."""
        return f"{self.text}; {words_side.SIDE_PICTURE_ELSEWHERE}" if self.pictured else self.text


@dataclass(frozen=True)
class SideNote:
    """A goal's note: 'Mål 10 (N15613)', then its sentences (the catalogue's first)."""

    head: str
    parts: tuple[Part, ...]

    def plain(self) -> str:
        """'Mål 10 (N15613): Serien börjar 2022; …. Värnamo: inget utgångsvärde: …'."""
        return f"{self.head}: " + " ".join(f"{part.plain()}." for part in self.parts)


def side_notes(view: SideBySide) -> tuple[Marks, list[SideNote]]:
    """One note per goal that has any, and its number on the goal's text (for the
    catalogue's note) and on each cell it explains."""
    marks: Marks = {}
    notes: list[SideNote] = []
    names = dict(zip((u.id for u in view.units), words_side.side_names(view), strict=True))
    for row in view.rows:
        parts = [Part(row.indicator.note.rstrip(". "))] if row.indicator.note else []
        reasons = _reasons(view, row)
        parts += [Part(f"{_who(units, names, len(view.units))}: {reason}",
                       tuple(units) if pictured else ())
                  for (reason, pictured), units in reasons.items()]
        if not parts:
            continue
        notes.append(SideNote(f"Mål {words.goal_number(row.indicator)} "
                              f"({row.indicator.kpi})", tuple(parts)))
        marks.update({(u.id, row.indicator.id): len(notes) for units in reasons.values()
                      for u in units})
        if row.indicator.note:
            marks[GOAL, row.indicator.id] = len(notes)
    return marks, notes


def _who(units: list[Unit], names: dict[str, str], of: int) -> str:
    """'Alla', or the units' names: 'Värnamo och Sävsjö'."""
    return "Alla" if len(units) == of else words.joined([names[u.id] for u in units])


def _reasons(view: SideBySide, row: GoalRow) -> dict[tuple[str, bool], list[Unit]]:
    """The units of one goal row by their reason, and whether their kommuner's picture
    (a region's, in the same document) shows the goal."""
    found: dict[tuple[str, bool], list[Unit]] = {}
    for unit, result in zip(view.units, row.results, strict=True):
        text = words_reason.reason(result.figures.reason)
        if text:
            found.setdefault((text, result.picture is not None), []).append(unit)
    return found


def mark(marks: Marks, unit_id: str, indicator_id: str) -> str:
    """' [3]' for a cell (or with GOAL a goal's text) with note 3, else ''."""
    number = marks.get((unit_id, indicator_id))
    return f" [{number}]" if number else ""
