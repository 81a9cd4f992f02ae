"""The län workbook of a batch (`sfh report --lan 06 -f xlsx`): Status (symbol and word on
its colour), Förändring and Placering i länet, each the units × the goals that some unit
has data for; the goals no unit has data for are named once, with why, under each table,
after a line per goal saying what its column measures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from strategihalsa.model import UnitReport
from strategihalsa.render import lan, words
from strategihalsa.render.xlsx.book import Book
from strategihalsa.render.xlsx.cells import CENTRED, STATUS, Look
from strategihalsa.render.xlsx.overview import (
    UNIT_WIDTHS,
    Table,
    change_cell,
    heading,
    unit_table,
)
from strategihalsa.units import Unit

STATUS_WIDTH, NUMBER_WIDTH, RANK_WIDTH = 10.5, 7.0, 8.0
SEE_NOTES = "Vad målens nyckeltal mäter och vilka mål som saknar data: se bladet Status."
Cell = Callable[[UnitReport, int], tuple[Any, Look]]


def lan_workbook(reports: Sequence[UnitReport]) -> Book:
    """Status, Förändring and Placering i länet of a batch's units."""
    ranks = lan.ranks(reports)
    largest = [max((abs(r.results[n].figures.change or 0) for r in reports), default=0)
               for n in range(len(reports[0].results))]
    book = Book()
    sheets: list[tuple[str, float, str, Cell]] = [  # the first sheet's notes name the goals
        ("Status", STATUS_WIDTH, f"Status per enhet och mål: {words.LEGEND}", status_cell),
        ("Förändring", NUMBER_WIDTH, "Förändring från utgångsläget till senaste värdet, i "
         "nyckeltalets enhet.",
         lambda r, n: change_cell(r.results[n].figures.change, largest[n])),
        ("Placering i länet", RANK_WIDTH, "Placering efter förbättring bland länets enheter "
         "av samma slag (1 = störst förbättring); nyckeltal på regionnivå rangordnas inte.",
         lambda r, n: (place(ranks.get((r.unit.id, n))), CENTRED))]
    for n, (name, width, title, cell) in enumerate(sheets):
        table_sheet(book, reports, (name, width, title), cell, n == 0)
    return book


def status_cell(report: UnitReport, n: int) -> tuple[Any, Look]:
    """'✔ uppnått' on its colour: never colour alone."""
    figures = report.results[n].figures
    return words.status_label(figures), STATUS[figures.status]


def place(rank: tuple[int, int] | None) -> str | None:
    """'2 av 13', or nothing."""
    return f"{rank[0]} av {rank[1]}" if rank else None


def table_sheet(book: Book, reports: Sequence[UnitReport], sheet: tuple[str, float, str],
                cell: Cell, explained: bool) -> None:
    """One sheet: the units down, the goals with data across; below, the goals' notes
    (`explained`) or where to find them."""
    name, width, title = sheet
    kept = lan.shown(reports)
    labels = lan.labels([r.indicator for r in reports[0].results])
    ordered = sorted(reports, key=lambda r: (r.unit.lan, r.unit.kind != "region", r.unit.id))
    by_unit = {r.unit.id: r for r in ordered}
    table = Table(f"{reports[0].run.catalogue.name} – {scope(reports)}",
                  f"{scope(reports)}: {title}",
                  [heading(reports[0].results[n].indicator, labels[n]) for n in kept],
                  notes(reports, kept, labels) if explained else (SEE_NOTES,),
                  orientation="landscape")

    def one(unit: Unit, column: int) -> tuple[Any, Look]:
        return cell(by_unit[unit.id], kept[column])

    unit_table(book.sheet(name, [*UNIT_WIDTHS, *[width] * len(kept)]), table,
               [r.unit for r in ordered], one)


def scope(reports: Sequence[UnitReport]) -> str:
    """'Jönköpings län', or 'Sverige' for units of several län."""
    found = lan.scope(reports)
    return found[1] if found else "Sverige"


def notes(reports: Sequence[UnitReport], kept: Sequence[int], labels: Sequence[str]
          ) -> tuple[str, ...]:
    """What each column measures, then the goals without data and why."""
    first = reports[0].results
    measured = [f"{labels[n]}. {first[n].indicator.title} ({first[n].indicator.kpi}) "
                f"{words.better_mark(first[n].indicator)}" for n in kept]
    empty = lan.empty_note(reports)
    missing = [f"{empty[0]}:", *empty[1]] if empty else []
    return (*measured, "", *missing)
