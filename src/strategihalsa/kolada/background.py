"""Work on a daemon thread that nobody ever has to wait for.

A network call can block in C for as long as a server likes. Run there, it never holds the
process open (a daemon thread is not joined at exit, unlike ThreadPoolExecutor's workers),
and the thread that waits for it can give up at a deadline or be interrupted at once by
Ctrl-C or SIGTERM (a wait on a lock is interruptible; a read in C may not be).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`work()` started at once on a daemon thread; `result()` waits for its outcome."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._done = threading.Event()
        self._value: T | None = None
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
        `deadline` (time.monotonic) has passed, leaving the work to end on its own."""
        left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        if not self._done.wait(left):
            raise TimeoutError("the work did not finish in time")
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
