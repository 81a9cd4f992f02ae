"""Where a run's Kolada data comes from: the one place that decides, store or network.

The local store (`sfh sync`) answers when its newest snapshot holds what the run needs (the
catalogue's KPIs, the similar-kommuner family, the same Kolada) and is younger than the max
age; otherwise the Kolada client does (with its HTTP cache). `--refresh` always fetches;
`--offline` never does: the newest snapshot whatever its age, else the HTTP cache, else
exit 4 saying to run `sfh sync` first. Both sources offer what `run` needs: `metadata`,
`values` and `provenance`. This module stays light: the warm path imports neither requests
nor requests-cache.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from strategihalsa.errors import UsageError, argument
from strategihalsa.settings import ClientSettings
from strategihalsa.store.reader import StoreSource
from strategihalsa.store.snapshot import Snapshot, StoreError, newest, store_folder
from strategihalsa.units import normalise

if TYPE_CHECKING:

    from strategihalsa.catalogue import Catalogue
    from strategihalsa.kolada.client import KoladaClient

AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 3600}
log = logging.getLogger("strategihalsa")


def parse_age(text: str) -> timedelta:
    """'1d', '12h', '30m', '90s' (a bare number is hours) → a timedelta; else UsageError."""
    match = AGE.match(text or "")
    if not match:
        raise UsageError(f"{argument('max_age')} {text!r} is not an age such as 1d, 12h or 30m")
    return timedelta(seconds=float(match.group(1)) * UNITS[match.group(2)])


@dataclass(frozen=True)
class Need:
    """What a run needs from the store: the catalogue's KPIs and a similar-units family."""

    catalogue: Catalogue
    family: str | None
    max_age: timedelta


def choose(settings: ClientSettings, need: Need) -> StoreSource | KoladaClient:
    """The store when it serves the run, else a Kolada client (see the module docstring)."""
    if settings.cache_dir is not None and not settings.refresh:
        snapshot = _newest(settings)
        if snapshot and (why := _unfit(snapshot, settings, need)) is None:
            return StoreSource(snapshot)
        if snapshot and settings.offline:
            log.warning("the store does not serve this run (%s); using the HTTP cache", why)
    from strategihalsa.kolada.client import KoladaClient

    return KoladaClient(settings)


def _newest(settings: ClientSettings) -> Snapshot | None:
    """The newest snapshot; one of another format is a warning (exit 4 when offline)."""
    assert settings.cache_dir is not None
    try:
        return newest(store_folder(settings.cache_dir))
    except StoreError as exc:
        if settings.offline:
            raise
        log.warning("%s; fetching from Kolada instead", exc)
        return None


def _unfit(snapshot: Snapshot, settings: ClientSettings, need: Need) -> str | None:
    """Why the snapshot cannot serve the run, or None when it can."""
    manifest = snapshot.manifest
    if manifest.api_url != settings.public_url:
        return f"it holds data from {manifest.api_url}"
    if missing := set(need.catalogue.kpis) - set(manifest.kpis):
        return f"it lacks {', '.join(sorted(missing)[:3])}"
    if need.family and normalise(need.family) not in map(normalise, manifest.families):
        return f"it has no similar-kommuner groups '{need.family}'"
    age = datetime.now(UTC) - manifest.fetched
    if age > need.max_age and not settings.offline:
        return "it is older than the max age"
    return None
