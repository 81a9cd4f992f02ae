"""The workbook: openpyxl writes its frame (styles, sheet settings, merged cells, print
setup, drawings) and each `Sheet` its cells, put into the sheet's XML as openpyxl writes it;
the charts go in as the XML `charts` wrote.

Saving that way takes a fraction of the time openpyxl's own cell and chart writers need,
which made large batches slow, and writes no temporary files. `Book.save` behaves as
openpyxl's: a path or a binary stream.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import tostring

from strategihalsa.render.xlsx.cells import FONT, SIZE, Sheet, Styles
from strategihalsa.render.xlsx.charts import LineChartXml

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class Book(Workbook):
    """A workbook of `Sheet`s whose default font is 10 pt Arial."""

    def __init__(self) -> None:
        super().__init__()
        body = Font(FONT, SIZE, family=2)
        self._fonts = IndexedList([body])
        self._named_styles["Normal"].font = body
        self.styles = Styles(self)
        self.sheets: list[Sheet] = []

    def sheet(self, title: str, widths: Sequence[float]) -> Sheet:
        """A new sheet with its column widths (the first reuses the empty default sheet)."""
        ws = self.active if not self.sheets else self.create_sheet()
        ws.title = title
        self.sheets.append(Sheet(ws, widths, self.styles))
        return self.sheets[-1]

    def save(self, filename: str | Path | IO[bytes]) -> None:
        """Write the .xlsx file."""
        if isinstance(filename, str | Path):
            with open(filename, "wb") as stream:
                self.save(stream)
            return
        with zipfile.ZipFile(filename, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            Writer(self, archive).save()


class Writer(ExcelWriter):
    """openpyxl's writer, but a worksheet gets its `Sheet`'s rows as it is written (in
    memory, not through a temporary file) and a chart the XML it was made with."""

    def __init__(self, book: Book, archive: zipfile.ZipFile) -> None:
        super().__init__(book, archive)
        self.sheets = {id(sheet.ws): sheet for sheet in book.sheets}

    def write_worksheet(self, ws: Worksheet) -> None:
        """The worksheet's XML (openpyxl's, as in `ExcelWriter.write_worksheet`) with the
        sheet's rows in it."""
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts, ws._drawing.images = ws._charts, ws._images
        writer = WorksheetWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        xml = writer.out.getvalue().decode("utf-8")
        sheet = self.sheets.get(id(ws))
        self._archive.writestr(ws.path[1:], sheet.fill(xml) if sheet else xml)
        self.manifest.append(ws)

    def _write_charts(self) -> None:
        for chart in self._charts:
            xml = DECLARATION + chart.xml if isinstance(chart, LineChartXml) else tostring(
                chart._write())
            self._archive.writestr(chart.path[1:], xml)
            self.manifest.append(chart)
