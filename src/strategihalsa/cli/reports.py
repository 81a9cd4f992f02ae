"""`sfh report` and `sfh overview`: build the model with the library, render it through the
format's renderer, and deliver it to stdout, a file, or one file per unit."""

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from strategihalsa.cli.app import (
    EXIT_CODES,
    Connection,
    app,
    connected,
    error,
    exit_codes,
    fetching,
    say,
    say_requests,
)
from strategihalsa.errors import ExitCode, OutputError, UsageError
from strategihalsa.render import CsvDialect, Format, Options, renderer
from strategihalsa.settings import DEFAULT_FAMILY, Comparisons, Period
from strategihalsa.units import Selection, normalise

if TYPE_CHECKING:
    from rich.console import Console

    from strategihalsa.model import UnitReport

CatalogueOpt = Annotated[Path | None, typer.Option(
    "--catalogue", envvar="SFH_CATALOGUE", dir_okay=False,
    help="Your own indicators.toml (default: the built-in catalogue).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Nothing on stderr unless it fails.")]
Verbose = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Report requests and timings on stderr.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", dir_okay=False, help="Write to this file instead of stdout ('-').")]
BaselineOpt = Annotated[int | None, typer.Option(
    "--baseline", help="Baseline year for every indicator (default: the catalogue's).")]
YearOpt = Annotated[int | None, typer.Option(
    "--year", help="Follow-up year: use the latest value at or before it.")]
CsvDialectOpt = Annotated[CsvDialect, typer.Option(
    "--csv-dialect", help="CSV for programs (rfc: comma, dot decimals, UTF-8) or for "
                          "Swedish Excel (excel: semicolon, decimal comma, BOM, CRLF).")]


@app.command(epilog=EXIT_CODES)
@connected
def report(
    connection: Connection,
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
    csv_dialect: CsvDialectOpt = CsvDialect.rfc,
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
    from strategihalsa.catalogue import load_catalogue, parse_goals
    from strategihalsa.run import build_reports

    with exit_codes():
        chosen_goals = parse_goals(goals)
        period = Period(baseline, year)
        selection = Selection(kommun, region, lan, all_units)
        check_destination(output_format, output, output_dir, selection.is_batch)
        started = time.perf_counter()
        client = connection.client()
        loaded = load_catalogue(catalogue)
        comparisons = Comparisons(
            similar_family=None if normalise(liknande) in ("ingen", "") else liknande,
            rank=rank or selection.all_units)
        with fetching(client, _progress(quiet)):
            reports = build_reports(client, loaded, selection, period, comparisons)
        chosen, options = renderer(output_format), Options(csv_dialect=csv_dialect)
        if output_dir:
            write_folder(reports, output_format, options, output_dir, quiet)
        else:
            deliver(output, lambda: chosen.reports(reports, options),
                    chosen.draw and (lambda console: chosen.draw(reports, console)), quiet)
        if verbose:
            say_requests(client, started)
        fail_if_missed(reports, chosen_goals, fail_on_missed)


def _progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (binary output is refused there)."""
    return sys.stdout.isatty()


def check_destination(output_format: Format, output: Path | None, output_dir: Path | None,
                      is_batch: bool) -> None:
    """Refuse combinations the format cannot honour, before anything is fetched."""
    chosen = renderer(output_format)
    if output and output_dir:
        raise UsageError("give --output or --output-dir, not both")
    if is_batch and not chosen.many and not output_dir:
        raise UsageError(f"--format {output_format} with --lan/--all writes one file "
                         "per unit: add --output-dir DIR")
    if chosen.binary and output is None and not output_dir and stdout_is_terminal():
        raise UsageError(f"--format {output_format} is binary: add --output FILE "
                         "(or pipe stdout to a file)")


def write_folder(reports: Sequence["UnitReport"], output_format: Format, options: Options,
                 folder: Path, quiet: bool) -> None:
    """One file per unit, with a progress bar on a terminal; report what was written."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from strategihalsa.delivery import write_batch

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), disable=not _progress(quiet),
                  transient=True) as progress:
        task = progress.add_task("Skriver rapporter", total=len(reports))
        result = write_batch(reports, output_format, options, folder,
                             advance=lambda: progress.advance(task))
    for failure in result.failed:
        error(f"failed: {failure}")
    if result.failed:
        raise OutputError(f"{len(result.failed)} of {len(reports)} report(s) not written")
    say(f"wrote {len(result.written)} file(s) to {folder}", quiet)


def deliver(output: Path | None, content: Callable[[], bytes],
            draw: Callable[["Console"], None] | None, quiet: bool) -> None:
    """To a file, or to stdout: a live table on the terminal, else the rendered bytes."""
    from rich.console import Console

    from strategihalsa.delivery import write_file

    if output and str(output) != "-":
        write_file(output, content())
        say(f"wrote {output}", quiet)
    elif draw is not None:
        draw(Console(highlight=False))
    else:
        sys.stdout.buffer.write(content())
        sys.stdout.flush()


def fail_if_missed(reports: Sequence["UnitReport"], goals: set[int] | None,
                   fail_on_missed: bool) -> None:
    """With --fail-on-missed: name every missed goal on stderr and exit 1."""
    if not fail_on_missed:
        return
    missed = [(report, result) for report in reports
              for result in report.only_goals(goals).missed()]
    for report, result in missed:
        error(f"not met: {report.unit.title}: mål {result.indicator.goal} "
              f"({result.indicator.id}) {result.figures.status}")
    if missed:
        raise typer.Exit(ExitCode.GOALS_MISSED)


@app.command(epilog=EXIT_CODES)
@connected
def overview(
    connection: Connection,
    lan: Annotated[str | None, typer.Option(
        "--lan", help="Only the kommuner of this län, e.g. 06.")] = None,
    output_format: FormatOpt = Format.table,
    output: OutputOpt = None,
    csv_dialect: CsvDialectOpt = CsvDialect.rfc,
    baseline: BaselineOpt = None,
    year: YearOpt = None,
    catalogue: CatalogueOpt = None,
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
    from strategihalsa.run import build_overview

    with exit_codes():
        chosen = renderer(output_format)
        if chosen.overview is None:
            raise UsageError(f"--format {output_format} has no overview")
        check_destination(output_format, output, None, False)
        period = Period(baseline, year)
        started = time.perf_counter()
        loaded = load_catalogue(catalogue)
        client = connection.client()
        with fetching(client, _progress(quiet)):
            result = build_overview(client, loaded, lan, period)
        options = Options(csv_dialect=csv_dialect)
        deliver(output, lambda: chosen.overview(result, options),
                chosen.draw_overview and (lambda console: chosen.draw_overview(result, console)),
                quiet)
        if verbose:
            say_requests(client, started)
