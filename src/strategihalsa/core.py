"""The library's front door: fetch what a set of reports needs, evaluate, assemble.

One run makes few requests: the municipality list, the KPIs' metadata and the municipality
groups (all cached for a week), and the values of every KPI for every unit involved —
kommuner, regions, Riket, similar-kommuner groups — in one chunked data request (normally
a single call; more only when the 25-value segment limit forces it).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime

from strategihalsa.catalogue import Catalogue
from strategihalsa.evaluate import evaluate, indicator_frame, plan
from strategihalsa.groups import similar_groups
from strategihalsa.kolada import MAX_SEGMENT, KoladaClient
from strategihalsa.report import ReportContext, UnitReport, assemble
from strategihalsa.settings import Comparisons, Period
from strategihalsa.units import Unit, Units

YEARS_BEFORE_BASELINE = 5
log = logging.getLogger("strategihalsa")


def load_units(client: KoladaClient) -> Units:
    """Kolada's kommuner, regions and Riket."""
    return Units(client.municipalities())


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
    this_year = date.today().year
    period = period or Period()
    comparisons = comparisons or Comparisons()
    period.validate(this_year)
    kpi_meta = client.kpis(catalogue.kpis)
    evaluated = _ranking_population(units, report_units) if comparisons.rank else report_units
    similar = (similar_groups(client.municipality_groups(), evaluated,
                              comparisons.similar_family)
               if comparisons.similar_family else {})
    _warn_missing_groups(report_units, similar, comparisons.similar_family)
    planned = plan(indicator_frame(catalogue, kpi_meta), evaluated,
                   {unit_id: group.id for unit_id, group in similar.items()})
    data_units = sorted(set(planned["data_unit"]))
    observations = client.values([m["id"] for m in kpi_meta], data_units,
                                 _years(catalogue, period, this_year))
    results = evaluate(planned, observations, follow_up_year=period.follow_up,
                       baseline_year=period.baseline, rank=comparisons.rank)
    ctx = ReportContext(
        catalogue=catalogue,
        units=units,
        similar=similar,
        kpi_meta={m["id"]: m for m in kpi_meta},
        baseline_year=period.baseline or catalogue.baseline_year,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        api_url=client.settings.api_url,
    )
    return assemble(results, observations, list(report_units), ctx)


def _warn_missing_groups(report_units: Sequence[Unit], similar: dict[str, Unit],
                         family: str | None) -> None:
    missing = [u.title for u in report_units if family and u.id not in similar]
    if missing:
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
