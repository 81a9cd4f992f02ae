"""Charts as inline SVG, laid out by matplotlib (never by hand): one line chart per indicator
(the box plot of a change's spread across kommuner is in `boxplot`).

Text stays text (`svg.fonttype = "none"`), so files stay small and print sharp. Every line
has a colour, a marker and a dash pattern of its own, and `Key` describes each for an HTML
legend, so no line is told apart by colour alone. matplotlib is imported on first use; the
figures and their lines are made once per process and given new data for each chart, and
`chart_svg` writes each chart's SVG from them (what matplotlib's SVG backend would).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from strategihalsa.errors import UsageError, argument
from strategihalsa.model import IndicatorResult
from strategihalsa.render import chart_svg, svg, words
from strategihalsa.units import Unit
from strategihalsa.vocabulary import MEN, TOTAL, WOMEN, Role

SIZE = (6.4, 2.35)  # inches; scaled to the column width by CSS
PANELS = {1: [(0.085, 0.12, 0.9, 0.84)],  # the gender panel has y-axis numbers of its own
          2: [(0.085, 0.12, 0.575, 0.78), (0.745, 0.12, 0.24, 0.78)]}
TICK_PAD = 3  # points between an axis and its numbers
MAX_LABELS = {"x": 4, "y": 7}  # the numbers an axis can show (see _years, MaxNLocator(4))
FONT = ["DejaVu Sans", "Arial"]
MAX_PROJECTION = 6  # years drawn ahead of the latest value at most
TARGET_COLOUR = "#1a7f37"
BASELINE_COLOUR = "#999999"
GRID = "#e3e3e3"
RC = {"svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": FONT,
      "font.size": 8.5, "axes.linewidth": 0.6, "axes.edgecolor": "#777777",
      "axes.titley": 1.0, "axes.titlepad": 3, "axes.titlesize": 8, "axes.titlelocation": "left",
      "axes.titlecolor": "#444444", "svg.hashsalt": "sfh"}


@dataclass(frozen=True)
class Style:
    """How one line looks: colour, marker (matplotlib and a text glyph), dashes, width."""

    colour: str
    marker: str
    glyph: str
    dashes: str = "-"
    width: float = 1.3
    size: float = 3.6


Slot = str  # a line's role (Role is a StrEnum) or gender code
ROLE_STYLES: dict[Slot, Style] = {
    Role.UNIT: Style("#0b4f8a", "o", "●", width=2.2, size=4.6),
    Role.REGION: Style("#c46a00", "s", "■"),
    Role.RIKET: Style("#4d4d4d", "^", "▲"),
    Role.SIMILAR: Style("#8e3b8a", "D", "◆", size=3.2),
}
GENDER_STYLES = {WOMEN: Style("#c0392b", "v", "▼", ":", 1.1, 3.4),
                 MEN: Style("#1f8fb8", "P", "✚", ":", 1.1, 3.4)}
TOTAL_STYLE = Style(ROLE_STYLES[Role.UNIT].colour, "", "", "-", 1.6)  # beside women and men
STYLES: dict[Slot, Style] = {**ROLE_STYLES, **GENDER_STYLES, TOTAL: TOTAL_STYLE}
TREND_STYLE = Style(ROLE_STYLES[Role.UNIT].colour, "", "", "--", 1.4)
TARGET_STYLES: dict[Slot, Style] = {  # dash-dot; a gender's with its marker at the end
    Role.UNIT: Style(TARGET_COLOUR, "", "", "-.", 1.1),
    **{g: Style(s.colour, s.marker, s.glyph, "-.", 1.1, s.size) for g, s in GENDER_STYLES.items()}}
LINE_GLYPHS = {"-": "━", ":": "┈", "--": "╌", "-.": "─·─"}
SLOTS = (tuple(ROLE_STYLES), (TOTAL, *GENDER_STYLES))  # the lines of each panel
TARGET_SLOTS = ((Role.UNIT,), tuple(GENDER_STYLES))  # the target levels of each panel
Lines = dict[Slot, tuple[dict[int, float], str]]  # slot → (series, legend label)
Levels = dict[Slot, float]  # slot → target level


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


@dataclass(frozen=True)
class Panel:
    """One axes of a reusable figure and its lines, made once and given data per chart."""

    axes: Any
    lines: dict[Slot, Any]
    baseline: Any
    targets: dict[Slot, Any]
    trend: Any
    grid: Any
    labels: dict[str, list[Any]]  # "x", "y" → the texts of the axis's numbers


def key(style: Style, label: str) -> Key:
    """The legend entry of a line drawn in `style`."""
    line = LINE_GLYPHS[style.dashes]
    return Key(f"{line}{style.glyph}{line}" if style.glyph else line * 2, style.colour, label)


INSTALL = "python -m pip install 'strategihalsa[html]'"


def require() -> Any:
    """The matplotlib module, or a UsageError saying how to install it (an optional extra:
    only the HTML and PDF reports draw charts)."""
    try:
        import matplotlib
    except ImportError as exc:
        raise UsageError(f"{argument('output_format')} html and pdf draw charts with "
                         f"matplotlib: {INSTALL} ({exc})") from None
    return matplotlib


@cache
def figure_class() -> Any:
    """matplotlib's Figure class, imported and configured once per process."""
    matplotlib = require()

    matplotlib.rcParams.update(RC)
    from matplotlib.figure import Figure

    return Figure


