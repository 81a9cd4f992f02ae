"""The Typer app, the options several commands share, and how failures reach the user.

The Kolada connection options are declared once (`CONNECTION`) and added to a command by
`@connected`, which hands the command a ready `Connection`. Diagnostics go to stderr as
`sfh: …`; expected failures become their documented exit code, never a traceback (the
process-level cases — Click's usage errors, stdout, signals — are in `process`).
"""

import functools
import importlib
import inspect
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from strategihalsa import __version__
from strategihalsa.cli.process import (
    LIVE,
    SfhGroup,
    discard_stdout,
    error,
    expand_goal_shorthand,
    handle_termination,
    prepare_streams,
    say,
)
from strategihalsa.errors import ExitCode, SfhError
from strategihalsa.settings import (
    BACKOFF_RANGE,
    DEFAULT_API_URL,
    DEFAULT_BACKOFF,
    DEFAULT_MAX_AGE,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    ENVIRONMENT,
    RETRIES_RANGE,
    TIMEOUT_RANGE,
    ClientSettings,
)

if TYPE_CHECKING:
    from strategihalsa.api import Connection as Arguments
    from strategihalsa.catalogue import Catalogue
    from strategihalsa.kolada.client import KoladaClient
    from strategihalsa.run import Source

EXIT_CODES = """\b
Exit codes:
  0    ok
  1    some goal not met (only with --fail-on-missed)
  2    usage error (bad option, unknown kommun or region, impossible years)
  3    catalogue error (indicators.toml unreadable or invalid)
  4    Kolada unreachable or answering wrongly after retries
  5    cannot write the output
  6    something changed in Kolada (sfh changes)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM); 129 hung up (SIGHUP)"""


class FlagsShowNoType(SfhGroup):
    """`sfh` with flags (options that take no value) shown without a type in `--help`:
    Typer 0.29 prints `<bool>` after every flag without a metavar, its own --help,
    --install-completion and --show-completion included."""

    def get_params(self, ctx: typer.Context) -> list[Any]:
        return untyped(super().get_params(ctx))

    def get_command(self, ctx: typer.Context, name: str) -> Any:
        command = super().get_command(ctx, name)
        if command is not None:
            untyped_tree(command, ctx)
        return command


def untyped(params: list[Any]) -> list[Any]:
    """The flags among `params` given an empty metavar, so help shows no type."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


def untyped_tree(command: Any, ctx: typer.Context) -> None:
    """A command's flags (its help option among them) and those of its subcommands."""
    untyped(command.get_params(ctx))
    for subcommand in getattr(command, "commands", {}).values():
        untyped_tree(subcommand, ctx)


app = typer.Typer(
    name="sfh",
    help="Follow up SKR's Strategi för hälsa (22 goals) with data from Kolada.\n\n" + EXIT_CODES,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=FlagsShowNoType,
    context_settings={"help_option_names": ["-h", "--help"]},
)
log = logging.getLogger("strategihalsa")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sfh {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Show the version and exit.")] = False,
) -> None:
    """Follow up SKR's Strategi för hälsa with data from Kolada."""
    _log_warnings_to_stderr()


