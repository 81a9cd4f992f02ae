"""How a sheet prints: A4, the largest scale at which its widest printed part still fits
the page (so 10 pt text prints at 8 pt or more), repeated header rows and columns, manual
page breaks, and a page header and footer (report, sheet, source, page numbers)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from strategihalsa.render.xlsx.cells import FONT, SIZE, Sheet, text

PAGE = {"landscape": (841.9, 595.3), "portrait": (595.3, 841.9)}  # A4 in points
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
        ws, setup = sheet.ws, sheet.ws.page_setup
        setup.orientation, setup.paperSize = self.orientation, ws.PAPERSIZE_A4
        setup.scale = self.scale(sheet.widths)
        setup.pageOrder = "overThenDown"
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        for name, inches in MARGINS.items():
            setattr(ws.page_margins, name, inches)
        self._titles(ws)
        self._breaks(ws)
        self._header_footer(ws)
        return setup.scale

    def _header_footer(self, ws: Worksheet) -> None:
        """The report on the left, the sheet on the right; the source and page below."""
        ws.oddHeader.left.text = text(self.header).replace("&", "&&")
        ws.oddHeader.right.text = "&A"
        ws.oddFooter.left.text = text(self.footer).replace("&", "&&") or None
        ws.oddFooter.right.text = "Sida &P av &N"
        for part in (ws.oddHeader.left, ws.oddHeader.right, ws.oddFooter.left,
                     ws.oddFooter.right):
            part.font, part.size = FONT, SIZE

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
