"""The library's front door: fetch what a set of reports needs, evaluate, assemble.

The data come from a `Source`: the local store (`sfh sync`) or the Kolada client, which
makes few requests: the municipality list, the KPIs' metadata and the groups of the chosen
similar-kommuner family at once, and the values of every KPI for every unit involved
(kommuner, regions, Riket, similar-kommuner groups) in planned requests, four at a time; a
kommun given by its code has its own, its region's and Riket's values fetched while the
metadata arrives, and a fetch of every unit has Riket's and the regions' values asked for
with the metadata, to plan the rest from.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from strategihalsa import __version__
from strategihalsa.catalogue import HISTORY_YEARS, Catalogue
from strategihalsa.errors import UsageError, argument
from strategihalsa.kolada.background import Background
from strategihalsa.kolada.plan import MAX_SEGMENT
from strategihalsa.kolada.records import Kpi, Metadata, Provenance
from strategihalsa.model import RunInfo, UnitReport
from strategihalsa.model_overview import Overview
from strategihalsa.model_side import SideBySide
from strategihalsa.scope import Scope, overview_scope, report_scope, weights_foreseen
from strategihalsa.settings import Comparisons, Period
from strategihalsa.units import (
    MAX_SIDE_BY_SIDE,
    RIKET,
    RIKET_AND_REGIONS,
    Selection,
    Unit,
    Units,
    lan_name,
)
from strategihalsa.vocabulary import Role

if TYPE_CHECKING:
    import polars as pl

log = logging.getLogger("strategihalsa")


class Source(Protocol):
    """Where a run's data comes from: the Kolada client, or a snapshot of the local store
    (`store.reader.StoreSource`); `source.choose` decides which."""

    @property
    def provenance(self) -> Provenance:
        """Where the data came from and when it was fetched."""

    @property
    def network_requests(self) -> int:
        """Requests sent to Kolada so far (answers from the cache not counted)."""

    on_request: Callable[[str], None] | None  # told of each request (a progress display)

    def metadata(self, kpi_ids: Sequence[str], families: Sequence[str]) -> Metadata:
        """The units, the KPIs asked for and the municipality groups among which are the
        similar-units groups of these families (none: no groups)."""

    def prefetch_metadata(self, kpi_ids: Sequence[str], families: Sequence[str],
                          then: Callable[[Metadata], None] | None = None) -> None:
        """Start fetching the metadata, and call `then` with it once it is in (a hint; may
        do nothing)."""

    def values(self, kpis: Sequence[str], units: Sequence[str],
               years: Sequence[int] | None = None) -> pl.DataFrame:
        """Observations of kpis × units × years (None: every year)."""

    def prefetch(self, kpis: Sequence[str], units: Sequence[str],
                 years: Sequence[int] | None = None) -> None:
        """Start fetching values the run will ask for (a hint; may do nothing)."""

    def prefetch_probe(self, kpis: Sequence[str], candidates: Sequence[str],
                       years: Sequence[int] | None = None) -> None:
        """Start the first request of a fetch of (nearly) every unit: Riket and regions of
        the `candidates` (a hint; may do nothing)."""


@dataclass(frozen=True)
class Evaluation:
    """One run's evaluated rows, the observations behind them, and what they refer to."""

    results: pl.DataFrame
    observations: pl.DataFrame
    lookup: dict[str, Unit]
    kpis: dict[str, Kpi]
    run: RunInfo
    similar: dict[str, Unit]


def build_reports(client: Source, catalogue: Catalogue, selection: Selection,
                  period: Period | None = None, comparisons: Comparisons | None = None
                  ) -> list[UnitReport]:
    """Evaluate the catalogue for each selected unit, with one bulk fetch of the values.

    With `comparisons.rank`, every kommun (and region) is evaluated too, so that each report
    unit can be ranked among all units of its kind: more data in the same bulk requests,
    no request per unit, and no similar-group data for the units that are only ranked.
    """
    comparisons = comparisons or Comparisons()
    period = period or Period()
    years = _years(catalogue, period, date.today().year)
    if comparisons.rank:  # every unit: Riket's and the regions' values first, at once
        client.prefetch_probe([*catalogue.kpis, *weights_foreseen(selection)],
                              RIKET_AND_REGIONS, years)
    else:
        client.prefetch(catalogue.kpis, _known_early(selection), years)
    family = comparisons.similar_family
    meta, scope = _scoped(client, catalogue, years, [family] if family else [],
                          lambda meta: report_scope(meta, selection, comparisons))
    from strategihalsa.assemble import assemble
    from strategihalsa.picture import pictures

    run = evaluate_units(client, catalogue, meta, scope, period, comparisons)
    _warn_missing_groups(scope.compared, scope.similar, comparisons.similar_family)
    reports = assemble(run.results, run.observations, scope.compared, run.lookup, run.kpis,
                       run.run, pictures(run.results, run.observations, run.lookup,
                                scope.compared))
    _warn_thin_groups(reports)
    return reports


