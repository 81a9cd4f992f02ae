"""The terminal's side-by-side report (a helper of the table format, not a format itself):
goals as rows and one column per unit, each cell the unit's status symbol and change over
the years it is over and its latest value, exactly as the unit's own report shows them.

Layouts from the widest to the most compact, the first that fits the console's width drawn
(`layout.first_fitting`): target and direction in their own columns; both in one column;
one block per goal with a line per unit (or one 'alla' line when every unit reads the same).
Unit names in headers wrap between words; numbers never split.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from strategihalsa.model import IndicatorResult
from strategihalsa.model_side import GoalRow, SideBySide
from strategihalsa.render import words, words_side, words_time
from strategihalsa.render.layout import (
    GOAL_WIDTH,
    MIN_BLOCK,
    STATUS_STYLES,
    first_fitting,
    flow,
    last_column_width,
    widest_line,
    words_of,
)
from strategihalsa.render.side_notes import GOAL, Marks, mark, side_notes

TARGET_HEADER = words_side.TARGET_CHANGE.replace(" ", "\n")  # a narrow column's two lines


def draw(view: SideBySide, console: Console) -> None:
    """Print the comparison table, its notes and each unit's summary line."""
    marks, notes = side_notes(view)
    layouts = [lambda: _wide(view, marks), lambda: _medium(view, marks),
               lambda: _compact(view, marks, console.width)]
    console.print(first_fitting(layouts, console.width))
    for n, note in enumerate(notes, 1):
        console.print(Text(f"[{n}] {note.plain()}", style="dim"))
    for name, report in zip(words_side.side_names(view), view.reports, strict=True):
        console.print(Text(f"{name}: {words.summary_line(report.summary)}", style="bold"))


def _frame(view: SideBySide) -> Table:
    run = view.run
    caption = (f"{words.years(view.reports[0])}. {words_side.SIDE_BY_SIDE_NOTE}. "
               f"{words.BETTER_KEY}. Källa: Kolada. {words_time.data_as_of(run)}\n{words.LEGEND}")
    return Table(title=Text(words_side.side_by_side_title(view)), caption=Text(caption),
                 title_justify="left", caption_justify="left")


def _wide(view: SideBySide, marks: Marks) -> Table:
    """Goal, text, target, which way is better, then a column per unit."""
    return _grid(view, marks, [TARGET_HEADER, "Bättre"], lambda row: [
        _title(row, marks), words_side.side_target(row.results[0]),
        words.better_mark(row.indicator)[0]])


def _medium(view: SideBySide, marks: Marks) -> Table:
    """The target and which way is better in one column: '+2 pe ↑'."""
    return _grid(view, marks, [TARGET_HEADER], lambda row: [
        _title(row, marks),
        f"{words_side.side_target(row.results[0])} {words.better_mark(row.indicator)[0]}"])


def _grid(view: SideBySide, marks: Marks, extra: list[str],
          texts: Callable[[GoalRow], list[str]]) -> Table:
    """The goal, `texts` (its text, then one per `extra` column, never wrapped), then a
    column per unit."""
    table = _frame(view)
    table.add_column("Mål", justify="right", no_wrap=True)
    table.add_column("Indikator", min_width=20, ratio=1)
    for name in extra:
        table.add_column(name, justify="right", no_wrap=True)
    cells = {row.indicator.id: [_cell(u.id, r, marks) for u, r in zip(
        view.units, row.results, strict=True)] for row in view.rows}
    for n, name in enumerate(words_side.side_names(view)):
        widest = widest_line([row[n] for row in cells.values()])
        table.add_column(_header(name, widest), justify="right", no_wrap=True)
    for area in view.areas:
        if table.row_count:
            table.add_section()
        table.add_row("", Text(area, style="bold underline"))
        for row in view.in_area(area):
            table.add_row(Text(words.goal_number(row.indicator)), *map(Text, texts(row)),
                          *cells[row.indicator.id])
    return table


def _cell(unit_id: str, result: IndicatorResult, marks: Marks) -> Text:
    """'✔ +2,1 pe' in the status colour over '2017–2023 · 87,6 [1]' dimmed."""
    style = STATUS_STYLES[result.figures.status]
    return Text(words_side.side_cell(result), style=style) + Text(
        "\n" + _years(unit_id, result, marks), style="dim")


def _years(unit_id: str, result: IndicatorResult, marks: Marks) -> str:
    """'2018–2022 · 77,1 [1]', '2017–2022 · 85,5', '[3]' or ''."""
    return (words_side.side_span(result.figures)
            + mark(marks, unit_id, result.indicator.id)).strip()


def _header(title: str, width: int) -> Text:
    """A unit's name wrapped between words to its column's width (or its longest word)."""
    return flow(words_of(title, "bold"), max(width, *(len(w) for w in title.split())))


def _title(row: GoalRow, marks: Marks) -> str:
    """'Fler ska uppge att de litar på andra – mäts som … (U01413) [4]', as single reports
    have it."""
    measured = words.measured_as(row.results[0])
    region_level = any(r.region_level for r in row.results)
    return row.indicator.title + (f" – {measured}" if measured else "") + (
        f" {words.REGION_LEVEL}" if region_level else "") + f" ({row.indicator.kpi})" + \
        mark(marks, GOAL, row.indicator.id)


def _compact(view: SideBySide, marks: Marks, width: int) -> Table:
    """Goal and one block per goal: its text, then a line per unit."""
    block = max(last_column_width(width, [GOAL_WIDTH]), MIN_BLOCK)
    table = _frame(view)
    table.add_column("Mål", justify="right", width=GOAL_WIDTH, no_wrap=True)
    table.add_column(words_side.side_units_header(view), width=block)
    names = words_side.side_names(view)
    for area in view.areas:
        if table.row_count:
            table.add_section()
        table.add_row("", flow(words_of(area, "bold underline"), block))
        for row in view.in_area(area):
            head = flow([*words_of(f"{_title(row, marks)} –"),
                         Text(f"mål {words_side.side_target(row.results[0])},"),
                         *words_of(words.better_mark(row.indicator))], block)
            table.add_row(Text(words.goal_number(row.indicator)),
                          Text("\n").join([head, *_unit_lines(view, names, row, marks)]))
    return table


def _unit_lines(view: SideBySide, names: list[str], row: GoalRow, marks: Marks) -> list[Text]:
    """'Jönköping  ✔ +2,1 pe  2017–2023 · 85,5 [1]', one per unit, names and changes padded
    to one width; one 'alla' line when every unit reads the same."""
    cells = [words_side.side_cell(r) for r in row.results]
    lines = [_phrase(cell, u.id, r, marks) for cell, u, r in zip(cells, view.units,
                                                                 row.results, strict=True)]
    if len({line.plain for line in lines}) == 1 and len(lines) > 1:
        return [Text("alla ") + lines[0]]
    lines = [_phrase(cell.ljust(max(map(len, cells))), u.id, r, marks, "  ")
             for cell, u, r in zip(cells, view.units, row.results, strict=True)]
    pad = max(map(len, names))
    return [Text(f"{name:<{pad}}  ") + line for name, line in zip(names, lines, strict=True)]


def _phrase(cell: str, unit_id: str, result: IndicatorResult, marks: Marks,
            gap: str = " ") -> Text:
    """'✔ +2,1 pe 2017–2023 · 85,5 [1]' (the cell as given, perhaps padded)."""
    years = _years(unit_id, result, marks)
    return (Text(cell if years else cell.rstrip(), style=STATUS_STYLES[result.figures.status])
            + Text(f"{gap}{years}" if years else "", style="dim"))
