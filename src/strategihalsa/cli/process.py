"""How the `sfh` process meets its surroundings, so that nothing ends in a traceback or a
boxed panel: Click's usage errors become one `sfh: error: …` line (exit 2), a reader that
closes stdout early ends the output quietly, a stdout that cannot be written (a full disk,
/dev/full) is exit 5, a stream that cannot encode Swedish replaces what it cannot show,
SIGTERM and SIGHUP unwind like Ctrl-C and exit 128 + the signal's number (143, 129; Ctrl-C:
130); each of the three also ends every wait for Kolada, in every thread, at once.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click.exceptions import NoArgsIsHelpError

from strategihalsa.cli import stops
from strategihalsa.errors import ExitCode, OutputError
from strategihalsa.kolada.background import stop_waiting
from strategihalsa.text import clean

if TYPE_CHECKING:
    from rich.console import Console

GOAL_LIST = re.compile(r"^\d+(,\d+)*$")


def expand_goal_shorthand(args: list[str]) -> list[str]:
    """'--fail-on-missed 3,4,13' (or '=3,4,13') → '--fail-on-missed --goals 3,4,13'.

    One option with an optional value would blur the two; this keeps the short spelling."""
    expanded: list[str] = []
    for n, arg in enumerate(args):
        following = args[n + 1] if n + 1 < len(args) else ""
        if arg.startswith("--fail-on-missed="):
            expanded += ["--fail-on-missed", "--goals", arg.split("=", 1)[1]]
        elif arg == "--fail-on-missed" and GOAL_LIST.match(following):
            expanded += [arg, "--goals"]
        else:
            expanded.append(arg)
    return expanded


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived. Like KeyboardInterrupt it unwinds everything (temporary
    files are removed, batch workers stopped) but it is caught only at the top, as exit
    128 + the signal's number: 143 for SIGTERM, 129 for SIGHUP."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def words(self) -> str:
        """What stderr says: 'terminated', or 'hung up' for SIGHUP."""
        return stops.words(self.signum)


LIVE: list[Console] = []  # the stderr console of a running spinner, if any


def error(message: str) -> None:
    """A diagnostic on stderr, free of control characters and escape sequences (printed
    above a running spinner rather than through it)."""
    line = f"sfh: {clean(message)}"
    if LIVE:
        from rich.text import Text

        LIVE[-1].print(Text(line))
    else:
        click.echo(line, err=True)


def say(message: str, quiet: bool = False) -> None:
    """What was done (files written), on stderr; nothing when quiet."""
    if not quiet:
        error(message)


def discard_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered for a closed or full stdout
    cannot fail again when Python flushes it on exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


@contextmanager
def writing_stdout() -> Iterator[None]:
    """Output to stdout: a reader that went away (`| head`) ends it quietly and the run goes
    on; a stdout that is closed or cannot be written is an OutputError (exit 5)."""
    if sys.stdout is None:
        raise OutputError("cannot write to stdout: it is closed")
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()
    except OSError as exc:
        discard_stdout()
        raise OutputError(f"cannot write to stdout: {exc.strerror or exc}") from None


def finish_stdout() -> None:
    """Flush what is left for stdout, if there is a stdout."""
    if sys.stdout is not None:
        with writing_stdout():
            pass


def stdout_console() -> Console:
    """A rich console on stdout that, when the reader goes away, stops printing instead of
    exiting 1 (rich's default)."""
    from rich.console import Console

    class QuietWhenClosed(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            discard_stdout()

    return QuietWhenClosed(highlight=False)


def out(text: str) -> None:
    """A line of data on stdout."""
    with writing_stdout():
        click.echo(text)


def usage_line(exc: click.UsageError) -> str:
    """Click's usage error as one line, with where to look for the right usage."""
    message = " ".join(usage_message(exc).split()).rstrip(".")
    message = message[:1].lower() + message[1:]
    where = f"; see '{exc.ctx.command_path} --help'" if exc.ctx is not None else ""
    return f"error: {message}{where}"


def usage_message(exc: click.UsageError) -> str:
    """Click's message, an unknown option in the words sfh has always used: 'no such
    option: --kommune (Possible options: --kommun)'."""
    if not isinstance(exc, click.NoSuchOption):
        return exc.format_message()
    possible = ", ".join(sorted(exc.possibilities or []))
    return f"no such option: {exc.option_name}" + (f" (Possible options: {possible})"
                                                    if possible else "")


def leave(code: int) -> NoReturn:
    """End the process with `code`, its exit handlers run and its streams flushed, without
    tearing the interpreter down: freeing every module and object (polars, requests, the
    reports) costs 0.05–0.07 s of a 0.45 s report, and seconds after a batch, of the 2 s a
    stop may take. It also spares a stop CPython's own end, which kills the process by
    SIGINT, whatever its exit code, once a KeyboardInterrupt has passed through code run by
    its PyRun_* functions (as polars' Rust runs some)."""
    atexit._run_exitfuncs()  # what libraries clean up at exit (temporary files, sockets)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)


def outcome(run: Callable[[], Any]) -> int:
    """Run the command line; every way it can end becomes an exit code and at most one
    line on stderr."""
    try:
        result = run()
        finish_stdout()
    except NoArgsIsHelpError as exc:  # `sfh` alone: the help, on stderr
        exc.show()
        return ExitCode.USAGE
    except click.UsageError as exc:
        error(usage_line(exc))
        return ExitCode.USAGE
    except click.ClickException as exc:
        error(f"error: {clean(exc.format_message())}")
        return exc.exit_code
    except OutputError as exc:
        error(f"error: {exc}")
        return exc.exit_code
    except Terminated as exc:
        error(exc.words)
        return 128 + exc.signum
    except (KeyboardInterrupt, click.Abort):
        error(stops.WORDS["SIGINT"])
        return ExitCode.INTERRUPTED
    return result if isinstance(result, int) else ExitCode.OK


def prepare_streams() -> None:
    """Streams that cannot encode Swedish (PYTHONIOENCODING=ascii) replace what they cannot
    show instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def raise_terminated(signum: int, frame: object) -> None:
    """SIGTERM/SIGHUP handler: unwind as Terminated (a second one ends the process at once)."""
    signal.signal(signum, signal.SIG_DFL)
    stop_waiting()
    raise Terminated(signum)


def raise_interrupted(signum: int, frame: object) -> None:
    """Ctrl-C handler: unwind as KeyboardInterrupt, as Python's own handler does."""
    stop_waiting()
    raise KeyboardInterrupt()


def handle_termination() -> None:
    """Turn SIGTERM and SIGHUP into Terminated and Ctrl-C into KeyboardInterrupt, each
    ending every wait for Kolada in every thread."""
    stops.handle(lambda name: raise_interrupted if name == "SIGINT" else raise_terminated)
