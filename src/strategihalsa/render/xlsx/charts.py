"""Line charts that tell the truth: a marker on every value (an isolated year is seen),
straight segments between them (smooth off, written out, as LibreOffice otherwise curves
them), gaps spanned, each unit in its own colour and marker shape (readable in black and
white), and the target level as a dashed line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.drawing.text import Font as Typeface
from openpyxl.drawing.text import RegularTextRun as Run

from strategihalsa.render.xlsx.cells import FONT
from strategihalsa.vocabulary import Role

# role → line colour, marker shape, line width (EMU); None is the target level
LOOKS: dict[Role | None, tuple[str, str, int]] = {
    Role.UNIT: ("1F4E78", "circle", 31750),
    Role.REGION: ("ED7D31", "square", 19050),
    Role.RIKET: ("595959", "triangle", 19050),
    Role.SIMILAR: ("70AD47", "diamond", 19050),
    None: ("C00000", "none", 19050),
}
WIDTH_CM, HEIGHT_CM = 13.0, 6.2
TEXT_SIZE = 1000  # hundredths of a point: 10 pt labels and legend


@dataclass(frozen=True)
class Line:
    """One line of a chart: its name, its values (one row of the sheet) and whose it is."""

    name: str
    values: Reference
    role: Role | None


def line_chart(title: str, categories: Reference, lines: list[Line],
               values: Sequence[float]) -> LineChart:
    """A line chart of some yearly series, the target level dashed; the value axis spans
    `values` with round steps (the same in Excel and LibreOffice)."""
    chart = LineChart()
    chart.title = _title(title)
    chart.width, chart.height = WIDTH_CM, HEIGHT_CM
    chart.display_blanks = "span"
    chart.marker = True
    for line in lines:
        chart.series.append(_series(line))
    chart.set_categories(categories)
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = _text()
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = axis_range(
        values)
    chart.y_axis.numFmt = NumFmt(formatCode="General", sourceLinked=False)
    chart.legend.position = "r"
    chart.legend.txPr = _text()
    return chart


def axis_range(values: Sequence[float]) -> tuple[float, float, float]:
    """Round bounds and step around the values: about five steps, zero kept as the floor
    of values that are all positive and the data not squeezed into a flat line."""
    low, high = min(values), max(values)
    step = nice_step((max(high - low, abs(high) * 0.02) or 1.0) / 4)
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    if top == bottom:
        top += step
    return (0.0 if low >= 0 > bottom else bottom), top, step


def nice_step(rough: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least `rough`."""
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def _series(line: Line) -> Series:
    colour, symbol, width = LOOKS[line.role]
    series = Series(line.values, title=line.name)
    series.smooth = False
    series.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.width = width
    series.marker.symbol = symbol
    if line.role is None:
        series.graphicalProperties.line.dashStyle = "dash"
    else:
        series.marker.size = 6
        series.marker.graphicalProperties = GraphicalProperties(solidFill=colour)
        series.marker.graphicalProperties.line.solidFill = colour
    return series


def _properties(size: int, bold: bool = False) -> CharacterProperties:
    return CharacterProperties(latin=Typeface(typeface=FONT), sz=size, b=bold)


def _text(size: int = TEXT_SIZE) -> RichText:
    """Text properties of axis labels and the legend."""
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=_properties(size)),
                                 endParaRPr=_properties(size))])


def _title(words: str) -> Title:
    """A bold 10.5 pt title that wraps inside the chart."""
    bold = _properties(1050, bold=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=bold), r=[Run(rPr=bold, t=words)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)
