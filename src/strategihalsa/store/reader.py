"""A snapshot of the store as a run's data source: the same `metadata`, `values`, the
prefetches and `provenance` as the Kolada client (see `run.Source`), read from disk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from strategihalsa.kolada.records import Metadata, Provenance
from strategihalsa.store.snapshot import Snapshot

if TYPE_CHECKING:
    import polars as pl


class StoreSource:
    """Metadata and values from one snapshot of the store (or `frame`: the snapshot's values
    as adjusted by the caller, e.g. noise settled by `sfh changes`)."""

    network_requests = 0
    on_request: Callable[[str], None] | None = None  # no requests: never called

    def __init__(self, snapshot: Snapshot, frame: pl.DataFrame | None = None) -> None:
        self.snapshot = snapshot
        self.frame = frame
        manifest = snapshot.manifest
        self.provenance = Provenance(manifest.api_url,
                                     manifest.fetched.isoformat(timespec="seconds"), "store")

    def metadata(self, kpi_ids: Sequence[str], families: Sequence[str]) -> Metadata:
        """The snapshot's units, the asked-for KPIs, and (if families are) its similar
        groups."""
        wanted = set(kpi_ids)
        return Metadata(self.snapshot.municipalities,
                        [kpi for kpi in self.snapshot.kpis if kpi.id in wanted],
                        self.snapshot.groups if families else [])

    def prefetch_metadata(self, kpi_ids: Sequence[str], families: Sequence[str],
                          then: Callable[[Metadata], None] | None = None) -> None:
        """Nothing to start early: `metadata` reads the snapshot (the client's interface)."""

    def prefetch(self, kpis: Sequence[str], units: Sequence[str],
                 years: Sequence[int] | None = None) -> None:
        """Nothing to start early: the snapshot is on disk (the client's interface)."""

    def prefetch_probe(self, kpis: Sequence[str], candidates: Sequence[str],
                       years: Sequence[int] | None = None) -> None:
        """Nothing to start early (the client's interface)."""

    def values(self, kpis: Sequence[str], units: Sequence[str],
               years: Sequence[int] | None = None) -> pl.DataFrame:
        """Observations of these KPIs, units and years (None: all years)."""
        import polars as pl

        chosen = pl.col("kpi").is_in(list(kpis)) & pl.col("unit").is_in(list(units))
        if years is not None:
            chosen &= pl.col("year").is_in(list(years))
        return self.snapshot.values(chosen) if self.frame is None else self.frame.filter(chosen)
