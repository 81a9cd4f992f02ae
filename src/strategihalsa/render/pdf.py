"""PDF output: the HTML report page printed by WeasyPrint (A4 portrait, vector charts); a
batch of one län also as one document: a front part (contents with page numbers, the index
with its maps) printed by WeasyPrint, joined by pypdf with the units' PDFs as written, each
with its bookmarks.

WeasyPrint and pypdf are the optional `pdf` extra; without WeasyPrint `--format pdf` exits 2
with the command that installs it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from strategihalsa.errors import OutputError, UsageError, argument
from strategihalsa.model import UnitReport
from strategihalsa.model_side import SideBySide
from strategihalsa.render import Options, Renderer, charts, lan, pages

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter

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
    """The report page of the unit(s) as PDF (with a län batch's own spread section)."""
    return print_pdf(pages.unit_page(reports, batch=options.spreads))


def render_side_by_side(view: SideBySide, options: Options) -> bytes:
    """The side-by-side page as PDF: the comparison (landscape), then each unit's report."""
    return print_pdf(pages.compare_page(view))


def join_lan(reports: Sequence[UnitReport], options: Options, files: Sequence[Path]
             ) -> bytes | None:
    """A batch of one län as one PDF: the front part, then each unit's PDF as written, its
    bookmarks kept (None for units of several län: thousands of pages)."""
    if lan.scope(reports) is None:
        return None
    from pypdf import PdfReader, PdfWriter

    units = [unit_pdf(path) for path in files]
    writer = PdfWriter()
    start = PdfReader(io.BytesIO(front(pages.lan_front(reports),
                                       [len(unit.pages) for unit in units])))
    for part in [start, *units]:
        writer.append(part)
    link_pages(writer, len(start.pages))
    number_pages(writer)
    joined = io.BytesIO()
    writer.write(joined)
    return joined.getvalue()


def number_pages(writer: PdfWriter) -> None:
    """Every page's footer counted through the joined document ('Sida 76 av 133'), printed
    over the number each part gave it on its own."""
    from pypdf import PdfReader

    numbers = PdfReader(io.BytesIO(print_pdf(pages.page_numbers(len(writer.pages)))))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)


def link_pages(writer: PdfWriter, front_pages: int) -> None:
    """The front's links to pages of the joined document (printed as PAGE_LINK and a page
    number, since that page is not in the front) made links to that page."""
    from pypdf.generic import ArrayObject, NameObject

    for page in writer.pages[:front_pages]:
        for link in (ref.get_object() for ref in page.get("/Annots", ())):
            uri = str(link.get("/A", {}).get("/URI", ""))
            if uri.startswith(pages.PAGE_LINK):
                target = writer.pages[int(uri.removeprefix(pages.PAGE_LINK)) - 1]
                del link["/A"]
                link[NameObject("/Dest")] = ArrayObject([target.indirect_reference,
                                                         NameObject("/Fit")])


def unit_pdf(path: Path) -> PdfReader:
    """A unit's PDF as written, read by pypdf; an OutputError when it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.pages:
            return reader
    except (OSError, PyPdfError) as exc:
        raise OutputError(f"cannot join {path} into the län PDF: {exc}") from exc
    raise OutputError(f"cannot join {path} into the län PDF: it has no pages")


def front(page: Callable[[Sequence[int]], str], counts: Sequence[int]) -> bytes:
    """The front part printed with each unit's first page in the joined document, laid out
    once more when the numbers themselves change its length."""
    length = 0
    while True:
        starts = list(accumulate([length + 1, *counts[:-1]]))
        document = weasyprint().HTML(string=page(starts), base_url=None).render()
        if len(document.pages) == length:
            return cast(bytes, document.write_pdf())
        length = len(document.pages)


RENDERER = Renderer(
    binary=True,
    many=False,
    reports=render_reports,
    overview=lambda overview, options: print_pdf(pages.overview_page(overview)),
    join=join_lan,
    batch=pages.batch_options,
    ready=lambda: (charts.require(), weasyprint()),
    side_by_side=render_side_by_side,
    marks_kommun=True,
)
