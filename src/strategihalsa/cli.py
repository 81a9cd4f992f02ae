"""The `sfh` command line (Typer): parse options, call the library, pick a renderer, and map
errors to exit codes. Heavy modules are imported inside the commands so `--help` is fast.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from strategihalsa import __version__
from strategihalsa.errors import ExitCode, OutputError, SfhError, UsageError
from strategihalsa.render import Format
from strategihalsa.settings import (
    DEFAULT_API_URL,
    DEFAULT_BACKOFF,
    DEFAULT_FAMILY,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    ClientSettings,
    Comparisons,
    Period,
)
from strategihalsa.units import normalise

if TYPE_CHECKING:
    from rich.console import Console

    from strategihalsa.kolada import KoladaClient
    from strategihalsa.report import UnitReport
    from strategihalsa.units import Unit, Units

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
Retries = Annotated[int, typer.Option(
    "--retries", envvar="SFH_RETRIES", min=0, max=20,
    help="Retries of a failed request (connection error, timeout, 429, 5xx).")]
Backoff = Annotated[float, typer.Option(
    "--backoff", envvar="SFH_BACKOFF", min=0.0, max=60.0,
    help="Backoff factor in seconds between retries (doubling each time).")]


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
    _log_warnings_to_stderr()


def _log_warnings_to_stderr() -> None:
    """Library warnings (e.g. an unusable cache) appear once as 'sfh: warning: ...'."""
    import logging

    class ToStderr(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            error(f"warning: {record.getMessage()}")

    logger = logging.getLogger("strategihalsa")
    if not logger.handlers:
        logger.addHandler(ToStderr(logging.WARNING))
        logger.propagate = False


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

    def client(self) -> KoladaClient:
        """A Kolada client from these options."""
        from strategihalsa.kolada import KoladaClient
        from strategihalsa.settings import default_cache_dir

        if self.offline and self.no_cache:
            raise UsageError("--offline needs the cache; drop --no-cache")
        if self.offline and self.refresh:
            raise UsageError("--offline and --refresh contradict each other")
        settings = ClientSettings(
            api_url=self.api_url, timeout=self.timeout, retries=self.retries,
            backoff=self.backoff, refresh=self.refresh, offline=self.offline,
            cache_dir=None if self.no_cache else (self.cache_dir or default_cache_dir()),
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


Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress output on stderr.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", dir_okay=False, help="Write to this file instead of stdout.")]
BaselineOpt = Annotated[int | None, typer.Option(
    "--baseline", help="Baseline year for every indicator (default: the catalogue's).")]
YearOpt = Annotated[int | None, typer.Option(
    "--year", help="Follow-up year: use the latest value at or before it.")]


@app.command(epilog=EXIT_CODES)
def report(
    kommun: Annotated[str | None, typer.Option(
        "--kommun", "-k", help="Kommun code or name, e.g. 0680 or Jönköping.")] = None,
    region: Annotated[str | None, typer.Option(
        "--region", "-r", help="Region code or name, e.g. 0006, 06 or 'Region Jönköpings län'.",
    )] = None,
    lan: Annotated[str | None, typer.Option(
        "--lan", help="Every kommun of a län and its region, e.g. 06.")] = None,
    all_units: Annotated[bool, typer.Option(
        "--all", help="All kommuner and regions.")] = False,
    output_format: FormatOpt = Format.table,
    output: OutputOpt = None,
    output_dir: Annotated[Path | None, typer.Option(
        "--output-dir", "-d", file_okay=False,
        help="Write one file per unit here, named like 0680-jonkoping.xlsx.")] = None,
    baseline: BaselineOpt = None,
    year: YearOpt = None,
    liknande: Annotated[str, typer.Option(
        "--liknande", envvar="SFH_LIKNANDE", metavar="FAMILY",
        help="Compare with Kolada's 'Liknande kommuner <FAMILY>' group, e.g. socioekonomi, "
             "övergripande; 'ingen' for none.")] = DEFAULT_FAMILY,
    rank: Annotated[bool, typer.Option(
        "--rank", help="Rank the unit among all kommuner (regions) per indicator; fetches "
                       "every unit's data in bulk. Always on with --all.")] = False,
    fail_on_missed: Annotated[bool, typer.Option(
        "--fail-on-missed", help="Exit 1 if a goal with data is not met (for CI).")] = False,
    goals: Annotated[str | None, typer.Option(
        "--goals", metavar="3,4,13", help="With --fail-on-missed: only these goal numbers count.",
    )] = None,
    catalogue: CatalogueOpt = None,
    api_url: ApiUrl = DEFAULT_API_URL,
    timeout: Timeout = DEFAULT_TIMEOUT,
    retries: Retries = DEFAULT_RETRIES,
    backoff: Backoff = DEFAULT_BACKOFF,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    offline: Offline = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Evaluate every goal for a kommun, a region, a whole län or all of Sweden.

    \b
    Examples:
      sfh report --kommun 0680
      sfh report --kommun Jönköping --format json > jonkoping.json
      sfh report --region 06 --format csv --output region.csv
      sfh report --kommun 0680 --format xlsx --output jonkoping.xlsx
      sfh report --lan 06 --format xlsx --output-dir rapporter/
      sfh report --all --format xlsx --output-dir rapporter/
      sfh report --kommun 0680 --fail-on-missed --goals 3,4,13
    """
    with exit_codes():
        chosen_goals = parse_goals(goals)
        period = Period(baseline, year)
        selection = Selection(kommun, region, lan, all_units)
        destination = Destination(output_format, output, output_dir, selection.is_batch)
        started = time.perf_counter()
        client = Connection(api_url, timeout, retries, backoff, cache_dir, no_cache, refresh,
                            offline).client()
        show_progress = not quiet and sys.stderr.isatty()
        comparisons = Comparisons(
            similar_family=None if normalise(liknande) in ("ingen", "") else liknande,
            rank=rank or selection.all_units)
        reports = _build(selection, catalogue, period, comparisons, client, show_progress)
        destination.emit(reports, show_progress)
        if verbose:
            say_requests(client, started)
        failures = missed(reports, chosen_goals) if fail_on_missed else []
        for line in failures:
            error(f"not met: {line}")
        if failures:
            raise typer.Exit(ExitCode.GOALS_MISSED)


