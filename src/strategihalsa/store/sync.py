"""Fetch everything a snapshot holds: the catalogue's KPIs for every kommun, region and Riket
and for the similar-kommuner groups of the chosen families, all years.

The 3,600 municipality groups are digested here, once: only the newest group per unit and
family is kept, so that a report read from the store never parses the whole list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from strategihalsa import __version__
from strategihalsa.catalogue import Catalogue
from strategihalsa.groups import similar_groups
from strategihalsa.kolada.client import KoladaClient, data_paths
from strategihalsa.kolada.records import Group, Municipality
from strategihalsa.store.snapshot import FORMAT_VERSION, Content, Manifest
from strategihalsa.units import Units


def fetch(client: KoladaClient, catalogue: Catalogue, families: Sequence[str],
          planned: Callable[[int], None] = lambda requests: None) -> Content:
    """One snapshot's content, stamped with the time its fetch started; `planned` learns
    how many data requests follow the metadata (for a progress bar)."""
    fetched_at = datetime.now(UTC).isoformat(timespec="microseconds")
    meta = client.metadata(catalogue.kpis, families)
    groups = chosen_groups(meta.groups, Units(meta.municipalities), families)
    kpi_ids = [kpi.id for kpi in meta.kpis]
    units = data_units(meta.municipalities, groups)
    planned(len(data_paths(kpi_ids, units, None)))
    values = client.values(kpi_ids, units)
    manifest = Manifest(FORMAT_VERSION, __version__, fetched_at, client.settings.public_url,
                        catalogue.digest, list(catalogue.kpis), list(families))
    return Content(manifest, meta.kpis, meta.municipalities, groups, values)


def chosen_groups(groups: Sequence[Group], units: Units, families: Sequence[str]
                  ) -> list[Group]:
    """The newest similar-units group of every kommun and region, per family."""
    by_id = {group.id: group for group in groups}
    everyone = units.kommuner() + units.regions()
    chosen = {unit.id for family in families
              for unit in similar_groups(groups, everyone, family).values()}
    return [by_id[group_id] for group_id in sorted(chosen)]


def data_units(municipalities: Sequence[Municipality], groups: Sequence[Group]) -> list[str]:
    """Every unit whose values a snapshot holds."""
    return [m.id for m in municipalities] + [g.id for g in groups]
