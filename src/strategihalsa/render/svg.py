"""matplotlib's SVG made fit to inline in an HTML page: no XML prolog or metadata, styles
as presentation attributes (nothing for a page's CSS cascade to parse), one <defs>, no
attribute-less groups, no element ids that would repeat across charts, coordinates to
tenths of a point. The geometry is matplotlib's; only its notation changes."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any, cast
from xml.etree import ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
GROUP, STYLE, DEFS = (f"{{{SVG_NS}}}{tag}" for tag in ("g", "style", "defs"))
ROOT_STYLE = {"stroke-linejoin": "round", "stroke-linecap": "butt"}  # matplotlib's sheet
NO_ROTATION = re.compile(r' transform="rotate\(-0 [^"]*\)"')
PRECISE = re.compile(r"(\.\d)\d+")  # tenths of a point are plenty (0.04 mm on paper)
GEOMETRY = ("d", "x", "y", "width", "height")
NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
PREFIXES = {"": SVG_NS, "xlink": "http://www.w3.org/1999/xlink"}
DPI = 72  # figures drawn at 72 dpi: a point is an SVG user unit, as savefig would make it


def markup(figure: Any, salt: str) -> str:
    """The figure as compact SVG markup for inlining: no XML prolog or metadata, styles as
    presentation attributes (nothing for the page's CSS cascade to parse), no attribute-less
    groups, no element ids that would repeat across charts (definitions keep ids unique
    through `salt`)."""
    return serialise(drawn(figure, salt))


def drawn(figure: Any, salt: str, artists: Sequence[Any] | None = None) -> ElementTree.Element:
    """The figure drawn as a tidy SVG element, or only `artists` of it on an empty canvas
    of its size (a layer to put over a drawing of the rest)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = salt
    buffer = io.StringIO()
    renderer = renderer_class()(figure.bbox.width, figure.bbox.height, buffer,
                           metadata=NO_METADATA)
    for artist in [figure] if artists is None else artists:
        artist.draw(renderer)
    renderer.finalize()
    root = ElementTree.fromstring(buffer.getvalue())
    for attribute in ("width", "height"):  # the viewBox and CSS size it
        root.attrib.pop(attribute, None)
    root.attrib.update(ROOT_STYLE)
    _flatten(root)
    _gather_definitions(root)
    return root


def layered(base: str, defs: str, body: str) -> str:
    """The markup `base` with more definitions and, over everything, more elements."""
    head, found, rest = base.partition("</defs>")
    if not found:  # no <defs> yet: they go first
        head, _, rest = base.partition(">")
        head, rest = f"{head}><defs>", rest
    return f"{head}{defs}</defs>{rest.removesuffix('</svg>')}{body}</svg>"


def serialise(root: ElementTree.Element) -> str:
    """An SVG element as markup (no XML prolog, no rotation by nothing)."""
    for prefix, uri in PREFIXES.items():  # the registry is global: others may change it
        ElementTree.register_namespace(prefix, uri)
    return NO_ROTATION.sub("", ElementTree.tostring(root, encoding="unicode"))


def text_size(words: str, prop: Any) -> tuple[float, float, float]:
    """Width, height and descent (points) of plain text in a font, as the SVG renderer
    measures it (once per process)."""
    renderer: Any = renderer_class()
    return cast(tuple[float, float, float], renderer.measure(words, prop))


@cache
def renderer_class() -> type:
    """matplotlib's SVG renderer, measuring text once per process rather than once per
    chart (each chart has a new renderer, and matplotlib caches measures per renderer),
    and without the group around each artist (which `_flatten` would only take apart)."""
    from matplotlib.backends.backend_svg import RendererSVG

    class Renderer(RendererSVG):
        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any
                                          ) -> tuple[float, float, float]:
            """The size of a text, from the process-wide cache."""
            return _measure(s, prop.copy(), ismath)

        @staticmethod
        def measure(s: str, prop: Any) -> tuple[float, float, float]:
            """Width, height and descent of plain text (no mathtext) in a font."""
            return _measure(s, prop.copy(), False)

        def open_group(self, s: str, gid: str | None = None) -> None:
            """No group per artist."""

        def close_group(self, s: str) -> None:
            """No group per artist."""

    @lru_cache(maxsize=4096)
    def _measure(s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
        size = RendererSVG.get_text_width_height_descent(measurer, s, prop, ismath)
        return cast(tuple[float, float, float], size)  # the SVG backend is unannotated

    measurer = RendererSVG(1, 1, io.StringIO())
    return Renderer


def _flatten(element: ElementTree.Element) -> None:
    """Replace groups without attributes by their children, style sheets and style
    attributes by presentation attributes; drop group ids and whitespace."""
    children: list[ElementTree.Element] = []
    if element.text and not element.text.strip():
        element.text = None
    for child in element:
        _flatten(child)
        child.tail = None
        _presentation(child)
        if child.tag == GROUP:
            child.attrib.pop("id", None)
        if child.tag in (STYLE, DEFS) and not len(child) and not child.attrib.get("id"):
            continue  # the style sheet, then its emptied <defs>
        children.extend(list(child) if child.tag == GROUP and not child.attrib else [child])
    element[:] = children


def _gather_definitions(root: ElementTree.Element) -> None:
    """All <defs> (markers, clip paths) merged into one, first."""
    definitions = [child for child in root if child.tag == DEFS]
    if len(definitions) > 1:
        merged = ElementTree.Element(DEFS)
        merged.extend(item for defs in definitions for item in defs)
        root[:] = [merged, *(child for child in root if child.tag != DEFS)]


def _presentation(element: ElementTree.Element) -> None:
    """`style="fill: none; stroke: #000"` → `fill="none" stroke="#000"`; coordinates to
    tenths and single spaces (the page is smaller and parses faster)."""
    attributes = element.attrib
    for name in GEOMETRY:
        if name in attributes:
            attributes[name] = " ".join(tenths(attributes[name]).split())
    for name, value in _declarations(attributes.pop("style", "")):
        attributes.setdefault(name, value)


def tenths(numbers: str) -> str:
    """Every number in the text cut after its tenths."""
    return PRECISE.sub(_tenths, numbers)


def _tenths(number: re.Match[str]) -> str:
    """A matched number cut after its tenths."""
    return number[1]


@lru_cache(maxsize=1024)
def _declarations(style: str) -> tuple[tuple[str, str], ...]:
    """The (property, value) pairs of a style attribute (the same few recur in every
    chart)."""
    pairs = (declaration.partition(":") for declaration in style.split(";"))
    return tuple((name.strip(), value.strip()) for name, _, value in pairs
                 if name.strip() and value.strip())
