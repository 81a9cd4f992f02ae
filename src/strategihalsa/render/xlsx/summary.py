"""Sammanfattning: the title block, then one row per indicator grouped by målområde.

The columns come in two printed parts: the unit's own results (figures, target, målnivå,
status, outlook, rank), then the comparisons (Riket, the region, the similar kommuner and
how many of them are behind the mean) and the notes. Mål, Indikator and KPI repeat on every
printed page; each målområde starts a new page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from strategihalsa.model import Figures, IndicatorResult, UnitReport
from strategihalsa.render import words, words_time
from strategihalsa.render.xlsx.cells import (
    BOLD_TEXT,
    INTEGER,
    NUMBER,
    PERCENT,
    SIGNED,
    STATUS,
    TEXT,
    WRAPPED_TITLE,
    Look,
    Sheet,
    signed,
)
from strategihalsa.render.xlsx.paper import Paper
from strategihalsa.vocabulary import Role, Status

TOP = 6  # the header row


@dataclass(frozen=True)
class Column:
    """A Sammanfattning column: header, width, and the cell of one indicator."""

    header: str
    width: float
    cell: Callable[[IndicatorResult], tuple[Any, Look]]


def goal(result: IndicatorResult) -> Any:
    """The goal number (a number cell), or 'L' for a local indicator."""
    return words.LOCAL_MARK if result.indicator.local else result.indicator.goal


def indicator_text(result: IndicatorResult) -> str:
    """The goal's words, its level and what the key figure measures."""
    title = result.indicator.title
    if result.region_level:
        title += f" {words.REGION_LEVEL}"
    measured = words.measured_as(result)
    return f"{title}\n{measured.capitalize()}" if measured else title


def status(figures: Figures | None) -> tuple[str, Look]:
    """'✔ uppnått' with its fill; no figures read 'saknar data'."""
    return words.status_label(figures), STATUS[figures.status if figures else Status.NO_DATA]


def target(result: IndicatorResult) -> tuple[Any, Look]:
    """+2 or −1000 as a number; 'öka' for any improvement."""
    value = words.signed_target(result)
    return (words.target(result), TEXT) if value is None else (value, SIGNED)


def point(name: str, part: str, look: Look) -> Callable[[IndicatorResult], tuple[Any, Look]]:
    """The year or value of the baseline or latest point."""
    def cell(result: IndicatorResult) -> tuple[Any, Look]:
        found = getattr(result.figures, name)
        return (getattr(found, part) if found else None), look
    return cell


def note(result: IndicatorResult) -> str:
    """The catalogue's note, why data is missing, Kolada's flags, survey caveats: run on
    with semicolons (a line each made rows tall and blank on the first printed part)."""
    return "; ".join(note.rstrip(". ") for note in words.notes(result))


OWN = (
    Column("Mål nr", 5, lambda r: (goal(r), INTEGER)),
    Column("Indikator", 36, lambda r: (indicator_text(r), TEXT)),
    Column("KPI", 8, lambda r: (r.indicator.kpi, TEXT)),
    Column("Målområde", 12, lambda r: (r.indicator.area, TEXT)),
    Column("Nivå", 7, lambda r: ("region" if r.region_level else "egen", TEXT)),
    Column("Basår", 6, point("baseline", "year", INTEGER)),
    Column("Utgångsläge", 12, point("baseline", "value", NUMBER)),
    Column("Senaste år", 8, point("latest", "year", INTEGER)),
    Column("Senaste värde", 9, point("latest", "value", NUMBER)),
    Column("Förändring", 11, lambda r: signed(r.figures.change)),
    Column("Mål (ändring)", 10, target),
    Column("Målnivå", 9, lambda r: (r.figures.target_level, NUMBER)),
    Column("Andel av målet", 8, lambda r: (r.figures.progress, PERCENT)),
    Column("Status", 13, lambda r: status(r.figures)),
    Column("Når målet", 9, lambda r: (words.reaches(r), TEXT)),
)
RANK = Column("Rang", 9, lambda r: (words.rank(r), TEXT))
NOTE = Column("Notering", 42, lambda r: (note(r), TEXT))
TITLE_COLUMNS = 3  # Mål, Indikator, KPI repeat on every printed part


def columns(report: UnitReport) -> tuple[list[Column], int]:
    """The columns of this report, and how many of them belong to the first printed part."""
    target_year = report.run.target_year
    own = [*OWN, Column(f"Mot {target_year}", 8, lambda r: (words.outlook(r), TEXT))]
    if any(r.rank for r in report.results):
        own.append(RANK)
    compared = [c for role in report.compared for c in comparison_columns(role.role, role.unit)]
    return [*own, *compared, NOTE], len(own)


def comparison_columns(role: Role, unit: Any) -> list[Column]:
    """Change and status of one comparison (and, for the similar group, its coverage)."""
    name = words.role_header(role, unit)

    def figures(r: IndicatorResult) -> Figures | None:
        found = r.comparison(role)
        return found.figures if found else None

    found = [Column(f"{name}: förändring", 11,
                    lambda r: signed(getattr(figures(r), "change", None))),
             Column(name, 13, lambda r: status(figures(r)))]
    if role is Role.SIMILAR:
        found.append(Column(f"{name}: underlag", 13, lambda r: (words.similar_mean(r), TEXT)))
    return found


def summary_sheet(sheet: Sheet, report: UnitReport, chosen: list[Column], own: int) -> None:
    """Title block, header, one row per indicator by målområde; print layout."""
    _title_block(sheet, report)
    sheet.header(TOP, (c.header for c in chosen))
    row, breaks = TOP, []
    for area in report.areas:
        for result in report.in_area(area):
            row += 1
            sheet.row(row, (c.cell(result) for c in chosen))
        breaks.append(row)
    _screen(sheet, chosen, row)
    sheet.finish()
    Paper(f"{TOP}:{TOP}", TITLE_COLUMNS, (own,), tuple(breaks[:-1]),
          header=words.title(report), footer=source(report)).apply(sheet)


def _title_block(sheet: Sheet, report: UnitReport) -> None:
    """Title, years, summary, gaps and legend, wrapped within the columns that repeat on
    every printed part (so no line is cut at a page's edge)."""
    gaps = "; ".join(words.gap_line(g) for g in report.goal_gaps) or None
    for row, (value, look) in enumerate([
            (words.title(report), WRAPPED_TITLE),
            (f"{words.years(report)}. {words.compared_with(report)}, {words.SAME_YEARS} "
             "(Basår och Senaste år).", TEXT),
            (words.summary_line(report.summary), BOLD_TEXT), (gaps, TEXT),
            (words.LEGEND, TEXT)], 1):
        sheet.span(row, 1, TITLE_COLUMNS, value, look)


def source(report: UnitReport) -> str:
    """'Källa: Kolada (…). Skapad … med sfh …', printed at the foot of every page."""
    run = report.run
    return (f"Källa: Kolada ({run.api_url}). Skapad {words_time.generated(run.generated_at)} "
            f"med sfh {run.version}.")


def _screen(sheet: Sheet, chosen: list[Column], last: int) -> None:
    """Frozen header and titles, filters, and the progress data bar."""
    sheet.freeze(TOP + 1, TITLE_COLUMNS + 1)
    sheet.autofilter(TOP, last, len(chosen))
    bar = next(n for n, c in enumerate(chosen, 1) if c.header == "Andel av målet")
    sheet.data_bar(bar, TOP + 1, last, "5B9BD5")
