"""`sfh report` and `sfh overview`: build the model with the library, render it through the
format's renderer, and deliver it to stdout, a file, or one file per unit."""

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from strategihalsa.cli.app import (
    CATALOGUE,
    EXIT_CODES,
    QUIET,
    Connection,
    connected,
    error,
    exit_codes,
    fetching,
    say,
    say_requests,
)
from strategihalsa.cli.process import stdout_console, writing_stdout
from strategihalsa.errors import ExitCode, OutputError, UsageError
from strategihalsa.render import CsvDialect, Format, Options, format_of, renderer
from strategihalsa.settings import (
    DEFAULT_FAMILY,
    ENVIRONMENT,
    Comparisons,
    Period,
    similar_family,
)
from strategihalsa.units import Selection

if TYPE_CHECKING:
    from rich.console import Console

    from strategihalsa.catalogue import Catalogue
    from strategihalsa.model import UnitReport
    from strategihalsa.model_side import SideBySide

VERBOSE = click.option("--verbose", "-v", is_flag=True,
                       help="Report requests and timings on stderr.")
FORMAT = click.option(
    "--format", "-f", "output_format", type=click.Choice(Format), metavar="FORMAT",
    help=f"Output format: {', '.join(Format)} (default: implied by --output's extension, "
         "else table).")
OUTPUT = click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of stdout ('-'); .xlsx, .json, .csv, … imply the format.")
BASELINE = click.option("--baseline", type=int,
                        help="Baseline year for every indicator (default: the catalogue's).")
YEAR = click.option("--year", type=int,
                    help="Follow-up year: use the latest value at or before it.")
CSV_DIALECT = click.option(
    "--csv-dialect", type=click.Choice(CsvDialect), default=CsvDialect.rfc,
    help="CSV for programs (rfc: comma, dot decimals, UTF-8) or for Swedish Excel (excel: "
         "semicolon, decimal comma, BOM, CRLF).")

F = TypeVar("F", bound=Callable[..., Any])


def unit_option(*names: str, help: str) -> Callable[[F], F]:
    """An option naming units by code or name (may be repeated)."""
    return click.option(*names, multiple=True, metavar="CODE/NAME", help=help)


@click.command(epilog=EXIT_CODES)
@unit_option("--kommun", "-k",
             help="Kommun code or name, e.g. 0680 or Jönköping; several (0680,0683 or repeated) "
                  "give one report comparing them side by side.")
@unit_option("--region", "-r",
             help="Region code or name, e.g. 0006, 06 or 'Region Jönköpings län'; several (06,07 "
                  "or repeated, also with --kommun) are compared side by side.")
@unit_option("--lan",
             help="Every kommun of a län and its region, e.g. 06 or 'Jönköpings län' (one).")
@click.option("--all", "all_units", is_flag=True, help="All kommuner and regions.")
@FORMAT
@OUTPUT
@click.option("--output-dir", "-d", type=click.Path(file_okay=False, path_type=Path),
              help="Write one file per unit here, named like 0680-jonkoping.xlsx.")
@CSV_DIALECT
@BASELINE
@YEAR
@click.option("--liknande", envvar=ENVIRONMENT["liknande"], show_envvar=True,
              metavar="FAMILY", default=DEFAULT_FAMILY,
              help="Compare with Kolada's 'Liknande kommuner <FAMILY>' group, e.g. "
                   "socioekonomi, övergripande; 'ingen' for none.")
@click.option("--rank", is_flag=True,
              help="Rank the unit among all kommuner (regions) per indicator; fetches every "
                   "unit's data in bulk. Always on with --all.")
@click.option("--if-changed", is_flag=True,
              help="With --output-dir: leave files whose report did not change untouched, "
                   "and say how many changed.")
@click.option("--fail-on-missed", is_flag=True,
              help="Exit 1 if a goal with data is not met (for CI).")
@click.option("--goals", metavar="3,4,13",
              help="Only these goals: in the report and for --fail-on-missed.")
