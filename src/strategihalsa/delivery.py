"""Getting rendered output to where it belongs: files written atomically (special files
written directly), safe file names for one file per unit, and large batches rendered in
parallel worker processes. Functions here return what they did; the CLI prints it.

With `if_changed`, a batch leaves a file untouched (mtime kept) when its report is the same
as when the file was written: each report's fingerprint (everything it shows except the
times it was made and its data fetched) is kept in `.sfh-batch.json` in the folder, with
the size and mtime of the file written, so a file changed by hand is written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from strategihalsa import __version__
from strategihalsa.errors import OutputError, SfhError
from strategihalsa.model import UnitReport
from strategihalsa.model_side import SideBySide
from strategihalsa.naming import comparison_file_name, file_name, summary_file_name
from strategihalsa.render import Options, extension, renderer
from strategihalsa.units import Unit

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.process import BaseProcess

MAX_WORKERS = 8
TEMP_SUFFIX = ".tmp"
FINGERPRINTS = ".sfh-batch.json"
STOP_GRACE = 0.5  # seconds a stopped worker has to end before it is killed


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path`: a regular file (or a new one) atomically via a temporary file,
    fsync and rename, keeping the permissions of a file it replaces; a device, FIFO or
    socket (e.g. /dev/null, /proc/self/fd/1) directly, never replacing it."""
    try:
        mode = path.stat().st_mode  # of what a link points to
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if mode is not None and not stat.S_ISREG(mode):
        _write_directly(path, data)
    else:
        target = path.resolve() if path.is_symlink() else path
        _write_atomically(target, data, None if mode is None else stat.S_IMODE(mode))


