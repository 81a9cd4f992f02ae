"""The on-disk cache of Kolada answers (requests-cache, SQLite) and its housekeeping.

Metadata (KPIs, municipalities, groups) is kept for a week, data for a day. Only complete,
non-empty 200 answers are stored (an empty list may be a passing glitch); the client removes
any answer that turns out to be malformed. Entries are plain JSON data read back through a
strict serializer: a crafted entry is a cache miss, never code. The SQLite file (and its
-wal/-shm) is created 0600 in a folder that must belong to the user and be writable by
nobody else; a folder that is not, a cache that cannot be opened, or one that another
process keeps locked for more than `LOCK_WAIT` seconds, is reported once and bypassed (with
--offline that is an error instead: there is nothing else to answer from).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from strategihalsa.errors import KoladaError, OutputError
from strategihalsa.kolada.background import pause
from strategihalsa.kolada.plan import DATA_SEGMENT
from strategihalsa.private import folder_problem, make_private_folder
from strategihalsa.settings import ClientSettings

CACHE_FILE = "kolada.sqlite"
BODY_APART = b"\n"  # between an entry's fields (JSON: never a raw line break) and its body
SIDE_FILES = ("-wal", "-shm", "-journal")
METADATA_TTL = timedelta(days=7)
DATA_TTL = timedelta(days=1)
SMALL_ANSWER = 1024
LOCK_WAIT = 3.0  # seconds to wait for another process's lock on the cache, then go on without
LOCK_RETRY = 0.1  # seconds between two tries for the lock
BUSY_TIMEOUT_MS = 1000  # mid-run, another process's write (milliseconds long) is waited for
# what requests_cache imports if installed, for backends and serializers sfh does not use
UNUSED_BY_CACHE = ("boto3", "botocore", "pymongo", "gridfs", "redis", "bson", "yaml", "ujson",
                   "orjson", "msgpack", "tomlkit")
log = logging.getLogger("strategihalsa")
logging.getLogger("requests_cache").addHandler(logging.NullHandler())  # misses stay quiet
_told: set[str] = set()
_locked: set[Path] = set()  # cache folders found locked: this process does not wait again


class CacheError(OutputError):
    """The cache cannot be read or removed."""


class UnsafeCache(Exception):
    """The cache folder or file must not be used."""


class CacheLocked(Exception):
    """Another process holds a lock on the cache for longer than `LOCK_WAIT`."""


def cache_file(folder: Path) -> Path:
    """The SQLite file inside the cache folder."""
    return folder / CACHE_FILE


def load_requests_cache() -> None:
    """Import requests_cache without the cloud backends and serializers it tries first: with
    boto3 installed, its DynamoDB backend alone adds ~0.13 s to every run (tomlkit 13 ms), and
    sfh only uses SQLite and its own serializer."""
    if "requests_cache" in sys.modules:
        return
    blocked = [name for name in UNUSED_BY_CACHE if name not in sys.modules]
    # None: "import boto3" raises ImportError (the import system's documented marker, which
    # typeshed's dict[str, ModuleType] cannot say)
    sys.modules.update(dict.fromkeys(blocked))  # type: ignore[arg-type]
    try:
        import requests_cache  # noqa: F401
    finally:
        for name in blocked:
            sys.modules.pop(name, None)


def cached_session(settings: ClientSettings, checked: bool = False) -> requests.Session:
    """A CachedSession in the settings' cache folder, or a plain session if it is unusable;
    `checked`: the run's first session found the folder private, unlocked and readable, so
    another thread's session opens at once (not waiting for the lock its siblings write
    under)."""
    load_requests_cache()
    from requests_cache import CachedSession

    assert settings.cache_dir is not None
    try:
        if not checked:
            prepare_private_cache(settings.cache_dir)
            wait_for_lock(settings.cache_dir)
        session = CachedSession(
            str(cache_file(settings.cache_dir)),
            backend="sqlite",
            serializer=data_only_serializer(),
            wal=True,
            busy_timeout=BUSY_TIMEOUT_MS,
            expire_after=METADATA_TTL,
            urls_expire_after={f"*{DATA_SEGMENT}*": DATA_TTL},
            allowable_codes=(200,),
            allowable_methods=("GET",),
            filter_fn=worth_keeping,
            only_if_cached=settings.offline,
            stale_if_error=settings.offline,
        )
        if not checked:
            len(session.cache.responses)  # probe: a corrupt file fails here, not mid-run
    except UnsafeCache as exc:
        return _bypass(settings, f"the cache folder {settings.cache_dir} is not used: {exc}")
    except CacheLocked:
        return _bypass(settings, f"the cache in {settings.cache_dir} is locked by another "
                                 f"process (waited {LOCK_WAIT:g} s)")
    except (OSError, sqlite3.Error) as exc:
        return _bypass(settings, f"the cache in {settings.cache_dir} is unusable ({exc}); "
                                 "'sfh cache clear' removes it")
    return session


def wait_for_lock(folder: Path) -> None:
    """Return once the cache could be written, or raise CacheLocked after `LOCK_WAIT` s (at
    once if this process found it locked before). Waits in Python, not in SQLite's busy
    handler, so that a stop (Ctrl-C, SIGTERM) ends the wait at once."""
    if folder in _locked:
        raise CacheLocked()
    connection = sqlite3.connect(cache_file(folder), timeout=0)
    try:
        until = time.monotonic() + LOCK_WAIT
        while not _could_lock(connection):
            if time.monotonic() >= until:
                _locked.add(folder)
                raise CacheLocked()
            pause(LOCK_RETRY)
    finally:
        connection.close()


def _could_lock(connection: sqlite3.Connection) -> bool:
    """Whether a write lock could be taken (and released) right now."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    connection.rollback()
    return True


