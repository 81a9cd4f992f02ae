"""Independent tasks on a few daemon threads, results in the order the tasks were given.

Daemon threads, because a Ctrl-C or SIGTERM must end the process within 2 s whatever the
network does: the executors of `concurrent.futures` join their threads at exit, so one worker
stuck in a 30-second read would hold the process up. The calling thread only waits, in short
slices, so a KeyboardInterrupt reaches it at once. A failure stops the rest: each worker
finishes the task in hand and takes no other. `Background` runs one call so, for a
result wanted later.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
WAIT_SLICE = 0.05


def in_parallel(task: Callable[[T], R], items: Sequence[T], workers: int,
                per_worker: Callable[[], AbstractContextManager[object]] = nullcontext,
                ) -> list[R]:
    """`task(item)` for every item on at most `workers` threads, each inside its own
    `per_worker()` context (e.g. a session of its own). After a failure no task starts;
    the failure of the earliest item is raised (the same one whatever finished first)."""
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

    threads = [threading.Thread(target=work, name=f"kolada-{n}", daemon=True)
               for n in range(min(workers, len(items)))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(WAIT_SLICE)
    finally:
        stop.set()
    if failures:
        raise failures[min(failures)]
    return [results[index] for index in range(len(items))]


class Background(Generic[R]):
    """One call running on a daemon thread; `result()` waits for it in short slices."""

    def __init__(self, call: Callable[[], R]) -> None:
        self._outcome: list[tuple[bool, Any]] = []
        self._thread = threading.Thread(target=self._run, args=(call,), name="kolada-early",
                                        daemon=True)
        self._thread.start()

    def _run(self, call: Callable[[], R]) -> None:
        try:
            self._outcome.append((True, call()))
        except BaseException as exc:  # handed to the thread that asks for the result
            self._outcome.append((False, exc))

    def result(self) -> R:
        """What the call returned; what it raised is raised here."""
        while self._thread.is_alive():
            self._thread.join(WAIT_SLICE)
        returned, value = self._outcome[0]
        if not returned:
            raise value
        return value