def comparison_lines(result: IndicatorResult, compared: dict[Role, Unit], unit: Unit
                     ) -> Lines:
    """The left panel: the unit (or its region for a region-level key figure), then the
    region, Riket and the similar units where they have values."""
    owner = compared.get(Role.REGION, unit) if result.region_level else unit
    found: Lines = {Role.UNIT: (result.series.get(Role.UNIT) or {},
                                words.series_label(Role.UNIT, owner, result.region_level))}
    for role in (Role.REGION, Role.RIKET, Role.SIMILAR):
        series = result.series.get(role) or {}
        if series and role in compared and not (result.region_level and role is Role.REGION):
            found[role] = series, words.series_label(role, compared[role])
    return found


def gender_lines(result: IndicatorResult) -> Lines:
    """The right panel: women and men (where Kolada divides the key figure) beside the
    unit's total, which is already in the legend."""
    found: Lines = {g: (result.gender_series[g], words.GENDER_LABELS[g].capitalize())
                    for g in GENDER_STYLES if result.gender_series.get(g)}
    return {TOTAL: (result.series.get(Role.UNIT) or {}, ""), **found} if found else {}


def target_levels(result: IndicatorResult) -> tuple[Levels, Levels]:
    """The target level of each panel's lines: the total's on the left, women's and men's
    own (their baseline + the target) beside it."""
    total = result.figures.target_level
    genders = {g: figures.target_level for g, figures in result.by_gender.items()
               if g in GENDER_STYLES and result.gender_series.get(g)
               and figures.target_level is not None}
    return ({Role.UNIT: total} if total is not None else {}), genders


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
    genders = gender_lines(result)
    figure, panels = _canvas(2 if genders else 1)
    total, own = target_levels(result)
    keys = _show(panels[0], comparison_lines(result, compared, unit))
    keys += _marks(panels[0], result, total, projection(result, target_year))
    if genders:
        keys += _show(panels[1], genders)
        keys += _marks(panels[1], result, own, ([], []))
    _rescale(panels)
    return Chart(chart_svg.markup(figure, salt), tuple(dict.fromkeys(keys)))  # each entry once


@cache
def _canvas(count: int) -> tuple[Any, list[Panel]]:
    """A figure with one panel, or two sharing the y axis; made once, reused per chart."""
    figure = figure_class()(figsize=SIZE, dpi=svg.DPI)
    figure.patch.set_visible(False)
    first = _panel(figure, PANELS[count][0], SLOTS[0], None)
    panels = [first, *(_panel(figure, box, SLOTS[1], first.axes)
                       for box in PANELS[count][1:])]
    if count > 1:
        panels[1].axes.margins(x=0.08)  # room for the target levels' markers at the end
        for panel, title in zip(panels, words.PANEL_TITLES, strict=True):
            panel.axes.set_title(title)
    for panel in panels:
        panel.axes.set_autoscale_on(False)  # _rescale sets the limits
    return figure, panels


