"""The overview workbook (`sfh overview`): Översikt (one row per indicator: Riket, the status
counts, the spread of the change), then three unit × indicator tables that print in a few
pages each: Matris (status symbols, coloured), Rangordning (the place by improvement,
1 = largest) and Förändring (the change in the key figure's unit)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from strategihalsa.catalogue import Indicator
from strategihalsa.model_overview import IndicatorOverview, Overview, RankingRow
from strategihalsa.render import words, words_time
from strategihalsa.render.xlsx.cells import (
    CENTRED,
    HEADER,
    INTEGER,
    PLAIN,
    SIGNED,
    STATUS,
    STATUS_MARK,
    TEXT,
    TITLE,
    Alignment,
    Look,
    Sheet,
    signed,
)
from strategihalsa.render.xlsx.paper import Paper, parts_that_fit
from strategihalsa.units import Unit

SUMMARY_HEADERS = (("Mål nr", 5), ("Indikator", 36), ("KPI", 8), ("Nivå", 8),
                   ("Riket: status", 13), ("Riket: förändring", 11), ("Uppnått (antal)", 9),
                   ("På väg (antal)", 9), ("Ingen förbättring (antal)", 11),
                   ("Saknar data (antal)", 9), ("Förändring: min", 11), ("Förändring: Q1", 11),
                   ("Förändring: median", 11), ("Förändring: Q3", 11), ("Förändring: max", 11))
UP = Look(HEADER.font, HEADER.fill, Alignment(text_rotation=90, horizontal="center",
                                              vertical="bottom"))
WHOLE = Look(alignment=SIGNED.alignment, number_format="+0;-0;0")
UNIT_WIDTHS = (6, 18)
MARK_WIDTH, NUMBER_WIDTH = 3.6, 6.0
TOP = 3  # header row of the unit × indicator tables
LEGIBLE = 80  # the smallest scale (per cent) that keeps 10 pt text at 8 pt


def summary_sheet(sheet: Sheet, overview: Overview) -> None:
    """Title block and one row per indicator."""
    run = overview.run
    sheet.put(1, 1, words.overview_title(overview), TITLE)
    sheet.put(2, 1, f"Utgångsläge {run.baseline_year}, målår "
                    f"{run.target_year}. Förändringens fördelning: min, kvartiler (linjär "
                    "interpolation), max; regionnivå räknas över regionerna.", PLAIN)
    sheet.put(3, 1, f"Källa: Kolada ({run.api_url}). Skapad "
                    f"{words_time.generated(run.generated_at)} med sfh {run.version}. "
                    f"{words_time.data_as_of(run)}", PLAIN)
    sheet.header(5, (name for name, _ in SUMMARY_HEADERS))
    for row, summary in enumerate(overview.indicators, 6):
        sheet.row(row, indicator_cells(summary))
    last = 5 + len(overview.indicators)
    sheet.freeze(6, 3)
    sheet.autofilter(5, last, len(SUMMARY_HEADERS))
    sheet.finish()
    Paper("5:5", 3, header=f"{run.catalogue.name} – översikt").apply(sheet)


def indicator_cells(s: IndicatorOverview) -> list[tuple[Any, Look]]:
    """Goal, title (and what is measured), KPI, level, Riket, counts, the change's spread."""
    measured = words.measured_as(s)
    spread = [getattr(s.change, k) if s.change else None
              for k in ("min", "q1", "median", "q3", "max")]
    title = (s.indicator.title + (f"\n{measured.capitalize()}" if measured else "")
             + f"\n{words.better_mark(s.indicator)}")
    return [(s.indicator.goal, INTEGER), (title, TEXT), (s.indicator.kpi, TEXT),
            (str(s.level), TEXT), (words.status_label(s.riket), STATUS[s.riket.status]),
            (s.riket.change, SIGNED), *((n, INTEGER) for n in s.counts.values()),
            *((v, SIGNED) for v in spread)]


def change_cell(change: float | None, largest: float) -> tuple[float | None, Look]:
    """A change in a column whose largest change is `largest`: whole numbers from 100 up
    (a column of −1 106 fits where −1 106,8 would not), else signed()."""
    return (change, WHOLE) if largest >= 100 else signed(change)


def table_sheet(sheet: Sheet, overview: Overview, title: str, units: list[Unit],
                cell: Callable[[Unit, int], tuple[Any, Look]]) -> None:
    """Units down, the overview's indicators across (headers turned upright), one cell each."""
    unit_table(sheet, Table(f"{overview.run.catalogue.name} – översikt", title,
                            [heading(s.indicator) for s in overview.indicators]), units, cell)


