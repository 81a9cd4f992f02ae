"""Maps of the kommuner as inline SVG, drawn by matplotlib: per goal the status of each
kommun (colour plus a hatch pattern, never colour alone) and its change (a diverging scale,
the better side always blue-green, the worse side hatched).

The boundaries ship in the package (maps/kommuner.json.gz, made by tools/simplify_map.py
from okfse/sweden-geojson): nothing is fetched at run time. They are projected equal-area
(sinusoidal: x scaled by cos(latitude)), so Sweden keeps its shape. A map of a few
kommuner uses the fine level of detail, one of all Sweden the coarse one. A figure is
made once per set of kommuner and kind of map; each goal only changes which kommuner each
collection holds and their colours. Every kommun's path carries `data-kommun` and a
<title> (name and value, a tooltip in a browser).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any
from xml.etree import ElementTree

from strategihalsa.render import svg, words
from strategihalsa.render.charts import _matplotlib
from strategihalsa.vocabulary import Status

DATA = "maps/kommuner.json.gz"
FINE_UP_TO = 60  # kommuner drawn with the fine boundaries; more get the coarse ones
WIDTH = 3.2  # inches; CSS scales the SVG to its box
ASPECT = (0.55, 2.1)  # height / width of the map itself, clamped
LEGEND_HEIGHT = {"status": 0.5, "change": 0.62}  # inches below the map
BORDER = {"edgecolors": "#ffffff", "linewidths": 0.35}
OUTLINE = {"edgecolors": "#111111", "linewidths": 1.7, "facecolors": "none"}
MARKER = "#kommun-"  # a path's url while drawing, turned into data-kommun afterwards
OUTLINED = "-outline"
LINK, HREF = f"{{{svg.SVG_NS}}}a", "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True)
class Fill:
    """How one class of kommuner looks: fill colour, hatch pattern and its colour."""

    colour: str
    hatch: str
    ink: str


STATUS_FILLS = {
    Status.MET: Fill("#8fd19e", "", "#0d5e26"),
    Status.IMPROVING: Fill("#ffd966", "////", "#6b4a00"),
    Status.NOT_IMPROVING: Fill("#f4a3a3", "xxx", "#9a1b1b"),
    Status.NO_DATA: Fill("#e9e9ec", "---", "#8a8a90"),
}
BETTER_COLOURS = ("#c7e9e4", "#6cc0b4", "#1f7f74")  # a little, more, most improvement
WORSE_COLOURS = ("#f6dcb8", "#e3a05c", "#a8590f")  # a little, more, most worsening
WORSE_HATCH = Fill(WORSE_COLOURS[0], "\\\\\\", "#5a3000")
NO_CHANGE = STATUS_FILLS[Status.NO_DATA]
NICE_STEPS = (1, 2, 2.5, 5)


@dataclass(frozen=True)
class Boundaries:
    """The shipped boundaries: names, the source's credit and each level's paths."""

    names: dict[str, str]
    source: dict[str, str]
    levels: dict[str, dict[str, list[list[int]]]]
    scale: int


@cache
def boundaries() -> Boundaries:
    """The package's kommun boundaries, read once per process."""
    raw = resources.files("strategihalsa.render").joinpath(DATA).read_bytes()
    data = json.loads(gzip.decompress(raw))
    return Boundaries(data["names"], data["source"], data["levels"], data["scale"])


@cache
def shapes(level: str) -> dict[str, Any]:
    """Every kommun as one matplotlib Path (its rings as closed sub-paths)."""
    from matplotlib.path import Path

    found = {}
    data = boundaries()
    for code, rings in data.levels[level].items():
        vertices: list[tuple[float, float]] = []
        codes: list[int] = []
        for ring in rings:
            points = _decode(ring, data.scale)
            vertices += [*points, points[0]]
            codes += [Path.MOVETO, *[Path.LINETO] * (len(points) - 1), Path.CLOSEPOLY]
        found[code] = Path(vertices, codes)
    return found


def _decode(ring: list[int], scale: int) -> list[tuple[float, float]]:
    """Delta-encoded integer thousandths → degrees."""
    x, y, points = 0, 0, []
    for n in range(0, len(ring), 2):
        x, y = x + ring[n], y + ring[n + 1]
        points.append((x / scale, y / scale))
    return points


