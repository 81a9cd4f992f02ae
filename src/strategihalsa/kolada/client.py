"""Kolada REST API v3 client: chunking, paging, retries and the on-disk cache.

Everything here follows ../shared/kolada-api.md: path-form data routes only, every
comma-separated segment at most 25 values, `per_page=5000`, `next_url` followed with
urljoin and a cycle guard, values selected by gender code, deleted entries dropped, nulls
kept as missing. Transient failures (connection errors, timeouts, 429, 5xx) are retried with
urllib3's `Retry` (honouring Retry-After); a body that fails to arrive or parse is fetched
again and never left in the cache. Anything else becomes a `KoladaError` naming the request.
"""

from __future__ import annotations

import itertools
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin

import polars as pl
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from strategihalsa import __version__
from strategihalsa.errors import KoladaError
from strategihalsa.kolada.records import Group, Kpi, Municipality
from strategihalsa.settings import DEFAULT_API_URL, ClientSettings

MAX_SEGMENT = 25
PER_PAGE = 5000
USER_AGENT = f"strategihalsa-sfh/{__version__} (+https://pypi.org/project/strategihalsa/)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER = 60.0
log = logging.getLogger("strategihalsa")

VALUE_SCHEMA = pl.Struct(
    {"gender": pl.String, "count": pl.Int64, "status": pl.String,
     "value": pl.Float64, "isdeleted": pl.Boolean}
)
ROW_SCHEMA = {"kpi": pl.String, "municipality": pl.String, "period": pl.String,
              "values": pl.List(VALUE_SCHEMA)}
OBSERVATION_SCHEMA = {"kpi": pl.String, "unit": pl.String, "year": pl.Int32,
                      "gender": pl.String, "value": pl.Float64, "status": pl.String,
                      "count": pl.Int64}


def chunked(values: Sequence[str], size: int = MAX_SEGMENT) -> list[list[str]]:
    """Split ids into path segments of at most `size` values."""
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


class CappedRetry(Retry):
    """urllib3's Retry, but a Retry-After longer than a minute is shortened to one: an
    unattended run should fail in reasonable time rather than sleep for hours."""

    def get_retry_after(self, response: Any) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, MAX_RETRY_AFTER)


