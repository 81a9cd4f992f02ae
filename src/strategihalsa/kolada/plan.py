"""Which path-form data requests cover KPIs × units × years.

Kolada takes at most 25 values per comma-separated segment and answers at most 5,000 rows
per page. `plan_data` picks the fewest requests whose segments stay within 25 values and
whose expected rows stay within a budget, so that every answer fits one page even if Kolada
never sends `next_url`. Without more knowledge a row is expected for every KPI, unit and year
(without years, a series is assumed to span `ALL_YEARS` years). Real series are sparser
(surveys every few years, KPIs started or retired within the period), so a bulk fetch first
asks for Riket and the regions (`probe_units`, or sent before the unit list
arrives: `probe_first`): the years each KPI has there (`years_seen`)
bound the rows a kommun or group can have, and the rest is planned from them. The estimate
is never trusted for completeness: `next_url` is followed, and a page exactly `per_page`
long without one is split by `DataRequest.halves` and fetched again.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar
from urllib.parse import quote

from strategihalsa.kolada.entries import KeySets, RowKey
from strategihalsa.units import RIKET

MAX_SEGMENT = 25
DATA_SEGMENT = "/data/"  # in the path of Kolada's value routes (`DataRequest.path`)
ROW_BUDGET = 4500  # possible rows per request: 90 % of a page (real answers are sparser)
ALL_YEARS = 40
T = TypeVar("T")


def segment(ids: Iterable[object]) -> str:
    """A comma-separated path segment; each id percent-quoted, so none can change the route."""
    return ",".join(quote(str(i), safe="") for i in ids)


def chunked(values: Sequence[T], size: int = MAX_SEGMENT) -> list[list[T]]:
    """Split ids into path segments of at most `size` values."""
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


@dataclass(frozen=True)
class DataRequest:
    """One path-form data request: KPIs × units × years (None = all years)."""

    kpis: tuple[str, ...]
    units: tuple[str, ...]
    years: tuple[int, ...] | None = None

    @property
    def path(self) -> str:
        """The route, e.g. data/kpi/N1,N2/municipality/0680/year/2021,2022."""
        path = f"data/kpi/{segment(self.kpis)}/municipality/{segment(self.units)}"
        return path + (f"/year/{segment(self.years)}" if self.years else "")

    def halves(self, dimensions: Iterable[str] = ("years", "kpis", "units")
               ) -> list[DataRequest]:
        """Two requests covering this one, split along the first splittable dimension."""
        for name in dimensions:
            values = getattr(self, name)
            if values and len(values) > 1:
                middle = len(values) // 2
                return [replace(self, **{name: values[:middle]}),
                        replace(self, **{name: values[middle:]})]
        return []

    def covers_all(self, distinct: KeySets) -> bool:
        """Whether every data row is one this request asked for, given their distinct kpis,
        units and years (`entries.distinct_keys`)."""
        kpis, units, years = distinct
        return (kpis <= set(self.kpis) and units <= set(self.units)
                and (self.years is None or years <= set(self.years)))

    def covers(self, key: RowKey) -> bool:
        """Whether the data row of this key is one this request asked for."""
        kpi, unit, year = key
        return kpi in self.kpis and unit in self.units and (self.years is None
                                                             or year in self.years)


def plan_data(kpis: Sequence[str], units: Sequence[str], years: Sequence[int] | None,
              budget: int = ROW_BUDGET, years_with_data: Mapping[str, int] | None = None,
              ) -> list[DataRequest]:
    """The fewest requests covering kpis × units × years with at most 25 values per segment
    and at most `budget` expected rows each: one per unit and year a KPI has data for
    (`years_with_data`, from `years_seen`), else one per KPI, unit and year."""
    kpis, units = list(dict.fromkeys(kpis)), list(dict.fromkeys(units))
    year_list = sorted(set(years)) if years else []
    if not kpis or not units:
        return []
    nk, nu, ny = _chunk_counts(kpis, len(units), len(year_list), budget, years_with_data or {})
    year_parts: list[tuple[int, ...] | None] = (
        [tuple(c) for c in _parts(year_list, ny)] if year_list else [None])
    return [DataRequest(tuple(k), tuple(u), y) for k, u, y in itertools.product(
        _parts(kpis, nk), _parts(units, nu), year_parts)]


def _chunk_counts(kpis: list[str], u: int, y: int, budget: int,
                  years_with_data: Mapping[str, int]) -> tuple[int, int, int]:
    """How many chunks per dimension: fewest requests within the budget (then fewest
    year splits), or one value per chunk when even that is over the budget."""
    @functools.cache
    def widest(nk: int, ny: int) -> int:  # the most rows a KPI chunk has for one unit
        span = math.ceil(y / ny) if y else ALL_YEARS
        return max(sum(min(years_with_data.get(kpi, span), span) for kpi in part)
                   for part in _parts(kpis, nk))
    def rows(nk: int, nu: int, ny: int) -> int:
        return widest(nk, ny) * math.ceil(u / nu)
    k = len(kpis)
    options = itertools.product(_counts(k), _counts(u), _counts(y) if y else [1])
    fitting = [c for c in options if rows(*c) <= budget]
    return min(fitting, key=lambda c: (c[0] * c[1] * c[2], c[2], c[0]),
               default=(k, u, max(y, 1)))


def probe_first(kpis: Sequence[str], units: Sequence[str], years: Sequence[int] | None,
                budget: int) -> list[str]:
    """The units of a first request whose rows tell the years each KPI has: Riket (0000) and
    the regions (00NN) first, as many as fit the budget without an estimate."""
    per_unit = min(len(kpis), MAX_SEGMENT) * (len(set(years)) if years else ALL_YEARS)
    return sorted(units, key=lambda unit: (unit != RIKET, not unit.startswith("00")))[
        : min(MAX_SEGMENT, budget // max(per_unit, 1))]


def probe_units(kpis: Sequence[str], units: Sequence[str], years: Sequence[int] | None,
                budget: int, in_flight: int) -> list[str]:
    """`probe_first`, or empty when that round trip would not pay for itself: when planning
    without it takes no more rounds of `in_flight` requests than the first request and the
    fewest requests for the rest."""
    first = probe_first(kpis, units, years, budget)
    kpi_chunks = math.ceil(len(kpis) / MAX_SEGMENT)
    rest = math.ceil((len(units) - len(first)) / MAX_SEGMENT) * kpi_chunks
    def rounds(requests: int) -> int:
        return math.ceil(requests / in_flight)
    without = rounds(len(plan_data(kpis, units, years, budget)))
    return first if first and rounds(kpi_chunks) + rounds(rest) < without else []


def years_seen(rows: Iterable[RowKey], kpis: Iterable[str]) -> dict[str, int]:
    """How many years each KPI has in the rows of these keys (at least one: a KPI may lack
    Riket's and the regions' values and still have the kommuners', as Kolada's pupil
    surveys do)."""
    seen: dict[str, set[int | None]] = {kpi: set() for kpi in kpis}  # None: an unreadable period
    for kpi, _, year in rows:
        seen.setdefault(kpi, set()).add(year)
    return {kpi: max(len(years), 1) for kpi, years in seen.items()}


def _counts(n: int) -> list[int]:
    """Possible chunk counts for n values in chunks of at most 25."""
    return sorted({math.ceil(n / size) for size in range(1, min(n, MAX_SEGMENT) + 1)})


def _parts(values: list[T], count: int) -> list[list[T]]:
    return chunked(values, math.ceil(len(values) / count))


def data_paths(kpis: Sequence[str], units: Sequence[str],
               years: Sequence[int] | None) -> list[str]:
    """Path-form data routes covering kpis × units × years (see `plan_data`)."""
    return [request.path for request in plan_data(kpis, units, years)]
