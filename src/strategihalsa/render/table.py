"""Terminal output (rich): one table grouped by målområde, notes, and a summary line.

Status is shown with a symbol and a word as well as a colour, so it reads without colour
(NO_COLOR, pipes, files). Numbers are rounded for display only, with a decimal comma.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
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
WIDE = 150  # narrower consoles get the compact layout


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
    """'+2 pe', '−1000', 'öka': the unit only when it is short."""
    ind = result.indicator
    if ind.target == 0:
        return "öka" if ind.direction == "increase" else "minska"
    sign = "+" if ind.direction == "increase" else "−"
    unit = SHORT_UNITS.get(ind.unit, ind.unit)
    text = f"{sign}{ind.target:g}" + (f" {unit}" if len(unit) <= 3 else "")
    return text.replace(".", ",")


def build_table(report: UnitReport, width: int = WIDE) -> tuple[Table, list[str]]:
    """The rich table and the numbered notes it refers to; numbers never wrap or get cut.
    Consoles narrower than WIDE get the compact layout: one block of text per indicator."""
    notes: list[str] = []
    table = Table(title=_title(report), caption=_caption(report), show_lines=False,
                  title_justify="left", caption_justify="left", expand=False)
    compact = width < WIDE
    for name, options in (_compact_columns() if compact else _wide_columns(report)):
        table.add_column(name, **options)
    area = None
    for result in report.results:
        if result.indicator.area != area:
            area = result.indicator.area
            if table.row_count:
                table.add_section()
            table.add_row(*[""] * (2 if compact else 1), Text(area, style="bold underline"))
        title = _titled(result, report, notes)
        table.add_row(*(_compact_cells if compact else _wide_cells)(result, report, title))
    return table, notes


def _wide_columns(report: UnitReport) -> list[tuple[str, dict]]:
    right = {"justify": "right", "no_wrap": True}
    columns = [("Mål", right), ("Indikator", {"min_width": 24, "ratio": 1}),
               ("KPI", {"no_wrap": True}), ("Utgångsläge", right), ("Senaste", right),
               ("Förändring", right), ("Målvärde", right), ("Status", {"no_wrap": True}),
               ("Når målet", right)]
    if any(r.rank for r in report.results):
        columns.append(("Rang", right))
    return columns + [(COMPARISON_HEADERS[u.kind], {"justify": "center", "no_wrap": True})
                      for u in report.comparison_units]


def _compact_columns() -> list[tuple[str, dict]]:
    return [("Mål", {"justify": "right", "no_wrap": True}), ("", {"no_wrap": True}),
            ("Indikator och utfall", {"ratio": 1})]


def _titled(result: IndicatorResult, report: UnitReport, notes: list[str]) -> str:
    """The goal text with its level mark and note number."""
    ind, fig = result.indicator, result.figures
    title = ind.title
    if result.level == "region" and report.unit.kind == "kommun":
        title += " (regionnivå)"
    if fig.reason:
        notes.append(f"Mål {ind.goal} ({ind.kpi}): {fig.reason}")
        title += f" [{len(notes)}]"
    return title


def _wide_cells(result: IndicatorResult, report: UnitReport, title: str) -> list:
    fig = result.figures
    cells = [str(result.indicator.goal), title, result.indicator.kpi, point(fig.baseline),
             point(fig.latest), number(fig.change, signed=True), target(result), status(fig),
             outlook(result)]
    if any(r.rank for r in report.results):
        cells.append(rank_text(result))
    cells += [status(result.comparisons.get(u.id), short=True) for u in report.comparison_units]
    return cells


def _compact_cells(result: IndicatorResult, report: UnitReport, title: str) -> list:
    """Goal, status symbol, and a block: title (KPI), then the figures and comparisons."""
    fig = result.figures
    block = Text(f"{title} ({result.indicator.kpi})\n")
    if fig.baseline and fig.latest:
        block.append(f"{point(fig.baseline)} → {point(fig.latest)}, "
                     f"{number(fig.change, signed=True)} av {target(result)}; "
                     f"når målet: {outlook(result)}")
        if result.rank:
            block.append(f"; rang {rank_text(result)}")
    else:
        block.append(STATUS_LABELS[fig.status], style="dim")
    for unit in report.comparison_units:
        block.append(f"  {COMPARISON_HEADERS[unit.kind]} ")
        block.append_text(status(result.comparisons.get(unit.id), short=True))
    return [str(result.indicator.goal), status(fig, short=True), block]


def rank_text(result: IndicatorResult) -> str:
    """'114/290' or a dash."""
    return f"{result.rank.position}/{result.rank.of}" if result.rank else "–"


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
    table, notes = build_table(report, console.width)
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


def render_all(reports: list[UnitReport], console: Console) -> None:
    """Print several reports one after the other."""
    for report in reports:
        render(report, console)


def plain_text(reports: list[UnitReport]) -> str:
    """The reports as plain text."""
    return record(partial(render_all, reports))


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