def open_session(settings: ClientSettings) -> requests.Session:
    """A requests session with retries and, when a cache dir is set, the on-disk cache."""
    if settings.cache_dir is None:
        session = requests.Session()
    else:
        from strategihalsa.kolada.cache import cached_session

        session = cached_session(settings)
    retry = CappedRetry(
        total=settings.retries,
        backoff_factor=settings.backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


@dataclass(frozen=True)
class Metadata:
    """Kolada's metadata for one run."""

    municipalities: list[Municipality]
    kpis: list[Kpi]
    groups: list[Group]


class KoladaClient:
    """Fetches Kolada metadata and values; counts the requests that reached the network."""

    def __init__(self, settings: ClientSettings | None = None,
                 session: requests.Session | None = None) -> None:
        self.settings = settings or ClientSettings()
        self.base_url = self.settings.api_url.rstrip("/") + "/"
        self.session = session or open_session(self.settings)
        self.network_requests = 0
        self.on_request: Callable[[str], None] | None = None

    def metadata(self, kpi_ids: Sequence[str], groups: bool) -> Metadata:
        """What every report needs first: the units, the KPIs and (if asked) the groups."""
        return Metadata(self.municipalities(), self.kpis(kpi_ids),
                        self.municipality_groups() if groups else [])

    def municipalities(self) -> list[Municipality]:
        """All kommuner, regions and Riket."""
        return [Municipality.from_api(raw) for raw in self.get_list("municipality")]

    def municipality_groups(self) -> list[Group]:
        """All municipality groups with their members."""
        return [Group.from_api(raw) for raw in self.get_list("municipality_groups")]

    def kpis(self, ids: Sequence[str]) -> list[Kpi]:
        """Metadata of the given KPIs; retired or unknown ids are simply absent."""
        return [Kpi.from_api(raw) for chunk in chunked(ids)
                for raw in self.get_list(f"kpi/{','.join(chunk)}")]

    def values(self, kpis: Sequence[str], units: Sequence[str],
               years: Sequence[int] | None = None) -> pl.DataFrame:
        """Observations (kpi, unit, year, gender, value, status) for every combination."""
        return to_observations(self.value_rows(kpis, units, years))

    def value_rows(self, kpis: Sequence[str], units: Sequence[str],
                   years: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Raw v3 data rows, fetched with as few chunked requests as the limits allow."""
        return [row for path in data_paths(kpis, units, years) for row in self.get_list(path)]

    def get_list(self, path: str) -> list[dict[str, Any]]:
        """Every item of a list route, following `next_url` across pages."""
        url: str | None = urljoin(self.base_url, path) + f"?per_page={PER_PAGE}"
        seen: set[str] = set()
        items: list[dict[str, Any]] = []
        while url and url not in seen:
            seen.add(url)
            envelope = self.get_json(url)
            items += envelope["values"]
            url = urljoin(url, envelope["next_url"]) if envelope.get("next_url") else None
        return items

    def get_json(self, url: str) -> dict[str, Any]:
        """One v3 envelope; transient body failures are fetched again (with backoff)."""
        attempt = 0
        while True:
            try:
                return self._fetch_envelope(url)
            except _BodyError as exc:
                if attempt == self.settings.retries:
                    raise KoladaError(f"Kolada sent a broken answer for {url}: {exc}") from exc
                time.sleep(self.settings.backoff * 2**attempt)
                attempt += 1

    def _fetch_envelope(self, url: str) -> dict[str, Any]:
        response = self._send(url)
        try:
            envelope = response.json()
        except (ValueError, requests.exceptions.RequestException) as exc:
            self._forget(response)
            raise _BodyError(f"malformed JSON ({exc})") from exc
        problem = _envelope_problem(envelope, is_data="/data/" in url)
        if problem:
            self._forget(response)
            raise KoladaError(f"Kolada answered {url} with an unexpected shape: {problem}")
        return envelope

    def _send(self, url: str) -> requests.Response:
        if self.on_request:
            self.on_request(url)
        try:
            response = self.session.get(url, timeout=self.settings.timeout,
                                        **self._cache_options())
        except (requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise _BodyError(str(exc)) from exc
        except requests.exceptions.RequestException as exc:
            raise KoladaError(f"cannot reach Kolada at {url}: {_reason(exc)}") from exc
        except sqlite3.Error as exc:
            log.warning("the cache failed (%s); continuing without it", exc)
            self.session = open_session(replace(self.settings, cache_dir=None))
            return self._send(url)
        if not getattr(response, "from_cache", False):
            self.network_requests += 1
        _check_status(response, url, self.settings.offline)
        return response

    def _cache_options(self) -> dict[str, bool]:
        return {"force_refresh": True} if self.settings.refresh and self._cached else {}

    @property
    def _cached(self) -> bool:
        return hasattr(self.session, "cache")

    def _forget(self, response: requests.Response) -> None:
        """Drop a bad response from the cache so it is never served again."""
        key = getattr(response, "cache_key", None)
        if self._cached and key:
            self.session.cache.delete(key)  # type: ignore[attr-defined]


class _BodyError(Exception):
    """The status was fine but the body did not arrive or did not parse."""


DATA_ROW_KEYS = ("kpi", "municipality", "period", "values")


def _envelope_problem(data: Any, is_data: bool) -> str | None:
    """Why an answer is not a v3 list envelope (of data rows), or None."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        return "no 'values' list"
    if is_data:
        for row in data["values"]:
            if not isinstance(row, dict):
                return "a data row that is not an object"
            missing = [k for k in DATA_ROW_KEYS if row.get(k) is None]
            if missing or not isinstance(row["values"], list):
                return f"a data row without '{(missing or ['values'])[0]}'"
    return None


def _check_status(response: requests.Response, url: str, offline: bool) -> None:
    status = response.status_code
    if status == 200:
        return
    if status == 504 and offline:
        raise KoladaError(f"offline: {url} is not in the cache (run once without --offline)")
    if status == 410:
        raise KoladaError(f"{url} is the retired Kolada v2 API (HTTP 410); use a /v3 base URL, "
                          f"e.g. {DEFAULT_API_URL}")
    if status == 422:
        raise KoladaError(f"Kolada rejected the request {url} (HTTP 422: a segment over "
                          f"{MAX_SEGMENT} values or per_page over {PER_PAGE})")
    if status == 404:
        raise KoladaError(f"Kolada has no such route: {url} (HTTP 404); check --api-url")
    raise KoladaError(f"Kolada answered HTTP {status} for {url}, also after retries")


def _reason(exc: requests.exceptions.RequestException) -> str:
    """A one-line cause: 'timed out', 'connection refused', a TLS failure, ..."""
    inner = getattr(exc.args[0], "reason", exc.args[0]) if exc.args else exc
    text = str(inner)
    if isinstance(exc, requests.exceptions.Timeout) or "timed out" in text.lower():
        return "timed out"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS certificate check failed ({text[:200]})"
    if "refused" in text.lower():
        return "connection refused"
    return text.splitlines()[0][:200]


def data_paths(kpis: Sequence[str], units: Sequence[str],
               years: Sequence[int] | None) -> Iterator[str]:
    """Path-form data routes covering kpis × units × years in chunks of 25."""
    year_chunks: Iterable[list[str] | None] = (
        chunked([str(y) for y in years]) if years else [None]
    )
    for kpi_chunk, unit_chunk, year_chunk in itertools.product(
        chunked(list(kpis)), chunked(list(units)), year_chunks
    ):
        path = f"data/kpi/{','.join(kpi_chunk)}/municipality/{','.join(unit_chunk)}"
        yield path + (f"/year/{','.join(year_chunk)}" if year_chunk else "")


def to_observations(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Flatten v3 data rows to one row per (kpi, unit, year, gender); drop deleted entries."""
    if not rows:
        return pl.DataFrame(schema=OBSERVATION_SCHEMA)
    try:
        frame = pl.DataFrame(rows, schema=ROW_SCHEMA, strict=False)
    except Exception as exc:  # polars raises several types for malformed input
        raise KoladaError(f"Kolada sent data rows of an unexpected shape: {exc}") from exc
    try:
        return (
            frame.explode("values")
            .unnest("values")
            .filter(pl.col("gender").is_not_null() & ~pl.col("isdeleted").fill_null(False))
            .select(
                "kpi",
                pl.col("municipality").alias("unit"),
                pl.col("period").str.strip_chars().cast(pl.Int32).alias("year"),
                "gender",
                "value",
                pl.col("status").fill_null(""),
                "count",
            )
        )
    except pl.exceptions.PolarsError as exc:
        raise KoladaError(f"Kolada sent a data row with a bad period: {exc}") from exc
