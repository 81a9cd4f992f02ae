"""Terminal output (rich): one table grouped by målområde, notes, and a summary line.

Status is shown with a symbol and a word as well as a colour, so it reads without colour
(NO_COLOR, pipes, files). All words and numbers come from `words`; all text from Kolada or
a catalogue is printed as text, never as rich markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from strategihalsa.model import Figures, IndicatorResult, Overview, UnitReport
from strategihalsa.render import Renderer, words
from strategihalsa.vocabulary import Status

STATUS_STYLES = {Status.MET: "bold green", Status.IMPROVING: "yellow",
                 Status.NOT_IMPROVING: "bold red", Status.NO_DATA: "dim"}
WIDE = 150  # narrower consoles get the compact layout


def status(figures: Figures | None, short: bool = False) -> Text:
    """Symbol and word (or the symbol alone), coloured."""
    code = figures.status if figures else Status.NO_DATA
    text = words.STATUS_SYMBOLS[code] if short else words.status_label(figures)
    return Text(text, style=STATUS_STYLES[code])


def build_table(report: UnitReport, width: int = WIDE) -> tuple[Table, list[str]]:
    """The rich table and the numbered notes it refers to; numbers never wrap or get cut.
    Consoles narrower than WIDE get the compact layout: one block of text per indicator."""
    notes: list[str] = []
    table = Table(title=Text(words.title(report)), caption=Text(_caption(report)),
                  title_justify="left", caption_justify="left", expand=False)
    compact = width < WIDE
    for name, options in (_compact_columns() if compact else _wide_columns(report)):
        table.add_column(name, **options)
    for area in report.areas:
        if table.row_count:
            table.add_section()
        table.add_row(*[""] * (2 if compact else 1), Text(area, style="bold underline"))
        for result in report.in_area(area):
            title = _titled(result, notes)
            table.add_row(*(_compact_cells if compact else _wide_cells)(result, report, title))
    return table, notes


def _wide_columns(report: UnitReport) -> list[tuple[str, dict]]:
    right = {"justify": "right", "no_wrap": True}
    columns = [("Mål", right), ("Indikator", {"min_width": 24, "ratio": 1}),
               ("KPI", {"no_wrap": True}), ("Utgångsläge", right), ("Senaste", right),
               ("Förändring", right), ("Målvärde", right), ("Målnivå", right),
               ("Status", {"no_wrap": True}), ("Når målet", right),
               (f"Mot {report.run.target_year}", {"no_wrap": True})]
    if any(r.rank for r in report.results):
        columns.append(("Rang", right))
    return columns + [(words.ROLE_HEADERS[c.role], {"justify": "center", "no_wrap": True})
                      for c in report.compared]


def _compact_columns() -> list[tuple[str, dict]]:
    return [("Mål", {"justify": "right", "no_wrap": True}), ("", {"no_wrap": True}),
            ("Indikator och utfall", {"ratio": 1})]


def goal(result: IndicatorResult) -> str:
    """The goal number, or 'L' for a local indicator."""
    return "L" if result.indicator.goal is None else str(result.indicator.goal)


def _titled(result: IndicatorResult, notes: list[str]) -> str:
    """The goal text with what is measured, its level mark and note numbers."""
    ind = result.indicator
    title = ind.title + (f" – mäts som {ind.measure}" if ind.measure else "")
    if result.region_level:
        title += f" {words.REGION_LEVEL}"
    for note in words.notes(result):
        notes.append(f"Mål {goal(result)} ({ind.kpi}): {note}")
        title += f" [{len(notes)}]"
    return title


def _wide_cells(result: IndicatorResult, report: UnitReport, title: str) -> list:
    fig = result.figures
    cells: list[Any] = [goal(result), Text(title), result.indicator.kpi,
                        words.point(fig.baseline), words.point(fig.latest),
                        words.number(fig.change, signed=True), words.target(result),
                        words.number(fig.target_level), status(fig), words.reaches(result),
                        words.outlook(result)]
    if any(r.rank for r in report.results):
        cells.append(words.rank(result))
    return cells + [status(result.comparison(c.role) and result.comparison(c.role).figures,
                           short=True) for c in report.compared]


def _compact_cells(result: IndicatorResult, report: UnitReport, title: str) -> list:
    """Goal, status symbol, and a block: title (KPI), then the figures and comparisons."""
    fig = result.figures
    block = Text(f"{title} ({result.indicator.kpi})\n")
    if fig.baseline and fig.latest:
        block.append(f"{words.point(fig.baseline)} → {words.point(fig.latest)}, "
                     f"{words.change_against_target(result)} (målnivå "
                     f"{words.number(fig.target_level)}); når målet: {words.reaches(result)}, "
                     f"mot {report.run.target_year}: {words.outlook(result)}")
        if result.rank:
            block.append(f"; rang {words.rank(result)}")
    else:
        block.append(words.STATUS_LABELS[fig.status], style="dim")
    for compared in report.compared:
        comparison = result.comparison(compared.role)
        block.append(f"  {words.ROLE_HEADERS[compared.role]} ")
        block.append_text(status(comparison.figures if comparison else None, short=True))
    return [goal(result), status(fig, short=True), block]


def _caption(report: UnitReport) -> str:
    names = " och ".join(c.unit.title for c in report.compared)
    return (f"{words.years(report)}. Jämförelse: {names}. 'Når målet': året målet nås i "
            f"nuvarande takt (linjär trend sedan utgångsläget; ? = få värden). "
            f"Källa: Kolada.\n{words.LEGEND}")


def draw(reports: Sequence[UnitReport], console: Console) -> None:
    """Print the reports: table, notes, gaps, summary."""
    for report in reports:
        table, notes = build_table(report, console.width)
        console.print(table)
        for n, note in enumerate(notes, 1):
            console.print(Text(f"[{n}] {note}", style="dim"))
        for goal_gap in report.goal_gaps:
            console.print(Text(words.gap_line(goal_gap)))
        console.print(Text(words.summary_line(report.summary), style="bold"))


def record(paint: Callable[[Console], None], width: int) -> bytes:
    """What `paint` prints, as plain UTF-8 text (for files and pipes)."""
    console = Console(record=True, width=width, no_color=True, highlight=False,
                      file=io.StringIO())
    paint(console)
    return console.export_text().encode("utf-8")


def listing(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    """A plain table for the inspection commands (indicators, kommuner, kpi, check)."""
    table = Table(title=Text(title), title_justify="left", highlight=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return table


def draw_overview(overview: Overview, console: Console) -> None:
    """One row per indicator: Riket, the counts per status, the spread of the change."""
    run = overview.run
    table = Table(title=Text(f"{run.catalogue.name} – översikt: {overview.scope} "
                             f"({overview.unit_count} kommuner)"),
                  caption=Text(f"Utgångsläge {run.baseline_year}. Förändringens fördelning "
                               "över kommunerna (regionerna för regionnivå): min, kvartiler, "
                               f"max. Källa: Kolada.\n{words.LEGEND}"),
                  title_justify="left", caption_justify="left")
    for name, justify in (("Mål", "right"), ("Indikator", "left"), ("KPI", "left"),
                          ("Riket", "left"), *((words.STATUS_SYMBOLS[s], "right")
                                               for s in Status),
                          ("Min", "right"), ("Q1", "right"), ("Median", "right"),
                          ("Q3", "right"), ("Max", "right")):
        table.add_column(name, justify=justify, overflow="fold",
                         min_width=24 if name == "Indikator" else None)
    for s in overview.indicators:
        spread = [getattr(s.change, k) if s.change else None
                  for k in ("min", "q1", "median", "q3", "max")]
        title = s.indicator.title + (f" {words.REGION_LEVEL}" if s.level == "region" else "")
        table.add_row(str(s.indicator.goal or "L"), Text(title), s.indicator.kpi,
                      status(s.riket), *(str(s.counts[code]) for code in Status),
                      *(words.number(v, signed=True) for v in spread))
    console.print(table)


RENDERER = Renderer(
    binary=False,
    many=True,
    reports=lambda reports, options: record(lambda c: draw(reports, c), options.width),
    overview=lambda overview, options: record(lambda c: draw_overview(overview, c),
                                              options.width),
    draw=draw,
    draw_overview=draw_overview,
)