def heading(indicator: Indicator, label: str | None = None) -> str:
    """An indicator's column header: its goal (or `label`) and key figure."""
    return f"{label or indicator.goal or ''} {indicator.kpi}".strip()


@dataclass(frozen=True)
class Table:
    """A units × indicators table's words: the page header, the line above the table, the
    column headers and lines below it; `orientation` None: portrait where legible."""

    page: str
    title: str
    headings: list[str]
    notes: tuple[str, ...] = ()
    orientation: str | None = None  # given: printed in parts when too wide to be legible


def unit_table(sheet: Sheet, table: Table, units: Sequence[Unit],
               cell: Callable[[Unit, int], tuple[Any, Look]]) -> None:
    """Units down, indicators across (headers turned upright), one cell each, notes below;
    prints with the header row repeated, as wide as the page allows."""
    sheet.put(1, 1, table.title, PLAIN)
    sheet.header(TOP, ("Kod", "Kommun" if units and units[0].kind == "kommun" else "Enhet"))
    for column, name in enumerate(table.headings, 3):
        sheet.put(TOP, column, name, UP)
    sheet.tall(TOP, 62)
    for row, unit in enumerate(units, TOP + 1):
        sheet.row(row, [(unit.id, TEXT), (unit.title, TEXT)])
        sheet.row(row, (cell(unit, n) for n in range(len(table.headings))), 3)
    for row, line in enumerate(table.notes, TOP + len(units) + 2):
        sheet.span(row, 1, 2 + len(table.headings), line or None)
    sheet.autofilter(TOP, TOP + len(units), 2 + len(table.headings))
    sheet.freeze(TOP + 1, 3)
    sheet.finish()
    parts = parts_that_fit(sheet.widths, 2, table.orientation, LEGIBLE) \
        if table.orientation else ()
    paper = Paper(f"{TOP}:{TOP}", 2, parts, orientation=table.orientation or "portrait",
                  header=table.page)
    upright = table.orientation or paper.scale(sheet.widths) >= LEGIBLE
    (paper if upright else replace(paper, orientation="landscape")).apply(sheet)


def matrix_sheet(sheet: Sheet, overview: Overview) -> None:
    """Kommuner × indicators: the status symbol on its colour."""
    statuses = {row.unit.id: row.statuses for row in overview.matrix}

    def cell(unit: Unit, n: int) -> tuple[Any, Look]:
        code = statuses[unit.id][n]
        return words.STATUS_SYMBOLS[code], STATUS_MARK[code]

    table_sheet(sheet, overview, f"Status per kommun och indikator: {words.LEGEND}",
                [row.unit for row in overview.matrix], cell)


def ranked(overview: Overview) -> tuple[list[Unit], dict[tuple[str, int], RankingRow]]:
    """The ranked units (kommuner, then regions) and each one's row per indicator."""
    column = {id(s.indicator): n for n, s in enumerate(overview.indicators)}
    rows = {(r.unit.id, column[id(r.indicator)]): r for r in overview.ranking}
    units = sorted({r.unit.id: r.unit for r in overview.ranking}.values(),
                   key=lambda u: (u.kind != "kommun", u.id))
    return units, rows


def rank_sheet(sheet: Sheet, overview: Overview) -> None:
    """Each unit's place per indicator by improvement (1 = largest)."""
    units, rows = ranked(overview)

    def cell(unit: Unit, n: int) -> tuple[Any, Look]:
        found = rows.get((unit.id, n))
        return (found.rank if found else None), CENTRED

    table_sheet(sheet, overview, "Placering per indikator efter förbättring (1 = störst "
                "förbättring). Regionnivå: bland regionerna.", units, cell)


def change_sheet(sheet: Sheet, overview: Overview) -> None:
    """Each unit's change per indicator, in the key figure's unit."""
    units, rows = ranked(overview)
    largest = [max((abs(r.change) for r in overview.ranking if r.indicator is s.indicator
                    and r.change is not None), default=0) for s in overview.indicators]

    def cell(unit: Unit, n: int) -> tuple[Any, Look]:
        found = rows.get((unit.id, n))
        return change_cell(found.change if found else None, largest[n])

    table_sheet(sheet, overview, "Förändring från utgångsläget till senaste värdet, i "
                "nyckeltalets enhet.", units, cell)
