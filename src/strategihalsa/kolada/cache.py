"""The on-disk cache of Kolada answers (requests-cache, SQLite) and its housekeeping.

Metadata (KPIs, municipalities, groups) is kept for a week, data for a day. Only complete
200 answers are stored; the client removes any answer that turns out to be malformed. A
cache that cannot be opened is reported once and bypassed: the run goes on uncached.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from strategihalsa.errors import OutputError
from strategihalsa.settings import ClientSettings

CACHE_FILE = "kolada.sqlite"
METADATA_TTL = timedelta(days=7)
DATA_TTL = timedelta(days=1)
log = logging.getLogger("strategihalsa")


class CacheError(OutputError):
    """The cache cannot be read or removed."""


def cache_file(folder: Path) -> Path:
    """The SQLite file inside the cache folder."""
    return folder / CACHE_FILE


def cached_session(settings: ClientSettings) -> requests.Session:
    """A CachedSession in the settings' cache folder, or a plain session if it is unusable."""
    from requests_cache import CachedSession

    assert settings.cache_dir is not None
    try:
        _make_private_folder(settings.cache_dir)
        session = CachedSession(
            str(cache_file(settings.cache_dir)),
            backend="sqlite",
            expire_after=METADATA_TTL,
            urls_expire_after={"*/data/*": DATA_TTL},
            allowable_codes=(200,),
            allowable_methods=("GET",),
            only_if_cached=settings.offline,
            stale_if_error=settings.offline,
        )
        len(session.cache.responses)  # probe: a corrupt file fails here, not mid-run
    except (OSError, sqlite3.Error) as exc:
        log.warning("the cache in %s is unusable (%s); continuing without it "
                    "('sfh cache clear' removes it)", settings.cache_dir, exc)
        return requests.Session()
    return session


def _make_private_folder(folder: Path) -> None:
    """Create the cache folder readable by the user only (an existing one is left as is)."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)


@dataclass(frozen=True)
class CacheInfo:
    """What `sfh cache info` shows."""

    path: Path
    exists: bool
    size_bytes: int
    entries: int
    oldest: datetime | None
    newest: datetime | None


def info(folder: Path) -> CacheInfo:
    """Location, size, number of entries and their age range."""
    from requests_cache.backends.sqlite import SQLiteCache

    path = cache_file(folder)
    if not path.exists():
        return CacheInfo(path, False, 0, 0, None, None)
    try:
        created = [r.created_at for r in SQLiteCache(str(path)).responses.values()]
    except (OSError, sqlite3.Error) as exc:
        raise CacheError(f"the cache {path} is unreadable ({exc}); 'sfh cache clear' removes it"
                         ) from exc
    created = [c if c.tzinfo else c.replace(tzinfo=UTC) for c in created]
    return CacheInfo(path, True, path.stat().st_size, len(created),
                     min(created, default=None), max(created, default=None))


def clear(folder: Path) -> int:
    """Delete the cache file(s); return how many bytes were freed."""
    freed = 0
    try:
        for path in folder.glob(CACHE_FILE + "*"):
            freed += path.stat().st_size
            path.unlink()
    except OSError as exc:
        raise CacheError(f"cannot remove the cache in {folder}: {exc.strerror or exc}") from exc
    return freed