def _panel(figure: Any, box: tuple[float, ...], slots: tuple[Slot, ...],
           share: Any) -> Panel:
    """An axes with light grid, no top or right frame, and one empty line per slot."""
    axes = figure.add_axes(box, sharey=share)
    axes.patch.set_visible(False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.03, y=0.12)
    lines = {slot: axes.plot([], [], color=STYLES[slot].colour,
                             marker=STYLES[slot].marker or None, markersize=STYLES[slot].size,
                             linewidth=STYLES[slot].width, linestyle=STYLES[slot].dashes,
                             clip_on=False, zorder=3 if slot in (Role.UNIT, TOTAL) else 2)[0]
             for slot in slots}
    baseline = axes.axvline(0, color=BASELINE_COLOUR, linewidth=0.8, zorder=1,
                            clip_on=False)  # all inside the limits: nothing to clip
    targets = {slot: axes.axhline(0, color=TARGET_STYLES[slot].colour,
                                  linestyle=TARGET_STYLES[slot].dashes,
                                  linewidth=TARGET_STYLES[slot].width,
                                  marker=TARGET_STYLES[slot].marker or None,
                                  markersize=TARGET_STYLES[slot].size, markevery=[1],
                                  clip_on=False)
               for slot in TARGET_SLOTS[slots != SLOTS[0]]}
    trend = axes.plot([], [], color=TREND_STYLE.colour, linestyle=TREND_STYLE.dashes,
                      linewidth=TREND_STYLE.width, clip_on=False)[0]
    return Panel(axes, lines, baseline, targets, trend, _grid(axes), _labels(axes))


def _grid(axes: Any) -> Any:
    """Horizontal grid lines as one collection (cheaper to draw than a line per tick)."""
    from matplotlib.collections import LineCollection

    grid = LineCollection([], colors=GRID, linewidths=0.6, zorder=0.5, clip_on=False,
                          transform=axes.get_yaxis_transform())
    axes.add_collection(grid, autolim=False)
    return grid


def _labels(axes: Any) -> dict[str, list[Any]]:
    """Texts for the numbers along the axes, where matplotlib puts its tick labels; they
    replace its axis machinery (five artists per tick, formatters, label boxes measured on
    every draw)."""
    axes.xaxis.set_visible(False)
    axes.yaxis.set_visible(False)
    placements = {"x": axes.get_xaxis_text1_transform(TICK_PAD),
                  "y": axes.get_yaxis_text1_transform(TICK_PAD)}
    return {name: [axes.text(0, 0, "", transform=transform, va=vertical, ha=horizontal,
                             clip_on=False) for _ in range(MAX_LABELS[name])]
            for name, (transform, vertical, horizontal) in placements.items()}


def _show(panel: Panel, lines: Lines) -> list[Key]:
    """Give each line its series (hidden without one); the legend of the labelled ones."""
    keys = []
    for slot, line in panel.lines.items():
        series, label = lines.get(slot, ({}, ""))
        years = sorted(series)
        line.set_data(years, [series[year] for year in years])
        line.set_visible(bool(years))
        if years and label:
            keys.append(key(STYLES[slot], label))
    return keys


def _marks(panel: Panel, result: IndicatorResult, levels: Levels,
           trend: tuple[list[int], list[float]]) -> list[Key]:
    """The baseline year, the target levels and the projection; their legend entries."""
    found = []
    baseline = result.figures.baseline
    panel.baseline.set_visible(baseline is not None)
    if baseline is not None:
        panel.baseline.set_xdata([baseline.year] * 2)
        found.append(Key("│", BASELINE_COLOUR, f"{words.BASELINE.capitalize()} {baseline.year}"))
    for slot, line in panel.targets.items():
        line.set_visible(slot in levels)
        if slot in levels:
            line.set_ydata([levels[slot]] * 2)
            found.append(key(TARGET_STYLES[slot], _target_label(slot, levels[slot])))
    panel.trend.set_data(*trend)
    panel.trend.set_visible(bool(trend[0]))
    if trend[0]:
        found.append(key(TREND_STYLE, words.TREND.capitalize()))
    return found


