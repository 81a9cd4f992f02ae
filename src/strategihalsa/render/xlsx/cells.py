"""Writing cells that read well on screen and on paper: a few fixed looks (one cell format
each per workbook), text that is always text, and row heights that fit the wrapped text.

A `Sheet` writes its cells' XML itself (openpyxl's per-cell objects and serialiser were most
of a workbook's time); `book.Book` puts that XML into the file openpyxl writes around it.
Every text cell is an inline string, so a title beginning with =, +, - or @ never becomes a
formula, and characters Excel cannot store (NUL, BEL, ESC, VT, ...) are dropped, whatever
reaches the writer. Row heights are estimated here because Excel and LibreOffice do not size
the rows of a generated file by themselves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from strategihalsa.vocabulary import Status

FONT = "Arial"  # the same metrics everywhere: Excel's Arial, LibreOffice's Liberation Sans
SIZE = 10
LINE = 13.0  # points per wrapped line of 10 pt Arial
DEFAULT_ROW = 12.75  # Excel's row for 10 pt Arial
MAX_ROW = 409.0  # Excel's largest row height
MAX_LINES = 24  # lines per row when a long text is split over several rows
MAX_TEXT = 32767  # characters Excel keeps in a cell
ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern + r"|[\x7f]")
EMPTY_ROWS = re.compile(r"<sheetData\s*>\s*</sheetData>|<sheetData\s*/>")
DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')
ENTITIES = {"\r": "&#13;"}  # a carriage return kept as one (XML readers drop a bare CR)


@dataclass(frozen=True, eq=False)
class Look:
    """A cell's style: font, fill, alignment and number format. Compared by identity, so
    each look is built once per workbook."""

    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    number_format: str = "General"

    @property
    def wraps(self) -> bool:
        """Text wraps inside the column (and decides the row's height)."""
        return bool(self.alignment and self.alignment.wrap_text)

    @property
    def bold(self) -> bool:
        """Bold text is wider."""
        return bool(self.font and self.font.b)


TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top")
CENTRED = Look(alignment=CENTRE)
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
STATUS_COLOURS = {Status.MET: "C6EFCE", Status.IMPROVING: "FFEB9C",
                  Status.NOT_IMPROVING: "FFC7CE", Status.NO_DATA: "D9D9D9"}

TEXT = Look(alignment=WRAP)
PLAIN = Look()  # one line that may run on into empty cells to its right
NUMBER = Look(alignment=TOP, number_format="0.0")
SIGNED = Look(alignment=TOP, number_format="+0.0;-0.0;0.0")
FINE = Look(alignment=TOP, number_format="+0.0##;-0.0##;0.0")  # a change below 0,05


def signed(value: float | None) -> tuple[float | None, Look]:
    """A change with one decimal, or up to three when one would show it as +0,0 (so the
    number agrees with a status such as 'på väg')."""
    return value, FINE if value and abs(value) < 0.05 else SIGNED
PERCENT = Look(alignment=TOP, number_format="0%")
INTEGER = Look(alignment=TOP, number_format="0")
HEADER = Look(Font(FONT, SIZE, bold=True, color="FFFFFF"), HEADER_FILL, WRAP)
TITLE = Look(Font(FONT, 14, bold=True))
WRAPPED_TITLE = Look(TITLE.font, alignment=WRAP)
HEADING = Look(Font(FONT, 12, bold=True))
BOLD = Look(Font(FONT, SIZE, bold=True))
BOLD_TEXT = Look(Font(FONT, SIZE, bold=True), alignment=WRAP)
NOTE = Look(Font(FONT, SIZE, italic=True, color="404040"))
NOTE_TEXT = Look(NOTE.font, alignment=WRAP)
STATUS = {s: Look(fill=PatternFill("solid", fgColor=c), alignment=WRAP)
          for s, c in STATUS_COLOURS.items()}
STATUS_MARK = {s: Look(fill=PatternFill("solid", fgColor=c), alignment=CENTRE)
               for s, c in STATUS_COLOURS.items()}


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
    """Text Excel can store: no control characters, at most 32767 characters."""
    return ILLEGAL.sub("", value)[:MAX_TEXT]


class Styles:
    """A workbook's cell formats: the index of each look's format, made once."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.known: dict[int, int] = {}

    def index(self, look: Look) -> int:
        """The cell format (xf) index of a look."""
        found = self.known.get(id(look))
        if found is None:
            found = self.known[id(look)] = self.book._cell_styles.add(self._array(look))
        return found

    def _array(self, look: Look) -> StyleArray:
        book, style = self.book, StyleArray()
        if look.font:
            style.fontId = book._fonts.add(look.font)
        if look.fill:
            style.fillId = book._fills.add(look.fill)
        if look.alignment:
            style.alignmentId = book._alignments.add(look.alignment)
        known = BUILTIN_FORMATS_REVERSE.get(look.number_format)
        style.numFmtId = known if known is not None else (
            book._number_formats.add(look.number_format) + BUILTIN_FORMATS_MAX_SIZE)
        return style


def cell_xml(reference: str, style: int, value: Any) -> str:
    """One cell: text as an inline string (never a formula), numbers as numbers."""
    if isinstance(value, str):
        return (f'<c r="{reference}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                f'{escape(value, ENTITIES)}</t></is></c>')
    return f'<c r="{reference}" s="{style}"><v>{value!r}</v></c>'


@dataclass
class Sheet:
    """One worksheet being written: its column widths, its cells (as XML, by row and
    column), and the height each row needs. openpyxl's worksheet `ws` keeps the rest
    (widths, merged cells, print setup, charts)."""

    ws: Worksheet
    widths: Sequence[float]
    styles: Styles
    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    needed: dict[int, int] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ws.sheet_format.defaultRowHeight = DEFAULT_ROW
        for column, width in enumerate(self.widths, 1):
            self.ws.column_dimensions[get_column_letter(column)].width = width

    def put(self, row: int, column: int, value: Any, look: Look = TEXT) -> None:
        """One cell; None or a non-finite number writes nothing (fewer cells to save)."""
        if isinstance(value, str) and look.wraps:
            self.fit(row, lines(text(value), self.widths[column - 1], look.bold))
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
        self._store(row, first, value, look)
        self.ws.merged_cells.add(CellRange(min_row=row, max_row=row, min_col=first,
                                           max_col=last))  # the others stay empty
        larger = (look.font.sz if look.font else SIZE) / SIZE
        width = sum(self.widths[first - 1:last]) / larger
        self.needed[row] = max(self.needed.get(row, 1),
                               math.ceil(lines(text(value), width, look.bold) * larger))

    def header(self, row: int, names: Iterable[str], first: int = 1) -> None:
        """A header row: white bold on blue, wrapped to its full height."""
        self.row(row, ((name, HEADER) for name in names), first)

    def fit(self, row: int, count: int) -> None:
        """The row needs at least `count` lines."""
        self.needed[row] = max(count, self.needed.get(row, 1))

    def tall(self, row: int, points: float) -> None:
        """The row is `points` high (for text turned upright)."""
        self.heights[row] = points

    def finish(self) -> None:
        """Give every row with wrapped text the height its lines need (at most 409 pt)."""
        for row, count in self.needed.items():
            if count > 1 and row not in self.heights:
                self.heights[row] = min(MAX_ROW, count * LINE + 2)

    @property
    def xml(self) -> str:
        """The sheet's rows, as the <sheetData> of its worksheet XML."""
        return "".join(f'<row r="{row}"{self._height(row)}>'
                       f'{"".join(cells[c] for c in sorted(cells))}</row>'
                       for row, cells in sorted(self.cells.items()))

    @property
    def dimension(self) -> str:
        """The range the cells cover, e.g. 'A1:Y29'."""
        if not self.cells:
            return "A1:A1"
        last = max(max(cells) for cells in self.cells.values())
        return f"A1:{get_column_letter(last)}{max(self.cells)}"

    def fill(self, xml: str) -> str:
        """The worksheet XML openpyxl wrote (with no cells) with this sheet's rows in it."""
        xml, rows = EMPTY_ROWS.subn(lambda _: f"<sheetData>{self.xml}</sheetData>", xml,
                                    count=1)
        if rows != 1:
            raise ValueError(f"sheet {self.ws.title!r}: openpyxl wrote cells of its own")
        return DIMENSION.sub(f'<dimension ref="{self.dimension}" />', xml, count=1)

    def _store(self, row: int, column: int, value: Any, look: Look) -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return
        if isinstance(value, str):
            value = text(value)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            value = str(value)
        reference = f"{get_column_letter(column)}{row}"
        self.cells.setdefault(row, {})[column] = cell_xml(reference, self.styles.index(look),
                                                          value)

    def _height(self, row: int) -> str:
        height = self.heights.get(row)
        return f' ht="{height:g}" customHeight="1"' if height else ""
