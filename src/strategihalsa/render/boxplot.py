"""The small box plot of a change's spread across kommuner, drawn by matplotlib as inline
SVG: whiskers at min and max, the box from Q1 to Q3, the median, zero and the target as
reference lines, and optionally one unit's own change marked and named above the box. Fewer
than MIN_BOXED values get no box, only a dot per value (min and max).

In a län batch every unit page shows each spread with only its own mark differing, so the
box plot is drawn once per spread and scale (and kept), and each unit's mark is drawn as a
layer over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from strategihalsa.model_overview import Spread
from strategihalsa.render import chart_svg, svg, words
from strategihalsa.render.charts import TARGET_COLOUR, figure_class

SPREAD_SIZE = (1.7, 0.5)  # inches at 72 dpi: CSS draws it 12em wide, 36 mm printed
FONT_SIZE = 8.5  # points: about 12 px on screen, 7 pt printed
OWN_ROW = 0.18  # inches above a box plot for the name of the unit marked in it
MIN_BOXED = 3  # values a spread needs for a box; fewer are shown as dots
OWN_COLOUR = "#b0174f"
OWN_MARKER: dict[str, Any] = {"marker": "D", "markersize": 5, "color": OWN_COLOUR,
                              "markeredgecolor": "white", "markeredgewidth": 0.8,
                              "linestyle": "none", "zorder": 4, "clip_on": False}
VALUE_DOTS: dict[str, Any] = {"marker": "o", "markersize": 4, "color": "#0b4f8a",
                              "linestyle": "none", "clip_on": False}
KEPT = 256  # box plots kept per process (a batch of one län needs about 15)


@dataclass(frozen=True)
class Box:
    """A box plot drawn once: its markup and the axes limits it was drawn with."""

    markup: str
    xlim: tuple[float, float]
    ylim: tuple[float, float]


@dataclass(frozen=True)
class Canvas:
    """The box plot's figure and axes, and the unit's mark (drawn only in its own layer)."""

    figure: Any
    axes: Any
    marker: Any
    label: Any


def spread_chart(spread: Spread, target: float | None, salt: str,
                 own: tuple[str, float] | None = None) -> str:
    """A horizontal box plot of the change across the spread's units (a dot per value, no
    box, for fewer than MIN_BOXED), zero and the target as reference lines; with `own` (a
    unit's name and change), that change as a marker named above the box."""
    values = [spread.min, spread.max, 0.0, *([target] if target is not None else [])]
    if own is not None:
        values.append(own[1])
    box = _box(spread, target, salt, own is not None, (min(values), max(values)))
    if own is None:
        return box.markup
    return svg.layered(box.markup, *_own_layer(box, salt, *own))


@lru_cache(maxsize=KEPT)
def _box(spread: Spread, target: float | None, salt: str, labelled: bool,
         extent: tuple[float, float]) -> Box:
    """The box plot (without a unit's mark) scaled to show the `extent` of the values;
    for fewer than MIN_BOXED units no box, only the lowest and highest value as dots."""
    canvas = _canvas(labelled)
    figure, axes = canvas.figure, canvas.axes
    for artist in [*axes.lines, *axes.patches, *axes.texts]:
        artist.remove()
    if spread.count >= MIN_BOXED:
        _bxp(axes, {"whislo": spread.min, "q1": spread.q1, "med": spread.median,
                    "q3": spread.q3, "whishi": spread.max, "fliers": []})
    else:
        axes.plot([spread.min, spread.max], [1, 1], **VALUE_DOTS)
    axes.axvline(0, color="#777777", linewidth=0.7)
    if target is not None:
        axes.axvline(target, color=TARGET_COLOUR, linestyle="-.", linewidth=1)
    axes.relim()
    axes.update_datalim([(extent[0], 1), (extent[1], 1)])  # where a mark will stand
    axes.autoscale_view()
    _format_ticks(axes)
    return Box(svg.markup(figure, salt), axes.get_xlim(), axes.get_ylim())


def _format_ticks(axes: Any) -> None:
    """Signed Swedish numbers, with a decimal only where a tick needs one."""
    from matplotlib.ticker import FuncFormatter

    decimals = 0 if all(float(t).is_integer() for t in axes.get_xticks()) else 1
    axes.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _: words.number(v, signed=v != 0, decimals=decimals)))


def _own_layer(box: Box, salt: str, name: str, change: float) -> tuple[str, str]:
    """The unit's change as a marker, its name and change centred above it, moved inwards
    where it would leave the figure, on the scale of `box`."""
    canvas = _canvas(True)
    canvas.axes.viewLim.intervalx = box.xlim  # the scale of the kept drawing
    canvas.axes.viewLim.intervaly = box.ylim
    canvas.marker.set_data([change], [1])
    canvas.label.set_text(f"{name} {words.number(change, signed=True)}")
    canvas.label.set_x(_label_x(canvas, box.xlim, change))
    return chart_svg.layer(canvas.figure, [canvas.label, canvas.marker], salt)  # by zorder


def _label_x(canvas: Canvas, xlim: tuple[float, float], change: float) -> float:
    """Where the unit's name is centred: over its mark, unless that puts it partly outside
    the figure."""
    low, high = xlim
    per_point: float = (high - low) / canvas.axes.bbox.width  # the figure is drawn at 72 dpi
    width = svg.text_size(canvas.label.get_text(), canvas.label.get_fontproperties())[0]
    left: float = low - canvas.axes.bbox.x0 * per_point
    right: float = left + canvas.figure.bbox.width * per_point
    half = width / 2 * per_point
    return min(max(change, left + half), right - half)


@cache
def _canvas(labelled: bool = False) -> Canvas:
    """The figure, axes and mark, made once per process; `labelled` adds a row above the
    box for the name of a unit."""
    from matplotlib.lines import Line2D
    from matplotlib.text import Text
    from matplotlib.ticker import MaxNLocator

    width, height = SPREAD_SIZE
    total = height + (OWN_ROW if labelled else 0)
    figure = figure_class()(figsize=(width, total), dpi=svg.DPI)
    figure.patch.set_visible(False)
    axes = figure.add_axes((0.04, 0.42 * height / total, 0.92, 0.56 * height / total))
    axes.patch.set_visible(False)
    axes.xaxis.set_major_locator(MaxNLocator(3))
    axes.tick_params(labelsize=FONT_SIZE, length=2, pad=1)
    axes.set_yticks([])
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.xaxis.set_label_coords(0.5, 0)
    marker = Line2D([], [], **OWN_MARKER)
    label = Text(0, 1, "", fontsize=FONT_SIZE, va="bottom", ha="center", color=OWN_COLOUR,
                 clip_on=False, transform=axes.get_xaxis_text2_transform(1)[0])
    for mark, transform in ((marker, axes.transData), (label, label.get_transform())):
        mark.set_figure(figure)
        mark.axes = axes
        mark.set_transform(transform)
    return Canvas(figure, axes, marker, label)


def _bxp(axes: Any, stats: dict[str, Any]) -> None:
    """One horizontal box from precomputed statistics."""
    style = {"widths": 0.6, "patch_artist": True, "showfliers": False, "manage_ticks": False,
             "boxprops": {"facecolor": "#cfe0f1", "edgecolor": "#0b4f8a", "linewidth": 0.8},
             "medianprops": {"color": "#0b4f8a", "linewidth": 1.6},
             "whiskerprops": {"linewidth": 0.8}, "capprops": {"linewidth": 0.8}}
    try:
        axes.bxp([stats], orientation="horizontal", **style)
    except TypeError:  # matplotlib before 3.10
        axes.bxp([stats], vert=False, **style)
