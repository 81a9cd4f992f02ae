"""Snapshots of Kolada data on disk: write (atomically), list, read, prune.

A snapshot is one folder `<cache_dir>/store/<UTC time>/` holding
- `manifest.json`: format version, sfh version, fetch time, API URL, catalogue digest, KPIs,
  similar-kommuner families (read first and alone: listing and age checks stay cheap);
- `metadata.json`: the KPIs' metadata, the municipalities, and the similar-kommuner groups
  digested at sync time (the newest group per unit and family, with members);
- `values.parquet`: every observation (kpi, unit, year, gender, value, status, count), as
  Parquet with zstd (read lazily, so a report reads only its units: README "The store"
  has the measurements behind the choice).

A snapshot is built in a temporary folder beside the others, every file fsynced, then
renamed into place: an interrupted or failed sync never leaves a partial snapshot, and the
previous ones stay readable. Folders not named like a snapshot (temporary ones) are ignored.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from strategihalsa.errors import KoladaError, OutputError
from strategihalsa.kolada.records import Group, Kpi, Municipality
from strategihalsa.private import folder_problem, make_private_folder
from strategihalsa.store import DEFAULT_KEEP

if TYPE_CHECKING:
    import polars as pl

FORMAT_VERSION = 1
STORE_FOLDER = "store"
MANIFEST = "manifest.json"
METADATA = "metadata.json"
VALUES = "values.parquet"
LOCK = ".lock"
NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")
NAME_FORMAT = "%Y%m%dT%H%M%S.%fZ"


class StoreError(KoladaError):
    """The store cannot be read or written (exit 4: the data is not available)."""


def store_folder(cache_dir: Path) -> Path:
    """Where the snapshots live inside the cache folder."""
    return cache_dir / STORE_FOLDER


@dataclass(frozen=True)
class Manifest:
    """What a snapshot holds, readable without loading the data."""

    format: int
    sfh_version: str
    fetched_at: str
    api_url: str
    catalogue_digest: str
    kpis: list[str]
    families: list[str] = field(default_factory=list)

    @property
    def fetched(self) -> datetime:
        """`fetched_at` as an aware datetime."""
        return datetime.fromisoformat(self.fetched_at)


@dataclass(frozen=True)
class Content:
    """Everything a sync fetched, ready to be written."""

    manifest: Manifest
    kpis: list[Kpi]
    municipalities: list[Municipality]
    groups: list[Group]
    values: pl.DataFrame


class Snapshot:
    """One snapshot folder; its manifest is checked when opened, the rest read on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.manifest = _read_manifest(path)

    @cached_property
    def _metadata(self) -> dict[str, Any]:
        return cast("dict[str, Any]", _read_json(self.path / METADATA))  # written by sync

    @property
    def kpis(self) -> list[Kpi]:
        """The KPIs' metadata as Kolada had it at the fetch time."""
        return [Kpi(**raw) for raw in self._metadata["kpis"]]

    @property
    def municipalities(self) -> list[Municipality]:
        """Kommuner, regions and Riket."""
        return [Municipality(*raw) for raw in self._metadata["municipalities"]]

    @property
    def groups(self) -> list[Group]:
        """The similar-kommuner groups chosen at sync time (newest per unit and family)."""
        return [Group(raw["id"], raw["title"], tuple(raw["members"]))
                for raw in self._metadata["groups"]]

    def values(self, chosen: pl.Expr | None = None) -> pl.DataFrame:
        """The observations of the snapshot (those matching `chosen`, if given)."""
        import polars as pl

        try:
            frame = pl.scan_parquet(self.path / VALUES)
            return (frame if chosen is None else frame.filter(chosen)).collect()
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise StoreError(f"the snapshot {self.path.name} is unreadable ({exc}); "
                             "run `sfh sync` again") from None


