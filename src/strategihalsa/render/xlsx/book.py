"""The workbook: XlsxWriter writes it in memory, each `Sheet` its cells, formats, print
setup and charts, through XlsxWriter's public API. `Book.save` writes the finished file to a
path or a binary stream."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from xlsxwriter import Workbook

from strategihalsa.render.xlsx.cells import DEFAULT_ROW, FONT, SIZE, Sheet, Styles

OPTIONS = {
    "in_memory": True,  # no temporary files
    # 10 pt Arial as the workbook's own font (not the theme's), rows 12.75 pt (17 px) high
    "default_format_properties": {"font_name": FONT, "font_size": SIZE, "font_scheme": "none"},
    "default_row_height": round(DEFAULT_ROW * 4 / 3),
    "default_column_width": 64,  # 7 px per character, as for Calibri 11
}


class Book:
    """A workbook of `Sheet`s whose default font is 10 pt Arial."""

    def __init__(self) -> None:
        self.stream = io.BytesIO()
        self.workbook = Workbook(self.stream, OPTIONS)
        self.styles = Styles(self.workbook)
        self.sheets: list[Sheet] = []

    def sheet(self, title: str, widths: Sequence[float]) -> Sheet:
        """A new sheet with its column widths."""
        self.sheets.append(Sheet(self.workbook.add_worksheet(title), widths, self.styles))
        return self.sheets[-1]

    def save(self, filename: str | Path | IO[bytes]) -> None:
        """Write the .xlsx file (a workbook is saved once)."""
        self.workbook.close()
        if isinstance(filename, str | Path):
            Path(filename).write_bytes(self.stream.getvalue())
        else:
            filename.write(self.stream.getvalue())