@dataclass(frozen=True)
class Selection:
    """Which units to report on: exactly one of the four options."""

    kommun: str | None
    region: str | None
    lan: str | None
    all_units: bool

    def __post_init__(self) -> None:
        given = [self.kommun, self.region, self.lan, self.all_units or None]
        if sum(option is not None for option in given) != 1:
            raise UsageError("give exactly one of --kommun, --region, --lan or --all "
                             "(see sfh report --help)")

    @property
    def is_batch(self) -> bool:
        return self.lan is not None or self.all_units

    def units(self, units: Units) -> list[Unit]:
        if self.kommun is not None:
            return [units.kommun(self.kommun)]
        if self.region is not None:
            return [units.region(self.region)]
        if self.lan is not None:
            region, kommuner = units.lan(self.lan)
            return [region, *kommuner]
        return units.regions() + units.kommuner()


@dataclass(frozen=True)
class Destination:
    """Where the rendered reports go: stdout, one file, or one file per unit in a folder."""

    output_format: Format
    output: Path | None
    output_dir: Path | None
    is_batch: bool

    def __post_init__(self) -> None:
        if self.output and self.output_dir:
            raise UsageError("give --output or --output-dir, not both")
        one_file_only = self.output_format in (Format.xlsx, Format.json)
        if self.is_batch and one_file_only and not self.output_dir:
            raise UsageError(f"--format {self.output_format} with --lan/--all writes one file "
                             "per unit: add --output-dir DIR")
        if self.output_format is Format.xlsx and not (self.output or self.output_dir):
            raise UsageError("--format xlsx needs --output FILE.xlsx or --output-dir DIR")

    def emit(self, reports: list[UnitReport], show_progress: bool) -> None:
        from strategihalsa.batch import write_reports
        from strategihalsa.render import render_file
        from strategihalsa.render.table import render_all

        if self.output_dir:
            result = write_reports(reports, self.output_format, self.output_dir, show_progress)
            for failure in result.failed:
                error(f"failed: {failure}")
            error(f"wrote {len(result.written)} file(s) to {self.output_dir}"
                  + (f"; {len(result.failed)} failed" if result.failed else ""))
            if result.failed:
                raise OutputError(f"{len(result.failed)} of {len(reports)} report(s) not written")
        else:
            deliver(self.output, self.output_format,
                    lambda: render_file(reports, self.output_format),
                    lambda console: render_all(reports, console))


