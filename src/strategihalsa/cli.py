"""The `sfh` command line (Typer): parse options, call the library, pick a renderer, and map
errors to exit codes. Heavy modules are imported inside the commands so `--help` is fast.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from strategihalsa import __version__
from strategihalsa.errors import ExitCode, SfhError, UsageError
from strategihalsa.render import Format
from strategihalsa.settings import DEFAULT_API_URL, DEFAULT_TIMEOUT, ClientSettings

if TYPE_CHECKING:
    from strategihalsa.kolada import KoladaClient
    from strategihalsa.report import UnitReport

EXIT_CODES = """\b
Exit codes:
  0  ok
  1  some goal not met (only with --fail-on-missed)
  2  usage error (bad option, unknown kommun or region, impossible years)
  3  catalogue error (indicators.toml unreadable or invalid)
  4  Kolada unreachable or answering wrongly after retries
  5  cannot write the output"""

app = typer.Typer(
    name="sfh",
    help="Follow up SKR's Strategi för hälsa (22 goals) with data from Kolada.\n\n" + EXIT_CODES,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ApiUrl = Annotated[str, typer.Option(
    "--api-url", envvar="SFH_KOLADA_URL", help="Kolada v3 base URL.", show_default=True)]
CatalogueOpt = Annotated[Path | None, typer.Option(
    "--catalogue", envvar="SFH_CATALOGUE", dir_okay=False,
    help="Your own indicators.toml (default: the built-in catalogue).")]
Timeout = Annotated[float, typer.Option(
    "--timeout", envvar="SFH_TIMEOUT", min=0.1, help="Seconds to wait for each answer.")]
CacheDir = Annotated[Path | None, typer.Option(
    "--cache-dir", envvar="SFH_CACHE_DIR", file_okay=False,
    help="Where to cache Kolada answers (default: your user cache folder).")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
Refresh = Annotated[bool, typer.Option(
    "--refresh", help="Ignore cached answers for this run (and cache the new ones).")]
Offline = Annotated[bool, typer.Option(
    "--offline", envvar="SFH_OFFLINE", help="Use only cached answers; never call Kolada.")]
Verbose = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Report requests and timings on stderr.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sfh {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Follow up SKR's Strategi för hälsa with data from Kolada."""


def error(message: str) -> None:
    """A diagnostic on stderr."""
    typer.echo(f"sfh: {message}", err=True)


