"""The library's front door: fetch what a set of reports needs, evaluate, assemble.

One run makes few requests: the municipality list, the KPIs' metadata and the municipality
groups (all cached for a week), and the values of every KPI for every unit involved —
kommuner, regions, Riket, similar-kommuner groups — in one chunked data request (normally
a single call; more only when the 25-value segment limit forces it).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import polars as pl

from strategihalsa.catalogue import Catalogue
from strategihalsa.evaluate import evaluate, indicator_frame, plan
from strategihalsa.groups import similar_groups
from strategihalsa.kolada import MAX_SEGMENT, KoladaClient
from strategihalsa.overview import Overview, summarise
from strategihalsa.report import ReportContext, UnitReport, assemble
from strategihalsa.settings import Comparisons, Period
from strategihalsa.units import Unit, Units

YEARS_BEFORE_BASELINE = 5
log = logging.getLogger("strategihalsa")


def load_units(client: KoladaClient) -> Units:
    """Kolada's kommuner, regions and Riket."""
    return Units(client.municipalities())


@dataclass(frozen=True)
class Evaluation:
    """One run's evaluated results, the observations behind them, and shared context."""

    results: pl.DataFrame
    observations: pl.DataFrame
    context: ReportContext


def build_reports(
    client: KoladaClient,
    catalogue: Catalogue,
    units: Units,
    report_units: Sequence[Unit],
    period: Period | None = None,
    comparisons: Comparisons | None = None,
) -> list[UnitReport]:
    """Evaluate the catalogue for each report unit, with one bulk fetch of the values.

    With `comparisons.rank`, every kommun (and region) is evaluated too, so that each report
    unit can be ranked among all units of its kind: more data in the same bulk requests,
    no request per unit.
    """
    comparisons = comparisons or Comparisons()
    evaluated = _ranking_population(units, report_units) if comparisons.rank else report_units
    run = evaluate_units(client, catalogue, units, evaluated, period, comparisons)
    _warn_missing_groups(report_units, run.context.similar, comparisons.similar_family)
    return assemble(run.results, run.observations, list(report_units), run.context)


def build_overview(client: KoladaClient, catalogue: Catalogue, units: Units,
                   kommuner: Sequence[Unit], scope: str, period: Period | None = None
                   ) -> Overview:
    """The national (or one län's) picture: every kommun evaluated from one bulk fetch."""
    no_groups = Comparisons(similar_family=None)
    run = evaluate_units(client, catalogue, units, kommuner, period, no_groups)
    return summarise(run.results, run.context, scope)


def evaluate_units(client: KoladaClient, catalogue: Catalogue, units: Units,
                   evaluated: Sequence[Unit], period: Period | None,
                   comparisons: Comparisons) -> Evaluation:
    """Fetch everything the units need in bulk and evaluate them in one polars pass."""
    period = period or Period()
    kpi_meta = client.kpis(catalogue.kpis)
    similar = (similar_groups(client.municipality_groups(), evaluated,
                              comparisons.similar_family)
               if comparisons.similar_family else {})
    planned = plan(indicator_frame(catalogue, kpi_meta), evaluated,
                   {unit_id: group.id for unit_id, group in similar.items()})
    data_units = sorted(set(planned["data_unit"]))
    observations = client.values([m["id"] for m in kpi_meta], data_units,
                                 _years(catalogue, period, date.today().year))
    results = evaluate(planned, observations, follow_up_year=period.follow_up,
                       baseline_year=period.baseline, rank=comparisons.rank)
    context = ReportContext(
        catalogue=catalogue,
        units=units,
        similar=similar,
        kpi_meta={m["id"]: m for m in kpi_meta},
        baseline_year=period.baseline or catalogue.baseline_year,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        api_url=client.settings.api_url,
    )
    return Evaluation(results, observations, context)


def _warn_missing_groups(report_units: Sequence[Unit], similar: dict[str, Unit],
                         family: str | None) -> None:
    missing = [u.title for u in report_units if u.id not in similar]
    if family and missing:
        listed = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3
                                           else "")
        log.warning("Kolada has no 'Liknande kommuner/regioner %s' group for %s",
                    family, listed)


def _ranking_population(units: Units, report_units: Sequence[Unit]) -> list[Unit]:
    """The report units plus every other unit of their kinds (kommuner, regions)."""
    kinds = {u.kind for u in report_units}
    others = [u for u in units.kommuner() + units.regions() if u.kind in kinds]
    return list({u.id: u for u in [*report_units, *others]}.values())


def _years(catalogue: Catalogue, period: Period, this_year: int) -> list[int] | None:
    """Years to fetch; None (all years) when they would not fit in one path segment."""
    first = min([period.baseline or i.baseline_year for i in catalogue.indicators])
    last = period.follow_up or this_year
    years = list(range(first - YEARS_BEFORE_BASELINE, last + 1))
    return years if len(years) <= MAX_SEGMENT else None
