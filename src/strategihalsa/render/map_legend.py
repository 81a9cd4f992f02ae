"""The maps' legends, and how each class of kommuner looks on a map: a status (colour plus
a hatch pattern, never colour alone) or a class of change. Each legend is an SVG of its
own, drawn by matplotlib: its swatches carry the class in their url, so that the map
(render/maps.py) copies each swatch's fill for the kommuner of that class, and its words
are placeholders ('@label_met@', '@tick0@') the map fills in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strategihalsa.render import svg, words
from strategihalsa.render.charts import figure_class
from strategihalsa.vocabulary import Status

LEGEND_WIDTH = 2.4  # inches at 72 dpi (points); CSS draws it at most 14em wide
LEGEND_FONT = 10  # points: 7 pt printed in a 43 mm column, ≥ 12 px on screen


@dataclass(frozen=True)
class Fill:
    """How one class of kommuner looks: fill colour, hatch pattern and its colour."""

    colour: str
    hatch: str = ""
    ink: str = "#000000"


STATUS_FILLS = {
    Status.MET: Fill("#8fd19e"),
    Status.IMPROVING: Fill("#ffd966", "////", "#6b4a00"),
    Status.NOT_IMPROVING: Fill("#f4a3a3", "xxx", "#9a1b1b"),
    Status.NO_DATA: Fill("#e9e9ec", "---", "#8a8a90"),
    Status.NOT_JUDGED: Fill("#f4f4f6", "|||", "#8a8a90"),
}
WORSE = "\\\\\\"  # hatch of no improvement and worsening
UNCHANGED = (Status.NO_DATA, Status.NOT_JUDGED)  # the statuses of a kommun without a change
CHANGE_FILLS: dict[int | Status, Fill] = {  # from most worsening (−2) to most improvement (3)
    -2: Fill("#a8590f", WORSE, "#3d2000"), -1: Fill("#e3a05c", WORSE, "#5a3000"),
    0: Fill("#f6dcb8", WORSE, "#7a4a10"), 1: Fill("#c7e9e4"), 2: Fill("#6cc0b4"),
    3: Fill("#1f7f74"), **{status: STATUS_FILLS[status] for status in UNCHANGED},
}


def legend_axes(rows: float) -> Any:
    """A figure for a legend `rows` lines of text high, its axes in points from the top
    left (y down), at 72 dpi: a unit is a point."""
    height = rows * LEGEND_FONT * 1.45 + 2
    figure = figure_class()(figsize=(LEGEND_WIDTH, height / svg.DPI), dpi=svg.DPI)
    figure.patch.set_visible(False)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(0, LEGEND_WIDTH * svg.DPI)
    axes.set_ylim(height, 0)
    return axes


def swatch(axes: Any, x: float, y: float, key: Any, fill: Fill, size: tuple[float, float]
            ) -> None:
    """A legend swatch of a class, its url naming the class for the template."""
    import matplotlib
    from matplotlib.patches import Rectangle

    with matplotlib.rc_context({"hatch.color": fill.ink, "hatch.linewidth": 0.5}):
        patch = Rectangle((x, y), *size, facecolor=fill.colour, hatch=fill.hatch or None,
                          edgecolor="#ffffff", linewidth=0.4, clip_on=False)
    patch.set_url(f"#swatch-{key}")
    axes.add_patch(patch)


def status_legend() -> Any:
    """The statuses' swatches one under the other, each with '@label_met@' for its words."""
    axes = legend_axes(len(STATUS_FILLS))
    line = LEGEND_FONT * 1.45
    for n, (status, fill) in enumerate(STATUS_FILLS.items()):
        y = 1 + n * line
        swatch(axes, 1, y + 2, status, fill, (LEGEND_FONT * 1.6, line - 4))
        axes.text(LEGEND_FONT * 2.2, y + line / 2, f"@label_{status}@", va="center",
                  fontsize=LEGEND_FONT)
    return axes.figure


def scale_legend() -> Any:
    """Six class swatches in a row, worst left and best right, which side is better above
    them and the limits of the outer classes and zero ('@tick0@', '@tick2@', '@tick4@')
    under them; each status without a change in a line of its own."""
    axes = legend_axes(3 + len(UNCHANGED))
    line, width = LEGEND_FONT * 1.45, (LEGEND_WIDTH * svg.DPI - 2) / 6
    for n, key in enumerate(key for key in CHANGE_FILLS if isinstance(key, int)):
        swatch(axes, 1 + n * width, line + 1, key, CHANGE_FILLS[key], (width, line - 3))
    axes.text(1, line, f"← {words.MAP_WORSE}", va="bottom", fontsize=LEGEND_FONT)
    axes.text(1 + 6 * width, line, f"{words.MAP_BETTER} →", ha="right", va="bottom",
              fontsize=LEGEND_FONT)
    for n in (0, 2, 4):
        axes.text(1 + (n + 1) * width, 2 * line, f"@tick{n}@", ha="center", va="top",
                  fontsize=LEGEND_FONT)
    for row, status in enumerate(UNCHANGED, start=3):
        swatch(axes, 1, row * line + 2, status, CHANGE_FILLS[status],
                (LEGEND_FONT * 1.6, line - 4))
        axes.text(LEGEND_FONT * 2.2, (row + 0.5) * line, words.STATUS_LABELS[status],
                  va="center", fontsize=LEGEND_FONT)
    return axes.figure