@contextmanager
def exit_codes() -> Iterator[None]:
    """Expected failures become a message on stderr and their exit code; no traceback."""
    try:
        yield
    except SfhError as exc:
        error(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        error("interrupted")
        raise typer.Exit(130) from None


def make_client(api_url: str, timeout: float, cache_dir: Path | None, no_cache: bool,
                refresh: bool, offline: bool) -> KoladaClient:
    """A Kolada client from the command-line options."""
    from strategihalsa.kolada import KoladaClient
    from strategihalsa.settings import default_cache_dir

    if offline and no_cache:
        raise UsageError("--offline needs the cache; drop --no-cache")
    if offline and refresh:
        raise UsageError("--offline and --refresh contradict each other")
    settings = ClientSettings(
        api_url=api_url, timeout=timeout, refresh=refresh, offline=offline,
        cache_dir=None if no_cache else (cache_dir or default_cache_dir()),
    )
    return KoladaClient(settings)


def parse_goals(text: str | None) -> set[int] | None:
    """'3,4,13' → {3, 4, 13}; None → every goal."""
    if text is None:
        return None
    try:
        goals = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise UsageError(f"--goals takes goal numbers like 3,4,13, not {text!r}") from None
    if not goals or not goals <= set(range(1, 23)):
        raise UsageError(f"--goals: goal numbers are 1..22, got {text!r}")
    return goals


def missed(reports: list[UnitReport], goals: set[int] | None) -> list[str]:
    """Indicators (of the chosen goals) that have data and did not meet their target."""
    return [
        f"{report.unit.title}: mål {r.indicator.goal} ({r.indicator.id}) {r.figures.status}"
        for report in reports for r in report.results
        if (goals is None or r.indicator.goal in goals)
        and r.figures.status in ("improving", "not_improving")
    ]


@app.command(epilog=EXIT_CODES)
def report(
    kommun: Annotated[str | None, typer.Option(
        "--kommun", "-k", help="Kommun code or name, e.g. 0680 or Jönköping.")] = None,
    region: Annotated[str | None, typer.Option(
        "--region", "-r", help="Region code or name, e.g. 0006, 06 or 'Region Jönköpings län'.",
    )] = None,
    output_format: Annotated[Format, typer.Option(
        "--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="Write to this file instead of stdout.")] = None,
    baseline: Annotated[int | None, typer.Option(
        "--baseline", help="Baseline year for every indicator (default: the catalogue's).",
    )] = None,
    year: Annotated[int | None, typer.Option(
        "--year", help="Follow-up year: use the latest value at or before it.")] = None,
    fail_on_missed: Annotated[bool, typer.Option(
        "--fail-on-missed", help="Exit 1 if a goal with data is not met (for CI).")] = False,
    goals: Annotated[str | None, typer.Option(
        "--goals", metavar="3,4,13", help="With --fail-on-missed: only these goal numbers count.",
    )] = None,
    catalogue: CatalogueOpt = None,
    api_url: ApiUrl = DEFAULT_API_URL,
    timeout: Timeout = DEFAULT_TIMEOUT,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    offline: Offline = False,
    verbose: Verbose = False,
) -> None:
    """Evaluate every goal for one kommun or region.

    \b
    Examples:
      sfh report --kommun 0680
      sfh report --kommun Jönköping --format json > jonkoping.json
      sfh report --region 06 --format csv --output region.csv
      sfh report --kommun 0680 --fail-on-missed --goals 3,4,13
    """
    with exit_codes():
        chosen_goals = parse_goals(goals)
        if (kommun is None) == (region is None):
            raise UsageError("give exactly one of --kommun or --region (see sfh report --help)")
        started = time.perf_counter()
        reports, client = _build(kommun, region, catalogue, baseline, year,
                                 make_client(api_url, timeout, cache_dir, no_cache, refresh,
                                             offline))
        _emit(reports, output_format, output)
        if verbose:
            error(f"{client.network_requests} request(s) to Kolada, "
                  f"{time.perf_counter() - started:.2f} s")
        failures = missed(reports, chosen_goals) if fail_on_missed else []
        for line in failures:
            error(f"not met: {line}")
        if failures:
            raise typer.Exit(ExitCode.GOALS_MISSED)


def _build(kommun: str | None, region: str | None, catalogue: Path | None,
           baseline: int | None, year: int | None, client: KoladaClient
           ) -> tuple[list[UnitReport], KoladaClient]:
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.core import Period, build_reports, load_units

    loaded = load_catalogue(catalogue)
    units = load_units(client)
    target = units.kommun(kommun) if kommun is not None else units.region(region or "")
    reports = build_reports(client, loaded, units, [target], Period(baseline, year))
    return reports, client


def _emit(reports: list[UnitReport], output_format: Format, output: Path | None) -> None:
    """Render the reports and send them to stdout or a file."""
    from strategihalsa.output import write_atomic

    if output_format is Format.xlsx:
        raise UsageError("--format xlsx is not available yet")
    to_stdout = output is None or str(output) == "-"
    if output_format is Format.table:
        text = _table_text(reports, to_stdout)
    elif output_format is Format.json:
        from strategihalsa.render import json as render_json

        text = "".join(render_json.render(r) for r in reports)
    else:
        from strategihalsa.render import csv as render_csv

        text = render_csv.render(reports)
    if to_stdout:
        sys.stdout.write(text)
    else:
        write_atomic(output, text.encode("utf-8"))  # type: ignore[arg-type]
        error(f"wrote {output}")


def _table_text(reports: list[UnitReport], to_stdout: bool) -> str:
    """The table report; coloured on a terminal, plain text elsewhere."""
    from rich.console import Console

    from strategihalsa.render import table

    if to_stdout:
        console = Console(highlight=False)
        for r in reports:
            table.render(r, console)
        return ""
    console = Console(record=True, width=160, no_color=True, highlight=False,
                      file=open("/dev/null", "w"))  # noqa: SIM115
    for r in reports:
        table.render(r, console)
    return console.export_text()


def main() -> None:
    """Console-script entry point."""
    app()
