"""Output formats behind one small interface.

Each format is one module in this package exposing `RENDERER`, a `Renderer` that says what
the format can do (its file extension, text or binary, several reports in one file or one
per unit, an overview, a batch index page, a live terminal view) and does it. `REGISTRY`
maps a format name to its file extension; the module has the format's name. Adding a format
is one new module plus one line here. Renderers never import each other: shared words and
number formatting live in `words`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from rich.console import Console

    from strategihalsa.model import UnitReport
    from strategihalsa.model_overview import Overview
    from strategihalsa.model_side import SideBySide
    from strategihalsa.render.pages import SpreadRow

# format name (and module) → file extension
REGISTRY = {
    "table": "txt",
    "json": "json",
    "csv": "csv",
    "xlsx": "xlsx",
    "html": "html",
    "pdf": "pdf",
}

PARALLEL_FROM = 24  # reports; below this, starting processes costs more than it saves
# built from REGISTRY, so mypy cannot list the members: spell them Format("table"), not .table
Format = StrEnum("Format", {name: name for name in REGISTRY})  # type: ignore[misc]
Format.__doc__ = "The output formats, one per module of this package."


class CsvDialect(StrEnum):
    """CSV for programs (RFC 4180) or for Swedish Excel opened by double-click."""

    rfc = "rfc"
    excel = "excel"


@dataclass(frozen=True)
class Options:
    """Choices that some formats honour (the others ignore them)."""

    width: int = 160
    csv_dialect: CsvDialect = CsvDialect.rfc
    index: str | None = None  # a batch's index page that each unit page links back to
    spreads: tuple[SpreadRow, ...] = ()  # a län batch's spreads, each unit's own marked


@dataclass(frozen=True)
class Renderer:
    """What one output format can do, and how.

    `reports` renders reports into one file's bytes; with `many` False a file holds one report
    (a batch writes one file per unit). `overview` renders `sfh overview`. `index` makes a
    batch's summary file from all its reports (None: none for this batch), named
    `index_file`, or after the batch's län when that is None; `join` makes it instead from
    the reports and their files as written, in report order. `batch` gives the options
    for every unit of a batch from all its reports (computed once, before any unit).
    `side_by_side` renders several units compared goal by goal into one file. `draw`,
    `draw_overview` and `draw_side_by_side` print live to a terminal console. `ready` raises
    a UsageError when something the format needs is missing (checked before anything is
    fetched). `marks_kommun`: the overview shows a chosen kommun (its maps and spread
    charts mark it).
    `parallel_from` is the batch size from which rendering in worker processes pays (None:
    PARALLEL_FROM for binary formats, else never)."""

    binary: bool
    many: bool
    reports: Callable[[Sequence[UnitReport], Options], bytes]
    overview: Callable[[Overview, Options], bytes] | None = None
    index: Callable[[Sequence[UnitReport], Options], bytes | None] | None = None
    index_file: str | None = None
    join: Callable[[Sequence[UnitReport], Options, Sequence[Path]], bytes | None] | None = None
    batch: Callable[[Sequence[UnitReport], Options], Options] | None = None
    draw: Callable[[Sequence[UnitReport], Console], None] | None = None
    draw_overview: Callable[[Overview, Console], None] | None = None
    parallel_from: int | None = None
    ready: Callable[[], object] | None = None
    side_by_side: Callable[[SideBySide, Options], bytes] | None = None
    draw_side_by_side: Callable[[SideBySide, Console], None] | None = None
    marks_kommun: bool = False

    @property
    def parallel_threshold(self) -> int | None:
        """Batches of at least this many reports render in worker processes (None: never)."""
        if self.parallel_from is not None:
            return self.parallel_from
        return PARALLEL_FROM if self.binary else None


def renderer(output_format: str) -> Renderer:
    """The renderer of a format (its module is imported only now)."""
    module = importlib.import_module(f"strategihalsa.render.{Format(output_format).value}")
    return cast(Renderer, module.RENDERER)  # imported by name: every format module has one


def extension(output_format: str) -> str:
    """The file extension of a format, without a dot."""
    return REGISTRY[Format(output_format).value]


def format_of(path: Path) -> Format | None:
    """The format a file name's extension implies (.xlsx → xlsx, .txt → table), or None."""
    suffix = path.suffix.lower().lstrip(".")
    return next((Format(name) for name, ext in REGISTRY.items() if ext == suffix), None)
