"""`sfh sync` (fill the local store with a snapshot of Kolada) and `sfh changes` (what changed
between two snapshots; exit 6 when anything did)."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import click

from strategihalsa.cli.app import (
    CACHE_DIR,
    CATALOGUE,
    EXIT_CODES,
    QUIET,
    Connection,
    connected,
    exit_codes,
    say,
)
from strategihalsa.cli.inspection import json_text
from strategihalsa.cli.process import LIVE, out
from strategihalsa.errors import ExitCode
from strategihalsa.settings import DEFAULT_FAMILY, ENVIRONMENT
from strategihalsa.store import DEFAULT_KEEP, DEFAULT_TOLERANCE, KEEP_RANGE, TOLERANCE_RANGE
from strategihalsa.units import Selection

if TYPE_CHECKING:
    from strategihalsa.kolada.client import KoladaClient


class ChangesFormat(StrEnum):
    """Output formats of `sfh changes`."""

    text = "text"
    json = "json"


@click.command(epilog=EXIT_CODES)
@CATALOGUE
@click.option("--liknande", envvar=ENVIRONMENT["liknande"], show_envvar=True,
              metavar="FAMILY[,FAMILY]", default=DEFAULT_FAMILY,
              help="Similar-kommuner families to store, comma-separated; 'ingen' for none.")
@click.option("--keep", type=click.IntRange(*KEEP_RANGE), default=DEFAULT_KEEP,
              help="Snapshots to keep; older ones are removed.")
@QUIET
@connected
def sync(connection: Connection, catalogue: Path | None, liknande: str, keep: int,
         quiet: bool) -> None:
    """Fetch the catalogue's key figures for every kommun, region and Riket (and the similar
    kommuner) into the local store, as one snapshot: reports then read it, and `sfh changes`
    compares it with the one before.

    \b
    Examples:
      sfh sync
      sfh sync --liknande socioekonomi,övergripande --keep 10
      sfh sync --quiet && sfh changes --quiet || echo "Kolada data changed"
    """
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.store import jobs

    with exit_codes():
        client = jobs.sync_client(connection.settings())
        loaded = load_catalogue(catalogue)
        with progress(client, not quiet and sys.stderr.isatty()) as planned:
            path, content = jobs.sync(client, loaded, jobs.families(liknande), keep, planned)
        say(f"stored {content.values.height} values of {len(content.kpis)} KPIs in {path}",
            quiet)


@contextmanager
def progress(client: "KoladaClient", shown: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar of the requests on stderr; yields a callback taking the number of
    data requests planned after the three metadata requests."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not shown, transient=True) as bar:
        task = bar.add_task("Hämtar från Kolada", total=3)
        client.on_request = lambda url: bar.advance(task)
        LIVE.append(console)
        try:
            yield lambda requests: bar.update(task, total=3 + requests)
        finally:
            LIVE.remove(console)
            client.on_request = None


@click.command(epilog=EXIT_CODES)
@click.option("--since", metavar="YYYY-MM-DD",
              help="Compare with the newest snapshot fetched before this day (default: the "
                   "previous snapshot).")
@click.option("--tolerance", type=click.FloatRange(*TOLERANCE_RANGE), default=DEFAULT_TOLERANCE,
              help="Relative change below which a republished value is not a revision.")
@click.option("--kommun", "-k", help="Goals of this kommun only (default: every unit).")
@click.option("--lan", help="Goals of this län's kommuner and region only.")
@click.option("--format", "-f", "output_format", type=click.Choice(ChangesFormat),
              default=ChangesFormat.text, help="text for people, json for scripts.")
@CATALOGUE
@CACHE_DIR
@click.option("--quiet", "-q", is_flag=True,
              help="Print nothing: the exit code says whether anything changed (0 no, 6 yes).")
def changes(since: str | None, tolerance: float, kommun: str | None, lan: str | None,
            output_format: ChangesFormat, catalogue: Path | None, cache_dir: Path | None,
            quiet: bool) -> None:
    """What changed in Kolada between the two newest snapshots of the store (sfh sync):
    new values, revised and deleted values, KPIs redefined or retired, goals whose status
    or outlook changed, and KPIs published since. Exit 6 when anything changed.

    \b
    Examples:
      sfh changes
      sfh changes --since 2026-11-01 --kommun 0680
      sfh changes --format json | jq '.revised | length'
      sfh sync --quiet && sfh changes --quiet || sfh changes | mail -s Kolada you@example.se
    """
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.settings import default_cache_dir
    from strategihalsa.store import describe, jobs

    with exit_codes():
        selection = Selection(kommun=kommun, lan=lan, all_units=not (kommun or lan))
        since_day = jobs.since_date(since)
        found = jobs.changes(cache_dir or default_cache_dir(), load_catalogue(catalogue),
                             selection, since_day, tolerance)
        if found is None:
            say("only one snapshot in the store: nothing to compare yet", quiet)
            return
        if not quiet:
            out(json_text(describe.as_data(found)) if output_format is ChangesFormat.json
                else describe.as_text(found).rstrip("\n"))
        if found.any:
            raise click.exceptions.Exit(ExitCode.CHANGED)
