"""Charts as inline SVG, drawn by matplotlib (never by hand): one line chart per indicator
and a small box plot of a change's spread across kommuner.

Text stays text (`svg.fonttype = "none"`), so files stay small and print sharp. Every line
has a colour, a marker and a dash pattern of its own, and `Key` describes each for an HTML
legend, so no line is told apart by colour alone. matplotlib is imported on first use and
set up once per process.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any
from xml.etree import ElementTree

from strategihalsa.model import IndicatorResult, Spread
from strategihalsa.render import words
from strategihalsa.units import Unit
from strategihalsa.vocabulary import Role

SIZE = (6.4, 2.35)  # inches; scaled to the column width by CSS
PANELS = {1: [(0.085, 0.12, 0.9, 0.84)],
          2: [(0.085, 0.12, 0.6, 0.78), (0.72, 0.12, 0.265, 0.78)]}
SPREAD_SIZE = (2.6, 0.42)
FONT = ["DejaVu Sans", "Arial"]
MAX_PROJECTION = 6  # years drawn ahead of the latest value at most
TARGET_COLOUR = "#1a7f37"
GRID = "#e3e3e3"
NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
RC = {"svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": FONT,
      "font.size": 8.5, "axes.linewidth": 0.6, "xtick.major.width": 0.6,
      "ytick.major.width": 0.6, "axes.edgecolor": "#777777", "svg.hashsalt": "sfh"}


@dataclass(frozen=True)
class Style:
    """How one line looks: colour, marker (matplotlib and a text glyph), dashes, width."""

    colour: str
    marker: str
    glyph: str
    dashes: str = "-"
    width: float = 1.3
    size: float = 3.6


ROLE_STYLES = {
    Role.UNIT: Style("#0b4f8a", "o", "●", width=2.2, size=4.6),
    Role.REGION: Style("#c46a00", "s", "■"),
    Role.RIKET: Style("#4d4d4d", "^", "▲"),
    Role.SIMILAR: Style("#8e3b8a", "D", "◆", size=3.2),
}
GENDER_STYLES = {"K": Style("#c0392b", "v", "▼", ":", 1.1, 3.4),
                 "M": Style("#1f8fb8", "P", "✚", ":", 1.1, 3.4)}
TREND_STYLE = Style(ROLE_STYLES[Role.UNIT].colour, "", "", "--", 1.4)
LINE_GLYPHS = {"-": "━", ":": "┈", "--": "╌", "-.": "─·─"}


@dataclass(frozen=True)
class Key:
    """One legend entry: the text sample of the line ('━●━') and its colour and name."""

    sample: str
    colour: str
    label: str


@dataclass(frozen=True)
class Chart:
    """An SVG chart (markup without the XML prolog) and its legend."""

    svg: str
    keys: tuple[Key, ...]


def key(style: Style, label: str) -> Key:
    """The legend entry of a line drawn in `style`."""
    line = LINE_GLYPHS[style.dashes]
    return Key(f"{line}{style.glyph}{line}" if style.glyph else line * 2, style.colour, label)


@cache
def _matplotlib() -> Any:
    """matplotlib's Figure class, imported and configured once per process."""
    import matplotlib

    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    matplotlib.rcParams.update(RC)
    from matplotlib.figure import Figure

    return Figure


def comparison_lines(result: IndicatorResult, compared: dict[Role, Unit], unit: Unit
                     ) -> Iterator[tuple[dict[int, float], Style, str]]:
    """(series, style, label) of the left panel: the unit (or its region for a region-level
    key figure), then Riket, the region and the similar units where they have values."""
    for role, style in ROLE_STYLES.items():
        series = result.series.get(role) or {}
        if role is Role.UNIT:
            owner = compared.get(Role.REGION, unit) if result.region_level else unit
            yield series, style, words.series_label(role, owner, result.region_level)
        elif series and role in compared and not (result.region_level and role is Role.REGION):
            yield series, style, words.series_label(role, compared[role])


def gender_lines(result: IndicatorResult) -> Iterator[tuple[dict[int, float], Style, str]]:
    """(series, style, label) of women and men, where Kolada divides the key figure."""
    for gender, style in GENDER_STYLES.items():
        if result.gender_series.get(gender):
            yield result.gender_series[gender], style, words.GENDER_LABELS[gender].capitalize()