@dataclass(frozen=True)
class Canvas:
    """A reusable map figure: its kommuner's shapes, a collection per class, the outline
    of the highlighted kommun, the legend."""

    figure: Any
    shapes: dict[str, Any]
    layers: dict[Any, Any]
    outline: Any
    legend: Any

    def fill(self, layer: Any, codes: list[str], colours: list[str] | None = None) -> None:
        """A class's collection holds `codes` (marked for data-kommun), coloured each."""
        self.layers[layer].set_paths([self.shapes[code] for code in codes])
        self.layers[layer].set_urls([MARKER + code for code in codes])
        if colours is not None:
            self.layers[layer].set_facecolors(colours)

    def markup(self, highlight: str | None, titles: Mapping[str, str], salt: str) -> str:
        """The figure as SVG, `highlight` outlined, each kommun marked with its code and
        a tooltip."""
        self.outline.set_paths([self.shapes[highlight]] if highlight in self.shapes else [])
        self.outline.set_urls([f"{MARKER}{highlight}{OUTLINED}"])
        return mark_kommuner(svg.markup(self.figure, salt), titles)


def status_map(statuses: Mapping[str, Status], highlight: str | None = None,
               salt: str = "map") -> str:
    """Each kommun of `statuses` filled by its status (colour and hatch), `highlight`
    outlined, a legend with the count per status."""
    statuses = _known(statuses)
    canvas = _canvas(tuple(sorted(statuses)), "status")
    members = {s: [code for code, own in statuses.items() if own is s] for s in Status}
    for status in Status:
        canvas.fill(status, members[status])
    for text, status in zip(canvas.legend.get_texts(), Status, strict=True):
        text.set_text(f"{words.STATUS_LABELS[status]} ({len(members[status])})")
    titles = {code: f"{words.STATUS_SYMBOLS[s]} {words.STATUS_LABELS[s]}"
              for code, s in statuses.items()}
    return canvas.markup(highlight, titles, salt)


def change_map(changes: Mapping[str, float | None], better: str,
               highlight: str | None = None, salt: str = "map") -> str:
    """Each kommun of `changes` filled by its change on a diverging scale: improvement
    blue-green, no improvement or worsening orange and hatched, whichever way `better`
    ('increase' or 'decrease') points; no value grey and dotted."""
    changes = _known(changes)
    sign = 1 if better == "increase" else -1
    step = class_step([abs(v) for v in changes.values() if v is not None])
    canvas = _canvas(tuple(sorted(changes)), "change")
    classes = {code: change_class(value * sign, step) for code, value in changes.items()
               if value is not None}
    improved = {code: k for code, k in classes.items() if k > 0}
    worse = {code: k for code, k in classes.items() if k <= 0}
    canvas.fill("better", list(improved), [BETTER_COLOURS[k - 1] for k in improved.values()])
    canvas.fill("worse", list(worse), [WORSE_COLOURS[-k] for k in worse.values()])
    canvas.fill(None, [code for code, value in changes.items() if value is None])
    decimals = 0 if float(step).is_integer() else 1 if float(step * 10).is_integer() else 2
    for tick, n in zip(canvas.legend, range(-2, 3), strict=True):
        tick.set_text(words.number(n * sign * step, signed=n != 0, decimals=decimals))
    titles = {code: words.number(value, signed=True) if value is not None
              else words.STATUS_LABELS[Status.NO_DATA] for code, value in changes.items()}
    return canvas.markup(highlight, titles, salt)