def build_overview(client: Source, catalogue: Catalogue, lan: str | None,
                   period: Period | None = None, kommun: str | None = None) -> Overview:
    """The national (or one län's) picture: every kommun evaluated from one bulk fetch;
    `kommun` (code or name) is the one its pages mark."""
    no_groups = Comparisons(similar_family=None, over_unit_years=False)
    period = period or Period()
    years = _years(catalogue, period, date.today().year)
    if lan is None:  # every kommun: Riket's and the regions' values first, at once
        client.prefetch_probe(catalogue.kpis, RIKET_AND_REGIONS, years)
    meta, scope = _scoped(client, catalogue, years, [],
                          lambda meta: overview_scope(meta, lan))
    from strategihalsa.national import summarise

    title = f"{lan_name(scope.units.region(lan).lan)}s kommuner" if lan else "alla kommuner"
    chosen = marked_kommun(scope.units, kommun, scope.evaluated, title)
    run = evaluate_units(client, catalogue, meta, scope, period, no_groups)
    return replace(summarise(run.results, run.lookup, run.kpis, run.run, title),
                   chosen=chosen)


def marked_kommun(units: Units, kommun: str | None, kommuner: Sequence[Unit], scope: str
                  ) -> Unit | None:
    """The kommun an overview marks, by code or name: one of its `kommuner` (None: none)."""
    hint = f"the overview marks one of its kommuner ({scope})"
    chosen = units.kommun(kommun, hint) if kommun is not None else None
    if chosen and chosen not in kommuner:
        raise UsageError(f"{argument('kommun')} {chosen.title} ({chosen.id}) is not one of "
                         f"the overview's kommuner ({scope}): choose one of them or drop "
                         f"{argument('lan')}")
    return chosen


def _scoped(client: Source, catalogue: Catalogue, years: list[int] | None,
            families: list[str],
            scope_of: Callable[[Metadata], Scope]) -> tuple[Metadata, Scope]:
    """The metadata and the run's scope. The metadata is fetched in the background, and the
    scope's values asked for the moment it arrives (on that thread), while polars and the
    evaluation are imported on another: never on this one, where a Ctrl-C could land in
    polars' initialisation (CPython then ends the process by SIGINT, not with exit 130).
    The scope found with the metadata is the one returned."""
    found: list[Scope] = []

    def prefetch_values(meta: Metadata) -> None:
        try:
            scope = scope_of(meta)
        except UsageError:  # an unknown unit or family: said below, on this thread
            return
        found.append(scope)
        client.prefetch(scope.kpis(meta), scope.data_units(catalogue, meta.kpis), years)

    client.prefetch_metadata(catalogue.kpis, families, prefetch_values)
    loading = Background(partial(importlib.import_module, "strategihalsa.evaluate"),
                         "sfh-import")  # polars, while the requests are out
    meta = client.metadata(catalogue.kpis, families)
    loading.result()
    return meta, found[0] if found else scope_of(meta)


def side_by_side(selection: Selection, reports: Sequence[UnitReport]) -> SideBySide | None:
    """The one report comparing the units goal by goal when the selection names several
    (still several once duplicates are dropped); None for one unit or a batch."""
    return SideBySide(tuple(reports)) if selection.side_by_side and len(reports) > 1 else None


