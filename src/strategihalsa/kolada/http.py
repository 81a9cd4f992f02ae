"""HTTP transport of the Kolada client: sessions, retries, limits, and status → errors.

Every request is made by `LimitedAdapter` (adapter.py), below the cache, within one
deadline and a size limit. No URL over `MAX_URL_LENGTH` is requested. Connection
errors, timeouts, bodies that are cut short or do not parse, 429 and 5xx are retried here
with exponential backoff, or after a sane Retry-After of at most a minute (pauses that a
stop interrupts at once); a malformed Retry-After falls back to the backoff. Redirects
are followed only within the configured scheme, host and port. Everything else becomes a
`KoladaError` naming the request; URLs are built without credentials, and every message
is redacted anyway.
"""

from __future__ import annotations

import email.utils
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from strategihalsa import __version__
from strategihalsa.errors import KoladaError, argument
from strategihalsa.kolada.adapter import MAX_WAIT, AnswerTooLarge, AnswerTooSlow, LimitedAdapter
from strategihalsa.kolada.background import pause
from strategihalsa.kolada.decoding import Row, read_data_page, read_json
from strategihalsa.kolada.plan import DATA_SEGMENT
from strategihalsa.settings import DEFAULT_API_URL, ClientSettings, redact_url

MAX_REDIRECTS = 5
MAX_URL_LENGTH = 8 * 1024
SANE_RETRY_AFTER = 86_400.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = f"strategihalsa-sfh/{__version__} (+https://pypi.org/project/strategihalsa/)"
log = logging.getLogger("strategihalsa")


def is_data(url: str) -> bool:
    """Whether a URL asks for values (Kolada's /data/ routes) rather than metadata."""
    return DATA_SEGMENT in urlsplit(url).path


def kolada_error(message: str) -> KoladaError:
    """A KoladaError whose message can never carry credentials."""
    return KoladaError(redact_url(message))


def retry_after_seconds(header: str) -> float | None:
    """Seconds to wait for a Retry-After header (at most a minute), or None to use the
    backoff instead: for a malformed, negative, past or absurd (over a day) value."""
    text = header.strip()
    try:
        if re.fullmatch(r"[0-9]{1,9}", text):
            seconds = float(text)
        else:
            parsed = email.utils.parsedate_tz(text)
            seconds = email.utils.mktime_tz(parsed) - time.time() if parsed else -1.0
    except (ValueError, OverflowError, IndexError, TypeError):
        return None
    return min(seconds, MAX_WAIT) if 0 < seconds <= SANE_RETRY_AFTER else None


def open_session(settings: ClientSettings, checked: bool = False) -> requests.Session:
    """A session with the limits, credentials and, when a cache dir is set, the cache (its
    folder `checked` by the run's first session: see `cache.cached_session`)."""
    if settings.cache_dir is None:
        session = requests.Session()
    else:
        from strategihalsa.kolada.cache import cached_session

        session = cached_session(settings, checked)
    adapter = LimitedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    session.auth = settings.credentials
    return session


@dataclass(frozen=True)
class Page:
    """One v3 envelope: its items (typed data rows where the page is in Kolada's usual
    shape, see decoding.py), its raw `next_url`, and the cache key that holds it."""

    items: list[dict[str, Any]] | list[Row]
    next_url: Any
    cache_key: str | None


class RouteNotFound(KoladaError):
    """Kolada answered HTTP 404 (an unknown route, or perhaps unknown ids in it)."""


