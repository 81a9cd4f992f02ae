"""The `sfh` command group, the options several commands share, and how failures reach
the user.

Each command is imported when it runs or its help is shown (`COMMANDS`, Click's lazy group
pattern), so `sfh report` loads only what a report needs. The Kolada connection options are
declared once (`CONNECTION`) and added to a command by `@connected`, which hands the command a
ready `Connection`. Diagnostics go to stderr as `sfh: …`; expected failures become their
documented exit code, never a traceback (the process-level cases — Click's usage errors,
stdout, signals — are in `process`).
"""

import functools
import importlib
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from strategihalsa import __version__
from strategihalsa.cli import stops
from strategihalsa.cli.process import (
    LIVE,
    discard_stdout,
    error,
    expand_goal_shorthand,
    handle_termination,
    leave,
    outcome,
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

# command name → module of strategihalsa.cli and the command in it, in the order of --help
COMMANDS = {
    "report": "reports:report",
    "overview": "reports:overview",
    "indicators": "inspection:indicators",
    "kommuner": "inspection:kommuner",
    "kpi": "inspection:kpi",
    "check": "inspection:check",
    "init-catalogue": "inspection:init_catalogue",
    "schema": "inspection:schema",
    "sync": "store:sync",
    "changes": "store:changes",
    "cache": "inspection:cache_group",
}


class SfhGroup(click.Group):
    """The `sfh` group: its commands are imported on first use, and it runs Click without
    Click's standalone error handling, ending through `outcome`, in tests (CliRunner) as
    on the command line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, without importing any."""
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command of this name, imported now."""
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(importlib.import_module(f"strategihalsa.cli.{module}"),
                                         name)
        return command

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Parse, run, and exit with the outcome's code."""
        arguments = expand_goal_shorthand(list(sys.argv[1:] if args is None else args))
        code = outcome(lambda: super(SfhGroup, self).main(
            arguments, prog_name, complete_var, standalone_mode=False, **extra))
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(
    "sfh", cls=SfhGroup, no_args_is_help=True,
    help="Follow up SKR's Strategi för hälsa (22 goals) with data from Kolada.",
    epilog=EXIT_CODES,
    context_settings={"help_option_names": ["-h", "--help"], "show_default": True,
                      "max_content_width": 120},
)
@click.version_option(__version__, "--version", message="sfh %(version)s",
                      help="Show the version and exit.")
def app() -> None:
    """Before any command: the library's warnings and notes go to stderr."""
    _log_warnings_to_stderr()


def _log_warnings_to_stderr() -> None:
    """Library warnings (e.g. an unusable cache) appear once as 'sfh: warning: ...', notes
    for the reader (e.g. a thin group mean) as 'sfh: note: ...' unless --quiet."""
    import logging  # when a command runs: --help goes without it

    log = logging.getLogger("strategihalsa")

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
        raise click.exceptions.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        error(stops.WORDS["SIGINT"])
        raise click.exceptions.Exit(ExitCode.INTERRUPTED) from None
    except BrokenPipeError:
        discard_stdout()
        raise click.exceptions.Exit(ExitCode.OK) from None


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


CATALOGUE = click.option(
    "--catalogue", envvar=ENVIRONMENT["catalogue"], show_envvar=True,
    type=click.Path(path_type=Path),
    help="Your own indicators.toml (default: the built-in catalogue).")
QUIET = click.option("--quiet", "-q", is_flag=True, help="Nothing on stderr unless it fails.")
CACHE_DIR = click.option(
    "--cache-dir", envvar=ENVIRONMENT["cache"], show_envvar=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to cache Kolada answers (default: your user cache folder).")
CONNECTION = {
    "api_url": click.option(
        "--api-url", envvar=ENVIRONMENT["api_url"], show_envvar=True, default=DEFAULT_API_URL,
        help="Kolada v3 base URL."),
    "timeout": click.option(
        "--timeout", envvar=ENVIRONMENT["timeout"], show_envvar=True, default=DEFAULT_TIMEOUT,
        type=click.FloatRange(*TIMEOUT_RANGE), help="Seconds to wait for each whole answer."),
    "retries": click.option(
        "--retries", envvar=ENVIRONMENT["retries"], show_envvar=True, default=DEFAULT_RETRIES,
        type=click.IntRange(*RETRIES_RANGE),
        help="Retries of a failed request (connection error, timeout, 429, 5xx)."),
    "backoff": click.option(
        "--backoff", envvar=ENVIRONMENT["backoff"], show_envvar=True, default=DEFAULT_BACKOFF,
        type=click.FloatRange(*BACKOFF_RANGE),
        help="Backoff factor in seconds between retries (doubling each time)."),
    "cache_dir": CACHE_DIR,
    "no_cache": click.option("--no-cache", is_flag=True,
                             help="Neither read nor write the cache."),
    "refresh": click.option(
        "--refresh", is_flag=True,
        help="Fetch from Kolada this run: neither the store nor cached answers "
             "(the new answers are cached)."),
    "offline": click.option(
        "--offline", is_flag=True, envvar=ENVIRONMENT["offline"], show_envvar=True,
        help="Never call Kolada: the store (sfh sync), else cached answers."),
    "max_age": click.option(
        "--max-age", envvar=ENVIRONMENT["max_age"], show_envvar=True, metavar="AGE",
        default=DEFAULT_MAX_AGE,
        help="Read the store (sfh sync) when it is younger than this, e.g. 1d, 12h, 0 "
             "(never)."),
}
assert list(CONNECTION) == [f.name for f in fields(Connection)]


def connected(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the Kolada connection options, after its own; it receives them as
    one `connection`."""

    @functools.wraps(command)
    def with_connection(**options: Any) -> Any:
        connection = Connection(**{name: options.pop(name) for name in CONNECTION})
        return command(connection=connection, **options)

    for add_option in reversed(CONNECTION.values()):
        with_connection = add_option(with_connection)
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


def main() -> NoReturn:
    """Console-script entry point: run the command line, then leave with its exit code."""
    prepare_streams()
    handle_termination()
    leave(app.main(prog_name="sfh", standalone_mode=False))


__all__ = ["Connection", "app", "connected", "error", "exit_codes", "expand_goal_shorthand",
           "main", "say"]
