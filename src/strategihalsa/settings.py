"""Run-time settings of the Kolada client, kept import-light for a fast `sfh --help`.

Precedence: command-line option > SFH_* environment variable (both via Click) > defaults here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from strategihalsa.catalogue import FIRST_YEAR
from strategihalsa.errors import UsageError, argument

DEFAULT_API_URL = "https://api.kolada.se/v3"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF = 0.5
TIMEOUT_RANGE = (0.1, 600.0)
RETRIES_RANGE = (0, 20)
BACKOFF_RANGE = (0.0, 60.0)
DEFAULT_FAMILY = "socioekonomi"
ENVIRONMENT = {  # argument → the environment variable that sets it (command line and API)
    "api_url": "SFH_KOLADA_URL", "timeout": "SFH_TIMEOUT", "retries": "SFH_RETRIES",
    "backoff": "SFH_BACKOFF", "cache": "SFH_CACHE_DIR", "offline": "SFH_OFFLINE",
    "max_age": "SFH_MAX_AGE", "catalogue": "SFH_CATALOGUE", "liknande": "SFH_LIKNANDE",
}
DEFAULT_MAX_AGE = "1d"  # reports read the local store (sfh sync) when it is younger


def default_cache_dir() -> Path:
    """The user cache folder, e.g. ~/.cache/strategihalsa on Linux."""
    from platformdirs import user_cache_path

    return user_cache_path("strategihalsa", appauthor=False)


@dataclass(frozen=True)
class ClientSettings:
    """How to reach Kolada: base URL, patience, and the cache (None = no cache).

    Everything is checked when the settings are made, before any request: a bad value is a
    `UsageError` with a one-line message. Credentials in `api_url` (`https://user:pw@host`)
    are sent as HTTP basic auth and never shown: messages and reports use `public_url`.
    """

    api_url: str = DEFAULT_API_URL
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    cache_dir: Path | None = None
    refresh: bool = False
    offline: bool = False
    keep_data: bool = True  # False: data answers bypass the HTTP cache (a sync stores them)

    def __post_init__(self) -> None:
        """Reject an unusable URL, timeout, retry count, backoff or cache folder."""
        _check_url(self.api_url)
        _check_number("timeout", self.timeout, *TIMEOUT_RANGE)
        _check_number("backoff", self.backoff, *BACKOFF_RANGE)
        if type(self.retries) is not int or not _within(self.retries, *RETRIES_RANGE):
            raise UsageError(f"{argument('retries')} must be a whole number in "
                             f"{_range(*RETRIES_RANGE)}, "
                             f"not {self.retries!r}")
        if self.cache_dir is not None:
            object.__setattr__(self, "cache_dir", _cache_folder(self.cache_dir))
        if self.offline and self.cache_dir is None:
            raise UsageError(f"{argument('offline')} needs the cache; drop "
                             f"{argument('no_cache')}")
        if self.offline and self.refresh:
            raise UsageError(f"{argument('offline')} and {argument('refresh')} contradict "
                             "each other")

    @property
    def public_url(self) -> str:
        """`api_url` with any user name and password replaced by `***`: safe to show."""
        return redact_url(self.api_url)

    @property
    def request_url(self) -> str:
        """`api_url` without credentials and without a trailing slash: the base of requests."""
        parts = urlsplit(self.api_url)
        return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])).rstrip("/")

    @property
    def credentials(self) -> tuple[str, str] | None:
        """(user, password) from `api_url`, or None."""
        parts = urlsplit(self.api_url)
        if parts.username is None and parts.password is None:
            return None
        return unquote(parts.username or ""), unquote(parts.password or "")


def redact_url(text: str) -> str:
    """Replace the credentials of every URL in `text` by `***`."""
    return _USERINFO.sub(r"\1***@", text)


_USERINFO = re.compile(r"(\w+://)[^/?#\s]*@")


def _check_url(url: object) -> None:
    shown = redact_url(str(url))
    if not isinstance(url, str) or not url.strip():
        raise UsageError(f"{argument('api_url')} is empty; give a Kolada v3 base URL, e.g. "
                         + DEFAULT_API_URL)
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise UsageError(f"{argument('api_url')} {shown!r} contains spaces or control "
                         "characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise UsageError(f"{argument('api_url')} {shown!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise UsageError(f"{argument('api_url')} {shown!r} must start with https:// "
                         "(or http://), "
                         f"e.g. {DEFAULT_API_URL}")
    if not parts.hostname:
        raise UsageError(f"{argument('api_url')} {shown!r} has no host name, e.g. "
                         f"{DEFAULT_API_URL}")
    if parts.query or parts.fragment:
        raise UsageError(f"{argument('api_url')} {shown!r} must not have a query or fragment")


def _check_number(option: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not _within(
            value, low, high):
        raise UsageError(f"{argument(option)} must be a number of seconds in {_range(low, high)}, "
                         f"not {value!r}")


def _within(value: float, low: float, high: float) -> bool:
    return math.isfinite(value) and low <= value <= high


def _range(low: float, high: float) -> str:
    return f"{low:g}..{high:g}"


def _cache_folder(folder: Path | str) -> Path:
    """The cache folder as a Path; an empty path (which Path would read as '.') is refused."""
    if not isinstance(folder, str | Path) or str(folder).strip() in ("", "."):
        raise UsageError(f"{argument('cache')} is empty; give a folder, or "
                         f"{argument('no_cache')}")
    return Path(folder)


@dataclass(frozen=True)
class Period:
    """The years of a run: baseline override and follow-up year (None = defaults)."""

    baseline: int | None = None
    follow_up: int | None = None

    def __post_init__(self) -> None:
        """Reject years outside Kolada's range and a baseline not before the follow-up (or
        this year: a follow-up must come after it), before anything is fetched."""
        this_year = date.today().year
        for name, year, last in (("baseline", self.baseline, this_year - 1),
                                 ("year", self.follow_up, this_year)):
            if year is not None and not FIRST_YEAR <= year <= last:
                raise UsageError(f"{argument(name)} {year} is outside {FIRST_YEAR}..{last}")
        if self.baseline and self.follow_up and self.baseline >= self.follow_up:
            raise UsageError(f"{argument('baseline')} {self.baseline} must be before "
                             f"{argument('year')} {self.follow_up}")

    def check_follow_up(self, first_baseline: int) -> None:
        """Reject a follow-up year not after the catalogue's earliest baseline year (when
        --baseline does not replace it): no indicator could be judged."""
        if self.baseline is None and self.follow_up is not None \
                and self.follow_up <= first_baseline:
            raise UsageError(f"{argument('year')} {self.follow_up} must be after the "
                             "baseline year "
                             f"{first_baseline} (the catalogue's; choose another with "
                             f"{argument('baseline')})")


def similar_family(liknande: str | None) -> str | None:
    """The family of similar units to compare with; None for 'ingen' (or nothing)."""
    from strategihalsa.units import normalise

    if liknande is None or normalise(liknande) in ("ingen", ""):
        return None
    return liknande


@dataclass(frozen=True)
class Comparisons:
    """Optional comparisons: the similar-units family (None = none) and ranking; whether
    Riket and the others are judged over each unit's own years (the overview shows Riket
    on its own years)."""

    similar_family: str | None = DEFAULT_FAMILY
    rank: bool = False
    over_unit_years: bool = True
