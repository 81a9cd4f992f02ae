"""HTML output: a self-contained page per unit like SKR's kommunrapport (CSS and SVG charts
inline, no scripts, nothing from the network: it opens from an e-mail attachment), an
index.html for a batch (units × goals, the spread per indicator), several units side by side
in one page, and the overview.

The pages are built in `pages`, which the PDF format prints too.
"""

from __future__ import annotations

from collections.abc import Sequence

from strategihalsa.model import UnitReport
from strategihalsa.model_overview import Overview
from strategihalsa.model_side import SideBySide
from strategihalsa.render import PARALLEL_FROM, Options, Renderer, charts, pages


def render_reports(reports: Sequence[UnitReport], options: Options) -> bytes:
    """The report page (one per unit in a batch)."""
    return pages.unit_page(reports, options.index, options.spreads).encode("utf-8")


def render_index(reports: Sequence[UnitReport], options: Options) -> bytes:
    """The batch's index.html."""
    return pages.index_page(reports).encode("utf-8")


def render_side_by_side(view: SideBySide, options: Options) -> bytes:
    """Several units compared, then each unit's report, in one page."""
    return pages.compare_page(view).encode("utf-8")


def render_overview(overview: Overview, options: Options) -> bytes:
    """The overview page."""
    return pages.overview_page(overview).encode("utf-8")


RENDERER = Renderer(
    binary=False,
    many=False,
    reports=render_reports,
    overview=render_overview,
    index=render_index,
    batch=pages.batch_options,
    side_by_side=render_side_by_side,
    marks_kommun=True,
    index_file="index.html",
    parallel_from=PARALLEL_FROM,  # text, but as costly to render as a workbook
    ready=charts.require,
)
