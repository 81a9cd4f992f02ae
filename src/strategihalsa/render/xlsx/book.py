"""The workbook: openpyxl writes its frame (styles, sheet settings, merged cells, print
setup, charts) and each `Sheet` its cells, which are put into the sheet's XML on save.

Saving that way takes a fraction of the time openpyxl's own cell writer needs, which made
large batches slow. `Book.save` behaves as openpyxl's: a path or a binary stream.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.writer.excel import ExcelWriter

from strategihalsa.render.xlsx.cells import FONT, SIZE, Sheet, Styles
from strategihalsa.render.xlsx.charts import LineChartXml


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
        """Write the .xlsx file: openpyxl's, with the sheets' cells put in."""
        frame = io.BytesIO()
        with zipfile.ZipFile(frame, "w", zipfile.ZIP_STORED) as package:
            ExcelWriter(self, package).save()  # numbers the charts: their paths are known now
        parts = {f"xl/worksheets/sheet{self.worksheets.index(s.ws) + 1}.xml": s.fill
                 for s in self.sheets}
        parts |= {chart.path.lstrip("/"): _replaced_by(chart.xml) for s in self.sheets
                  for chart in s.ws._charts if isinstance(chart, LineChartXml)}
        data = filled(frame.getvalue(), parts)
        if isinstance(filename, str | Path):
            Path(filename).write_bytes(data)
        else:
            filename.write(data)


def filled(package: bytes, parts: dict[str, Callable[[str], str]]) -> bytes:
    """The package, compressed, with the named parts' XML changed by their functions."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            change = parts.get(info.filename)
            if change is not None:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, content)
    return out.getvalue()


def _replaced_by(xml: str) -> Callable[[str], str]:
    return lambda _: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml
