"""Writing cells that read well on screen and on paper: a few fixed looks (styles built once
per workbook), text that is always text, row heights that fit the wrapped text, and a print
layout that keeps the printed text legible.

Every text cell is stored as text, so a title beginning with =, +, - or @ never becomes a
formula, and characters Excel cannot store (NUL, BEL, ESC, VT, ...) are dropped, whatever
reaches the writer. Row heights are estimated here because Excel and LibreOffice do not size
rows of a generated file by themselves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from strategihalsa.vocabulary import Status

FONT = "Arial"  # the same metrics everywhere: Excel's Arial, LibreOffice's Liberation Sans
SIZE = 10
LINE = 13.0  # points per wrapped line of 10 pt Arial
DEFAULT_ROW = 12.75  # Excel's row for 10 pt Arial
MAX_ROW = 409.0  # Excel's largest row height
MAX_LINES = 24  # lines per row when a long text is split over several rows
MAX_TEXT = 32767  # characters Excel keeps in a cell
PAGE = {"landscape": (841.9, 595.3), "portrait": (595.3, 841.9)}  # A4 in points
MARGINS = {"left": 0.3, "right": 0.3, "top": 0.6, "bottom": 0.6, "header": 0.25,
           "footer": 0.25}  # inches
ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern + r"|[\x7f]")


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


def new_book() -> Workbook:
    """An empty workbook whose default font is 10 pt Arial."""
    book = Workbook()
    body = Font(FONT, SIZE, family=2)
    book._fonts = IndexedList([body])
    book._named_styles["Normal"].font = body
    return book


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


@dataclass
class Sheet:
    """One worksheet being written: its column widths, the looks already styled in this
    workbook, and the lines each row needs."""

    ws: Worksheet
    widths: Sequence[float]
    styles: dict[int, Any]
    needed: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ws.sheet_format.defaultRowHeight = DEFAULT_ROW
        for column, width in enumerate(self.widths, 1):
            self.ws.column_dimensions[get_column_letter(column)].width = width

    def put(self, row: int, column: int, value: Any, look: Look = TEXT) -> None:
        """One cell; None or a non-finite number writes nothing (fewer cells to save)."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return
        cell = self.ws.cell(row=row, column=column)
        if isinstance(value, str):
            value = text(value)
            cell.value, cell.data_type = value, "s"
            if look.wraps:
                self.fit(row, lines(value, self.widths[column - 1], look.bold))
        else:
            cell.value = value
        self._style(cell, look)

    def row(self, row: int, cells: Iterable[tuple[Any, Look]], first: int = 1) -> None:
        """Cells side by side from column `first`."""
        for column, (value, look) in enumerate(cells, first):
            self.put(row, column, value, look)

    def span(self, row: int, first: int, last: int, value: str | None, look: Look = TEXT
             ) -> None:
        """Wrapped text across columns `first`..`last` (one merged cell)."""
        if value is None:
            return
        self.put(row, first, value, PLAIN)
        self._style(self.ws.cell(row=row, column=first), look)
        self.ws.merged_cells.add(CellRange(min_row=row, max_row=row, min_col=first,
                                           max_col=last))  # the others stay empty
        larger = (look.font.sz if look.font else SIZE) / SIZE
        width = sum(self.widths[first - 1:last]) / larger
        self.fit(row, math.ceil(lines(text(value), width, look.bold) * larger))

    def header(self, row: int, names: Iterable[str], first: int = 1) -> None:
        """A header row: white bold on blue, wrapped to its full height."""
        self.row(row, ((name, HEADER) for name in names), first)

    def fit(self, row: int, count: int) -> None:
        """The row needs at least `count` lines."""
        self.needed[row] = max(count, self.needed.get(row, 1))

    def finish(self) -> None:
        """Give every row with wrapped text the height its lines need (at most 409 pt)."""
        for row, count in self.needed.items():
            if count > 1:
                self.ws.row_dimensions[row].height = min(MAX_ROW, count * LINE + 2)

    def _style(self, cell: Any, look: Look) -> None:
        style = self.styles.get(id(look))
        if style is not None:
            cell._style = copy(style)
            return
        for name in ("font", "fill", "alignment"):
            if getattr(look, name) is not None:
                setattr(cell, name, getattr(look, name))
        cell.number_format = look.number_format
        self.styles[id(look)] = copy(cell._style)


def column_points(width: float) -> float:
    """A column's printed width in points: the wider of Excel's (7 px per character plus
    5 px) and LibreOffice's (5.55 pt per character)."""
    return max((width * 7 + 5) * 0.75, width * 5.55)


@dataclass(frozen=True)
class Paper:
    """How a sheet prints: A4, repeated header rows (and columns), manual page breaks, and
    the largest scale at which the widest printed part fits the page width."""

    title_rows: str = ""
    title_columns: int = 0  # columns 1..n repeat on every printed part
    parts_after: tuple[int, ...] = ()  # a new printed part after these columns
    breaks_after: tuple[int, ...] = ()  # a new page after these rows
    orientation: str = "landscape"
    header: str = ""
    footer: str = ""
    beside: float = 0.0  # points of drawings to the right of the columns
    tall: float = 0.0  # points of the sheet that must fit one page, top to bottom

    def apply(self, sheet: Sheet) -> int:
        """Set the sheet up for printing; the scale in per cent."""
        ws, setup = sheet.ws, sheet.ws.page_setup
        setup.orientation, setup.paperSize = self.orientation, ws.PAPERSIZE_A4
        setup.scale = self.scale(sheet.widths)
        setup.pageOrder = "overThenDown"
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        for name, inches in MARGINS.items():
            setattr(ws.page_margins, name, inches)
        self._titles(ws)
        self._breaks(ws)
        ws.oddHeader.left.text = text(self.header).replace("&", "&&")
        ws.oddFooter.left.text = text(self.footer).replace("&", "&&") or None
        for part in (ws.oddHeader.left, ws.oddHeader.right, ws.oddFooter.left,
                     ws.oddFooter.right):
            part.font, part.size = FONT, SIZE
        ws.oddHeader.right.text = "&A"
        ws.oddFooter.right.text = "Sida &P av &N"
        return setup.scale

    def scale(self, widths: Sequence[float]) -> int:
        """The largest whole per cent at which every printed part fits the page width."""
        usable = PAGE[self.orientation][0] - 72 * (MARGINS["left"] + MARGINS["right"])
        titles = sum(column_points(w) for w in widths[:self.title_columns])
        edges = [self.title_columns, *self.parts_after, len(widths)]
        parts = [sum(column_points(w) for w in widths[a:b]) for a, b in pairwise(edges)]
        widest = titles + max(parts) + self.beside
        fits = [100 * usable / widest, 100 * self._usable_height / (self.tall or 1)]
        return max(10, min(100, math.floor(min(fits))))

    @property
    def _usable_height(self) -> float:
        return PAGE[self.orientation][1] - 72 * (MARGINS["top"] + MARGINS["bottom"])

    def height(self, widths: Sequence[float]) -> float:
        """How many points of the sheet fit on one printed page, top to bottom."""
        return self._usable_height * 100 / self.scale(widths)

    def _titles(self, ws: Worksheet) -> None:
        if self.title_rows:
            ws.print_title_rows = self.title_rows
        if self.title_columns:
            ws.print_title_cols = f"A:{get_column_letter(self.title_columns)}"

    def _breaks(self, ws: Worksheet) -> None:
        for column in self.parts_after:
            ws.col_breaks.append(Break(id=column))
        for row in self.breaks_after:
            ws.row_breaks.append(Break(id=row))