def projection(result: IndicatorResult, target_year: int) -> tuple[list[int], list[float]]:
    """The dashed trend from the latest value at the current pace, up to the year the
    target is reached (or the target year), at most MAX_PROJECTION years ahead."""
    latest, trend = result.figures.latest, result.projection
    if latest is None or trend is None or not result.figures.status.missed:
        return [], []
    end = trend.reaches_target_year or max(target_year, latest.year + 3)
    end = min(end, latest.year + MAX_PROJECTION)
    if end <= latest.year:
        return [], []
    return [latest.year, end], [latest.value, latest.value + trend.slope_per_year *
                                (end - latest.year)]


def indicator_chart(result: IndicatorResult, unit: Unit, compared: dict[Role, Unit],
                    target_year: int, salt: str) -> Chart:
    """The unit's yearly series against its comparisons (and, beside it, women and men),
    the baseline year, the target level and the projection."""
    genders = list(gender_lines(result))
    figure, panels = _canvas(2 if genders else 1)
    lines = list(comparison_lines(result, compared, unit))
    keys = [key(style, label) for _, style, label in _plot(panels[0], lines)]
    keys += _marks(panels[0], result, target_year)
    if genders:
        own = [(result.series.get(Role.UNIT) or {}, ROLE_STYLES[Role.UNIT], "")]
        keys += [key(style, label) for _, style, label in _plot(panels[1], own + genders)
                 if label]
        _marks(panels[1], replace(result, projection=None), target_year)
    for axes in panels:
        _finish_axes(axes)
    return Chart(_svg(figure, salt), tuple(keys))


@cache
def _canvas(count: int) -> tuple[Any, list[Any]]:
    """A figure with one panel, or two sharing the y axis; made once, reused per chart."""
    figure = _matplotlib()(figsize=SIZE)
    boxes = PANELS[count]
    first = figure.add_axes(boxes[0])
    panels = [first, *(figure.add_axes(box, sharey=first) for box in boxes[1:])]
    figure.patch.set_visible(False)
    for axes in panels:
        axes.patch.set_visible(False)
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        axes.tick_params(length=0, pad=3)
        axes.margins(x=0.03, y=0.12)
        axes.xaxis.set_label_coords(0.5, 0)  # no axis labels: skips placing them per draw
        axes.yaxis.set_label_coords(0, 0.5)
    if count > 1:
        panels[1].tick_params(labelleft=False)
        for axes, title in zip(panels, words.PANEL_TITLES, strict=True):
            axes.set_title(title, loc="left", fontsize=8, color="#444444", pad=3)
    return figure, panels


def _clear(axes: Any) -> None:
    """Remove the previous chart's lines and limits, keeping axes, ticks and styling."""
    for artist in [*axes.lines, *axes.texts]:
        artist.remove()
    axes.relim()
    axes.set_autoscale_on(True)


def _plot(axes: Any, lines: list[tuple[dict[int, float], Style, str]]
          ) -> Iterator[tuple[dict[int, float], Style, str]]:
    """Draw each line with values (straight segments, a marker on every value)."""
    _clear(axes)
    for series, style, label in lines:
        if series:
            years = sorted(series)
            axes.plot(years, [series[y] for y in years], color=style.colour,
                      marker=style.marker, markersize=style.size, linewidth=style.width,
                      linestyle=style.dashes, clip_on=False,
                      zorder=3 if style is ROLE_STYLES[Role.UNIT] else 2)
            yield series, style, label


