"""Maps of the kommuner as inline SVG, drawn by matplotlib: per goal the status of each
kommun (colour plus a hatch pattern, never colour alone) and its change (a diverging scale:
improvement blue-green, no improvement or worsening orange and hatched).

The boundaries ship in the package (maps/kommuner.json.gz, made by tools/simplify_map.py
from okfse/sweden-geojson): nothing is fetched at run time. They are projected equal-area
(sinusoidal: x scaled by cos(latitude)), so Sweden keeps its shape. A map of a few kommuner
uses the fine level of detail, one of all Sweden the coarse one.

Drawing is done once per set of kommuner and kind of map: matplotlib draws every kommun
and the outline of the highlighted one, and in a figure of its own the legend
(render/map_legend.py, with each class's look): its swatches (whose hatch patterns the map
copies for its kommuner) and placeholders for its words. The
legend is a second SVG so that the page sizes it by its text (CSS, in em) rather than by
the map: its words stay readable under a tall map of Sweden, on screen and printed. Each
goal's map is that drawing with the fills, tooltips and words filled in, and its ids made
unique on the page. Every kommun's path carries `data-kommun` and a <title> (name and
value: a tooltip).
"""

from __future__ import annotations

import copy
import gzip
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from string import Template
from typing import TYPE_CHECKING, Any, TypedDict
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from strategihalsa.render import svg, words
from strategihalsa.render.charts import figure_class
from strategihalsa.render.map_legend import UNCHANGED, scale_legend, status_legend
from strategihalsa.vocabulary import Status

if TYPE_CHECKING:
    import numpy as np

DATA = "maps/kommuner.json.gz"
FINE_UP_TO = 60  # kommuner drawn with the fine boundaries; more get the coarse ones
WIDTH = 3.2  # inches; CSS scales the SVG to its box
ASPECT = (0.55, 2.1)  # height / width of the map itself, clamped
LEGEND_CLASS = "map-legend"  # the legend's <svg>, for the page's CSS
RING = 0.025  # a chosen kommun smaller than this share of the map also gets a ring


class Stroke(TypedDict, total=False):
    """Keyword arguments of matplotlib's PathCollection: how kommuner are outlined."""

    edgecolors: str
    linewidths: float | tuple[float, float]
    facecolors: str


# two equal widths: matplotlib would draw a lone kommun as a marker and drop its url
BORDER: Stroke = {"edgecolors": "#ffffff", "linewidths": (0.35, 0.35)}
# the chosen kommun: a thick black line on a white halo, seen on every fill, without colour
HALO: Stroke = {"edgecolors": "#ffffff", "linewidths": 4.2, "facecolors": "none"}
OUTLINE: Stroke = {"edgecolors": "#111111", "linewidths": 2.2, "facecolors": "none"}
LINK, HREF = f"{{{svg.SVG_NS}}}a", "{http://www.w3.org/1999/xlink}href"
SLOT = re.compile(r"@(\w+)@")  # a placeholder while drawing, a $-field of the template
URL = re.compile(r"url\(#([\w-]+)\)")


NICE_STEPS = (1, 2, 2.5, 5, 10)


@dataclass(frozen=True)
class Boundaries:
    """The shipped boundaries: kommun names, the source's credit and each level's rings
    (delta-encoded integers in units of 1/scale degree)."""

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
        codes: list[np.uint8] = []
        for ring in rings:
            points = _decode(ring, data.scale)
            vertices += [*points, points[0]]
            codes += [Path.MOVETO, *[Path.LINETO] * (len(points) - 1), Path.CLOSEPOLY]
        found[code] = Path(vertices, codes)
    return found


def _decode(ring: list[int], scale: int) -> list[tuple[float, float]]:
    """Delta-encoded integers → degrees."""
    x, y, points = 0, 0, []
    for n in range(0, len(ring), 2):
        x, y = x + ring[n], y + ring[n + 1]
        points.append((x / scale, y / scale))
    return points


@dataclass(frozen=True)
class Drawing:
    """A map drawn once: its SVG with $-fields (kommun fills and tooltips, legend words,
    the salt of its ids) and the fill of each class, as a pattern or a colour."""

    markup: Template
    fills: dict[Any, str]

    def fill(self, values: Mapping[str, Any], titles: Mapping[str, str],
             legend: Mapping[str, str], salt: str) -> str:
        """The map with each kommun filled by its class in `values`, its tooltip from
        `titles`, the legend's fields from `legend`."""
        fields = {"salt": salt, **{key: escape(text) for key, text in legend.items()}}
        for code, key in values.items():
            fields[f"f{code}"] = self.fills[key].replace("$salt", salt)
            fields[f"t{code}"] = escape(f"{boundaries().names[code]}: {titles[code]}")
        return self.markup.substitute(fields)


