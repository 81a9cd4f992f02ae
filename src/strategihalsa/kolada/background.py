"""Work on a daemon thread that nobody ever has to wait for.

A network call can block in C for as long as a server likes. Run there, it never holds the
process open (a daemon thread is not joined at exit, unlike ThreadPoolExecutor's workers),
and the thread that waits for it can give up at a deadline or stop for Ctrl-C or SIGTERM.
The kernel may hand a signal to any thread, and Python runs its handler in the main thread
only when that thread next runs Python code: so every wait here, and every pause between
retries, is cut into slices of `SLICE` seconds, after each of which a handler can run.
Once the process is stopping (`stop_waiting`, called by the signal handlers), every such
wait in every thread ends at once with `Stopped`, so that even threads someone else joins
(a ThreadPoolExecutor's, at exit) end within a slice. `in_parallel` runs a few independent
tasks so (the executors of `concurrent.futures` join their threads at exit), `Background`
one call whose result is wanted later.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
SLICE = 0.05  # seconds: how soon a waiting thread notices a signal handled by another
STOPPING = threading.Event()


class Stopped(BaseException):
    """The process is stopping: a wait ended early (never caught by `except Exception`)."""


def stop_waiting() -> None:
    """End every wait and pause here, in every thread, from now on."""
    STOPPING.set()


def pause(seconds: float) -> None:
    """Sleep `seconds`, in slices (see the module docstring); Stopped if stopping."""
    until = time.monotonic() + seconds
    while (left := until - time.monotonic()) > 0:
        if STOPPING.wait(min(left, SLICE)):
            raise Stopped()


class Background(Generic[T]):
    """`work()` started at once on a daemon thread; `result()` waits for its outcome."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._done = threading.Event()
        self._value: T  # set by the work before _done, read only after it
        self._error: BaseException | None = None
        threading.Thread(target=self._run, args=(work,), name=name, daemon=True).start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._value = work()
        except BaseException as exc:  # handed to the waiting thread, raised there
            self._error = exc
        finally:
            self._done.set()

    def result(self, deadline: float | None = None) -> T:
        """The work's value (or its exception, raised here); TimeoutError once the
        `deadline` (time.monotonic) has passed, leaving the work to end on its own;
        Stopped if the process is stopping."""
        while not self._done.wait(SLICE):
            if STOPPING.is_set():
                raise Stopped()
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError("the work did not finish in time")
        if self._error is not None:
            raise self._error
        return self._value


def in_parallel(task: Callable[[T], R], items: Sequence[T], workers: int,
                per_worker: Callable[[], AbstractContextManager[object]] = nullcontext,
                ) -> list[R]:
    """`task(item)` for every item on at most `workers` daemon threads, each inside its own
    `per_worker()` context (e.g. a session of its own), results in the order of `items`.
    After a failure no task starts; the failure of the earliest item is raised (the same
    one whatever finished first)."""
    jobs: queue.SimpleQueue[tuple[int, T]] = queue.SimpleQueue()
    for job in enumerate(items):
        jobs.put(job)
    results: dict[int, R] = {}
    failures: dict[int, BaseException] = {}
    stop = threading.Event()

    def work() -> None:
        index = -1  # a failure to set the worker up comes before any task's
        try:
            with per_worker():
                while not stop.is_set():
                    try:
                        index, item = jobs.get_nowait()
                    except queue.Empty:
                        return
                    results[index] = task(item)
        except BaseException as exc:  # handed to the waiting thread, which raises it
            failures[index] = exc
            stop.set()

    try:
        for worker in [Background(work, f"kolada-{n}") for n in range(min(workers, len(items)))]:
            worker.result()
    finally:
        stop.set()
    if failures:
        raise failures[min(failures)]
    return [results[index] for index in range(len(items))]