def evaluate_units(client: Source, catalogue: Catalogue, meta: Metadata, scope: Scope,
                   period: Period, comparisons: Comparisons) -> Evaluation:
    """Fetch every value the scope needs in bulk (its weights, e.g. population, in the same
    requests) and evaluate it in one polars pass; the compared units with their similar
    group."""
    from strategihalsa.evaluate import evaluate, indicator_frame, plan

    planned = plan(indicator_frame(catalogue, meta.kpis), scope.evaluated,
                   {unit_id: group.id for unit_id, group in scope.similar.items()})
    observations = client.values(scope.kpis(meta), scope.data_units(catalogue, meta.kpis),
                                 _years(catalogue, period, date.today().year))
    results = evaluate(planned, observations, follow_up_year=period.follow_up,
                       baseline_year=period.baseline, rank=comparisons.rank,
                       over_unit_years=comparisons.over_unit_years)
    run = RunInfo(catalogue=catalogue, baseline_year=period.baseline or catalogue.baseline_year,
                  follow_up_year=period.follow_up,
                  generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
                  api_url=client.provenance.api_url, version=__version__,
                  data_fetched_at=client.provenance.fetched_at,
                  data_source=client.provenance.origin)
    lookup = {**scope.units.by_id, **{group.id: group for group in scope.similar.values()}}
    return Evaluation(results, observations, lookup, {k.id: k for k in meta.kpis}, run,
                      scope.similar)


def _warn_missing_groups(units: Sequence[Unit], similar: dict[str, Unit],
                         family: str | None) -> None:
    missing = [u.title for u in units if u.id not in similar]
    if family and missing:
        listed = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3
                                           else "")
        log.warning("Kolada has no 'Liknande kommuner/regioner %s' group for %s",
                    family, listed)


def _warn_thin_groups(reports: Sequence[UnitReport]) -> None:
    """A note for the reader (once, in Swedish) when similar-kommuner means of key figures
    the unit has values for rest on fewer than half of the group's members."""
    thin = {report.unit.title: [r.indicator.kpi for r in report.results
                                if r.has_data and (c := r.comparison(Role.SIMILAR))
                                and c.coverage and c.coverage.thin] for report in reports}
    thin = {title: kpis for title, kpis in thin.items() if kpis}
    if len(thin) == 1:
        (title, kpis), = thin.items()
        log.info("%s: liknande kommuners medelvärde för %s bygger på färre än hälften av "
                 "gruppens kommuner", title, ", ".join(kpis))
    elif 0 < len(thin) <= MAX_SIDE_BY_SIDE:  # several side by side: name them
        log.info("liknande kommuners medelvärde bygger på färre än hälften av gruppens "
                 "kommuner för %s", "; ".join(f"{title}: {', '.join(kpis)}"
                                             for title, kpis in thin.items()))
    elif thin:  # a batch of files, each saying which
        log.info("%d enheter har medelvärden för liknande kommuner som bygger på färre än "
                 "hälften av gruppens kommuner (rapporterna visar vilka)", len(thin))


def _known_early(selection: Selection) -> list[str]:
    """Units whose values can be fetched before the unit list arrives: each kommun given as
    its code, its region (the first two digits are its län) and Riket (while the group list
    arrives; a ranked report fetches every unit in bulk instead)."""
    codes = [code for code in selection.kommuner if len(code) == 4 and code.isascii()
             and code.isdigit() and not code.startswith("00")]
    found = [unit for code in codes for unit in (f"00{code[:2]}", code)]
    return list(dict.fromkeys([RIKET, *found])) if codes else []


def _years(catalogue: Catalogue, period: Period, this_year: int) -> list[int] | None:
    """Years to fetch; None (all years) when they would not fit in one path segment."""
    first = min([period.baseline or i.baseline_year for i in catalogue.indicators])
    last = period.follow_up or this_year
    years = list(range(first - HISTORY_YEARS, last + 1))
    return years if len(years) <= MAX_SEGMENT else None


def riket_values(client: Source, kpi_id: str, years: int = 5) -> list[dict[str, Any]]:
    """Riket's values (every gender) in the KPI's latest `years` years, newest first."""
    import polars as pl

    values = client.values([kpi_id], [RIKET]).drop_nulls("value")
    latest = values["year"].unique().sort().tail(years).to_list()
    recent = values.filter(pl.col("year").is_in(latest))
    return recent.sort("year", "gender", descending=[True, False]).select(
        "year", "gender", "value").to_dicts()
