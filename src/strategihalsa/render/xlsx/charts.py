"""Line charts that tell the truth: a marker on every value (an isolated year is seen),
straight segments between them (smooth off, written out, as LibreOffice otherwise curves
them), gaps spanned, each unit in its own colour and marker shape (readable in black and
white), the target level as a dashed line, and a value axis with round steps.

The chart XML (DrawingML) is written from a template rather than built from openpyxl's
chart objects: a report has a dozen charts and a batch hundreds of reports, and building
and serialising the object tree took most of a workbook's time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from openpyxl.chart._chart import ChartBase

from strategihalsa.render.xlsx.cells import FONT, text
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
NAMESPACES = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')


@dataclass(frozen=True)
class Line:
    """One line of a chart: its name, the sheet row holding its values, whose it is."""

    name: str
    row: int
    role: Role | None


@dataclass(frozen=True)
class Span:
    """Where a chart's values are: the sheet, the header row of the years, and the columns
    (as letters) of the first and last year drawn."""

    sheet: str
    header_row: int
    first: str
    last: str

    def row(self, row: int) -> str:
        """A reference to one row of the span."""
        return f"'{self.sheet}'!${self.first}${row}:${self.last}${row}"


class LineChartXml(ChartBase):
    """A chart whose XML is already written: openpyxl places it, `book.Writer` packages
    `xml` as it is (parsing and writing it again took longer than the rest of a chart)."""

    tagname = "lineChart"

    def __init__(self, xml: str) -> None:
        super().__init__()
        self.xml = xml
        self.width, self.height = WIDTH_CM, HEIGHT_CM

    def _write(self) -> Element:
        return Element("chartSpace")


def line_chart(title: str, span: Span, lines: Sequence[Line], values: Sequence[float]
               ) -> LineChartXml:
    """A line chart of yearly series, the target level dashed; the value axis spans
    `values` with round steps (the same in Excel and LibreOffice)."""
    series = "".join(_series(n, line, span) for n, line in enumerate(lines))
    return LineChartXml(
        f'<c:chartSpace {NAMESPACES}><c:roundedCorners val="0"/><c:chart>{_title(title)}'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:lineChart>'
        f'<c:grouping val="standard"/><c:varyColors val="0"/>{series}<c:marker val="1"/>'
        f'<c:axId val="10"/><c:axId val="100"/></c:lineChart>{CATEGORY_AXIS}'
        f'{_value_axis(*axis_range(values))}</c:plotArea><c:legend><c:legendPos val="r"/>'
        f'<c:overlay val="0"/>{_text()}</c:legend><c:plotVisOnly val="1"/>'
        '<c:dispBlanksAs val="span"/></c:chart></c:chartSpace>')


def _value_axis(low: float, high: float, step: float) -> str:
    return ('<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/>'
            f'<c:max val="{high:g}"/><c:min val="{low:g}"/></c:scaling><c:delete val="0"/>'
            '<c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="General" '
            'sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
            f'<c:tickLblPos val="nextTo"/>{_text()}<c:crossAx val="10"/>'
            '<c:crosses val="autoZero"/><c:crossBetween val="between"/>'
            f'<c:majorUnit val="{step:g}"/></c:valAx>')


def _series(n: int, line: Line, span: Span) -> str:
    """One line: its name, colour, marker, the years and values, and smooth off."""
    colour, symbol, width = LOOKS[line.role]
    dash = "dash" if line.role is None else "solid"
    marker = ('<c:symbol val="none"/>' if line.role is None else
              f'<c:symbol val="{symbol}"/><c:size val="6"/><c:spPr>{_fill(colour)}'
              f'<a:ln>{_fill(colour)}</a:ln></c:spPr>')
    return (f'<c:ser><c:idx val="{n}"/><c:order val="{n}"/><c:tx><c:v>{_escaped(line.name)}'
            f'</c:v></c:tx><c:spPr><a:ln w="{width}" cap="rnd">{_fill(colour)}'
            f'<a:prstDash val="{dash}"/><a:round/></a:ln></c:spPr><c:marker>{marker}'
            f'</c:marker><c:cat><c:strRef><c:f>{_escaped(span.row(span.header_row))}</c:f>'
            f'</c:strRef></c:cat><c:val><c:numRef><c:f>{_escaped(span.row(line.row))}</c:f>'
            '</c:numRef></c:val><c:smooth val="0"/></c:ser>')


def _fill(colour: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _escaped(words: str) -> str:
    return escape(text(words), {'"': "&quot;"})


def _text(size: int = 1000) -> str:
    """Text properties of axis labels and the legend: 10 pt Arial."""
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}">'
            f'<a:latin typeface="{FONT}"/></a:defRPr></a:pPr><a:endParaRPr lang="sv-SE"/>'
            '</a:p></c:txPr>')


CATEGORY_AXIS = (
    '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
    '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/>'
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
    f'{_text()}<c:crossAx val="100"/><c:crosses val="autoZero"/><c:auto val="1"/>'
    '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>')


def _title(words: str) -> str:
    """A bold 10.5 pt title that wraps inside the chart."""
    font = f'sz="1050" b="1"><a:latin typeface="{FONT}"/>'
    return (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr {font}'
            f'</a:defRPr></a:pPr><a:r><a:rPr lang="sv-SE" {font}</a:rPr><a:t>'
            f'{_escaped(words)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/>'
            '</c:title>')


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
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