def status_map(statuses: Mapping[str, Status], highlight: str | None = None,
               salt: str = "map") -> str:
    """Each kommun of `statuses` filled by its status (colour and hatch), `highlight`
    outlined, a legend with the count per status ('' without a kommun to draw)."""
    statuses = _known(statuses)
    if not statuses:
        return ""
    drawing = _drawing(tuple(sorted(statuses)), "status", highlight)
    counts = {status: sum(s is status for s in statuses.values()) for status in Status}
    legend = {f"label_{s}": f"{words.STATUS_LABELS[s]} ({counts[s]})" for s in Status}
    titles = {code: f"{words.STATUS_SYMBOLS[s]} {words.STATUS_LABELS[s]}"
              for code, s in statuses.items()}
    return drawing.fill(statuses, titles, legend, salt)


def change_map(changes: Mapping[str, float | None], better: str,
               highlight: str | None = None, salt: str = "map",
               statuses: Mapping[str, Status] | None = None) -> str:
    """Each kommun of `changes` in its class of change: improvement blue-green, no
    improvement or worsening orange and hatched, whichever way `better` ('increase' or
    'decrease') points. A kommun without a change as its status in `statuses` says, filled
    as on the status map: "kan inte bedömas" (a value, but none to compare it with) or
    "saknar data" (the default). The scale's limits in Swedish numbers ('' without a kommun
    to draw)."""
    changes = _known(changes)
    if not changes:
        return ""
    sign = 1 if better == "increase" else -1
    step = class_step([abs(v) for v in changes.values() if v is not None])
    unchanged = {code: _unchanged((statuses or {}).get(code))
                 for code, value in changes.items() if value is None}
    classes: dict[str, int | Status] = {
        code: change_class(value * sign, step) if value is not None else unchanged[code]
        for code, value in changes.items()}
    drawing = _drawing(tuple(sorted(changes)), "change", highlight)
    decimals = 0 if float(step).is_integer() else 1 if float(step * 10).is_integer() else 2
    ticks = {f"tick{n + 2}": words.number(n * sign * step, signed=n != 0, decimals=decimals)
             for n in (-2, 0, 2)}
    titles = {code: words.number(value, signed=True) if value is not None
              else words.STATUS_LABELS[unchanged[code]] for code, value in changes.items()}
    return drawing.fill(classes, titles, ticks, salt)


def _unchanged(status: Status | None) -> Status:
    """The class of a kommun without a change: its status when that says why, else no data."""
    return status if status in UNCHANGED else Status.NO_DATA


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
    power: float = 10 ** math.floor(math.log10(typical))
    return next(n * power for n in NICE_STEPS if n * power >= typical)


def change_class(improvement: float, step: float) -> int:
    """1, 2, 3: improved by up to one step, up to two, more; 0, −1, −2: not improved,
    worse by at least one step, by at least two."""
    if improvement > 0:
        return min(3, math.ceil(improvement / step))
    return -min(2, math.floor(-improvement / step))


@lru_cache(maxsize=8)
def _drawing(codes: tuple[str, ...], kind: str, highlight: str | None) -> Drawing:
    """These kommuner drawn by matplotlib for a kind of map ('status' or 'change')."""
    from matplotlib.collections import PathCollection

    every = shapes("fine" if len(codes) <= FINE_UP_TO else "coarse")
    own = [every[code] for code in codes]
    figure, axes = _figure(own)
    kommuner = PathCollection(own, facecolors="#000000", clip_on=False, **BORDER)
    kommuner.set_urls([f"#kommun-{code}" for code in codes])
    axes.add_collection(kommuner, autolim=False)
    if highlight in codes:
        lines = _outline(every[highlight], axes)
        for kind_of_line, stroke in (("halo", HALO), ("outline", OUTLINE)):
            line = PathCollection(lines, clip_on=False, zorder=3, **stroke)
            line.set_urls([f"#{kind_of_line}-{highlight}"] * len(lines))
            axes.add_collection(line, autolim=False)
    legend = (status_legend if kind == "status" else scale_legend)()
    return _template(svg.markup(figure, "sfh-map"), svg.markup(legend, "sfh-map"))


