"""Kommunernas bild (a region report only): for each key figure Kolada publishes only for
kommuner, one row: how the kommuner's mean is weighted (by population or not), the mean at
baseline and follow-up with its change and status, the spread (lowest and highest value
with the kommuner's names), and how many and which kommuner met the goal in their own
reports. Not the region's own values: the title and the note below say so. Prints on one
A4 page across (landscape)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strategihalsa.model import Extreme, IndicatorResult, KommunPicture, UnitReport
from strategihalsa.render import words
from strategihalsa.render.xlsx.cells import (
    INTEGER,
    NOTE_TEXT,
    NUMBER,
    TEXT,
    WRAPPED_TITLE,
    Look,
    Sheet,
)
from strategihalsa.render.xlsx.gender import figures_cells
from strategihalsa.render.xlsx.paper import Paper
from strategihalsa.render.xlsx.summary import goal, indicator_text
from strategihalsa.units import Unit

TITLE = words.PICTURE_TITLE
HEADERS = (("Mål nr", 5), ("Indikator", 24), ("KPI", 8), ("Medel", 11), ("Medel: basår", 7),
           ("Medel: utgångsläge", 11), ("Medel: senaste år", 8), ("Medel: senaste värde", 9),
           ("Förändring", 10), ("Status (medel)", 13), ("Kommuner i medlet", 11),
           ("Lägst", 7), ("Lägst: kommun", 12), ("Högst", 7), ("Högst: kommun", 12),
           ("Med senaste värde", 9), ("Uppnått (av bedömda)", 10), ("Uppnått: kommuner", 24))
WIDTHS = tuple(width for _, width in HEADERS)
FIRST_ROW = 3  # the header row, under the title


def pictured(report: UnitReport) -> list[IndicatorResult]:
    """The indicators with a picture of the kommuner (a region's kommun-only key figures)."""
    return [result for result in report.results if result.picture]


def picture_cells(result: IndicatorResult, picture: KommunPicture) -> list[tuple[Any, Look]]:
    """One indicator's row."""
    return [(goal(result), INTEGER), (indicator_text(result), TEXT),
            (result.indicator.kpi, TEXT), (words.PICTURE_MEANS[picture.weighting], TEXT),
            *figures_cells(picture.mean),
            (f"{picture.averaged} av {len(picture.kommuner)}", TEXT),
            *_extreme(picture.lowest), *_extreme(picture.highest),
            (len(picture.in_year), INTEGER),
            (f"{len(picture.met)} av {picture.judged}", TEXT), (_names(picture.met), TEXT)]


def _extreme(extreme: Extreme | None) -> list[tuple[Any, Look]]:
    return [(extreme.value if extreme else None, NUMBER),
            (_names(extreme.units) if extreme else None, TEXT)]


def _names(units: Iterable[Unit]) -> str:
    return ", ".join(unit.title for unit in units)


def kommuner_sheet(sheet: Sheet, report: UnitReport) -> None:
    """Title, header, one row per pictured indicator, the note on how the mean is taken."""
    sheet.span(1, 1, len(HEADERS), words.picture_heading(report), WRAPPED_TITLE)
    sheet.header(FIRST_ROW, (name for name, _ in HEADERS))
    rows = [picture_cells(r, r.picture) for r in pictured(report) if r.picture]
    for number, cells in enumerate(rows, FIRST_ROW + 1):
        sheet.row(number, cells)
    sheet.span(FIRST_ROW + len(rows) + 2, 1, len(HEADERS), words.PICTURE_NOTE, NOTE_TEXT)
    sheet.freeze(FIRST_ROW + 1, 4)  # goal, indicator and KPI stay in view
    sheet.finish()
    Paper(f"{FIRST_ROW}:{FIRST_ROW}", header=words.title(report)).apply(sheet)
