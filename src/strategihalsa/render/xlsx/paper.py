"""How a sheet prints: A4, the largest scale at which its widest printed part still fits
the page (so 10 pt text prints at 8 pt or more), repeated header rows and columns, manual
page breaks, and a page header and footer (report, sheet, source, page numbers)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from xlsxwriter.worksheet import Worksheet

from strategihalsa.render.xlsx.cells import FONT, SIZE, Sheet, text

PAGE = {"landscape": (841.9, 595.3), "portrait": (595.3, 841.9)}  # A4 in points
A4 = 9  # Excel's paper size code
HEADER_ROOM = 255  # characters Excel keeps of a page header or footer, codes included
FONT_CODE = f'&"{FONT},Regular"&{SIZE} '  # the space ends the size before any digit
MARGINS = {"left": 0.3, "right": 0.3, "top": 0.6, "bottom": 0.6, "header": 0.25,
           "footer": 0.25}  # inches


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
        ws, scale = sheet.ws, self.scale(sheet.widths)
        self._page(ws, scale)
        self._titles(ws)
        ws.set_h_pagebreaks(list(self.breaks_after))
        ws.set_v_pagebreaks(list(self.parts_after))
        self._header_footer(ws)
        return scale

    def _page(self, ws: Worksheet, scale: int) -> None:
        """A4 at `scale` per cent, its margins, printed across before down."""
        ws.set_paper(A4)
        (ws.set_landscape if self.orientation == "landscape" else ws.set_portrait)()
        ws.set_print_scale(scale)
        ws.print_across()
        ws.set_margins(*(MARGINS[side] for side in ("left", "right", "top", "bottom")))

    def _header_footer(self, ws: Worksheet) -> None:
        """The report on the left, the sheet on the right; the source and page below."""
        ws.set_header(_header(self.header, "&A"), {"margin": MARGINS["header"]})
        ws.set_footer(_header(self.footer, "Sida &P av &N"), {"margin": MARGINS["footer"]})

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
            first, last = (int(row) - 1 for row in self.title_rows.split(":"))
            ws.repeat_rows(first, last)
        if self.title_columns:
            ws.repeat_columns(0, self.title_columns - 1)


def parts_that_fit(widths: Sequence[float], title_columns: int, orientation: str,
                   smallest: int) -> tuple[int, ...]:
    """Where new printed parts start (after these columns) so that each part, with the title
    columns repeated, fits the page width at `smallest` per cent."""
    room = (PAGE[orientation][0] - 72 * (MARGINS["left"] + MARGINS["right"])) * 100 / smallest
    room -= sum(column_points(w) for w in widths[:title_columns])
    edges, used = [], 0.0
    for column in range(title_columns, len(widths)):
        points = column_points(widths[column])
        if used and used + points > room:
            edges.append(column)
            used = 0.0
        used += points
    return tuple(edges)


def _header(left: str, right: str) -> str:
    """A page header or footer: `left` (words, cut to what Excel keeps) and `right` (Excel's
    codes), both in 10 pt Arial."""
    right = f"&R{FONT_CODE}{right}"
    words = text(left)[:HEADER_ROOM]
    while words and _length(f"&L{FONT_CODE}{words.replace('&', '&&')}{right}") > HEADER_ROOM:
        words = words[:-1]
    return f"&L{FONT_CODE}{words.replace('&', '&&')}{right}" if words else right


def _length(codes: str) -> int:
    """Characters as Excel counts them (UTF-16 code units)."""
    return len(codes.encode("utf-16-le")) // 2