def _known(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values of the kommuner the shipped boundaries know (regions and others left out)."""
    names = boundaries().names
    return {code: value for code, value in values.items() if code in names}


def class_step(magnitudes: Sequence[float]) -> float:
    """The width of one class: a round number (1, 2, 2,5 or 5 × 10ⁿ) so that three
    classes on each side hold about nine in ten kommuner."""
    ordered = sorted(magnitudes)
    typical = ordered[math.ceil(0.9 * len(ordered)) - 1] / 3 if ordered else 0
    if typical <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(typical))
    return next(n * power for n in (*NICE_STEPS, 10) if n * power >= typical)


def change_class(improvement: float, step: float) -> int:
    """1, 2, 3: improved by up to one step, up to two, more; 0, −1, −2: not improved,
    worse by at least one step, by at least two."""
    if improvement > 0:
        return min(3, math.ceil(improvement / step))
    return -min(2, math.floor(-improvement / step))


def mark_kommuner(markup: str, titles: Mapping[str, str]) -> str:
    """Each <a href="#kommun-CODE"> from drawing replaced by its path with `data-kommun`
    (or `data-outline`) and a <title>: 'Jönköping: ✔ uppnått'."""
    root = ElementTree.fromstring(markup)
    names = boundaries().names
    for parent in root.iter():
        for n, child in enumerate(parent):
            code = child.get(HREF, "").removeprefix(MARKER)
            if child.tag != LINK or code == child.get(HREF):
                continue
            path = parent[n] = child[0]
            path.set("d", path.get("d", "").replace(" L ", " "))  # implicit lineto
            if code.endswith(OUTLINED):
                path.set("data-outline", code.removesuffix(OUTLINED))
            else:
                path.set("data-kommun", code)
                tip = ElementTree.SubElement(path, f"{{{svg.SVG_NS}}}title")
                tip.text = f"{names.get(code, code)}: {titles.get(code, '')}"
    return ElementTree.tostring(root, encoding="unicode")


@lru_cache(maxsize=4)
def _canvas(codes: tuple[str, ...], kind: str) -> Canvas:
    """A figure for these kommuner and kind of map ('status' or 'change'), made once."""
    from matplotlib.collections import PathCollection

    every = shapes("fine" if len(codes) <= FINE_UP_TO else "coarse")
    own = {code: every[code] for code in codes if code in every}
    figure, axes = _figure(list(own.values()), LEGEND_HEIGHT[kind])
    layers = {key: axes.add_collection(_collection(fill), autolim=False)
              for key, fill in _layer_styles(kind).items()}
    outline = axes.add_collection(PathCollection([], **OUTLINE, zorder=3, clip_on=False),
                                  autolim=False)
    legend = _status_legend(figure) if kind == "status" else _scale_legend(figure)
    return Canvas(figure, own, layers, outline, legend)


def _layer_styles(kind: str) -> dict[Any, Fill]:
    """The collections of a kind of map: one per status, or better, worse and no value."""
    if kind == "status":
        return dict(STATUS_FILLS)
    return {"better": Fill(BETTER_COLOURS[0], "", ""), "worse": WORSE_HATCH, None: NO_CHANGE}


def _hatched(fill: Fill) -> Any:
    """matplotlib's settings while making an artist hatched in the fill's ink."""
    import matplotlib

    return matplotlib.rc_context({"hatch.color": fill.ink or "#000000",
                                  "hatch.linewidth": 0.5})


def _collection(fill: Fill) -> Any:
    """An empty collection with white borders, the fill's colour and hatch."""
    from matplotlib.collections import PathCollection

    with _hatched(fill):
        return PathCollection([], facecolors=fill.colour, hatch=fill.hatch or None,
                              clip_on=False, **BORDER)


def _figure(paths: list[Any], legend_height: float) -> tuple[Any, Any]:
    """A figure sized to the kommuner's extent (equal aspect), room for a legend below."""
    from matplotlib.transforms import Bbox

    box = Bbox.union([path.get_extents() for path in paths])
    aspect = min(max(box.height / box.width, ASPECT[0]), ASPECT[1])
    height = WIDTH * aspect + legend_height
    figure = _matplotlib()(figsize=(WIDTH, height))
    figure.patch.set_visible(False)
    axes = figure.add_axes((0.01, legend_height / height, 0.98, 1 - legend_height / height))
    axes.set_axis_off()
    axes.set_aspect("equal", adjustable="box")
    axes.set_xlim(box.x0, box.x1)
    axes.set_ylim(box.y0, box.y1)
    return figure, axes


def _status_legend(figure: Any) -> Any:
    """Four hatched swatches for the status words, in two columns below the map."""
    from matplotlib.patches import Patch

    handles = []
    for fill in STATUS_FILLS.values():
        with _hatched(fill):
            handles.append(Patch(facecolor=fill.colour, hatch=fill.hatch or None,
                                 edgecolor=fill.ink, linewidth=0.5))
    with _hatched(Fill("", "", "#000000")):
        return figure.legend(handles, [""] * len(handles), loc="lower left", ncols=2,
                             frameon=False, fontsize=7.5, handlelength=1.6,
                             handleheight=1.1, borderaxespad=0.2, columnspacing=1.2)


def _scale_legend(figure: Any) -> list[Any]:
    """Below the map: six class swatches, worst left and better right, then 'saknar data';
    which side is better above them; the class limits (set per map) under them."""
    from matplotlib.patches import Rectangle

    axes = figure.add_axes((0.06, 0.16 / figure.get_figheight(), 0.88,
                            0.13 / figure.get_figheight()))
    axes.set_axis_off()
    axes.set_xlim(0, 7.3)
    axes.set_ylim(0, 1)
    fills = [Fill(c, WORSE_HATCH.hatch, WORSE_HATCH.ink) for c in WORSE_COLOURS[::-1]]
    fills += [Fill(c, "", "") for c in BETTER_COLOURS]
    for n, fill in enumerate([*fills, NO_CHANGE]):
        with _hatched(fill):
            axes.add_patch(Rectangle((n + 0.3 * (n == 6), 0), 1, 1, facecolor=fill.colour,
                                     hatch=fill.hatch or None, edgecolor="#ffffff",
                                     linewidth=0.4))
    axes.text(0, 1.25, f"← {words.MAP_WORSE}", va="bottom", fontsize=6.8)
    axes.text(6, 1.25, f"{words.MAP_BETTER} →", ha="right", va="bottom", fontsize=6.8)
    axes.text(6.8, -0.3, words.STATUS_LABELS[Status.NO_DATA], ha="center", va="top",
              fontsize=6.2)
    return [axes.text(n, -0.3, "", ha="center", va="top", fontsize=6.2) for n in range(1, 6)]
