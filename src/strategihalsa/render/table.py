"""Terminal output (rich): one table grouped by målområde, notes, and a summary line.

Status is shown with a symbol and a word as well as a colour, so it reads without colour
(NO_COLOR, pipes, files). Numbers are rounded for display only, with a decimal comma.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from strategihalsa.overview import Overview
from strategihalsa.render import STATUS_LABELS, STATUS_SYMBOLS, summary_line
from strategihalsa.report import Figures, IndicatorResult, Point, UnitReport

COMPARISON_HEADERS = {"riket": "Riket", "region": "Region", "group": "Liknande",
                      "kommun": "Kommun"}
STATUS_STYLES = {"met": "bold green", "improving": "yellow", "not_improving": "bold red",
                 "no_data": "dim"}
SHORT_UNITS = {"procentenheter": "pe"}


def number(value: float | None, signed: bool = False) -> str:
    """One decimal rounded half up (as Excel shows it), decimal comma, a real minus sign."""
    if value is None:
        return "–"
    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{rounded:+.1f}" if signed else f"{rounded:.1f}"
    return text.replace(".", ",").replace("-", "−")


def point(p: Point | None) -> str:
    """'2017: 85,6' or a dash."""
    return f"{p.year}: {number(p.value)}" if p else "–"


def status(figures: Figures | None, short: bool = False) -> Text:
    """Symbol and word (or the symbol alone), coloured."""
    code = figures.status if figures else "no_data"
    if short:
        return Text(STATUS_SYMBOLS[code], style=STATUS_STYLES[code])
    return status_code(code)


LEGEND = "  ".join(f"{STATUS_SYMBOLS[c]} {STATUS_LABELS[c]}" for c in STATUS_LABELS)


def target(result: IndicatorResult) -> str:
    """'+2 pe', '−1000 per 100 000 invånare 80+', 'öka'."""
    ind = result.indicator
    if ind.target == 0:
        return "öka" if ind.direction == "increase" else "minska"
    sign = "+" if ind.direction == "increase" else "−"
    return f"{sign}{ind.target:g} {SHORT_UNITS.get(ind.unit, ind.unit)}".replace(".", ",")


def build_table(report: UnitReport) -> tuple[Table, list[str]]:
    """The rich table and the numbered notes it refers to."""
    table = Table(title=_title(report), caption=_caption(report), show_lines=False,
                  title_justify="left", caption_justify="left", expand=False)
    table.add_column("Mål", justify="right")
    table.add_column("Indikator", min_width=30, ratio=1, overflow="fold")
    table.add_column("KPI", no_wrap=True)
    for name in ("Utgångsläge", "Senaste", "Förändring"):
        table.add_column(name, justify="right")
    table.add_column("Målvärde", justify="right", max_width=14)
    table.add_column("Status", no_wrap=True)
    table.add_column("Når målet", justify="right")
    ranked = any(r.rank for r in report.results)
    if ranked:
        table.add_column("Rang", justify="right", no_wrap=True)
    for unit in report.comparison_units:
        table.add_column(COMPARISON_HEADERS[unit.kind], justify="center")
    notes: list[str] = []
    area = None
    for result in report.results:
        if result.indicator.area != area:
            area = result.indicator.area
            if table.row_count:
                table.add_section()
            table.add_row("", Text(area, style="bold underline"))
        table.add_row(*_cells(result, report, notes))
    return table, notes


def _cells(result: IndicatorResult, report: UnitReport, notes: list[str]) -> list:
    ind, fig = result.indicator, result.figures
    title = ind.title
    if result.level == "region" and report.unit.kind == "kommun":
        title += " (regionnivå)"
    if fig.reason:
        notes.append(f"Mål {ind.goal} ({ind.kpi}): {fig.reason}")
        title += f" [{len(notes)}]"
    cells = [str(ind.goal), title, ind.kpi, point(fig.baseline), point(fig.latest),
             number(fig.change, signed=True), target(result), status(fig), outlook(result)]
    if any(r.rank for r in report.results):
        cells.append(f"{result.rank.position}/{result.rank.of}" if result.rank else "–")
    cells += [status(result.comparisons.get(u.id), short=True) for u in report.comparison_units]
    return cells


def outlook(result: IndicatorResult) -> str:
    """When the target is reached at the current pace: a year, 'nått', 'ej i takt' or '–'."""
    if result.figures.status == "met":
        return "nått"
    if result.projection is None:
        return "–"
    return str(result.projection.reaches_target_year or "ej i takt")


def gap_lines(report: UnitReport) -> list[str]:
    """The women–men gap of goals followed separately for women and men (life expectancy)."""
    lines = []
    for goal_gap in report.goal_gaps:
        gap = goal_gap.gap
        if gap.narrowed is None:
            lines.append(f"Mål {goal_gap.goal}, skillnad kvinnor–män: saknar data")
            continue
        verdict = "minskar ✔" if gap.narrowed else "minskar inte ✘"
        lines.append(f"Mål {goal_gap.goal}, skillnad kvinnor–män: {number(gap.baseline)} → "
                     f"{number(gap.latest)} {goal_gap.women.indicator.unit} ({verdict})")
    return lines


def _title(report: UnitReport) -> str:
    unit = report.unit
    return f"Strategi för hälsa – {unit.title} ({unit.id})"


def _caption(report: UnitReport) -> str:
    names = " och ".join(f"{u.title}" for u in report.comparison_units)
    return (f"Utgångsläge {report.baseline_year}, målår {report.target_year}. "
            f"Jämförelse: {names}. 'Når målet': året målet nås i nuvarande takt (linjär trend "
            f"sedan utgångsläget). Källa: Kolada.\n{LEGEND}")


def render(report: UnitReport, console: Console) -> None:
    """Print the report: table, notes, summary."""
    table, notes = build_table(report)
    console.print(table)
    for n, note in enumerate(notes, 1):
        console.print(f"[{n}] {note}", markup=False, style="dim")
    for line in gap_lines(report):
        console.print(line, markup=False)
    console.print(Text(summary_line(report.summary), style="bold"))


def record(draw: Callable[[Console], None], width: int = 160) -> str:
    """What `draw` prints, as plain text (for files)."""
    console = Console(record=True, width=width, no_color=True, highlight=False,
                      file=io.StringIO())
    draw(console)
    return console.export_text()


def plain_text(reports: list[UnitReport]) -> str:
    """The reports as plain text."""
    def draw(console: Console) -> None:
        for report in reports:
            render(report, console)

    return record(draw)


def listing(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    """A plain table for the inspection commands (indicators, kommuner, kpi, check)."""
    table = Table(title=title, title_justify="left", highlight=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    return table


def render_overview(overview: Overview, console: Console) -> None:
    """One row per indicator: Riket, the counts per status, the spread of the change."""
    ctx = overview.context
    table = Table(title=f"Strategi för hälsa – översikt: {overview.scope} "
                        f"({overview.unit_count} kommuner)",
                  caption=f"Utgångsläge {ctx.baseline_year}. Förändringens fördelning över "
                          "kommunerna (regionerna för regionnivå): min, kvartiler, max. "
                          f"Källa: Kolada.\n{LEGEND}",
                  title_justify="left", caption_justify="left")
    for name, justify in (("Mål", "right"), ("Indikator", "left"), ("KPI", "left"),
                          ("Riket", "left"), ("✔", "right"), ("↗", "right"), ("✘", "right"),
                          ("–", "right"), ("Min", "right"), ("Q1", "right"),
                          ("Median", "right"), ("Q3", "right"), ("Max", "right")):
        table.add_column(name, justify=justify, overflow="fold",
                         min_width=24 if name == "Indikator" else None)
    for s in overview.indicators:
        spread = s.change or {}
        title = s.indicator.title + (" (regionnivå)" if s.level == "region" else "")
        table.add_row(str(s.indicator.goal), title, s.indicator.kpi,
                      status_code(s.riket["status"]),
                      *(str(s.counts[code]) for code in STATUS_LABELS),
                      *(number(spread.get(k), signed=True) for k in
                        ("min", "q1", "median", "q3", "max")))
    console.print(table)


def status_code(code: str) -> Text:
    """A status word with its symbol and colour."""
    return Text(f"{STATUS_SYMBOLS[code]} {STATUS_LABELS[code]}", style=STATUS_STYLES[code])
