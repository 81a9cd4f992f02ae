"""The library's front door: fetch what a set of reports needs, evaluate, assemble.

One run makes few requests: the municipality list, the KPIs' metadata (both cached for a
week) and the values of every KPI for every unit involved in one chunked data request
(normally a single call; more only when the 25-value segment limit forces it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from strategihalsa.catalogue import Catalogue
from strategihalsa.evaluate import evaluate, indicator_frame, plan
from strategihalsa.kolada import MAX_SEGMENT, KoladaClient
from strategihalsa.report import ReportContext, UnitReport, assemble
from strategihalsa.settings import Period
from strategihalsa.units import Unit, Units

YEARS_BEFORE_BASELINE = 5


def load_units(client: KoladaClient) -> Units:
    """Kolada's kommuner, regions and Riket."""
    return Units(client.municipalities())


def build_reports(
    client: KoladaClient,
    catalogue: Catalogue,
    units: Units,
    report_units: Sequence[Unit],
    period: Period | None = None,
) -> list[UnitReport]:
    """Evaluate the catalogue for each report unit, with one bulk fetch of the values."""
    this_year = date.today().year
    period = period or Period()
    period.validate(this_year)
    kpi_meta = client.kpis(catalogue.kpis)
    planned = plan(indicator_frame(catalogue, kpi_meta), report_units)
    live_kpis = [m["id"] for m in kpi_meta]
    data_units = sorted(set(planned["data_unit"]))
    observations = client.values(live_kpis, data_units, _years(catalogue, period, this_year))
    results = evaluate(planned, observations, follow_up_year=period.follow_up,
                       baseline_year=period.baseline)
    ctx = ReportContext(
        catalogue=catalogue,
        units=units,
        kpi_meta={m["id"]: m for m in kpi_meta},
        baseline_year=period.baseline or catalogue.baseline_year,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        api_url=client.settings.api_url,
    )
    return assemble(results, observations, list(report_units), ctx)


def _years(catalogue: Catalogue, period: Period, this_year: int) -> list[int] | None:
    """Years to fetch; None (all years) when they would not fit in one path segment."""
    first = min([period.baseline or i.baseline_year for i in catalogue.indicators])
    last = period.follow_up or this_year
    years = list(range(first - YEARS_BEFORE_BASELINE, last + 1))
    return years if len(years) <= MAX_SEGMENT else None