def _target_label(slot: Slot, level: float) -> str:
    """'Målnivå 87,6' for the total, 'Målnivå kvinnor 88,7' for a gender."""
    gender = f" {words.GENDER_LABELS[slot]}" if slot in GENDER_STYLES else ""
    return f"{words.TARGET_LEVEL.capitalize()}{gender} {words.number(level)}"


def _rescale(panels: list[Panel]) -> None:
    """Limits from the visible lines; on x the first, baseline and last years, on y a few
    Swedish numbers with a grid."""
    from matplotlib.transforms import Bbox

    for panel in panels:
        axes = panel.axes
        axes.dataLim.set(Bbox(_extent(panel)))
        axes.viewLim.intervalx = _padded(axes.xaxis, axes.dataLim.intervalx,
                                         axes.get_xmargin())
    shared = [y for panel in panels for y in panel.axes.dataLim.intervaly]  # one y axis
    first = panels[0].axes
    low, high = _padded(first.yaxis, (min(shared), max(shared)), first.get_ymargin())
    ticks = _y_ticks().tick_values(low, high)
    decimals = _decimals(ticks)
    shown = [y for y in ticks if low <= y <= high]
    for panel in panels:
        panel.axes.viewLim.intervaly = low, high
        _place(panel.labels["x"], [(year, 0, str(year)) for year in _years(panel)])
        _place(panel.labels["y"], [(0, y, words.number(y, decimals=decimals)) for y in shown])
        panel.grid.set_segments([[(0, y), (1, y)] for y in shown])


@cache
def _y_ticks() -> Any:
    """Where the y axis has its numbers: at most 4 steps of 1, 2, 2.5, 5 or 10."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(4)


def _padded(axis: Any, extent: Any, margin: float) -> tuple[float, float]:
    """The view limits that matplotlib's autoscaling gives a linear axis showing `extent`
    with `margin` (without its walk over every artist of the figure and its callbacks)."""
    locator = axis.get_major_locator()
    low, high = locator.nonsingular(*extent)
    pad = (high - low) * margin
    low, high = locator.view_limits(low - pad, high + pad)
    return low, high


def _extent(panel: Panel) -> list[list[float]]:
    """The corners of what the panel shows: the lines' values, the baseline year and the
    target levels (what `relim` would find, without walking every artist's path)."""
    shown = [line for line in (*panel.lines.values(), panel.trend) if line.get_visible()]
    xs = [x for line in shown for x in line.get_xdata()]
    ys = [y for line in shown for y in line.get_ydata()]
    xs += list(panel.baseline.get_xdata()) if panel.baseline.get_visible() else []
    ys += [line.get_ydata()[0] for line in panel.targets.values() if line.get_visible()]
    return [[min(xs), min(ys)], [max(xs), max(ys)]]


def _place(texts: list[Any], labels: list[tuple[float, float, str]]) -> None:
    """Each text at a label's position with its words; the texts left over hidden."""
    for n, text in enumerate(texts):
        text.set_visible(n < len(labels))
        if n < len(labels):
            x, y, words_ = labels[n]
            text.set_position((x, y))
            text.set_text(words_)


def _years(panel: Panel) -> list[int]:
    """The years worth a label: the baseline, the first and the last value, the end of the
    projection; one that would crowd a label already placed is left out."""
    first, end = (round(x) for x in panel.axes.dataLim.intervalx)
    latest = round(panel.trend.get_xdata()[0]) if panel.trend.get_visible() else end
    baseline = [round(panel.baseline.get_xdata()[0])] if panel.baseline.get_visible() else []
    narrow = panel.axes.get_position().width < 0.5
    gap = max(2, (end - first) * (0.3 if narrow else 0.12))
    years: list[int] = []
    for year in (*baseline, first, latest, end):
        if all(abs(year - placed) >= gap for placed in years):
            years.append(year)
    return sorted(years)


def _decimals(ticks: Any) -> int:
    """Decimals the y ticks need: none for whole numbers, else one (two for small steps)."""
    if all(float(t).is_integer() for t in ticks):
        return 0
    return 2 if len(ticks) > 1 and abs(ticks[1] - ticks[0]) < 0.1 else 1