def deliver(output: Path | None, output_format: Format, content: Callable[[], bytes],
            draw: Callable[[Console], None]) -> None:
    """To a file (atomically), or to stdout: a live table, or the rendered text."""
    from rich.console import Console

    from strategihalsa.output import write_atomic

    if output and str(output) != "-":
        write_atomic(output, content())
        error(f"wrote {output}")
    elif output_format is Format.table:
        draw(Console(highlight=False))
    else:
        sys.stdout.write(content().decode("utf-8"))


def say_requests(client: KoladaClient, started: float) -> None:
    """The --verbose line: requests that reached Kolada and the time taken."""
    error(f"{client.network_requests} request(s) to Kolada, "
          f"{time.perf_counter() - started:.2f} s")


def _build(selection: Selection, catalogue: Path | None, period: Period,
           comparisons: Comparisons, client: KoladaClient, show_progress: bool
           ) -> list[UnitReport]:
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.core import build_reports, load_units

    loaded = load_catalogue(catalogue)
    with fetching(client, show_progress):
        units = load_units(client)
        return build_reports(client, loaded, units, selection.units(units), period,
                             comparisons)


@contextmanager
def fetching(client: KoladaClient, show_progress: bool) -> Iterator[None]:
    """A spinner on stderr counting requests while data is fetched."""
    if not show_progress:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status("Hämtar från Kolada …") as status:
        client.on_request = lambda url: status.update(
            f"Hämtar från Kolada … {client.network_requests + 1} anrop")
        yield
    client.on_request = None


cache_app = typer.Typer(help="Inspect or empty the cache of Kolada answers.",
                        no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info(cache_dir: CacheDir = None) -> None:
    """Show where the cache is, its size, entries and age.

    \b
    Example:
      sfh cache info
    """
    from strategihalsa import cache
    from strategihalsa.settings import default_cache_dir

    with exit_codes():
        details = cache.info(cache_dir or default_cache_dir())
        typer.echo(f"location: {details.path}")
        if not details.exists:
            typer.echo("empty (no cache file yet)")
            return
        typer.echo(f"size:     {details.size_bytes / 1e6:.1f} MB")
        typer.echo(f"entries:  {details.entries}")
        if details.oldest and details.newest:
            typer.echo(f"oldest:   {details.oldest.isoformat(timespec='seconds')}")
            typer.echo(f"newest:   {details.newest.isoformat(timespec='seconds')}")


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDir = None) -> None:
    """Delete every cached Kolada answer.

    \b
    Example:
      sfh cache clear
    """
    from strategihalsa import cache
    from strategihalsa.settings import default_cache_dir

    with exit_codes():
        folder = cache_dir or default_cache_dir()
        freed = cache.clear(folder)
        typer.echo(f"cleared {folder} ({freed / 1e6:.1f} MB freed)")


@app.command(epilog=EXIT_CODES)
def overview(
    lan: Annotated[str | None, typer.Option(
        "--lan", help="Only the kommuner of this län, e.g. 06.")] = None,
    output_format: FormatOpt = Format.table,
    output: OutputOpt = None,
    baseline: BaselineOpt = None,
    year: YearOpt = None,
    catalogue: CatalogueOpt = None,
    api_url: ApiUrl = DEFAULT_API_URL,
    timeout: Timeout = DEFAULT_TIMEOUT,
    retries: Retries = DEFAULT_RETRIES,
    backoff: Backoff = DEFAULT_BACKOFF,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    offline: Offline = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """The national picture per indicator: Riket, kommuner per status, spread of the change.

    \b
    Examples:
      sfh overview
      sfh overview --format xlsx --output sverige.xlsx
      sfh overview --lan 06 --format csv
    """
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.core import build_overview, load_units
    from strategihalsa.render import render_overview_file
    from strategihalsa.render.table import render_overview

    with exit_codes():
        if output_format is Format.xlsx and output is None:
            raise UsageError("--format xlsx needs --output FILE.xlsx")
        period = Period(baseline, year)
        started = time.perf_counter()
        loaded = load_catalogue(catalogue)
        client = Connection(api_url, timeout, retries, backoff, cache_dir, no_cache, refresh,
                            offline).client()
        with fetching(client, not quiet and sys.stderr.isatty()):
            units = load_units(client)
            region, kommuner = units.lan(lan) if lan else (None, units.kommuner())
            scope = f"{region.title}s kommuner" if region else "alla kommuner"
            result = build_overview(client, loaded, units, kommuner, scope, period)
        deliver(output, output_format, lambda: render_overview_file(result, output_format),
                lambda console: render_overview(result, console))
        if verbose:
            say_requests(client, started)


class ListFormat(StrEnum):
    """Output formats of the inspection commands."""

    table = "table"
    json = "json"


ListFormatOpt = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]


