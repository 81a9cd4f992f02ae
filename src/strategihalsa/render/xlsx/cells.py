"""Writing cells that read well on screen and on paper: a few fixed looks (one XlsxWriter
format each per workbook), text that is always text, and row heights that fit the wrapped
text.

Every text cell is written with `write_string`, so a title beginning with =, +, - or @
never becomes a formula, and characters XML cannot hold (NUL, ESC, U+FFFE, ...) are dropped,
whatever reaches the writer. Row heights are estimated here because Excel and LibreOffice
do not size the rows of a generated file by themselves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any, Protocol

from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from strategihalsa.vocabulary import Status

FONT = "Arial"  # the same metrics everywhere: Excel's Arial, LibreOffice's Liberation Sans
SIZE = 10
LINE = 13.0  # points per wrapped line of 10 pt Arial
DEFAULT_ROW = 12.75  # Excel's row for 10 pt Arial
MAX_ROW = 409.0  # Excel's largest row height
MAX_LINES = 24  # lines per row when a long text is split over several rows
MAX_TEXT = 32767  # characters Excel keeps in a cell
DIGIT = 7  # pixels of a character of the column width (a digit of 10 pt Arial)
# what XML cannot hold (control characters, surrogates, U+FFFE, U+FFFF) and DEL
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Font:
    """A font other than the workbook's 10 pt Arial."""

    name: str = FONT
    size: float = SIZE
    bold: bool = False
    italic: bool = False
    color: str | None = None


@dataclass(frozen=True)
class Fill:
    """A solid background colour."""

    color: str


@dataclass(frozen=True)
class Alignment:
    """Where text sits in its cell, whether it wraps, and its angle."""

    horizontal: str | None = None
    vertical: str | None = None
    wrap_text: bool = False
    text_rotation: int = 0


@dataclass(frozen=True, eq=False)
class Look:
    """A cell's style: font, fill, alignment and number format. Compared by identity, so
    each look is one format per workbook."""

    font: Font | None = None
    fill: Fill | None = None
    alignment: Alignment | None = None
    number_format: str = "General"

    @property
    def wraps(self) -> bool:
        """Text wraps inside the column (and decides the row's height)."""
        return bool(self.alignment and self.alignment.wrap_text)

    @property
    def bold(self) -> bool:
        """Bold text is wider."""
        return bool(self.font and self.font.bold)

    @property
    def size(self) -> float:
        """The text's size in points."""
        return self.font.size if self.font else SIZE

    @property
    def properties(self) -> dict[str, Any]:
        """The look as XlsxWriter format properties."""
        font, fill, where = self.font, self.fill, self.alignment or Alignment()
        found: dict[str, Any] = {
            "num_format": self.number_format, "align": where.horizontal,
            "valign": where.vertical, "text_wrap": where.wrap_text,
            "rotation": where.text_rotation, "bg_color": fill and f"#{fill.color}"}
        if font:
            found |= {"font_name": font.name, "font_size": font.size, "bold": font.bold,
                      "italic": font.italic, "font_color": font.color and f"#{font.color}"}
        return {key: value for key, value in found.items() if value}


TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top")
CENTRED = Look(alignment=CENTRE)
HEADER_FILL = Fill("1F4E78")
STATUS_COLOURS = {Status.MET: "C6EFCE", Status.IMPROVING: "FFEB9C",
                  Status.NOT_IMPROVING: "FFC7CE", Status.NO_DATA: "D9D9D9",
                  Status.NOT_JUDGED: "EDEDED"}

TEXT = Look(alignment=WRAP)
PLAIN = Look()  # one line that may run on into empty cells to its right
NUMBER = Look(alignment=TOP, number_format="#,##0.0")  # grouped: 6 189,8 in Swedish Excel
SIGNED = Look(alignment=TOP, number_format="+#,##0.0;-#,##0.0;0.0")
FINE = Look(alignment=TOP, number_format="+#,##0.0##;-#,##0.0##;0.0")  # a change below 0,05


def signed(value: float | None) -> tuple[float | None, Look]:
    """A change with one decimal, or up to three when one would show it as +0,0 (so the
    number agrees with a status such as 'på väg')."""
    return value, FINE if value and abs(value) < 0.05 else SIGNED
PERCENT = Look(alignment=TOP, number_format="0%")
INTEGER = Look(alignment=TOP, number_format="0")
HEADER = Look(Font(bold=True, color="FFFFFF"), HEADER_FILL, WRAP)
TITLE = Look(Font(size=14, bold=True))
WRAPPED_TITLE = Look(TITLE.font, alignment=WRAP)
HEADING = Look(Font(size=12, bold=True))
BOLD_TEXT = Look(Font(bold=True), alignment=WRAP)
NOTE = Look(Font(italic=True, color="404040"))
NOTE_TEXT = Look(NOTE.font, alignment=WRAP)
STATUS = {s: Look(fill=Fill(c), alignment=WRAP) for s, c in STATUS_COLOURS.items()}
STATUS_MARK = {s: Look(fill=Fill(c), alignment=CENTRE) for s, c in STATUS_COLOURS.items()}