def _marks(axes: Any, result: IndicatorResult, target_year: int) -> list[Key]:
    """The baseline year, the target level and the projection; their legend entries."""
    found = []
    fig = result.figures
    if fig.baseline:
        axes.axvline(fig.baseline.year, color="#999999", linewidth=0.8, zorder=1)
        found.append(Key("│", "#999999", f"{words.BASELINE.capitalize()} {fig.baseline.year}"))
    if fig.target_level is not None:
        axes.axhline(fig.target_level, color=TARGET_COLOUR, linestyle="-.", linewidth=1.1)
        found.append(Key(LINE_GLYPHS["-."], TARGET_COLOUR, f"{words.TARGET_LEVEL.capitalize()} "
                         f"{words.number(fig.target_level)}"))
    years, values = projection(result, target_year)
    if years:
        axes.plot(years, values, color=TREND_STYLE.colour, linestyle="--",
                  linewidth=TREND_STYLE.width)
        found.append(key(TREND_STYLE, words.TREND.capitalize()))
    return found


def _finish_axes(axes: Any) -> None:
    """Whole years on x, Swedish numbers on y."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    wide = axes.get_position().width > 0.5
    axes.xaxis.set_major_locator(MaxNLocator(9 if wide else 4, integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(5))
    decimals = _decimals(axes)
    axes.yaxis.set_major_formatter(FuncFormatter(
        lambda value, _: words.number(value, decimals=decimals)))


def _decimals(axes: Any) -> int:
    """Decimals the y ticks need: none for whole numbers, else one (two for small steps)."""
    ticks = axes.get_yticks()
    if all(float(t).is_integer() for t in ticks):
        return 0
    return 2 if len(ticks) > 1 and abs(ticks[1] - ticks[0]) < 0.1 else 1


def spread_chart(spread: Spread, target: float | None, salt: str) -> str:
    """A horizontal box plot of the change across units: whiskers at min and max, the box
    from Q1 to Q3, the median; zero and the target as reference lines."""
    figure = _matplotlib()(figsize=SPREAD_SIZE)
    figure.patch.set_visible(False)
    axes = figure.add_axes((0.04, 0.42, 0.92, 0.56))
    axes.patch.set_visible(False)
    stats = {"whislo": spread.min, "q1": spread.q1, "med": spread.median, "q3": spread.q3,
             "whishi": spread.max, "fliers": []}
    style = {"widths": 0.6, "patch_artist": True, "showfliers": False,
             "boxprops": {"facecolor": "#cfe0f1", "edgecolor": "#0b4f8a", "linewidth": 0.8},
             "medianprops": {"color": "#0b4f8a", "linewidth": 1.6},
             "whiskerprops": {"linewidth": 0.8}, "capprops": {"linewidth": 0.8}}
    try:
        axes.bxp([stats], orientation="horizontal", **style)
    except TypeError:  # matplotlib before 3.10
        axes.bxp([stats], vert=False, **style)
    axes.axvline(0, color="#777777", linewidth=0.7)
    if target is not None:
        axes.axvline(target, color=TARGET_COLOUR, linestyle="-.", linewidth=1)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(4))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: words.number(v, signed=v != 0,
                                                                          decimals=0)))
    axes.tick_params(labelsize=6.5, length=2, pad=1)
    axes.set_yticks([])
    axes.spines[["top", "right", "left"]].set_visible(False)
    return _svg(figure, salt)


SVG_NS = "http://www.w3.org/2000/svg"
GROUP = f"{{{SVG_NS}}}g"
NO_ROTATION = re.compile(r' transform="rotate\(-0 [^"]*\)"')


def _svg(figure: Any, salt: str) -> str:
    """The figure as compact SVG markup for inlining: no XML prolog or metadata, no
    attribute-less groups, no element ids that would repeat across charts (definitions
    keep ids unique through `salt`)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = salt
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=NO_METADATA)
    root = ElementTree.fromstring(buffer.getvalue())
    for attribute in ("width", "height"):  # the viewBox and CSS size it
        root.attrib.pop(attribute, None)
    _flatten(root)
    return NO_ROTATION.sub("", ElementTree.tostring(root, encoding="unicode"))


def _flatten(element: ElementTree.Element) -> None:
    """Replace groups without attributes by their children; drop group ids and the
    whitespace between elements."""
    children: list[ElementTree.Element] = []
    if element.text and not element.text.strip():
        element.text = None
    for child in element:
        _flatten(child)
        child.tail = None
        if child.tag == GROUP:
            child.attrib.pop("id", None)
        children.extend(list(child) if child.tag == GROUP and not child.attrib else [child])
    element[:] = children
