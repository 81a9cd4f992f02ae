"""Line charts that tell the truth: a marker on every value (an isolated year is seen),
straight segments between them, gaps spanned, each unit in its own colour and marker shape
(readable in black and white), the target level as a dashed line, and a value axis with
round steps. XlsxWriter writes them as native Excel charts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook

from strategihalsa.render.xlsx.cells import FONT, SIZE, text
from strategihalsa.vocabulary import Role

# role → line colour, marker shape, line width (points); None is the target level
LOOKS: dict[Role | None, tuple[str, str, float]] = {
    Role.UNIT: ("1F4E78", "circle", 2.5),
    Role.REGION: ("ED7D31", "square", 1.5),
    Role.RIKET: ("595959", "triangle", 1.5),
    Role.SIMILAR: ("70AD47", "diamond", 1.5),
    None: ("C00000", "none", 1.5),
}
WIDTH_CM, HEIGHT_CM = 13.0, 6.2
PIXELS_PER_CM = 96 / 2.54
LABELS = {"name": FONT, "size": SIZE}  # axis labels and the legend
# a name XlsxWriter would take for a reference to a cell rather than for words
REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")


@dataclass(frozen=True)
class Line:
    """One line of a chart: its name, the sheet row holding its values, whose it is."""

    name: str
    row: int
    role: Role | None


@dataclass(frozen=True)
class Span:
    """Where a chart's values are: the sheet, the header row of the years, and the columns
    (counted from 1) of the first and last year drawn."""

    sheet: str
    header_row: int
    first: int
    last: int

    def row(self, row: int) -> str:
        """A reference to one row of the span."""
        first, last = xl_col_to_name(self.first - 1), xl_col_to_name(self.last - 1)
        return f"='{self.sheet}'!${first}${row}:${last}${row}"


@dataclass(frozen=True)
class LineChart:
    """A line chart of yearly series, the target level dashed; the value axis from `low` to
    `high` in steps of `step`."""

    title: str
    span: Span
    lines: Sequence[Line]
    low: float
    high: float
    step: float

    def draw(self, book: Workbook) -> Chart:
        """The chart, made by the workbook that holds it."""
        chart = book.add_chart({"type": "line"})
        for line in self.lines:
            chart.add_series(_series(line, self.span))
        chart.set_title({"name": words(self.title), "overlay": False,
                         "name_font": {"name": FONT, "size": 10.5, "bold": True}})
        chart.set_x_axis({"label_position": "low", "num_font": LABELS})
        chart.set_y_axis({"min": self.low, "max": self.high, "major_unit": self.step,
                          "num_format": "General", "num_font": LABELS,
                          "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "right", "font": LABELS})
        chart.show_blanks_as("span")
        chart.set_size({"width": round(WIDTH_CM * PIXELS_PER_CM),
                        "height": round(HEIGHT_CM * PIXELS_PER_CM)})
        return chart


def line_chart(title: str, span: Span, lines: Sequence[Line], values: Sequence[float]
               ) -> LineChart:
    """A line chart of yearly series, the target level dashed; the value axis spans
    `values` with round steps (the same in Excel and LibreOffice)."""
    return LineChart(title, span, lines, *axis_range(values))


def _series(line: Line, span: Span) -> dict[str, Any]:
    """One line: its name, colour, marker, the years and values, never smoothed."""
    colour, symbol, width = LOOKS[line.role]
    solid = {"color": f"#{colour}"}
    marker = {"type": symbol} if line.role is None else {
        "type": symbol, "size": 6, "fill": solid, "border": solid}
    return {"name": words(line.name), "categories": span.row(span.header_row),
            "values": span.row(line.row), "smooth": False, "marker": marker,
            "line": {**solid, "width": width,
                     "dash_type": "dash" if line.role is None else "solid"}}


def words(name: str) -> str:
    """A title or name as words: cleaned, and never read as a reference to a cell (a word
    joiner, which nobody sees, after its '!')."""
    cleaned = text(name)
    return cleaned.replace("!", "!\u2060", 1) if REFERENCE.match(cleaned) else cleaned


def axis_range(values: Sequence[float]) -> tuple[float, float, float]:
    """Round bounds and step around the values: about five steps, zero kept as the floor
    of values that are all positive, and flat data not squeezed into a line."""
    low, high = min(values), max(values)
    step = nice_step((max(high - low, abs(high) * 0.02) or 1.0) / 4)
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    if top == bottom:
        top += step
    return (0.0 if low >= 0 > bottom else bottom), top, step


def nice_step(rough: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least `rough`."""
    power: float = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