@CATALOGUE
@QUIET
@VERBOSE
@connected
def report(
    connection: Connection,
    kommun: Sequence[str],
    region: Sequence[str],
    lan: Sequence[str],
    all_units: bool,
    output_format: Format | None,
    output: Path | None,
    output_dir: Path | None,
    csv_dialect: CsvDialect,
    baseline: int | None,
    year: int | None,
    liknande: str,
    rank: bool,
    if_changed: bool,
    fail_on_missed: bool,
    goals: str | None,
    catalogue: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Evaluate every goal for a kommun, a region, a whole län or all of Sweden.

    \b
    Examples:
      sfh report --kommun 0680
      sfh report --kommun Jönköping --format json > jonkoping.json
      sfh report --region 06 --format csv --output region.csv
      sfh report --kommun 0680 --output jonkoping.xlsx
      sfh report --kommun 0680,0683,0684 --format html --output grannar.html
      sfh report --lan 06 --format xlsx --output-dir rapporter/
      sfh report --all --format xlsx --output-dir rapporter/
      sfh report --lan 06 --format xlsx --output-dir rapporter/ --if-changed
      sfh report --kommun 0680 --fail-on-missed --goals 3,4,13
    """
    from strategihalsa.catalogue import load_catalogue, parse_goals
    from strategihalsa.run import build_reports, side_by_side

    with exit_codes():
        connection.settings()  # usage errors in the options first
        chosen_goals = parse_goals(goals)
        period = Period(baseline, year)
        selection = Selection(list(kommun) or None, list(region) or None,
                              only_one("--lan", lan), all_units)
        output_format = resolve_format(output_format, output)
        check_destination(output_format, output, output_dir, selection.is_batch)
        if if_changed and not output_dir:
            raise UsageError("--if-changed compares files in --output-dir: add --output-dir DIR")
        loaded = load_catalogue(catalogue)
        period.check_follow_up(first_baseline(loaded))
        comparisons = Comparisons(similar_family=similar_family(liknande),
                                  rank=rank or selection.all_units)
        client = connection.source(loaded, comparisons.similar_family)
        started = time.perf_counter()
        _silence_notes(quiet)
        with fetching(client, _progress(quiet)):
            built = build_reports(client, loaded, selection, period, comparisons)
        reports = [r.only_goals(chosen_goals) for r in built]
        view = side_by_side(selection, reports)
        if view and not output_dir:
            publish_side_by_side(view, output_format, Options(csv_dialect=csv_dialect),
                                 output, quiet)
        else:
            publish(reports, output_format, Options(csv_dialect=csv_dialect), output,
                    output_dir, quiet, if_changed, view)
        if verbose:
            say_requests(client, started)
        fail_if_missed(reports, chosen_goals, fail_on_missed)


def only_one(option: str, values: Sequence[str]) -> str | None:
    """The one unit an option names; a repeated option is refused, never silently dropped."""
    if values and len(values) > 1:
        raise UsageError(f"{option} was given {len(values)} times ({', '.join(values)}); "
                         "give it once (for several units use --lan or --all)")
    return values[0] if values else None


def first_baseline(catalogue: "Catalogue") -> int:
    """The earliest baseline year of any indicator."""
    return min(i.baseline_year for i in catalogue.indicators)


def publish(reports: Sequence["UnitReport"], output_format: Format, options: Options,
            output: Path | None, output_dir: Path | None, quiet: bool,
            if_changed: bool = False, view: "SideBySide | None" = None) -> None:
    """One file per unit into a folder (with the comparison of units named side by side),
    or everything to one file or stdout."""
    chosen = renderer(output_format)
    if output_dir:
        write_folder(reports, output_format, options, output_dir, quiet, if_changed, view)
    else:
        deliver(output, lambda: chosen.reports(reports, options),
                chosen.draw and (lambda console: chosen.draw(reports, console)), quiet)


def publish_side_by_side(view: "SideBySide", output_format: Format, options: Options,
                         output: Path | None, quiet: bool) -> None:
    """Several units compared goal by goal, to one file or stdout."""
    chosen = renderer(output_format)
    make, draw = chosen.side_by_side, chosen.draw_side_by_side
    if make is None:
        raise UsageError(f"--format {output_format} cannot show several units side by side")
    deliver(output, lambda: make(view, options),
            draw and (lambda console: draw(view, console)), quiet)


def _progress(quiet: bool) -> bool:
    """Progress on a terminal, unless quiet."""
    return not quiet and sys.stderr.isatty()


def _silence_notes(quiet: bool) -> None:
    """--quiet drops the library's notes for the reader (warnings and errors stay)."""
    if quiet:
        import logging

        logging.getLogger("strategihalsa").setLevel(logging.WARNING)


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (binary output is refused there)."""
    return sys.stdout.isatty()


def is_stdout(output: Path | None) -> bool:
    """No --output, or '--output -'."""
    return output is None or str(output) == "-"


def resolve_format(given: Format | None, output: Path | None) -> Format:
    """--format, else the format --output's extension implies, else table; a --format that
    contradicts the extension is a usage error."""
    implied = None if output is None or is_stdout(output) else format_of(output)
    if given is not None and implied is not None and given != implied:
        assert output is not None  # only a file name implies a format
        raise UsageError(f"--format {given} does not match --output {output} (a "
                         f"{output.suffix} file is {implied}): drop --format or rename the file")
    return given or implied or Format("table")


def check_destination(output_format: Format, output: Path | None, output_dir: Path | None,
                      is_batch: bool) -> None:
    """Refuse combinations the format cannot honour, before anything is fetched."""
    chosen = renderer(output_format)
    if output and output_dir:
        raise UsageError("give --output or --output-dir, not both")
    if is_batch and not chosen.many and not output_dir:
        raise UsageError(f"--format {output_format} with --lan/--all writes one file "
                         "per unit: add --output-dir DIR")
    if chosen.binary and is_stdout(output) and not output_dir and stdout_is_terminal():
        raise UsageError(f"--format {output_format} is binary: add --output FILE "
                         "(or pipe stdout to a file)")
    if chosen.ready:
        chosen.ready()


def write_folder(reports: Sequence["UnitReport"], output_format: Format, options: Options,
                 folder: Path, quiet: bool, if_changed: bool = False,
                 view: "SideBySide | None" = None) -> None:
    """One file per unit (and the summary, or the comparison `view`), with a progress bar on
    a terminal; report what was written."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from strategihalsa.delivery import write_batch

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), disable=not _progress(quiet),
                  transient=True) as progress:
        task = progress.add_task("Skriver rapporter", total=len(reports))
        result = write_batch(reports, output_format, options, folder,
                             advance=lambda: progress.advance(task), if_changed=if_changed,
                             comparison=view)
    for failure in result.failed:
        error(f"failed: {failure}")
    if result.failed:
        raise OutputError(f"{len(result.failed)} of {len(reports)} report(s) not written")
    unchanged = f", {len(result.unchanged)} unchanged" if if_changed else ""
    say(f"wrote {len(result.written)} file(s) to {folder}{unchanged}", quiet)


