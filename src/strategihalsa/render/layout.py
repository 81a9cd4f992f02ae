"""Fitting rich output into the width a terminal really has (a helper of the terminal
renderer, not a format of its own).

Tables are offered in layouts from the most to the least spacious and `first_fitting`
picks the first whose minimum width fits. Numbers and codes sit in columns that never wrap
and whose minimum is their widest cell (`pin`); text wraps between words. `flow` lays out
phrases that must stay whole (a year and its value, a change and its target) into lines of
a given width, so even the narrowest layout never splits a number. `listing` is the plain
table of the inspection commands, falling back to one block per row when it cannot fit.
The measures and status colours every terminal table shares are here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from rich.cells import cell_len
from rich.console import RenderableType
from rich.table import Column, Table
from rich.text import Text

from strategihalsa.vocabulary import Status

GOAL_WIDTH = 3  # 'Mål'; goal numbers have at most two digits, local indicators 'L'
MIN_BLOCK = 20  # the narrowest block of text a layout gives a column
STATUS_STYLES = {Status.MET: "bold green", Status.IMPROVING: "yellow",
                 Status.NOT_IMPROVING: "bold red", Status.NO_DATA: "dim", Status.NOT_JUDGED: "dim"}
NUMBER = re.compile(r"^[−+-]?(0|[1-9][\d\u00a0]*)(,\d+)?$")  # not codes like 0680


def plain(cell: RenderableType) -> str:
    """The text of a cell (a str is taken as text, never as markup)."""
    return cell.plain if isinstance(cell, Text) else str(cell)


def widest_line(cells: Iterable[RenderableType]) -> int:
    """The widest line among the cells, in terminal cells."""
    return max((cell_len(line) for cell in cells for line in plain(cell).split("\n")),
               default=1)


def pin(table: Table) -> Table:
    """Give every no-wrap column its widest cell (header included) as minimum width, so the
    table's measured minimum is the width it needs to show them whole."""
    for column in table.columns:
        if column.no_wrap:
            column.min_width = max(column.min_width or 0,
                                   widest_line([column.header, *column.cells]))
    return table


def minimum_width(table: Table) -> int:
    """The narrowest width at which the table shows every no-wrap cell whole and wraps text
    only between words (tables padded by one cell each side, with borders)."""
    pin(table)
    columns = [_column_minimum(column) for column in table.columns]
    borders = len(columns) + 1 if table.box and table.show_edge else len(columns) - 1
    return sum(columns) + 2 * len(columns) + borders


def _column_minimum(column: Column) -> int:
    if column.width is not None:
        return column.width
    if column.no_wrap:
        return column.min_width or 1
    longest = max((cell_len(word) for cell in [column.header, *column.cells]
                   for word in plain(cell).split()), default=1)
    return max(column.min_width or 0, longest)


def first_fitting(layouts: Sequence[Callable[[], Table]], width: int) -> Table:
    """The first layout whose table fits in `width`; the last one otherwise."""
    for layout in layouts[:-1]:
        table = layout()
        if minimum_width(table) <= width:
            return table
    return layouts[-1]()


def last_column_width(width: int, fixed: Sequence[int]) -> int:
    """The width left for the last column of a bordered table whose other columns have
    these fixed widths (each column is padded by one cell on either side)."""
    columns = len(fixed) + 1
    return width - sum(fixed) - 2 * columns - (columns + 1)


def flow(atoms: Iterable[Text | str], width: int, gap: str = " ") -> Text:
    """Atoms joined by `gap` into lines no wider than `width`; an atom is never split (one
    wider than the line gets a line of its own, wrapped by rich between its words)."""
    lines: list[Text] = [Text()]
    for atom in atoms:
        atom = atom if isinstance(atom, Text) else Text(atom)
        line = lines[-1]
        joined = cell_len(line.plain) + cell_len(gap) + cell_len(atom.plain)
        if line.plain and joined > width:
            line = Text()
            lines.append(line)
        if line.plain:
            line.append(gap)
        line.append_text(atom)
    return Text("\n").join(lines)


def words_of(text: str, style: str = "") -> list[Text]:
    """A sentence as atoms, one per word."""
    return [Text(word, style=style) for word in text.split(" ") if word]


def listing(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]],
            width: int) -> RenderableType:
    """A plain table (numbers and codes whole, text wrapped between words), or, when it
    cannot fit in `width`, one block per row: 'Column: value' phrases."""
    cells = [[Text("" if cell is None else str(cell)) for cell in row] for row in rows]

    def table() -> Table:
        grid = Table(title=Text(title), title_justify="left")
        for n, name in enumerate(columns):
            wraps = any(" " in c[n].plain.strip() for c in cells)
            numeric = all(NUMBER.match(c[n].plain) for c in cells if c[n].plain)
            grid.add_column(name, no_wrap=not wraps, overflow="fold",
                            justify="right" if numeric and cells else "left")
        for row in cells:
            grid.add_row(*row)
        return grid

    if minimum_width(table()) <= width:
        return table()
    return records(title, columns, cells, width)


def records(title: str, columns: Sequence[str], rows: Sequence[Sequence[Text]],
            width: int) -> Text:
    """One block per row: the first cell in bold, then 'Column: value' phrases."""
    blocks = [Text(title, style="bold")]
    for row in rows:
        head = Text.assemble((f"{columns[0]} ", "bold"), (row[0].plain, "bold"))
        phrases = [Text(f"{name}: ") + cell for name, cell in zip(columns[1:], row[1:],
                                                                  strict=True) if cell.plain]
        blocks.append(Text("\n").join([head, flow(phrases, width, gap="  ")]))
    return Text("\n\n").join(blocks)
