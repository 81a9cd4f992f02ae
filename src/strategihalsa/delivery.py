"""Getting rendered output to where it belongs: files written atomically (special files
written directly), safe file names for one file per unit, and large batches rendered in
parallel worker processes. Functions here return what they did; the CLI prints it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from strategihalsa.errors import OutputError, SfhError
from strategihalsa.model import UnitReport
from strategihalsa.naming import file_name
from strategihalsa.render import Options, extension, renderer
from strategihalsa.units import Unit

MAX_WORKERS = 8
TEMP_SUFFIX = ".tmp"


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
                workers: int | None = None) -> BatchResult:
    """One file per report in `folder` (plus the format's index file, if it has one), in
    parallel processes for large batches; `advance` is called after each file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    result = BatchResult()
    count = workers or default_workers(reports, output_format)
    for path, failure in _outcomes(reports, output_format, options, folder, count):
        result.written.append(path) if path else result.failed.append(failure)
        advance()
    index = renderer(output_format).index
    if index and not result.failed:
        path = folder / f"index.{extension(output_format)}"
        write_file(path, index(reports, options))
        result.written.append(path)
    return result


def _outcomes(reports: Sequence[UnitReport], output_format: str, options: Options,
              folder: Path, workers: int) -> Iterator[tuple[Path | None, str]]:
    """write_one for every report, here or in a pool of spawned processes; on an interrupt
    the workers are stopped at once and their half-written files removed."""
    if workers <= 1:
        yield from (write_one(r, output_format, options, folder) for r in reports)
        return
    import multiprocessing

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
    """Terminate the workers now and remove the temporary files they left for `paths`."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=2)
    for path in paths:
        for leftover in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)