class _Retryable(Exception):
    """A failure worth another try; `wait` is a Retry-After in seconds, if any."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class Transport:
    """GETs v3 envelopes: retries, limits, redirects within the origin, status → errors.

    Counts the requests that reach the network (thread-safe). `own_session` gives a worker
    thread a session of its own; sessions share the cache file, never a connection.
    """

    def __init__(self, settings: ClientSettings,
                 session: requests.Session | None = None) -> None:
        self.settings = settings
        self.session = session or open_session(settings)
        self.shared_session = session is not None
        self.network_requests = 0
        self.oldest_data: datetime | None = None  # when the oldest data answer used was fetched
        self.on_request: Callable[[str], None] | None = None
        self.origin = urlsplit(settings.request_url)
        self._local = threading.local()
        self._lock = threading.Lock()

    @contextmanager
    def own_session(self) -> Iterator[None]:
        """Let the calling thread use a session of its own until the block ends: cached when
        the first session is (its checks made once), else not (the cache was bypassed)."""
        cached = getattr(self.session, "cache", None) is not None
        self._local.session = open_session(
            self.settings if cached else replace(self.settings, cache_dir=None), checked=True)
        try:
            yield
        finally:
            self._local.session.close()
            self._local.session = None

    @property
    def current(self) -> requests.Session:
        """The calling thread's session."""
        return getattr(self._local, "session", None) or self.session

    def page(self, url: str, rows: bool = False) -> Page:
        """One envelope (of data `rows`: typed where it can be), tried again on transient
        failures; a KoladaError when they last."""
        attempt = 0
        while True:
            try:
                return self._page(url, rows)
            except _Retryable as exc:
                if attempt >= self.settings.retries:
                    raise kolada_error(f"{exc}{also_after(attempt)}") from None
                pause(exc.wait if exc.wait is not None else self.backoff(attempt))
                attempt += 1

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt + 1`."""
        return min(self.settings.backoff * 2.0**attempt, MAX_WAIT)

    def forget(self, *keys: str | None) -> None:
        """Drop answers from the cache so that they are never served again."""
        cache = getattr(self.current, "cache", None)
        try:
            if cache is not None and any(keys):
                cache.delete(*[key for key in keys if key])
        except sqlite3.Error as exc:
            log.warning("could not remove a bad answer from the cache (%s)", exc)

    def _page(self, url: str, rows: bool) -> Page:
        response = self._get(url)
        key = getattr(response, "cache_key", None)
        typed = read_data_page(response.content) if rows else None
        if typed is not None:
            return Page(typed.values, typed.next_url, key)
        try:
            envelope = read_json(response.content)
        except (ValueError, RecursionError) as exc:
            self.forget(key)
            reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
            raise _Retryable(f"Kolada sent a broken answer for {url}: malformed JSON ({reason})"
                             ) from None
        problem = envelope_problem(envelope)
        if problem:
            self.forget(key)
            raise kolada_error(f"Kolada answered {url} with an unexpected shape: {problem}")
        return Page(envelope["values"], envelope.get("next_url"), key)

    def _get(self, url: str, hops: int = 0) -> requests.Response:
        if len(url) > MAX_URL_LENGTH:
            raise kolada_error(f"refused to request a URL of {len(url):,} characters (over "
                               f"{MAX_URL_LENGTH:,}; a next_url or redirect from Kolada?): "
                               f"{url[:80]}…")
        response = self._send(url)
        if response.status_code in REDIRECT_STATUSES:
            return self._get(self._redirect_target(url, response, hops), hops + 1)
        self._check_status(response, url)
        return response

    def _redirect_target(self, url: str, response: requests.Response, hops: int) -> str:
        target = urljoin(url, response.headers.get("Location", ""))
        parts = urlsplit(target)
        if (parts.scheme, parts.netloc.lower()) != (self.origin.scheme,
                                                    self.origin.netloc.lower()):
            raise kolada_error(f"Kolada redirected {url} to another host or scheme "
                               f"({parts.scheme}://{parts.hostname}); not followed")
        if hops >= MAX_REDIRECTS:
            raise kolada_error(f"Kolada redirected {url} more than {MAX_REDIRECTS} times")
        return target

    def _send(self, url: str) -> requests.Response:
        if self.on_request:
            self.on_request(url)
        try:
            response = self.current.get(url, timeout=self.settings.timeout,
                                        allow_redirects=False, **self._cache_options(url))
        except sqlite3.Error as exc:
            self._drop_cache(exc)
            return self._send(url)
        except requests.RequestException as exc:
            raise self._failure(url, exc) from exc
        self._note(url, response)
        return response

    def _note(self, url: str, response: requests.Response) -> None:
        """Count an answer from the network; keep when the oldest data answer was fetched."""
        cached = getattr(response, "from_cache", False)
        fetched = fetched_at(response) if cached else datetime.now(UTC)
        with self._lock:
            self.network_requests += 0 if cached else 1
            if is_data(url) and (self.oldest_data is None or fetched < self.oldest_data):
                self.oldest_data = fetched

    def _failure(self, url: str, exc: requests.RequestException) -> Exception:
        if isinstance(exc, AnswerTooLarge):
            return kolada_error(f"Kolada's answer to {url} is too large ({exc}); refused")
        if isinstance(exc, AnswerTooSlow):
            return _Retryable(f"Kolada's answer to {url} did not arrive within "
                              f"{self.settings.timeout:g} s ({argument('timeout')})")
        if isinstance(exc, requests.exceptions.ChunkedEncodingError
                      | requests.exceptions.ContentDecodingError):
            return _Retryable(f"Kolada sent a broken answer for {url}: {_reason(exc)}")
        if isinstance(exc, requests.exceptions.SSLError | requests.exceptions.InvalidURL):
            return kolada_error(f"cannot reach Kolada at {url}: {_reason(exc)}")
        return _Retryable(f"cannot reach Kolada at {url}: {_reason(exc)}")

    def _cache_options(self, url: str) -> dict[str, Any]:
        """How the cache treats this request: passed by (no-store, a standard request
        directive requests-cache obeys), refreshed, or as it likes."""
        if not hasattr(self.current, "cache"):
            return {}
        if not self.settings.keep_data and is_data(url):
            return {"headers": {"Cache-Control": "no-store"}}
        return {"force_refresh": True} if self.settings.refresh else {}

    def _drop_cache(self, exc: sqlite3.Error) -> None:
        """Go on without a cache that failed mid-run (with --offline there is nothing else)."""
        if self.settings.offline:
            raise kolada_error(f"offline: the cache failed ({exc})")
        log.warning("the cache failed (%s); continuing without it", exc)
        plain = open_session(replace(self.settings, cache_dir=None))
        if getattr(self._local, "session", None) is not None:
            self._local.session = plain
        else:
            self.session = plain

    def _check_status(self, response: requests.Response, url: str) -> None:
        status = response.status_code
        if status == 200:
            return
        if status == 504 and self.settings.offline:
            raise kolada_error(f"offline: {url} is not in the cache "
                               f"(run once without {argument('offline')})")
        if status in RETRY_STATUSES:
            header = response.headers.get("Retry-After")
            wait = retry_after_seconds(header) if header else None
            raise _Retryable(f"Kolada answered HTTP {status} for {url}", wait)
        raise _status_error(status, url)


def fetched_at(response: requests.Response) -> datetime:
    """When a cached answer was fetched from Kolada (requests-cache's `created_at`, UTC)."""
    created: datetime = response.created_at  # type: ignore[attr-defined]  # a CachedResponse
    return created if created.tzinfo else created.replace(tzinfo=UTC)


def also_after(retries: int) -> str:
    """', also after 3 retries' (nothing for none)."""
    if not retries:
        return ""
    return f", also after {retries} retr{'y' if retries == 1 else 'ies'}"


def _status_error(status: int, url: str) -> KoladaError:
    if status == 410:
        return kolada_error(f"{url} is the retired Kolada v2 API (HTTP 410); use a /v3 base "
                            f"URL, e.g. {DEFAULT_API_URL}")
    if status == 422:
        return kolada_error(f"Kolada rejected the request {url} (HTTP 422: a segment over 25 "
                            "values or per_page over 5000)")
    if status == 404:
        return RouteNotFound(redact_url(f"Kolada has no such route: {url} (HTTP 404); "
                                        f"check {argument('api_url')}"))
    return kolada_error(f"Kolada answered HTTP {status} for {url}")


def envelope_problem(data: Any) -> str | None:
    """Why an answer is not a v3 list envelope of objects, or None."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        return "no 'values' list"
    if not all(isinstance(item, dict) for item in data["values"]):
        return "an item that is not an object"
    return None


def _reason(exc: requests.RequestException) -> str:
    """A one-line cause: 'timed out', 'connection refused', a TLS failure, ..."""
    inner = getattr(exc.args[0], "reason", exc.args[0]) if exc.args else exc
    text = str(inner)
    if isinstance(exc, requests.exceptions.Timeout) or "timed out" in text.lower():
        return "timed out"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS certificate check failed ({text[:200]})"
    if "refused" in text.lower():
        return "connection refused"
    return (text.splitlines() or [type(exc).__name__])[0][:200]
