"""Kommunernas bild (a region report only): for each key figure Kolada publishes only for
kommuner, one row: how many and which kommuner met the goal in their own reports, how the
kommuner's mean is weighted (by population or not), the mean at baseline and follow-up with
its change and status (or why it has none), and the spread in its year (lowest and highest
value with the kommuner's names). Not the region's own values: the line under the title
says so, the note below how the mean is taken. Prints on one A4 page across (landscape)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strategihalsa.model import Extreme, IndicatorResult, KommunPicture, UnitReport
from strategihalsa.render import words, words_picture
from strategihalsa.render.xlsx.cells import (
    BOLD_TEXT,
    CENTRED,
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
HEADERS = (("Mål nr", 5), ("Indikator", 24), ("KPI", 8), ("Uppnått (av bedömda)", 13),
           ("Uppnått: kommuner", 24), ("Vägning", 12), ("Medel: basår", 7),
           ("Medel: utgångsläge", 11), ("Medel: senaste år", 8), ("Medel: senaste värde", 9),
           ("Förändring", 10), ("Status (medel)", 16), ("Kommuner i medlet", 10),
           ("Spridning, år", 10), ("Med värde det året", 9), ("Lägst", 7),
           ("Lägst: kommun", 13), ("Högst", 7), ("Högst: kommun", 13))
WIDTHS = tuple(width for _, width in HEADERS)
FIRST_ROW = 4  # the header row, under the title and the caveat


def pictured(report: UnitReport) -> list[IndicatorResult]:
    """The indicators with a picture of the kommuner (a region's kommun-only key figures)."""
    return [result for result in report.results if result.picture]


def picture_cells(result: IndicatorResult, picture: KommunPicture) -> list[tuple[Any, Look]]:
    """One indicator's row."""
    return [(goal(result), INTEGER), (indicator_text(result), TEXT),
            (result.indicator.kpi, TEXT), _met(picture), (_names(picture.met), TEXT),
            (words_picture.PICTURE_MEANS[picture.weighting], TEXT), *_mean(picture),
            (f"{picture.averaged} av {len(picture.kommuner)}", CENTRED),
            (picture.year, CENTRED), (len(picture.in_year), CENTRED),
            *_extreme(picture.lowest), *_extreme(picture.highest)]


def _met(picture: KommunPicture) -> tuple[Any, Look]:
    """'4 av 13', or 'ingen kommun kan bedömas'."""
    if not picture.judged:
        return words_picture.picture_met(picture), TEXT
    return f"{len(picture.met)} av {picture.judged}", CENTRED


def _mean(picture: KommunPicture) -> list[tuple[Any, Look]]:
    """The mean's years, values, change and status (or why it has none)."""
    cells = figures_cells(picture.mean)
    unjudged = words_picture.picture_unjudged(picture)
    return [*cells[:-1], (unjudged, TEXT)] if unjudged else cells


def _extreme(extreme: Extreme | None) -> list[tuple[Any, Look]]:
    return [(extreme.value if extreme else None, NUMBER),
            (_names(extreme.units) if extreme else None, TEXT)]


def _names(units: Iterable[Unit]) -> str:
    return ", ".join(unit.title for unit in units)


def kommuner_sheet(sheet: Sheet, report: UnitReport) -> None:
    """Title, the caveat, header, one row per pictured indicator, how the mean is taken."""
    sheet.span(1, 1, len(HEADERS), words_picture.picture_heading(report), WRAPPED_TITLE)
    sheet.span(2, 1, len(HEADERS), words_picture.PICTURE_CAVEAT, BOLD_TEXT)
    sheet.header(FIRST_ROW, (name for name, _ in HEADERS))
    rows = [picture_cells(r, r.picture) for r in pictured(report) if r.picture]
    for number, cells in enumerate(rows, FIRST_ROW + 1):
        sheet.row(number, cells)
    sheet.span(FIRST_ROW + len(rows) + 2, 1, len(HEADERS), words_picture.PICTURE_NOTE, NOTE_TEXT)
    sheet.freeze(FIRST_ROW + 1, 4)  # goal, indicator and KPI stay in view
    sheet.finish()
    Paper(f"{FIRST_ROW}:{FIRST_ROW}", header=words.title(report)).apply(sheet)
