"""The store's two jobs as the library does them, for the command line (`sfh sync`,
`sfh changes`) and the Python API alike: fill a snapshot, and compare two."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from strategihalsa.errors import UsageError, argument
from strategihalsa.store import DEFAULT_KEEP, DEFAULT_TOLERANCE, KEEP_RANGE, TOLERANCE_RANGE

if TYPE_CHECKING:
    from strategihalsa.catalogue import Catalogue
    from strategihalsa.kolada.client import KoladaClient
    from strategihalsa.settings import ClientSettings
    from strategihalsa.store.changes import Changes
    from strategihalsa.store.snapshot import Content, Snapshot
    from strategihalsa.units import Selection


def families(liknande: str) -> list[str]:
    """'socioekonomi,övergripande' → both; 'ingen' → none."""
    from strategihalsa.units import normalise

    named = [name.strip() for name in liknande.split(",") if name.strip()]
    return [] if [normalise(n) for n in named] in ([], ["ingen"]) else named


def sync_client(settings: ClientSettings) -> KoladaClient:
    """A client for a sync: it fetches afresh, never from the HTTP cache, and keeps the
    values only in the store (not a second time in the HTTP cache); a usage error offline
    or without a cache folder (the store lives in it)."""
    from strategihalsa.kolada.client import KoladaClient

    if settings.offline or settings.cache_dir is None:
        raise UsageError(f"a sync fetches into the store in the cache folder: drop "
                         f"{argument('offline')} and {argument('no_cache')}")
    return KoladaClient(replace(settings, refresh=True, keep_data=False))


def sync(client: KoladaClient, catalogue: Catalogue, chosen_families: Sequence[str],
         keep: int = DEFAULT_KEEP, planned: Callable[[int], None] = lambda requests: None
         ) -> tuple[Path, Content]:
    """Fetch one snapshot with a `sync_client` into the store of its cache folder (keeping
    the newest `keep`); returns its folder and content. `planned` learns the number of data
    requests (for a progress bar)."""
    from strategihalsa.store import snapshot
    from strategihalsa.store.sync import fetch

    assert client.settings.cache_dir is not None  # sync_client refuses settings without one
    _check_range("keep", keep, KEEP_RANGE)
    store = snapshot.store_folder(client.settings.cache_dir)
    snapshot.refuse_unsafe(store)  # before the fetch, not after it
    content = fetch(client, catalogue, chosen_families, planned)
    return snapshot.write(store, content, keep), content


def changes(cache_dir: Path, catalogue: Catalogue, selection: Selection,
            since: date | None = None, tolerance: float = DEFAULT_TOLERANCE
            ) -> Changes | None:
    """What changed from the previous snapshot (or the newest before `since`) to the newest,
    the selected units' goals included; None when there is only one snapshot."""
    from strategihalsa.store.changes import compare, goal_changes

    _check_range("tolerance", tolerance, TOLERANCE_RANGE)
    pair = snapshots_to_compare(cache_dir, since)
    if pair is None:
        return None
    older, newer = pair
    return compare(older, newer, tolerance,
                   goal_changes(older, newer, catalogue, selection, tolerance))


def snapshots_to_compare(cache_dir: Path, since: date | None
                         ) -> tuple[Snapshot, Snapshot] | None:
    """(older, newer): the newest snapshot and the previous one, or the newest fetched
    before `since`; None when there is only one; no store is a StoreError (exit 4)."""
    from strategihalsa.store.snapshot import Snapshot, StoreError, snapshot_paths, store_folder

    paths = snapshot_paths(store_folder(cache_dir))
    if not paths:
        raise StoreError(f"the store in {cache_dir} has no snapshot: run `sfh sync` first")
    newer = Snapshot(paths[-1])
    if since is not None:
        earlier = [p for p in paths[:-1] if p.name < since.strftime("%Y%m%d")]
        older = earlier[-1] if earlier else paths[0]
    else:
        older = paths[-2] if len(paths) > 1 else paths[-1]
    return None if older == paths[-1] else (Snapshot(older), newer)


def since_date(text: str | date | None) -> date | None:
    """A day such as 2026-11-30 (text or a date), checked."""
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{argument('since')} {text!r} is not a date such as 2026-11-30"
                         ) from None


def _check_range(name: str, value: float, bounds: tuple[float, float]) -> None:
    """A usage error naming the argument when `value` is outside `bounds` (inclusive)."""
    if not bounds[0] <= value <= bounds[1]:
        raise UsageError(f"{argument(name)} must be in {bounds[0]:g}..{bounds[1]:g}, "
                         f"not {value!r}")
