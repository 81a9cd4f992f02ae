"""Kön: for key figures divided by gender, three rows each (women, men, and the gap women −
men) under one set of columns, so the sheet prints on one A4 page across (portrait)."""

from __future__ import annotations

from typing import Any

from strategihalsa.model import Figures, Gap, IndicatorResult, UnitReport
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
from strategihalsa.vocabulary import MEN, WOMEN

WHO = {code: label.capitalize() for code, label in words.GENDER_LABELS.items()}
GAP = "Skillnad K−M"
HEADERS = (("Mål nr", 5), ("Indikator", 27), ("KPI", 8), ("Avser", 12), ("Basår", 6),
           ("Utgångsläge", 12), ("Senaste år", 8), ("Senaste värde", 9), ("Förändring", 11),
           ("Status", 13))
WIDTHS = tuple(width for _, width in HEADERS)
NARROWED = {True: "skillnaden minskar", False: "skillnaden minskar inte", None: "–"}


def figures_cells(figures: Figures | None) -> list[tuple[Any, Look]]:
    """Baseline year and value, latest year and value, change, status."""
    base = figures.baseline if figures else None
    latest = figures.latest if figures else None
    return [(base.year if base else None, INTEGER), (base.value if base else None, NUMBER),
            (latest.year if latest else None, INTEGER),
            (latest.value if latest else None, NUMBER),
            signed(figures.change if figures else None), status(figures)]


def gap_cells(gap: Gap | None) -> list[tuple[Any, Look]]:
    """The gap at baseline and latest (years as the rows above), its change, narrowed?"""
    gap = gap or Gap(None, None)
    return [(None, TEXT), (gap.baseline, NUMBER), (None, TEXT), (gap.latest, NUMBER),
            (gap.change, SIGNED), (NARROWED[gap.narrowed], TEXT)]


def gender_rows(result: IndicatorResult) -> list[list[tuple[Any, Look]]]:
    """One indicator: women, men and the gap; its text on the first row only."""
    first = [(goal(result), INTEGER), (indicator_text(result), TEXT)]
    rest = [(goal(result), INTEGER), (None, TEXT)]
    kpi = (result.indicator.kpi, TEXT)
    return [[*lead, kpi, (who, TEXT), *cells] for lead, who, cells in (
        (first, WHO[WOMEN], figures_cells(result.by_gender.get(WOMEN))),
        (rest, WHO[MEN], figures_cells(result.by_gender.get(MEN))),
        (rest, GAP, gap_cells(result.gender_gap)))]


def gender_sheet(sheet: Sheet, report: UnitReport) -> None:
    """Header, three rows per gender-divided key figure, print layout."""
    sheet.header(1, (name for name, _ in HEADERS))
    divided = [r for r in report.results if r.by_gender]
    shown = [r for r in divided if any(f.latest for f in r.by_gender.values())]
    rows = [row for result in shown for row in gender_rows(result)]
    for number, cells in enumerate(rows, 2):
        sheet.row(number, cells)
    empty = [str(r.indicator.goal or r.indicator.kpi) for r in divided if r not in shown]
    sheet.span(len(rows) + 3, 1, 3, f"Uppdelade på kön men utan värden: mål "
               f"{', '.join(empty)}." if empty else None)
    if not divided:
        sheet.span(2, 1, 3, "Inga nyckeltal i rapporten är uppdelade på kön.")
    sheet.freeze(2, 5)
    if rows:
        sheet.autofilter(1, len(rows) + 1, len(HEADERS))
    sheet.finish()
    Paper("1:1", orientation="portrait", header=words.title(report)).apply(sheet)