def _write_directly(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _write_atomically(path: Path, data: bytes, mode: int | None) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                             dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644 & ~_umask() if mode is None else mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_path(folder: Path, unit: Unit, output_format: str) -> Path:
    """The report file of a unit inside `folder`; refuses anything that would escape it."""
    path = folder / file_name(unit, extension(output_format))
    if path.resolve().parent != folder.resolve():
        raise OutputError(f"refusing to write {path}: outside {folder}")
    return path


@dataclass
class BatchResult:
    """What a batch run wrote and what failed."""

    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def write_one(report: UnitReport, output_format: str, options: Options, folder: Path
              ) -> tuple[Path | None, str]:
    """Render and write one report; (path, "") on success, (None, message) on failure."""
    try:
        path = file_path(folder, report.unit, output_format)
        write_file(path, renderer(output_format).reports([report], options))
    except SfhError as exc:
        return None, f"{report.unit.id} {report.unit.title}: {exc}"
    except Exception as exc:  # a renderer's bug must not lose the rest of the batch
        return None, f"{report.unit.id} {report.unit.title}: {type(exc).__name__}: {exc}"
    return path, ""


def default_workers(reports: Sequence[UnitReport], output_format: str) -> int:
    """Processes for rendering: one per core for batches as large as the format's parallel
    threshold, else just this one."""
    threshold = renderer(output_format).parallel_threshold
    if threshold is not None and len(reports) >= threshold:
        return max(1, min(os.cpu_count() or 1, MAX_WORKERS))
    return 1


def write_batch(reports: Sequence[UnitReport], output_format: str, options: Options,
                folder: Path, advance: Callable[[], None] = lambda: None,
                workers: int | None = None, if_changed: bool = False,
                comparison: SideBySide | None = None) -> BatchResult:
    """One file per report in `folder` (plus the format's summary file, if it has one), in
    parallel processes for large batches; `advance` is called after each file. With
    `if_changed`, files whose report did not change are left as they are. With a
    `comparison` (the units named side by side), the summary is that comparison."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    options = unit_options(reports, output_format, options, comparison)
    result = BatchResult()
    prints = {file_name(r.unit, extension(output_format)): fingerprint(r, output_format, options)
              for r in reports} if if_changed else {}
    todo, result.unchanged = _unchanged(reports, output_format, folder, prints)
    for _ in result.unchanged:
        advance()
    count = workers or default_workers(todo, output_format)
    for path, failure in _outcomes(todo, output_format, options, folder, count):
        result.written.append(path) if path else result.failed.append(failure)
        advance()
    _write_summary(reports, output_format, options, folder, result, bool(todo), comparison)
    if if_changed:
        _keep_fingerprints(folder, prints, result.written)
    return result


def unit_options(reports: Sequence[UnitReport], output_format: str, options: Options,
                 comparison: SideBySide | None) -> Options:
    """What each unit's file is rendered with: a link back to the summary page, where the
    format has one; the batch's options, unless the units are only compared side by side
    (a few kommuner are not their län)."""
    chosen = renderer(output_format)
    if not summarised(reports, comparison):
        return options
    if chosen.index_file:
        options = replace(options, index=summary_name(reports, output_format, comparison))
    return chosen.batch(reports, options) if chosen.batch and comparison is None else options


def summarised(reports: Sequence[UnitReport], comparison: SideBySide | None) -> bool:
    """Whether a batch has a summary file: units compared side by side, or a batch of
    several units (a single unit written to a folder is just its file)."""
    return comparison is not None or len(reports) > 1


def summary_name(reports: Sequence[UnitReport], output_format: str,
                 comparison: SideBySide | None) -> str:
    """The summary file's name: the comparison's, the format's index page or the län's
    (Sweden's) summary."""
    ext = extension(output_format)
    if comparison is not None:
        return comparison_file_name(comparison.units, ext)
    return renderer(output_format).index_file or summary_file_name([r.unit for r in reports],
                                                                   ext)


def _write_summary(reports: Sequence[UnitReport], output_format: str, options: Options,
                   folder: Path, result: BatchResult, changed: bool,
                   comparison: SideBySide | None) -> None:
    """The summary of the batch (the comparison of units side by side, the index page, the
    län workbook or document, the latter joined from the unit files), when every unit's
    file is there (none failed) and one changed or the summary is not there."""
    chosen = renderer(output_format)
    path = folder / summary_name(reports, output_format, comparison)
    if result.failed or not summarised(reports, comparison) or not (changed or not path.exists()):
        return
    files = [file_path(folder, r.unit, output_format) for r in reports]
    content = chosen.side_by_side(comparison, options) if comparison and chosen.side_by_side \
        else chosen.join(reports, options, files) if chosen.join \
        else chosen.index(reports, options) if chosen.index else None
    if content is not None:
        write_file(path, content)
        result.written.append(path)


def fingerprint(report: UnitReport, output_format: str, options: Options) -> str:
    """A digest of everything a report's file shows, except when it was made and when its
    data was fetched."""
    run = replace(report.run, generated_at="", data_fetched_at="", data_source="")
    shown = repr((__version__, output_format, options, replace(report, run=run)))
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()


def _unchanged(reports: Sequence[UnitReport], output_format: str, folder: Path,
               prints: dict[str, str]) -> tuple[list[UnitReport], list[Path]]:
    """(reports to write, files to leave): a file is left when it is there, untouched since
    it was written, from a report with the same fingerprint."""
    if not prints:
        return list(reports), []
    known = _fingerprints(folder)
    todo, left = [], []
    for report in reports:
        path = folder / file_name(report.unit, extension(output_format))
        before = known.get(path.name) or {}
        same = before.get("fingerprint") == prints[path.name] and \
            before.get("file") == _file_state(path) is not None
        left.append(path) if same else todo.append(report)
    return todo, left


def _file_state(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _fingerprints(folder: Path) -> dict[str, dict[str, Any]]:
    try:
        known = json.loads((folder / FINGERPRINTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _keep_fingerprints(folder: Path, prints: dict[str, str], written: list[Path]) -> None:
    """Record the fingerprints of the files written now (others keep their records)."""
    known = _fingerprints(folder)
    for path in written:
        if path.name in prints:
            known[path.name] = {"fingerprint": prints[path.name], "file": _file_state(path)}
    write_file(folder / FINGERPRINTS, json.dumps(known, indent=0).encode("utf-8"))


def _outcomes(reports: Sequence[UnitReport], output_format: str, options: Options,
              folder: Path, workers: int) -> Iterator[tuple[Path | None, str]]:
    """write_one for every report, here or in a pool of spawned processes; on an interrupt
    the workers are stopped at once and their half-written files removed."""
    if workers <= 1:
        yield from (write_one(r, output_format, options, folder) for r in reports)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed  # ~40 ms: batches only

    context = multiprocessing.get_context("spawn")  # never fork a process running polars
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_setup)
    try:
        futures = [pool.submit(write_one, r, output_format, options, folder) for r in reports]
        for future in as_completed(futures):
            yield future.result()
    except BaseException:
        _stop(pool, [folder / file_name(r.unit, extension(output_format)) for r in reports])
        raise
    pool.shutdown()


def _worker_setup() -> None:
    """Workers leave Ctrl-C to the parent and die with it (Linux: parent-death signal)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _stop(pool: ProcessPoolExecutor, paths: Sequence[Path]) -> None:
    """End the workers now and remove the temporary files they left for `paths`."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    _end(processes)
    for path in paths:
        for leftover in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)


def _end(processes: Sequence[BaseProcess]) -> None:
    """Terminate the processes; kill any still alive after STOP_GRACE seconds in all."""
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(timeout=0.1)
