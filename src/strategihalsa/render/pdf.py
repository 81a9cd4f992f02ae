"""PDF output: the HTML report page printed by WeasyPrint (A4 portrait, vector charts); a
batch of one län also as one document with a table of contents and a bookmark per unit.

WeasyPrint is an optional extra; without it `--format pdf` exits 2 with the command that
installs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from strategihalsa.errors import UsageError, argument
from strategihalsa.model import SideBySide, UnitReport
from strategihalsa.render import Options, Renderer, charts, lan, pages

INSTALL = "python -m pip install 'strategihalsa[pdf]'"


def weasyprint() -> Any:
    """The weasyprint module, or a UsageError saying how to install it."""
    try:
        import weasyprint as module
    except (ImportError, OSError) as exc:  # OSError: its system libraries (Pango) missing
        raise UsageError(f"{argument('output_format')} pdf needs WeasyPrint: {INSTALL} ({exc})"
                         ) from None
    return module


def print_pdf(page: str) -> bytes:
    """An HTML page as PDF bytes."""
    return cast(bytes, weasyprint().HTML(string=page, base_url=None).write_pdf())  # untyped


def render_reports(reports: Sequence[UnitReport], options: Options) -> bytes:
    """The report page of the unit(s) as PDF."""
    return print_pdf(pages.unit_page(reports))


def render_side_by_side(view: SideBySide, options: Options) -> bytes:
    """The side-by-side page as PDF: the comparison (landscape), then each unit's report."""
    return print_pdf(pages.compare_page(view))


def render_lan(reports: Sequence[UnitReport], options: Options) -> bytes | None:
    """A batch of one län as one PDF: contents with page numbers, the index with its maps,
    every unit's report (None for units of several län: thousands of pages)."""
    return print_pdf(pages.lan_document(reports)) if lan.scope(reports) else None


RENDERER = Renderer(
    binary=True,
    many=False,
    reports=render_reports,
    overview=lambda overview, options: print_pdf(pages.overview_page(overview)),
    index=render_lan,
    ready=lambda: (charts.require(), weasyprint()),
    side_by_side=render_side_by_side,
)
