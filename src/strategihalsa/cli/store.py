"""`sfh sync` (fill the local store with a snapshot of Kolada) and `sfh changes` (what changed
between two snapshots; exit 6 when anything did)."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from strategihalsa.cli.app import EXIT_CODES, Connection, app, connected, exit_codes, say
from strategihalsa.cli.process import LIVE, out
from strategihalsa.cli.reports import CatalogueOpt, Quiet
from strategihalsa.errors import ExitCode, UsageError
from strategihalsa.settings import DEFAULT_FAMILY

if TYPE_CHECKING:
    from strategihalsa.kolada.client import KoladaClient

DEFAULT_KEEP = 5


def families(liknande: str) -> list[str]:
    """'socioekonomi,övergripande' → both; 'ingen' → none."""
    from strategihalsa.units import normalise

    named = [name.strip() for name in liknande.split(",") if name.strip()]
    return [] if [normalise(n) for n in named] in ([], ["ingen"]) else named


@app.command(epilog=EXIT_CODES)
@connected
def sync(
    connection: Connection,
    catalogue: CatalogueOpt = None,
    liknande: Annotated[str, typer.Option(
        "--liknande", envvar="SFH_LIKNANDE", metavar="FAMILY[,FAMILY]",
        help="Similar-kommuner families to store, comma-separated; 'ingen' for none.")
    ] = DEFAULT_FAMILY,
    keep: Annotated[int, typer.Option(
        "--keep", min=1, max=1000, help="Snapshots to keep; older ones are removed.")
    ] = DEFAULT_KEEP,
    quiet: Quiet = False,
) -> None:
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
    from strategihalsa.store import snapshot
    from strategihalsa.store.sync import fetch

    with exit_codes():
        if connection.offline or connection.no_cache:
            raise UsageError("sfh sync fetches into the store in the cache folder: drop "
                             "--offline and --no-cache")
        client = connection.client()
        loaded = load_catalogue(catalogue)
        with progress(client, not quiet and sys.stderr.isatty()) as planned:
            content = fetch(client, loaded, families(liknande), planned)
        store = snapshot.store_folder(client.settings.cache_dir)
        path = snapshot.write(store, content, keep)
        say(f"stored {content.values.height} values of {len(content.kpis)} KPIs in {path}",
            quiet)


@contextmanager
def progress(client: "KoladaClient", shown: bool) -> Iterator:
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


def since_date(text: str | None) -> date | None:
    """--since YYYY-MM-DD, checked."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text!r} is not a date such as 2026-11-30") from None


__all__ = ["ExitCode", "out", "since_date", "sync"]