def _read_json(path: Path) -> Any:
    """The JSON value of a snapshot file (its shape is the caller's to check)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path} is unreadable ({exc}); run `sfh sync` again") from None


def _read_manifest(path: Path) -> Manifest:
    """The manifest of a snapshot; another format version is a StoreError that says so."""
    raw = _read_json(path / MANIFEST)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_VERSION:
        found = raw.get("format") if isinstance(raw, dict) else None
        raise StoreError(f"the snapshot {path.name} is in store format {found!r}, written by "
                         f"another version of sfh (this one reads format {FORMAT_VERSION}); "
                         "run `sfh sync` to make a new one")
    try:
        return Manifest(**raw)
    except TypeError:
        raise StoreError(f"{path / MANIFEST} is malformed; run `sfh sync` again") from None


def store_problem(store: Path) -> str | None:
    """Why the store folder must not be used (a symbolic link, another user's, writable by
    others: as the cache folder), or None; None also while it does not exist."""
    if store.is_symlink():
        return "it is a symbolic link"
    return folder_problem(store) if store.exists() else None


def refuse_unsafe(store: Path) -> None:
    """An OutputError (exit 5) when the store folder must not be written."""
    if problem := store_problem(store):
        raise OutputError(f"cannot write the store in {store}: {problem}")


def snapshot_paths(store: Path) -> list[Path]:
    """The snapshot folders, oldest first (temporary and foreign folders ignored); a
    StoreError for a store folder that must not be used."""
    if problem := store_problem(store):
        raise StoreError(f"the store folder {store} is not used: {problem}")
    if not store.exists():
        return []
    return sorted(p for p in store.iterdir() if NAME.match(p.name) and p.is_dir())


def newest(store: Path) -> Snapshot | None:
    """The newest snapshot, or None when there is none."""
    paths = snapshot_paths(store)
    return Snapshot(paths[-1]) if paths else None


def write(store: Path, content: Content, keep: int = DEFAULT_KEEP) -> Path:
    """Write a new snapshot atomically and prune all but the newest `keep`; its path. A
    disk that refuses is an OutputError (exit 5), the previous snapshots left as they were."""
    refuse_unsafe(store)
    try:
        make_private_folder(store)
        with _locked(store):
            final = _write_snapshot(store, content)
            prune(store, keep)
    except OSError as exc:
        raise OutputError(f"cannot write the store in {store}: {exc.strerror or exc}"
                          ) from None
    return final


def _write_snapshot(store: Path, content: Content) -> Path:
    """Build the snapshot in a temporary folder, then rename it into place."""
    temporary = Path(tempfile.mkdtemp(prefix=".sync-", dir=store))
    try:
        _write_files(temporary, content)
        final = store / content.manifest.fetched.strftime(NAME_FORMAT)
        os.rename(temporary, final)
        _fsync(store)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return final


def _write_files(folder: Path, content: Content) -> None:
    """The three files of a snapshot, each fsynced; the manifest last."""
    content.values.write_parquet(folder / VALUES, compression="zstd")
    metadata = {"kpis": [asdict(k) for k in content.kpis],
                "municipalities": [[m.id, m.title, m.type] for m in content.municipalities],
                "groups": [asdict(g) for g in content.groups]}
    (folder / METADATA).write_text(json.dumps(metadata, ensure_ascii=False), "utf-8")
    (folder / MANIFEST).write_text(json.dumps(asdict(content.manifest), indent=1), "utf-8")
    for name in (VALUES, METADATA, MANIFEST):
        _fsync(folder / name)
    _fsync(folder)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _locked(store: Path) -> Iterator[None]:
    """One writer at a time: renaming and pruning under an exclusive lock file."""
    with open(store / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prune(store: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` snapshots and the temporary folders of syncs that
    died (call it under the lock); the removed snapshots."""
    paths = snapshot_paths(store)
    removed = paths[: max(len(paths) - keep, 0)]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    for leftover in store.glob(".sync-*"):  # made and renamed under the lock: a dead sync's
        shutil.rmtree(leftover, ignore_errors=True)
    return removed
