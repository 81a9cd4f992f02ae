"""Writing many reports: one file per unit in an output folder, with progress.

File names are predictable and safe, `<id>-<ascii slug of the title>.<ext>` (0680-jonkoping.xlsx),
and never point outside the folder whatever a title contains. A unit whose file cannot be
written is reported and skipped; the others are still written.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from strategihalsa.errors import OutputError, SfhError
from strategihalsa.output import write_atomic
from strategihalsa.render import EXTENSIONS, Format, render_file
from strategihalsa.report import UnitReport
from strategihalsa.units import Unit, normalise

MAX_SLUG = 60
PARALLEL_FROM = 24  # reports; below this, starting processes costs more than it saves
MAX_WORKERS = 8


def slug(title: str) -> str:
    """'Upplands Väsby' → 'upplands-vasby'; only a-z, 0-9 and '-'."""
    ascii_only = normalise(title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:MAX_SLUG].strip("-") or "enhet"


def file_path(folder: Path, unit: Unit, output_format: Format) -> Path:
    """The report file of a unit inside `folder`; refuses anything that would escape it."""
    unit_id = re.sub(r"[^0-9A-Za-z]", "", unit.id) or "enhet"
    path = folder / f"{unit_id}-{slug(unit.title)}.{EXTENSIONS[output_format]}"
    if path.resolve().parent != folder.resolve():
        raise OutputError(f"refusing to write {path}: outside {folder}")
    return path


@dataclass
class BatchResult:
    """What a batch run wrote and what failed."""

    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def write_one(report: UnitReport, output_format: Format, folder: Path) -> tuple[Path | None, str]:
    """Render and write one report; (path, "") on success, (None, message) on failure."""
    try:
        path = file_path(folder, report.unit, output_format)
        write_atomic(path, render_file([report], output_format))
    except SfhError as exc:
        return None, f"{report.unit.id} {report.unit.title}: {exc}"
    return path, ""


def default_workers(reports: list[UnitReport], output_format: Format) -> int:
    """Processes for rendering: one per core for large Excel batches, else just this one."""
    if output_format is Format.xlsx and len(reports) >= PARALLEL_FROM:
        return max(1, min(os.cpu_count() or 1, MAX_WORKERS))
    return 1


def write_reports(reports: list[UnitReport], output_format: Format, folder: Path,
                  show_progress: bool, workers: int | None = None) -> BatchResult:
    """Write one file per report, in parallel processes for large Excel batches (openpyxl is
    pure Python and dominates the time); a rich progress bar on stderr when asked for."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    result = BatchResult()
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), disable=not show_progress,
                  transient=True) as progress:
        task = progress.add_task("Skriver rapporter", total=len(reports))
        for path, failure in _outcomes(reports, output_format, folder,
                                       workers or default_workers(reports, output_format)):
            if path:
                result.written.append(path)
            else:
                result.failed.append(failure)
            progress.advance(task)
    return result


def _outcomes(reports: list[UnitReport], output_format: Format, folder: Path,
              workers: int) -> Iterator[tuple[Path | None, str]]:
    """write_one for every report, here or in a pool of spawned processes."""
    if workers <= 1:
        yield from (write_one(report, output_format, folder) for report in reports)
        return
    context = multiprocessing.get_context("spawn")  # never fork a process running polars
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [pool.submit(write_one, report, output_format, folder) for report in reports]
        for future in as_completed(futures):
            yield future.result()