def deliver(output: Path | None, content: Callable[[], bytes],
            draw: Callable[["Console"], None] | None, quiet: bool) -> None:
    """To a file, or to stdout: a live table for the table format, else the rendered bytes.
    A reader that closes stdout early ends the output quietly; the run goes on."""
    from strategihalsa.delivery import write_file

    if not is_stdout(output):
        write_file(output, content())  # type: ignore[arg-type]
        say(f"wrote {output}", quiet)
        return
    with writing_stdout():
        if draw is not None:
            draw(stdout_console())
        else:
            sys.stdout.buffer.write(content())


def fail_if_missed(reports: Sequence["UnitReport"], goals: set[int] | None,
                   fail_on_missed: bool) -> None:
    """With --fail-on-missed: name every missed goal on stderr and exit 1; warn when no
    chosen goal had data, since then nothing was checked."""
    if not fail_on_missed:
        return
    if not any(result.has_data for report in reports for result in report.results):
        chosen = f" {', '.join(map(str, sorted(goals)))}" if goals else ""
        error(f"warning: no goal{chosen} has data to judge: --fail-on-missed checked nothing")
    missed = [(report, result) for report in reports for result in report.missed()]
    for report, result in missed:
        error(f"not met: {report.unit.title}: goal {result.indicator.goal} "
              f"({result.indicator.id}): {result.figures.status}")
    if missed:
        raise click.exceptions.Exit(ExitCode.GOALS_MISSED)


OVERVIEW_EXIT_CODES = "\n".join(line for line in EXIT_CODES.splitlines()
                                if not line.strip().startswith("1 "))  # no --fail-on-missed


@click.command(epilog=OVERVIEW_EXIT_CODES)
@unit_option("--lan", help="Only the kommuner of this län, e.g. 06 (one).")
@unit_option("--kommun", "-k",
             help="Mark this kommun, e.g. 0680 or Jönköping (one): outlined on every map and "
                  "marked in every spread chart (html, pdf).")
@FORMAT
@OUTPUT
@CSV_DIALECT
@BASELINE
@YEAR
@CATALOGUE
@QUIET
@VERBOSE
@connected
def overview(
    connection: Connection,
    lan: Sequence[str],
    kommun: Sequence[str],
    output_format: Format | None,
    output: Path | None,
    csv_dialect: CsvDialect,
    baseline: int | None,
    year: int | None,
    catalogue: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """The national picture per indicator: Riket, kommuner per status, spread of the change.

    \b
    Examples:
      sfh overview
      sfh overview --format xlsx --output sverige.xlsx
      sfh overview --lan 06 --format csv
      sfh overview --kommun 0680 --format html --output sverige.html
    """
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.run import build_overview

    with exit_codes():
        connection.settings()  # usage errors in the options first
        output_format = resolve_format(output_format, output)
        chosen = renderer(output_format)
        render_overview = chosen.overview
        if render_overview is None:
            raise UsageError(f"--format {output_format} has no overview")
        marked = kommun_to_mark(kommun, output_format)
        check_destination(output_format, output, None, False)
        period = Period(baseline, year)
        loaded = load_catalogue(catalogue)
        period.check_follow_up(first_baseline(loaded))
        client = connection.source(loaded, None)
        started = time.perf_counter()
        _silence_notes(quiet)
        with fetching(client, _progress(quiet)):
            result = build_overview(client, loaded, only_one("--lan", lan), period, marked)
        options = Options(csv_dialect=csv_dialect)
        draw = chosen.draw_overview
        deliver(output, lambda: render_overview(result, options),
                draw and (lambda console: draw(result, console)), quiet)
        if verbose:
            say_requests(client, started)


def kommun_to_mark(kommun: Sequence[str], output_format: Format) -> str | None:
    """The one kommun the overview marks, in a format that shows the marks (maps and spread
    charts); several, or a format without them, is a usage error."""
    from strategihalsa.units import names

    given = names(kommun)
    if len(given) > 1:
        raise UsageError(f"--kommun names the one kommun the overview marks ({len(given)} "
                         f"given: {', '.join(given)})")
    if given and not renderer(output_format).marks_kommun:
        raise UsageError(f"--kommun marks a kommun on the overview's maps and spread charts: "
                         f"--format {output_format} has none (use html or pdf)")
    return given[0] if given else None