def _log_warnings_to_stderr() -> None:
    """Library warnings (e.g. an unusable cache) appear once as 'sfh: warning: ...', notes
    for the reader (e.g. a thin group mean) as 'sfh: note: ...' unless --quiet."""

    class ToStderr(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kind = "warning" if record.levelno >= logging.WARNING else "note"
            error(f"{kind}: {record.getMessage()}")

    log.setLevel(logging.INFO)
    if not log.handlers:
        log.addHandler(ToStderr(logging.INFO))
        log.propagate = False


UNREACHABLE_HINT = ("; check the network connection (and the proxy settings, HTTPS_PROXY), "
                    "use --offline if the cache holds the answers, or point --api-url "
                    "(SFH_KOLADA_URL) at a Kolada that can be reached")


@contextmanager
def exit_codes() -> Iterator[None]:
    """Expected failures become a message on stderr and their exit code; no traceback."""
    try:
        yield
    except SfhError as exc:
        error(f"error: {exc.spelled(option)}{advice(exc)}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        error("interrupted")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except BrokenPipeError:
        discard_stdout()
        raise typer.Exit(ExitCode.OK) from None


OPTIONS = {"all_units": "--all", "cache": "--cache-dir", "output_format": "--format"}


def option(argument: str) -> str:
    """The command-line option of a library argument: 'api_url' → '--api-url'."""
    return OPTIONS.get(argument, "--" + argument.replace("_", "-"))


OFFLINE_HINT = "; or run `sfh sync` first to fill the local store"


def advice(exc: SfhError) -> str:
    """What to do about a failure, when there is something to say."""
    unreachable = exc.exit_code is ExitCode.KOLADA and "cannot reach" in str(exc)
    offline = exc.exit_code is ExitCode.KOLADA and str(exc).startswith("offline:")
    return UNREACHABLE_HINT if unreachable else OFFLINE_HINT if offline else ""


@dataclass(frozen=True)
class Connection:
    """The command-line options that say how to reach Kolada."""

    api_url: str
    timeout: float
    retries: int
    backoff: float
    cache_dir: Path | None
    no_cache: bool
    refresh: bool
    offline: bool
    max_age: str

    def arguments(self) -> "Arguments":
        """These options as the Python API's connection arguments: one place that turns
        them into client settings and a data source."""
        from strategihalsa.api import Connection as Arguments

        return Arguments(api_url=self.api_url, timeout=self.timeout, retries=self.retries,
                         backoff=self.backoff, refresh=self.refresh, offline=self.offline,
                         cache=False if self.no_cache else (self.cache_dir or True),
                         max_age=self.max_age)

    def client(self) -> "KoladaClient":
        """A Kolada client from these options."""
        from strategihalsa.kolada.client import KoladaClient

        return KoladaClient(self.settings())

    def source(self, catalogue: "Catalogue", family: str | None) -> "Source":
        """Where this run's data comes from: the store or Kolada (see `source.choose`)."""
        return self.arguments().source(catalogue, family)

    def settings(self) -> ClientSettings:
        """The checked client settings of these options (a usage error for a bad one)."""
        return self.arguments().settings()


CacheDir = Annotated[Path | None, typer.Option(
    "--cache-dir", envvar=ENVIRONMENT["cache"], file_okay=False,
    help="Where to cache Kolada answers (default: your user cache folder).")]
CONNECTION = {
    "api_url": (Annotated[str, typer.Option(
        "--api-url", envvar=ENVIRONMENT["api_url"], help="Kolada v3 base URL.")], DEFAULT_API_URL),
    "timeout": (Annotated[float, typer.Option(
        "--timeout", envvar=ENVIRONMENT["timeout"], min=TIMEOUT_RANGE[0], max=TIMEOUT_RANGE[1],
        help="Seconds to wait for each whole answer.")], DEFAULT_TIMEOUT),
    "retries": (Annotated[int, typer.Option(
        "--retries", envvar=ENVIRONMENT["retries"], min=RETRIES_RANGE[0], max=RETRIES_RANGE[1],
        help="Retries of a failed request (connection error, timeout, 429, 5xx).")],
        DEFAULT_RETRIES),
    "backoff": (Annotated[float, typer.Option(
        "--backoff", envvar=ENVIRONMENT["backoff"], min=BACKOFF_RANGE[0], max=BACKOFF_RANGE[1],
        help="Backoff factor in seconds between retries (doubling each time).")],
        DEFAULT_BACKOFF),
    "cache_dir": (CacheDir, None),
    "no_cache": (Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the cache.")], False),
    "refresh": (Annotated[bool, typer.Option(
        "--refresh",
        help="Fetch from Kolada this run: neither the store nor cached answers "
             "(the new answers are cached).")],
        False),
    "offline": (Annotated[bool, typer.Option(
        "--offline", envvar=ENVIRONMENT["offline"],
        help="Never call Kolada: the store (sfh sync), else cached answers.")], False),
    "max_age": (Annotated[str, typer.Option(
        "--max-age", envvar=ENVIRONMENT["max_age"], metavar="AGE",
        help="Read the store (sfh sync) when it is younger than this, e.g. 1d, 12h, 0 "
             "(never).")], DEFAULT_MAX_AGE),
}
assert list(CONNECTION) == [f.name for f in fields(Connection)]


def connected(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the Kolada connection options; it receives them as `connection`."""
    signature = inspect.signature(command)
    own = [p for p in signature.parameters.values() if p.name != "connection"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                               annotation=annotation)
             for name, (annotation, default) in CONNECTION.items()]

    @functools.wraps(command)
    def with_connection(**options: Any) -> Any:
        connection = Connection(**{name: options.pop(name) for name in CONNECTION})
        return command(connection=connection, **options)

    with_connection.__signature__ = signature.replace(parameters=own + added)  # type: ignore[attr-defined]
    with_connection.__annotations__ = {p.name: p.annotation for p in own + added}
    return with_connection


def say_requests(client: "Source", started: float) -> None:
    """The --verbose line: requests that reached Kolada and the time taken."""
    error(f"{client.network_requests} request(s) to Kolada, "
          f"{time.perf_counter() - started:.2f} s")


@contextmanager
def fetching(client: "Source", show_progress: bool) -> Iterator[None]:
    """A spinner on stderr counting requests while data is fetched."""
    if not show_progress:
        yield
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("Hämtar från Kolada …") as status:
        client.on_request = lambda url: status.update(
            f"Hämtar från Kolada … {client.network_requests + 1} anrop")
        LIVE.append(console)
        try:
            yield
        finally:
            LIVE.remove(console)
    client.on_request = None


HELP_OPTIONS = frozenset({"-h", "--help"})
UNUSED_BY_HELP = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def main() -> None:
    """Console-script entry point."""
    prepare_streams()
    handle_termination()
    if len(sys.argv) < 2 or HELP_OPTIONS & set(sys.argv[1:]):
        import_lean_rich_help()
    app(prog_name="sfh")


def import_lean_rich_help() -> None:
    """Import Typer's rich help without rich's Markdown and Traceback: it imports them up
    front for markdown help and pretty tracebacks, neither of which sfh uses, and they are
    about 60 ms of every `--help` (markdown-it, pygments). Stand-ins take their place while
    typer.rich_utils is imported; the real modules load normally afterwards."""
    stand_ins = {name: ModuleType(name) for name in UNUSED_BY_HELP if name not in sys.modules}
    for name, module in stand_ins.items():
        setattr(module, UNUSED_BY_HELP[name], type(UNUSED_BY_HELP[name], (), {}))
    sys.modules.update(stand_ins)
    try:
        importlib.import_module("typer.rich_utils")
    finally:
        for name in stand_ins:
            sys.modules.pop(name, None)


__all__ = ["Connection", "app", "connected", "error", "exit_codes", "expand_goal_shorthand",
           "main", "say"]
