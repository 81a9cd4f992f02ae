"""A line chart's SVG written straight from its figure's artists: matplotlib places
everything (limits, transforms, the layout of each text) and draws each artist once per
process to show what its element looks like; each chart then only fills in coordinates
and texts. The markup is what `svg.markup` makes of the same figure (tests/test_charts
compares them; the <defs> always come first, where matplotlib leaves a lone one at its
marker's first use) at a fraction of the cost: matplotlib's own drawing builds a graphics
context, a style sheet and an XML round trip for every artist of every chart.

Only the artists the charts use are known (lines with or without markers, a collection
of grid lines, spines, texts); any other visible artist is an error, not a silent gap.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from strategihalsa.render import svg

HREF = "{http://www.w3.org/1999/xlink}href"
FIELD = "@@%s@@"  # a template field while the template is serialised
PLACEHOLDER = re.compile(r"@@(\w+)@@")
UNROTATED = "rotate(-0 "  # svg.serialise drops this transform
KEPT = 4096  # text styles, and sizes of words in a style, whose look is kept per process
TEMPLATES: dict[tuple[Any, ...], str] = {}
BASELINES: dict[tuple[Any, ...], float] = {}


@dataclass(frozen=True)
class Look:
    """How matplotlib writes one line: its path, its marker's definition and each use of
    the marker, as templates with the coordinates left out."""

    path: str
    marker: str
    use: str


def markup(figure: Any, salt: str) -> str:
    """The figure's SVG, as `svg.markup` would make it (definitions' ids aside: unique
    through `salt` too)."""
    drawn = [a for a in (figure.patch,) if a.get_visible()]  # charts hide it: else an error
    defs, body = layer(figure, drawn + [a for axes in figure.axes for a in _drawn(axes)], salt)
    definitions = f"<defs>{defs}</defs>" if defs else ""
    return f"{_head(figure, bool(defs))}{definitions}{body}</svg>"


def layer(figure: Any, artists: list[Any], salt: str) -> tuple[str, str]:
    """The definitions (markers) and the elements of the figure's `artists`, in this
    order."""
    defs: dict[str, str] = {}
    body = [element for artist in artists
            for element in _elements(artist, figure.bbox.height, salt, defs)]
    return "".join(defs.values()), "".join(body)


def _drawn(axes: Any) -> list[Any]:
    """The axes' visible artists in the order matplotlib draws them (by zorder)."""
    return sorted((a for a in axes.get_children() if a.get_visible()),
                  key=lambda artist: artist.get_zorder())


def _elements(artist: Any, height: float, salt: str, defs: dict[str, str]) -> list[str]:
    """The SVG elements of one artist."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.spines import Spine
    from matplotlib.text import Text

    if isinstance(artist, Line2D):
        return _line(artist, height, salt, defs)
    if isinstance(artist, LineCollection) and _one_look(artist):
        transform = artist.get_transform()
        return [_look(artist).path.format(d=_path(_written(_placed(segment, transform, height))))
                for segment in artist.get_segments()]
    if isinstance(artist, Spine):
        return [_static(artist)]
    if isinstance(artist, Text) and not artist.get_rotation():
        return [_text(artist, height)] if artist.get_text() else []
    raise TypeError(f"chart_svg cannot write this {type(artist).__name__}")


def _one_look(lines: Any) -> bool:
    """Whether all lines of a collection look alike (one element template fits them)."""
    return all(len(found) <= 1 for found in (lines.get_colors(), lines.get_linewidths(),
                                              lines.get_linestyles()))


def _line(line: Any, height: float, salt: str, defs: dict[str, str]) -> list[str]:
    """A line's path, then its marker at each marked point."""
    data = line.get_xydata()
    if not len(data):
        return []
    look, points = _look(line), _placed(data, line.get_transform(), height)
    texts = _written(points)
    found = [look.path.format(d=_path(texts))] if look.path else []
    if look.marker:
        oid = "m" + hashlib.sha256(f"{salt}{look.marker}".encode()).hexdigest()[:10]
        defs.setdefault(oid, look.marker.format(id=oid))
        every = line.get_markevery()
        found += [look.use.format(id=oid, x=x, y=y)
                  for x, y in (texts if every is None else [texts[n] for n in every])]
    return found


def _placed(data: Any, transform: Any, height: float) -> Any:
    """Data points in SVG coordinates (display coordinates with y down)."""
    points = transform.transform(data)
    points[:, 1] = height - points[:, 1]
    return points


def _written(points: Any) -> list[tuple[str, str]]:
    """Each point's coordinates as written."""
    return [(_number(x), _number(y)) for x, y in points]


def _path(points: list[tuple[str, str]]) -> str:
    """Path data of a polyline through points (written coordinates)."""
    return " L ".join(f"{x} {y}" for x, y in points).join(("M ", ""))


