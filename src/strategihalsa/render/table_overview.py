"""The national overview in the terminal (a helper of the table format): one row per
indicator with Riket, the kommuner per status and the spread of the change, in layouts from
the widest to a compact one of blocks of text (`layout.first_fitting`).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from strategihalsa.model_overview import IndicatorOverview, Overview
from strategihalsa.render import words, words_time
from strategihalsa.render.layout import (
    GOAL_WIDTH,
    MIN_BLOCK,
    first_fitting,
    flow,
    last_column_width,
    words_of,
)
from strategihalsa.render.terminal import (
    CENTER,
    LEFT,
    RIGHT,
    TITLE,
    Column,
    status,
    status_of,
    two_lines,
)
from strategihalsa.vocabulary import Status

SPREAD = (("min", "Min"), ("q1", "Q1"), ("median", "Median"), ("q3", "Q3"), ("max", "Max"))


def draw_overview(overview: Overview, console: Console) -> None:
    """One row (or block) per indicator: Riket, the counts per status, the spread."""
    layouts = [lambda: _overview_wide(overview, short=False),
               lambda: _overview_wide(overview, short=True),
               lambda: _overview_medium(overview),
               lambda: _overview_compact(overview, console.width)]
    console.print(first_fitting(layouts, console.width))


def _overview_frame(overview: Overview) -> Table:
    run = overview.run
    follow = f", uppföljning {run.follow_up_year}" if run.follow_up_year else ""
    return Table(title=Text(words.overview_title(overview)),
                 caption=Text(f"Utgångsläge {run.baseline_year}{follow}. Förändringens "
                              "fördelning över kommunerna (regionerna för regionnivå): min, "
                              f"kvartiler, max. {words.BETTER_KEY}. "
                              f"Källa: Kolada. {words_time.data_as_of(run)}\n{words.LEGEND}"),
                 title_justify="left", caption_justify="left")


def _overview_wide(overview: Overview, short: bool) -> Table:
    table = _overview_frame(overview)
    columns = [("Mål", RIGHT), ("Indikator", TITLE), ("KPI", LEFT), ("Riket", LEFT),
               *((words.STATUS_SYMBOLS[s], RIGHT) for s in Status),
               *((header, RIGHT) for _, header in SPREAD), ("Bättre", CENTER)]
    for name, options in columns:
        table.add_column(name, **options)
    for row in overview.indicators:
        table.add_row(Text(words.goal_number(row.indicator)), Text(_overview_title(row)),
                      Text(row.indicator.kpi), status(row.riket, short),
                      *(Text(str(row.counts[code])) for code in Status),
                      *(Text(value) for value in _spread(row)), Text(_better(row)))
    return table


def _overview_medium(overview: Overview) -> Table:
    """Riket as a symbol, the quartiles paired over two lines: min over max, q1 over q3."""
    table = _overview_frame(overview)
    columns: list[tuple[str, Column]]
    columns = [("Mål", RIGHT), ("Indikator", {"min_width": 20, "ratio": 1}), ("KPI", LEFT),
               ("Riket", CENTER), *((words.STATUS_SYMBOLS[s], RIGHT) for s in Status),
               ("Min\nMax", RIGHT), ("Q1\nQ3", RIGHT), ("Median", RIGHT), ("Bättre", CENTER)]
    for name, options in columns:
        table.add_column(name, **options)
    for row in overview.indicators:
        low, q1, median, q3, high = _spread(row)
        table.add_row(Text(words.goal_number(row.indicator)), Text(_overview_title(row)),
                      Text(row.indicator.kpi), status(row.riket, short=True),
                      *(Text(str(row.counts[code])) for code in Status),
                      Text(two_lines(low, high)), Text(two_lines(q1, q3)), Text(median),
                      Text(_better(row)))
    return table


def _overview_compact(overview: Overview, width: int) -> Table:
    block = max(last_column_width(width, [GOAL_WIDTH]), MIN_BLOCK)
    table = _overview_frame(overview)
    table.add_column("Mål", justify="right", width=GOAL_WIDTH, no_wrap=True)
    table.add_column("Indikator och fördelning", width=block)
    for row in overview.indicators:
        table.add_row(Text(words.goal_number(row.indicator)), _overview_block(row, block))
    return table


def _overview_block(row: IndicatorOverview, width: int) -> Text:
    """Title (KPI); Riket; the units per status (each with its word); the spread of the
    change."""
    title = flow([*words_of(_overview_title(row)), Text(f"({row.indicator.kpi})")], width)
    units = "regioner" if row.level == "region" else "kommuner"
    counts = [Text(f"{units}:"), *_commas([status_of(code) + Text(f" {row.counts[code]}")
                                           for code in Status])]  # '– 290' read as minus
    spread = [Text(f"{header.lower()} {value}") for (_, header), value
              in zip(SPREAD, _spread(row), strict=True)] if row.change else [Text("–")]
    return Text("\n").join([title, Text("Riket: ") + status(row.riket), flow(counts, width),
                            flow([Text("förändring:"), *_commas(spread)], width),
                            Text(words.better_mark(row.indicator))])


def _better(row: IndicatorOverview) -> str:
    """'↑' or '↓': which way the key figure improves (the caption explains the arrows)."""
    return words.better_mark(row.indicator)[0]


def _commas(phrases: list[Text]) -> list[Text]:
    return [phrase + Text(",") for phrase in phrases[:-1]] + phrases[-1:]


def _overview_title(row: IndicatorOverview) -> str:
    level = f" {words.REGION_LEVEL}" if row.level == "region" else ""
    return words.title_measured(row.indicator) + level


def _spread(row: IndicatorOverview) -> list[str]:
    values = [getattr(row.change, key) if row.change else None for key, _ in SPREAD]
    return [words.number(value, signed=True) for value in values]