def show(output_format: ListFormat, title: str, columns: list[str], rows: list[dict]) -> None:
    """Rows as a rich table or as a JSON array on stdout."""
    if output_format is ListFormat.json:
        typer.echo(json_text(rows))
        return
    from rich.console import Console

    from strategihalsa.render.table import listing

    Console(highlight=False).print(listing(title, columns, [list(r.values()) for r in rows]))


def json_text(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2)


@app.command()
def indicators(catalogue: CatalogueOpt = None, output_format: ListFormatOpt = ListFormat.table
               ) -> None:
    """List the catalogue as loaded: goal, id, KPI, direction, target, baseline year, area.

    \b
    Examples:
      sfh indicators
      sfh indicators --catalogue min-kommun.toml --format json
    """
    from strategihalsa.catalogue import load_catalogue

    with exit_codes():
        loaded = load_catalogue(catalogue)
        rows = [{"goal": i.goal, "id": i.id, "kpi": i.kpi, "direction": i.direction,
                 "target": i.target, "unit": i.unit, "baseline_year": i.baseline_year,
                 "area": i.area, "title": i.title} for i in loaded.indicators]
        if output_format is ListFormat.table:
            rows = [{k: v for k, v in r.items() if k != "title"} for r in rows]
        show(output_format, f"{loaded.name} – {loaded.source}",
             ["Mål", "Id", "KPI", "Riktning", "Målvärde", "Enhet", "Basår", "Målområde"], rows)


@app.command()
def kommuner(
    search: Annotated[str | None, typer.Argument(
        help="Part of a name or code; case and accents ignored.")] = None,
    output_format: ListFormatOpt = ListFormat.table,
    api_url: ApiUrl = DEFAULT_API_URL, timeout: Timeout = DEFAULT_TIMEOUT,
    retries: Retries = DEFAULT_RETRIES, backoff: Backoff = DEFAULT_BACKOFF,
    cache_dir: CacheDir = None, no_cache: NoCache = False, refresh: Refresh = False,
    offline: Offline = False,
) -> None:
    """List kommuner and regions with their codes, län and type.

    \b
    Examples:
      sfh kommuner
      sfh kommuner jönk
      sfh kommuner 06 --format json
    """
    from strategihalsa.core import load_units

    with exit_codes():
        client = Connection(api_url, timeout, retries, backoff, cache_dir, no_cache, refresh,
                            offline).client()
        units = load_units(client)
        wanted = normalise(search or "")
        rows = [{"id": u.id, "title": u.title, "type": u.kind, "lan": u.lan}
                for u in units.regions() + units.kommuner()
                if wanted in normalise(u.title) or u.id.startswith(wanted)]
        if not rows:
            raise UsageError(f"no kommun or region matches {search!r}")
        show(output_format, "Kommuner och regioner", ["Kod", "Namn", "Typ", "Län"], rows)


@app.command()
def kpi(
    kpi_id: Annotated[str, typer.Argument(metavar="KPI", help="A Kolada KPI id, e.g. N15428.")],
    output_format: ListFormatOpt = ListFormat.table,
    api_url: ApiUrl = DEFAULT_API_URL, timeout: Timeout = DEFAULT_TIMEOUT,
    retries: Retries = DEFAULT_RETRIES, backoff: Backoff = DEFAULT_BACKOFF,
    cache_dir: CacheDir = None, no_cache: NoCache = False, refresh: Refresh = False,
    offline: Offline = False,
) -> None:
    """Show Kolada's metadata for a KPI and Riket's values in its five latest years.

    \b
    Example:
      sfh kpi N15428
    """
    from strategihalsa.catalogue import KPI_ID
    from strategihalsa.units import RIKET

    with exit_codes():
        kpi_id = kpi_id.strip().upper()
        if not KPI_ID.match(kpi_id):
            raise UsageError(f"{kpi_id!r} is not a Kolada KPI id (a letter and five digits)")
        client = Connection(api_url, timeout, retries, backoff, cache_dir, no_cache, refresh,
                            offline).client()
        found = client.kpis([kpi_id])
        if not found:
            raise UsageError(f"Kolada has no KPI {kpi_id} (retired or mistyped)")
        values = client.values([kpi_id], [RIKET]).drop_nulls("value")
        recent = sorted(set(values["year"]), reverse=True)[:5]
        riket = [{"year": y, "gender": g, "value": v} for y, g, v in
                 values.filter(values["year"].is_in(recent)).sort("year", "gender",
                 descending=[True, False]).select("year", "gender", "value").iter_rows()]
        meta = found[0]
        if output_format is ListFormat.json:
            typer.echo(json_text({**meta, "riket": riket}))
            return
        show(output_format, f"{kpi_id}: {meta.get('title', '')}", ["Fält", "Värde"],
             [{"key": k, "value": v} for k, v in meta.items() if k not in ("id", "title")])
        show(output_format, "Riket, senaste åren", ["År", "Kön", "Värde"], riket)


