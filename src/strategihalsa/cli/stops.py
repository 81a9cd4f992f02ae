"""The signals that stop `sfh`, what stderr says for each, and how their handlers are
installed: first `stop_now` (while the command line is still being imported, before
anything is fetched or written), then the command line's own (cli/process.py). No Click
here: `sfh` installs the first handlers before it imports anything heavy."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

WORDS = {"SIGTERM": "terminated", "SIGHUP": "hung up", "SIGINT": "interrupted"}


def words(signum: int) -> str:
    """What stderr says for a stop by this signal."""
    return next((said for name, said in WORDS.items()
                 if getattr(signal, name, None) == signum), "stopped")


def handle(handler_of: Callable[[str], Any]) -> None:
    """Install `handler_of(name)` for each stop signal, except one that is ignored (as SIGHUP
    under nohup, or SIGINT for a job a shell started in the background): it stays ignored."""
    for name in WORDS:
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, handler_of(name))


def stop_now(signum: int, frame: object) -> None:
    """A stop before the command line has started anything: one line, and exit 128 + the
    signal's number at once (130 for Ctrl-C, 143 for SIGTERM)."""
    os.write(2, f"sfh: {words(signum)}\n".encode())
    os._exit(128 + signum)