def _bypass(settings: ClientSettings, reason: str) -> requests.Session:
    """An uncached session, after telling why once; with --offline, an error."""
    if settings.offline:
        raise KoladaError(f"offline: {reason}")
    if reason not in _told:
        _told.add(reason)
        log.warning("%s; continuing without it", reason)
    return requests.Session()


def prepare_private_cache(folder: Path) -> None:
    """Make (or check) the folder and the SQLite file: private to the user, or UnsafeCache."""
    make_private_folder(folder)
    problem = folder_problem(folder)
    if problem:
        raise UnsafeCache(problem)
    path = cache_file(folder)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILES)):
        _make_private(candidate)


def _make_private(path: Path) -> None:
    """Mode 0600 for one of the user's own regular files; refuse links and others' files."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeCache(f"{path.name} is not a regular file")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise UnsafeCache(f"{path.name} belongs to another user")
    if stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(0o600)


def worth_keeping(response: requests.Response) -> bool:
    """False for an answer with no items: an empty list is never stored (it may be a glitch)."""
    if response.status_code != 200 or len(response.content) > SMALL_ANSWER:
        return True
    try:
        values = json.loads(response.content).get("values")
    except (ValueError, AttributeError, RecursionError):
        return False
    return bool(values)


def data_only_serializer() -> Any:
    """A strict serializer of cached answers: the response's fields as JSON, a line break,
    then its body as the bytes Kolada sent (no base64 and no escaping of a megabyte answer
    on every write and read). Anything but that, or an entry of the earlier all-JSON form
    (still read), is a cache miss, never code."""
    load_requests_cache()
    from requests_cache.serializers.pipeline import SerializerPipeline, Stage

    class DataOnly(SerializerPipeline):
        def copy(self) -> DataOnly:
            return DataOnly([stage.copy() for stage in self.stages], self.name, self.is_binary)

    return DataOnly([Stage(dumps=_answer_bytes, loads=_answer_of)], name="sfh-data",
                    is_binary=True)


def _answer_bytes(response: Any) -> bytes:
    """A CachedResponse as its fields in JSON, a line break and its body."""
    from requests_cache.serializers.preconf import json_preconf_stage

    body, response._content = response._content, None
    try:
        fields = json_preconf_stage.converter.unstructure(response)
    finally:
        response._content = body
    return json.dumps(fields).encode() + BODY_APART + (body or b"")


def _answer_of(value: bytes | str) -> Any:
    """The CachedResponse `_answer_bytes` wrote (or the earlier all-JSON form held); a
    ValueError (a miss) for anything else."""
    from requests_cache.models.raw_response import CachedHTTPResponse
    from requests_cache.models.response import CachedResponse
    from requests_cache.serializers.preconf import json_preconf_stage

    data = value.encode() if isinstance(value, str) else value
    head, apart, body = data.partition(BODY_APART)
    try:
        response = json_preconf_stage.converter.structure(json.loads(head), CachedResponse)
    except Exception as exc:  # cattrs and json raise many types for crafted data
        raise ValueError(f"not a cached answer ({type(exc).__name__})") from None
    if not isinstance(response, CachedResponse):
        raise ValueError("not a cached answer")
    if apart:
        response._content = body
        response.raw = CachedHTTPResponse.from_cached_response(response)
    return response


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
    """Location, size, number of entries and their age range (unreadable entries skipped)."""
    load_requests_cache()
    from requests_cache.backends.sqlite import SQLiteCache

    path = cache_file(folder)
    if not path.exists():
        return CacheInfo(path, False, 0, 0, None, None)
    try:
        responses = SQLiteCache(str(path), serializer=data_only_serializer()).responses
        created = [r.created_at for r in responses.values() if r is not None]
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
