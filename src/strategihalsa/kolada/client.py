"""Kolada REST API v3 client: routes, chunking, paging, and typed records.

Everything here follows ../shared/kolada-api.md: path-form data routes only, at most 25
values per comma-separated segment, `per_page=5000`. Data requests are planned to expect at
most `ROW_BUDGET` rows each (see plan.py: a bulk fetch asks for Riket and the regions first,
and plans the rest from the years each KPI has there), so they fit one page even if Kolada
never pages; a page exactly `per_page` long without `next_url` is taken as truncated, and
its request is split and fetched again. Paging follows
`next_url` (its path and query, on the configured host only), stops on an empty page or a
repeated URL, and gives up after `MAX_PAGES`; a 404 for a later page is an error, never a
shorter answer. Empty unit or group lists are retried, then an
error; KPI ids Kolada does not know (absent, or a 404 found by bisection) go to
`unknown_kpis`. Problems in the data become warnings, never a traceback. The three metadata
lists are fetched at the same time, and data requests `IN_FLIGHT` at a time, each worker
thread on a session of its own; rows come back in the order of the plan.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

import requests

from strategihalsa.kolada.background import Background, in_parallel, pause
from strategihalsa.kolada.early import (
    Answer,
    Early,
    Prefetches,
    Rows,
    covered,
    early_answers,
    year_key,
)
from strategihalsa.kolada.entries import distinct_keys, row_key, rows_problem
from strategihalsa.kolada.http import RouteNotFound, Transport, also_after, kolada_error
from strategihalsa.kolada.paging import Limits, Pager, Pages, TruncatedAnswer
from strategihalsa.kolada.plan import (
    MAX_SEGMENT,
    DataRequest,
    chunked,
    data_paths,
    plan_data,
    probe_first,
    probe_units,
    segment,
    years_seen,
)
from strategihalsa.kolada.records import (
    Complaints,
    Group,
    Kpi,
    Metadata,
    Municipality,
    Provenance,
    groups_from_api,
    kpis_from_api,
    municipalities_from_api,
)
from strategihalsa.settings import ClientSettings
from strategihalsa.units import RIKET, fold_case

if TYPE_CHECKING:
    import polars as pl

__all__ = ["MAX_SEGMENT", "KoladaClient", "Limits", "Metadata", "chunked", "data_paths",
           "plan_data"]

IN_FLIGHT = 4  # data requests at once: polite to Kolada
log = logging.getLogger("strategihalsa")
T = TypeVar("T")


class KoladaClient:
    """Fetches Kolada metadata and values; counts the requests that reached the network.

    `unknown_kpis` collects the KPI ids Kolada did not know (not warned about: a catalogue
    may list a retired KPI on purpose; show them as "not in Kolada"). `warnings` holds every
    problem found in Kolada's answers, each also logged once on the 'strategihalsa' logger.
    """

    def __init__(self, settings: ClientSettings | None = None,
                 session: requests.Session | None = None) -> None:
        self.settings = settings or ClientSettings()
        self.http = Transport(self.settings, session)
        self.pager = Pager(self.http, self.settings.request_url + "/")
        self.unknown_kpis: set[str] = set()
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._prefetches = Prefetches()
        self._early_metadata: tuple[tuple[Any, ...], Background[Metadata]] | None = None

    @property
    def base_url(self) -> str:
        """The API's root URL, ending in a slash."""
        return self.pager.base_url

    @property
    def limits(self) -> Limits:
        """Paging and planning limits (tests lower them)."""
        return self.pager.limits

    @limits.setter
    def limits(self, limits: Limits) -> None:
        self.pager.limits = limits

    @property
    def session(self) -> requests.Session:
        """The main thread's HTTP session."""
        return self.http.session

    @property
    def network_requests(self) -> int:
        """Requests that reached Kolada (cache hits excluded)."""
        return self.http.network_requests

    @property
    def on_request(self) -> Callable[[str], None] | None:
        """Called with each URL before it is requested (also from worker threads)."""
        return self.http.on_request

    @on_request.setter
    def on_request(self, callback: Callable[[str], None] | None) -> None:
        self.http.on_request = callback

    @property
    def provenance(self) -> Provenance:
        """Data from Kolada or its HTTP cache: fetched when the oldest data answer used was
        (now, if none was)."""
        fetched = self.http.oldest_data or datetime.now(UTC)
        return Provenance(self.settings.public_url, fetched.isoformat(timespec="seconds"),
                          "network")

    def prefetch_metadata(self, kpi_ids: Sequence[str], families: Sequence[str],
                          then: Callable[[Metadata], None] | None = None) -> None:
        """Start fetching the metadata in the background: the next `metadata` call with the
        same arguments takes it. `then(metadata)` runs on that thread as soon as it has
        arrived (to prefetch the values it says are needed), before `metadata` returns."""
        if self.http.shared_session:
            return

        def fetch() -> Metadata:
            found = self._fetch_metadata(kpi_ids, families)
            if then is not None:
                then(found)
            return found

        self._early_metadata = ((tuple(kpi_ids), tuple(families)),
                                Background(fetch, "kolada-metadata"))

    def metadata(self, kpi_ids: Sequence[str], families: Sequence[str]) -> Metadata:
        """What every report needs first: the units, the KPIs and the municipality groups
        that may be similar-units groups of these `families` (none: no groups), fetched at
        the same time (or taken from `prefetch_metadata`)."""
        pending, self._early_metadata = self._early_metadata, None
        if pending is not None and pending[0] == (tuple(kpi_ids), tuple(families)):
            return pending[1].result()
        return self._fetch_metadata(kpi_ids, families)

    def _fetch_metadata(self, kpi_ids: Sequence[str], families: Sequence[str]) -> Metadata:
        tasks: list[Callable[[], Any]] = [self.municipalities, partial(self.kpis, kpi_ids)]
        named = families[0] if len(families) == 1 else None
        tasks += [partial(self.municipality_groups, named)] if families else []
        found = self._each(lambda task: task(), tasks, len(tasks))
        return Metadata(found[0], found[1], found[2] if families else [])

    def _each(self, task: Callable[[Any], T], items: Sequence[Any],
              workers: int = IN_FLIGHT) -> list[T]:
        """`task(item)` for every item, `workers` at a time on sessions of their own (in
        turn when the client was handed one session), results in the order of `items`."""
        if self.http.shared_session or len(items) < 2:
            return [task(item) for item in items]
        return in_parallel(task, items, workers, self.http.own_session)

    def municipalities(self) -> list[Municipality]:
        """All kommuner, regions and Riket (an empty list is retried, then an error)."""
        return self._required("municipality", municipalities_from_api, "units")

    def municipality_groups(self, named: str | None = None) -> list[Group]:
        """All municipality groups with their members (never empty, as above). With `named`,
        first only those whose title contains it (Kolada's `title` filter, 1/12 of the list
        for a family of similar kommuner): all of them when that answer has no such title,
        i.e. when Kolada reads the filter otherwise or has no such groups."""
        if named:
            path = f"municipality_groups?{urlencode({'title': named})}"
            found = self._records(self.pager.pages(path), groups_from_api, path)
            if any(fold_case(named) in fold_case(group.title) for group in found):
                return found
        return self._required("municipality_groups", groups_from_api, "groups")

    def kpis(self, ids: Sequence[str]) -> list[Kpi]:
        """Metadata of the given KPIs. Unknown or retired ids are left out and added to
        `unknown_kpis`; when two or more ids were asked for and none came back, that is
        retried and then a KoladaError (one id alone may legitimately be retired)."""
        wanted = list(dict.fromkeys(ids))
        for attempt in range(self.settings.retries + 1):
            found, definite = self._kpis_once(wanted)
            if found or len(wanted) < 2 or definite or attempt == self.settings.retries:
                break
            self._pause(attempt)
        if not found and len(wanted) > 1:
            shown = ", ".join(wanted[:5]) + (", ..." if len(wanted) > 5 else "")
            raise kolada_error(f"Kolada knows none of the {len(wanted)} KPIs asked for "
                               f"({shown}) at {self.settings.public_url}; it may be having "
                               "trouble: try again later")
        self._note_unknown(set(wanted) - {kpi.id for kpi in found})
        return found

    def _kpis_once(self, wanted: list[str]) -> tuple[list[Kpi], bool]:
        """The KPIs found, and whether Kolada said 404 for every one that was not."""
        outcomes = [self._kpi_chunk(chunk) for chunk in chunked(wanted)]
        found = [kpi for kpis, _ in outcomes for kpi in kpis]
        return found, all(definite for _, definite in outcomes)

    def _kpi_chunk(self, ids: list[str]) -> tuple[list[Kpi], bool]:
        """One /kpi/{ids} request; on a 404, halves until the unknown ids are isolated."""
        try:
            pages = self.pager.pages(f"kpi/{segment(ids)}")
        except RouteNotFound:
            if len(ids) == 1:
                return [], True
            halves = [self._kpi_chunk(half) for half in (ids[: len(ids) // 2],
                                                          ids[len(ids) // 2 :])]
            return [k for kpis, _ in halves for k in kpis], all(d for _, d in halves)
        kpis = self._records(pages, kpis_from_api, f"kpi/{segment(ids)}")
        return [kpi for kpi in kpis if kpi.id in ids], False

    def values(self, kpis: Sequence[str], units: Sequence[str],
               years: Sequence[int] | None = None) -> pl.DataFrame:
        """Observations (kpi, unit, year, gender, value, status, count), validated."""
        from strategihalsa.kolada.rows import observations  # polars: after the requests left

        answers = self._answers(kpis, units, years)
        return observations([answer.read for answer in answers], warn=self._warn)

    def prefetch(self, kpis: Sequence[str], units: Sequence[str],
                 years: Sequence[int] | None = None) -> None:
        """Start fetching values in the background (see early.py): a later `values` call
        for the same years and no other KPIs takes the answers for these units from it.
        Units an earlier prefetch already fetches are left out."""
        units = self._prefetches.uncovered(kpis, units, years)
        if self.http.shared_session or not units:
            return
        known = self._prefetches.serving(kpis, years)
        fetch = partial(self._in_own_session, partial(self._planned, kpis, units, years, known))
        self._prefetches.add(Early(frozenset(kpis), frozenset(units), year_key(years),
                                   Background(fetch, "kolada-early")))

    def prefetch_probe(self, kpis: Sequence[str], candidates: Sequence[str],
                       years: Sequence[int] | None = None) -> None:
        """Start a bulk fetch's first request before the unit list arrives: those of the
        `candidates` (Riket and the regions) whose rows fit one answer. A later prefetch of
        the other units plans from its rows instead of asking for them first."""
        self.prefetch(kpis, probe_first(kpis, candidates, years, self.limits.row_budget),
                      years)

    def _in_own_session(self, task: Callable[[], T]) -> T:
        with self.http.own_session():
            return task()

    def value_rows(self, kpis: Sequence[str], units: Sequence[str],
                   years: Sequence[int] | None = None) -> Rows:
        """Raw v3 data rows (shape-checked, only those asked for), in planned requests; a
        bulk fetch first asks for Riket and the regions and plans the rest from their rows.
        Rows of matching prefetches come first."""
        return [row for answer in self._answers(kpis, units, years) for row in answer.rows]

    def _answers(self, kpis: Sequence[str], units: Sequence[str],
                 years: Sequence[int] | None) -> list[Answer]:
        """The answers for kpis × units × years: the prefetched ones, then the rest."""
        taken = self._prefetches.take(kpis, years)
        early = covered(taken)
        rest = self._planned(kpis, [unit for unit in units if unit not in early], years)
        return early_answers(taken, kpis, units) + rest

    def _planned(self, kpis: Sequence[str], units: Sequence[str],
                 years: Sequence[int] | None, known: Sequence[Early] = ()) -> list[Answer]:
        """The answers for kpis × units × years, in planned requests. A bulk fetch first asks
        for Riket and the regions and plans the rest from the years their rows have, or
        plans from the rows of such a request already out (`known`, with Riket)."""
        budget = self.limits.row_budget
        first = probe_units(kpis, units, years, budget, IN_FLIGHT)
        told = [answer for early in known if RIKET in early.units
                for answer in early.answers.result()] if first else []
        first = [] if told else first
        found = self._fetch(plan_data(kpis, first, years, budget)) if first else []
        probed = set(first)
        rest = [unit for unit in units if unit not in probed]
        density = years_seen((row_key(row) for a in [*found, *told] for row in a.rows),
                             kpis) if first or told else None
        return found + self._fetch(plan_data(kpis, rest, years, budget, density))

    def _fetch(self, plan: list[DataRequest]) -> list[Answer]:
        """The answers to planned requests, `IN_FLIGHT` at a time, in the order of the plan,
        each read on the thread that fetched it."""
        return self._each(lambda request: Answer.of(self._data(request)), plan)

    def _data(self, request: DataRequest) -> Rows:
        """One planned request; split again when truncated, or on a 404 for several KPIs."""
        try:
            pages = self.pager.pages(request.path, rows=True)
        except TruncatedAnswer as exc:
            return self._split(request, request.halves(), str(exc))
        except RouteNotFound as exc:
            if len(request.kpis) > 1:
                return self._split(request, request.halves(["kpis"]), str(exc))
            self._note_unknown(set(request.kpis))
            return []
        return self._asked_for(request, pages)

    def _split(self, request: DataRequest, parts: list[DataRequest], reason: str) -> Rows:
        if not parts:
            raise kolada_error(f"{reason}, and {request.path} cannot be split further")
        return [row for part in parts for row in self._data(part)]

    def _asked_for(self, request: DataRequest, pages: Pages) -> Rows:
        """The rows of a data answer that were asked for; a malformed row fails it."""
        problem = rows_problem(pages.items)
        if problem:
            self.http.forget(*pages.keys)
            raise kolada_error(f"Kolada answered {self.pager.url(request.path)} with an "
                               f"unexpected shape: {problem}")
        rows = pages.items if request.covers_all(distinct_keys(pages.items)) else [
            row for row in pages.items if request.covers(row_key(row))]
        if len(rows) < len(pages.items):
            self._warn(f"Kolada answered {self.pager.url(request.path)} with "
                       f"{len(pages.items) - len(rows)} rows that were not asked for (ignored)")
        return rows

    def get_list(self, path: str) -> list[dict[str, Any]]:
        """Every item of a list route, across pages."""
        return self.pager.pages(path).items

    def _required(self, path: str, parse: Callable[[list[dict[str, Any]], Complaints],
                                                   list[T]], what: str) -> list[T]:
        """A list that must not be empty: an empty (or unusable) one is fetched again,
        with the backoff, then a KoladaError."""
        for attempt in range(self.settings.retries + 1):
            records = self._records(self.pager.pages(path), parse, path)
            if records:
                return records
            if attempt < self.settings.retries:
                self._pause(attempt)
        raise kolada_error(f"Kolada answered {self.pager.url(path)} with no {what}"
                           f"{also_after(self.settings.retries)}; try again later")

    def _records(self, pages: Pages, parse: Callable[[list[dict[str, Any]], Complaints],
                                                     list[T]], path: str) -> list[T]:
        """Typed records of an answer; problems become warnings, an unusable answer is
        dropped from the cache."""
        complaints = Complaints()
        records = parse(pages.items, complaints)
        for message in complaints.messages():
            self._warn(f"{message} (in {self.pager.url(path)})")
        if not records:
            self.http.forget(*pages.keys)
        return records

    def _note_unknown(self, ids: set[str]) -> None:
        """Remember KPI ids Kolada does not know; callers report them ('not in Kolada')."""
        with self._lock:
            self.unknown_kpis |= ids

    def _warn(self, message: str) -> None:
        """Tell a problem once: in `warnings` and through the 'strategihalsa' logger."""
        with self._lock:
            if message in self.warnings:
                return
            self.warnings.append(message)
        log.warning(message)

    def _pause(self, attempt: int) -> None:
        pause(self.http.backoff(attempt))