@app.command()
def check(
    catalogue: CatalogueOpt = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Fail (exit 3) on warnings too.")] = False,
    output_format: ListFormatOpt = ListFormat.table,
    api_url: ApiUrl = DEFAULT_API_URL, timeout: Timeout = DEFAULT_TIMEOUT,
    retries: Retries = DEFAULT_RETRIES, backoff: Backoff = DEFAULT_BACKOFF,
    cache_dir: CacheDir = None, no_cache: NoCache = False, refresh: Refresh = False,
    offline: Offline = False,
) -> None:
    """Check a catalogue against Kolada: KPIs exist, are not retired, have the right level.

    Exit 0 when clean (warnings allowed unless --strict), 3 on errors.

    \b
    Examples:
      sfh check
      sfh check --catalogue min-kommun.toml --strict
    """
    from dataclasses import asdict

    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.check import check_catalogue

    with exit_codes():
        loaded = load_catalogue(catalogue)
        client = Connection(api_url, timeout, retries, backoff, cache_dir, no_cache, refresh,
                            offline).client()
        findings = check_catalogue(loaded, client.kpis(loaded.kpis))
        show(output_format, f"Kontroll av {loaded.source}",
             ["Nivå", "Indikator", "KPI", "Problem"], [asdict(f) for f in findings])
        errors = sum(f.severity == "error" for f in findings)
        warnings = len(findings) - errors
        error(f"{errors} error(s), {warnings} warning(s) in {len(loaded.indicators)} indicators")
        if errors or (strict and warnings):
            raise typer.Exit(ExitCode.CATALOGUE)


@app.command("init-catalogue")
def init_catalogue(
    path: Annotated[Path, typer.Argument(dir_okay=False, help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a copy of the built-in catalogue to adapt targets and baselines locally.

    \b
    Example:
      sfh init-catalogue min-kommun.toml
      sfh report --kommun 0680 --catalogue min-kommun.toml
    """
    from strategihalsa.catalogue import builtin_path
    from strategihalsa.output import write_atomic

    with exit_codes():
        if path.exists() and not force:
            raise UsageError(f"{path} exists; add --force to overwrite it")
        write_atomic(path, builtin_path().read_bytes())
        error(f"wrote {path}; use it with --catalogue {path} or SFH_CATALOGUE={path}")


class SchemaName(StrEnum):
    """The JSON outputs that have a schema."""

    report = "report"
    overview = "overview"


@app.command()
def schema(name: Annotated[SchemaName, typer.Argument(help="Which output.")]) -> None:
    """Print the JSON Schema of a JSON output.

    \b
    Example:
      sfh schema report > sfh-report.schema.json
    """
    from importlib import resources

    typer.echo(resources.files("strategihalsa").joinpath(f"schemas/{name}.schema.json")
               .read_text(encoding="utf-8"), nl=False)


GOAL_LIST = re.compile(r"^\d+(,\d+)*$")


def expand_goal_shorthand(args: list[str]) -> list[str]:
    """'--fail-on-missed 3,4,13' (or '=3,4,13') → '--fail-on-missed --goals 3,4,13'.

    Typer has no options with an optional value; this keeps the short spelling working."""
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


def main() -> None:
    """Console-script entry point."""
    app(args=expand_goal_shorthand(sys.argv[1:]), prog_name="sfh")