@lru_cache(maxsize=4096)
def lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines a text wraps to in a column `width` characters wide (an estimate on
    the safe side: Arial's letters are mostly narrower than the digits Excel measures by)."""
    capacity = max(1, int(width * (0.95 if bold else 1.15)))
    return sum(len(_wrapped(part.split(), capacity)) for part in text.split("\n"))


def _wrapped(words: list[str], capacity: int) -> list[list[str]]:
    """Words filled greedily into lines of `capacity` characters (a longer word is broken
    over as many lines as it needs)."""
    found: list[list[str]] = [[]]
    used = 0
    for word in words:
        if used and used + 1 + len(word) > capacity:
            found.append([])
            used = 0
        found[-1].append(word)
        used += len(word) + (1 if used else 0)
        while used > capacity:
            found.append([])
            used -= capacity
    return found


@lru_cache(maxsize=512)
def chunks(text: str, width: float, most: int = MAX_LINES) -> tuple[str, ...]:
    """A long text split at word ends into pieces of at most `most` lines, so that no row
    needs more than Excel's largest row height (line breaks of the text are kept)."""
    capacity = max(1, int(width * 1.15))
    rows = [(n, " ".join(line)) for n, part in enumerate(text.split("\n"))
            for line in _wrapped(part.split(), capacity)]
    pieces = ["\n".join(" ".join(words for _, words in paragraph) for _, paragraph in
                         groupby(rows[start:start + most], key=itemgetter(0)))
              for start in range(0, len(rows), most)]
    return tuple(piece.strip() for piece in pieces if piece.strip()) or ("",)


def text(value: str) -> str:
    """Text Excel can store: nothing XML cannot hold, at most 32767 characters."""
    return ILLEGAL.sub("", value)[:MAX_TEXT]


class Drawing(Protocol):
    """Something drawn on a sheet (a chart), made by the workbook that holds it."""

    def draw(self, book: Workbook) -> Chart:
        """The XlsxWriter chart."""
        ...


class Styles:
    """A workbook's cell formats: the format of each look, made once."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.known: dict[int, Format] = {}

    def format(self, look: Look) -> Format:
        """The cell format of a look."""
        found = self.known.get(id(look))
        if found is None:
            found = self.known[id(look)] = self.book.add_format(look.properties)
        return found


@dataclass
class Sheet:
    """One worksheet being written: its column widths, the formats of its workbook, and the
    height each row needs. Rows and columns count from 1, as Excel shows them."""

    ws: Worksheet
    widths: Sequence[float]
    styles: Styles
    needed: dict[int, int] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Column widths as given, in the file (`set_column` would add 5 px of padding, and
        the printed layout in paper.py was measured without)."""
        for column, width in enumerate(self.widths):
            self.ws.set_column_pixels(column, column, round(width * DIGIT))

    @property
    def title(self) -> str:
        """The sheet's name."""
        return str(self.ws.name)  # xlsxwriter is untyped

    def put(self, row: int, column: int, value: Any, look: Look = TEXT) -> None:
        """One cell; None or a non-finite number writes nothing (fewer cells to save)."""
        if isinstance(value, str):
            value = text(value)
            if look.wraps:
                self.fit(row, lines(value, self.widths[column - 1], look.bold))
        self._store(row, column, value, look)

    def row(self, row: int, cells: Iterable[tuple[Any, Look]], first: int = 1) -> None:
        """Cells side by side from column `first`."""
        for column, (value, look) in enumerate(cells, first):
            self.put(row, column, value, look)

    def span(self, row: int, first: int, last: int, value: str | None, look: Look = TEXT
             ) -> None:
        """Wrapped text across columns `first`..`last` (one merged cell)."""
        if value is None:
            return
        value = text(value)
        if last > first:
            self.ws.merge_range(row - 1, first - 1, row - 1, last - 1, "",
                                self.styles.format(look))
        self._store(row, first, value, look)
        larger = look.size / SIZE
        width = sum(self.widths[first - 1:last]) / larger
        self.fit(row, math.ceil(lines(value, width, look.bold) * larger))

    def header(self, row: int, names: Iterable[str], first: int = 1) -> None:
        """A header row: white bold on blue, wrapped to its full height."""
        self.row(row, ((name, HEADER) for name in names), first)

    def fit(self, row: int, count: int) -> None:
        """The row needs at least `count` lines."""
        self.needed[row] = max(count, self.needed.get(row, 1))

    def tall(self, row: int, points: float) -> None:
        """The row is `points` high (for text turned upright)."""
        self.heights[row] = points

    def freeze(self, row: int, column: int) -> None:
        """Rows above `row` and columns left of `column` stay in view."""
        self.ws.freeze_panes(row - 1, column - 1)

    def autofilter(self, top: int, bottom: int, columns: int) -> None:
        """Filter buttons on row `top` over columns 1..`columns`, rows down to `bottom`."""
        self.ws.autofilter(top - 1, 0, bottom - 1, columns - 1)

    def data_bar(self, column: int, first: int, last: int, colour: str) -> None:
        """A bar in each cell of the column from 0 (empty) to 1 (full) and beyond."""
        self.ws.conditional_format(first - 1, column - 1, last - 1, column - 1, {
            "type": "data_bar", "bar_color": f"#{colour}", "min_type": "num",
            "min_value": 0, "max_type": "num", "max_value": 1})

    def chart(self, drawing: Drawing, row: int, column: int) -> None:
        """A chart with its top left corner in the cell at `row`, `column`."""
        self.ws.insert_chart(row - 1, column - 1, drawing.draw(self.styles.book))

    def finish(self) -> None:
        """Give every row with wrapped text the height its lines need (at most 409 pt)."""
        for row, count in self.needed.items():
            if count > 1 and row not in self.heights:
                self.heights[row] = min(MAX_ROW, count * LINE + 2)
        for row, points in self.heights.items():
            self.ws.set_row(row - 1, points)

    def _store(self, row: int, column: int, value: Any, look: Look) -> None:
        """One cell: numbers as numbers, anything else as a string (never a formula); `str`
        values come here cleaned."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return
        style = self.styles.format(look)
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.ws.write_number(row - 1, column - 1, value, style)
        else:
            words = value if isinstance(value, str) else text(str(value))
            self.ws.write_string(row - 1, column - 1, words, style)