def _outline(shape: Any, axes: Any) -> list[Any]:
    """The chosen kommun's boundary, and a ring around it when it is too small on this map
    for its outline to be seen (a kommun of Stockholm on a map of Sweden)."""
    from matplotlib.path import Path

    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    radius, extent = RING * max(x1 - x0, y1 - y0), shape.get_extents()
    if max(extent.width, extent.height) >= radius:
        return [shape]
    return [shape, Path.circle(((extent.x0 + extent.x1) / 2, (extent.y0 + extent.y1) / 2),
                               radius)]


def _template(map_markup: str, legend_markup: str) -> Drawing:
    """matplotlib's SVGs of the map and its legend → one template: each kommun's fill and
    tooltip a field, each legend swatch's fill remembered for its class and its pattern
    copied into the map, ids suffixed with the salt (the legend's copies also with '-k')."""
    root, legend = ElementTree.fromstring(map_markup), ElementTree.fromstring(legend_markup)
    legend.set("class", LEGEND_CLASS)
    fills: dict[Any, str] = {}
    for tree in (root, legend):
        for parent in tree.iter():
            for n, child in enumerate(parent):
                kind, _, key = child.get(HREF, "").removeprefix("#").partition("-")
                if child.tag == LINK and kind in ("kommun", "halo", "outline", "swatch"):
                    parent[n] = _marked(child[0], kind, key, fills)
    _share_borders(root)
    _definitions(root).extend(copy.deepcopy(list(_definitions(legend))))
    text = "".join(_salted(tree, suffix) for tree, suffix in ((root, ""), (legend, "-k")))
    fills = {key: SLOT.sub(r"$\1", value) for key, value in fills.items()}
    return Drawing(Template(SLOT.sub(r"${\1}", text)), fills)


def _definitions(root: ElementTree.Element) -> ElementTree.Element:
    """The drawing's <defs>, added when it has none."""
    found = root.find(svg.DEFS)
    return found if found is not None else ElementTree.SubElement(root, svg.DEFS)


def _salted(root: ElementTree.Element, suffix: str) -> str:
    """A drawing's markup, its ids and references to them suffixed with the salt."""
    for element in root.iter():
        for name, value in element.attrib.items():
            element.set(name, URL.sub(rf"url(#\1-@salt@{suffix})", value))
        if "id" in element.attrib:
            element.set("id", element.attrib["id"] + f"-@salt@{suffix}")
    return ElementTree.tostring(root, encoding="unicode").replace("$", "$$")


def _marked(path: ElementTree.Element, kind: str, key: str, fills: dict[Any, str]
            ) -> ElementTree.Element:
    """A drawn path made a field: a kommun's fill and tooltip, the outline or its halo, a
    swatch."""
    if kind == "swatch":
        fills[_class_key(key)] = URL.sub(r"url(#\1-@salt@)", path.get("fill", ""))
        return path
    path.set("d", path.get("d", "").replace(" L ", " "))  # implicit lineto: a fifth smaller
    if kind in ("halo", "outline"):
        path.set(f"data-{kind}", key)
        return path
    path.set("data-kommun", key)
    path.set("fill", f"@f{key}@")
    ElementTree.SubElement(path, f"{{{svg.SVG_NS}}}title").text = f"@t{key}@"
    return path


def _share_borders(root: ElementTree.Element) -> None:
    """The kommuner's common border style set once, on a group around them: the page is
    smaller and WeasyPrint prints it twice as fast."""
    for parent in root.iter():
        members = [child for child in parent if child.get("data-kommun")]
        if members:
            border = {name: members[0].get(name, "") for name in ("stroke", "stroke-width")}
            group = ElementTree.Element(svg.GROUP, border)
            group.extend(members)
            parent.insert(list(parent).index(members[0]), group)
            for member in members:
                parent.remove(member)
                for name in border:
                    member.attrib.pop(name, None)
            return


def _class_key(text: str) -> Status | int:
    """A swatch's class back from its url: a Status or a change class."""
    return Status(text) if text in {status.value for status in Status} else int(text)


def _figure(paths: list[Any]) -> tuple[Any, Any]:
    """A figure sized to the kommuner's extent (equal aspect)."""
    from matplotlib.transforms import Bbox

    box = Bbox.union([path.get_extents() for path in paths])
    aspect = min(max(box.height / box.width, ASPECT[0]), ASPECT[1])
    figure = figure_class()(figsize=(WIDTH, WIDTH * aspect))
    figure.patch.set_visible(False)
    axes = figure.add_axes((0.01, 0, 0.98, 1))
    axes.set_axis_off()
    axes.set_aspect("equal", adjustable="box")
    axes.set_xlim(box.x0, box.x1)
    axes.set_ylim(box.y0, box.y1)
    return figure, axes
