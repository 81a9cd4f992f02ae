"""Kön: women and men side by side for key figures divided by gender, and the gap between
them. One header row whose names say whose figure and which (so the years and the values
can be told apart); printed in two parts, women, then men and the gap."""

from __future__ import annotations

from typing import Any

from strategihalsa.model import Figures, IndicatorResult, UnitReport
from strategihalsa.render import words
from strategihalsa.render.xlsx.cells import (
    INTEGER,
    NUMBER,
    SIGNED,
    TEXT,
    Look,
    Sheet,
    signed,
)
from strategihalsa.render.xlsx.paper import Paper
from strategihalsa.render.xlsx.summary import goal, indicator_text, status

WHO = {"K": "Kvinnor", "M": "Män"}
FIGURES = (("basår", 9), ("utgångsläge", 12), ("senaste år", 8), ("senaste värde", 9),
           ("förändring", 11), ("status", 13))
GAP = (("Skillnad K−M: utgångsläge", 12), ("Skillnad K−M: senaste", 11),
       ("Skillnaden: förändring", 11), ("Skillnaden minskar", 11))
HEADERS = (("Mål nr", 5), ("Indikator", 34), ("KPI", 8),
           *((f"{WHO[code]}: {name}", width) for code in WHO for name, width in FIGURES),
           *GAP)
WIDTHS = tuple(width for _, width in HEADERS)
NARROWED = {True: "ja", False: "nej", None: "–"}


def figures_cells(figures: Figures | None) -> list[tuple[Any, Look]]:
    """Baseline year and value, latest year and value, change, status."""
    base = figures.baseline if figures else None
    latest = figures.latest if figures else None
    return [(base.year if base else None, INTEGER), (base.value if base else None, NUMBER),
            (latest.year if latest else None, INTEGER),
            (latest.value if latest else None, NUMBER),
            signed(figures.change if figures else None), status(figures)]


def gender_row(result: IndicatorResult) -> list[tuple[Any, Look]]:
    """One indicator: goal, title, KPI, women, men, the gap."""
    gap = result.gender_gap
    cells = [(goal(result), INTEGER), (indicator_text(result), TEXT),
             (result.indicator.kpi, TEXT)]
    for code in WHO:
        cells += figures_cells(result.by_gender.get(code))
    return [*cells, (gap.baseline, NUMBER), (gap.latest, NUMBER), (gap.change, SIGNED),
            (NARROWED[gap.narrowed], TEXT)]


def gender_sheet(sheet: Sheet, report: UnitReport) -> None:
    """Header, one row per gender-divided key figure, print layout."""
    sheet.header(1, (name for name, _ in HEADERS))
    divided = [r for r in report.results if r.by_gender]
    shown = [r for r in divided if any(f.latest for f in r.by_gender.values())]
    for row, result in enumerate(shown, 2):
        sheet.row(row, gender_row(result))
    empty = [str(r.indicator.goal or r.indicator.kpi) for r in divided if r not in shown]
    sheet.span(len(shown) + 3, 1, 3, f"Uppdelade på kön men utan värden: mål "
               f"{', '.join(empty)}." if empty else None)
    if not divided:
        sheet.span(2, 1, 3, "Inga nyckeltal i rapporten är uppdelade på kön.")
    sheet.freeze(2, 4)
    if shown:
        sheet.autofilter(1, len(shown) + 1, len(HEADERS))
    sheet.finish()
    Paper("1:1", 3, (3 + len(FIGURES),), header=words.title(report)).apply(sheet)