def _text(text: Any, height: float) -> str:
    """A text at its anchor, moved down or up as matplotlib's layout of it says."""
    template, offset = _text_look(text)
    x, y = text.get_transform().transform(text.get_unitless_position())
    return template.format(x=_number(x), y=_number(height - y + offset),
                           text=escape(text.get_text()))


def _number(value: float) -> str:
    """A coordinate as matplotlib writes it, cut to tenths as `svg` cuts it."""
    whole, _, decimals = f"{value:f}".partition(".")  # what svg.tenths makes of
    return whole if decimals == "000000" else f"{whole}.{decimals[0]}"  # matplotlib's


@lru_cache(maxsize=256)
def _look(artist: Any) -> Look:
    """How matplotlib writes a line (or a collection's lines), learnt from one drawing of
    it: its elements with the coordinates as template fields."""
    elements = [_template(e) for e in _learnt(artist)]

    def first(start: str) -> str:
        return next((e for e in elements if e.startswith(start)), "")

    return Look(first("<path d="), first("<path id="), first("<use "))


def _text_look(text: Any) -> tuple[str, float]:
    """The text's element as a template (learnt once per style), and how far below its
    anchor (in points) matplotlib puts its baseline: learnt once per style and size of the
    words (their height and descent are all matplotlib's layout of one line of plain text
    depends on; mathtext and several lines are learnt by their words)."""
    style = (text.get_fontproperties(), text.get_color(), text.get_alpha(), text.get_ha(),
             text.get_va(), text.get_rotation(), text.figure.dpi)
    words = text.get_text()
    _, height, descent = svg.text_size(words, text.get_fontproperties())
    laid_out = words if "$" in words or "\n" in words else ""
    return (_kept(TEMPLATES, style, lambda: _template(_learnt(text)[-1])),
            _kept(BASELINES, (*style, height, descent, laid_out), lambda: _baseline(text)))


def _kept(found: dict[Any, Any], key: Any, make: Callable[[], Any]) -> Any:
    """`found[key]`, made now if it is not there (at most KEPT kept)."""
    if key not in found:
        if len(found) >= KEPT:
            found.clear()
        found[key] = make()
    return found[key]


def _baseline(text: Any) -> float:
    """How far below its anchor matplotlib puts the text's baseline (from its layout)."""
    height = text.figure.bbox.height
    renderer = _baselines()(text.figure.bbox.width, height, io.StringIO())
    renderer.baselines = []
    text.draw(renderer)
    anchor = text.get_transform().transform(text.get_unitless_position())[1]
    return float(renderer.baselines[0] - (height - anchor))


@cache
def _baselines() -> type:
    """An SVG renderer that keeps where each text drawn has its baseline, and no more."""
    class Baselines(svg.renderer_class()):  # type: ignore[misc]  # a class made at run time
        baselines: list[float]

        def draw_text(self, gc: Any, x: float, y: float, *args: Any, **kwargs: Any) -> None:
            """Keep the baseline (in SVG coordinates)."""
            self.baselines.append(y)

    return Baselines


def _learnt(artist: Any) -> list[ElementTree.Element]:
    """The elements matplotlib draws for the artist alone (definitions first)."""
    root = svg.drawn(artist.figure, "learn", [artist])
    return [item for child in root for item in (child if child.tag == svg.DEFS else [child])]


def _template(element: ElementTree.Element) -> str:
    """An element's markup with its coordinates, id, marker reference and words as
    template fields ({x}, {y}, {d}, {id}, {text}); a definition keeps its path."""
    tag, attributes = element.tag.rpartition("}")[2], element.attrib
    fields = {"id": FIELD % "id"} if "id" in attributes else {}
    fields |= {"xlink:href": "#" + FIELD % "id"} if HREF in attributes else {}
    moving = ("x", "y") if "id" in attributes else ("d", "x", "y")
    fields |= {name: FIELD % name for name in moving if name in attributes}
    copy = ElementTree.Element(tag, fields | {
        name: value for name, value in attributes.items() if name not in (*fields, HREF)
        and not (name == "transform" and value.startswith(UNROTATED))})
    copy.text = FIELD % "text" if element.text else None
    markup = ElementTree.tostring(copy, encoding="unicode")
    return PLACEHOLDER.sub(r"{\1}", markup.replace("{", "{{").replace("}", "}}"))


@cache
def _static(artist: Any) -> str:
    """The markup of an artist that looks the same in every chart (a spine)."""
    return svg.serialise(svg.drawn(artist.figure, "learn", [artist])) \
        .split(">", 1)[1].rsplit("</svg>", 1)[0]


def _head(figure: Any, linked: bool) -> str:
    """The opening <svg> tag of the figure (with the xlink namespace where a marker is
    used, as ElementTree declares it)."""
    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if linked else ""
    box = " ".join(f"{v:f}".rstrip("0").rstrip(".") for v in figure.bbox.size)
    style = "".join(f' {name}="{value}"' for name, value in svg.ROOT_STYLE.items())
    return f'<svg xmlns="{svg.SVG_NS}"{xlink} viewBox="0 0 {box}" version="1.1"{style}>'
