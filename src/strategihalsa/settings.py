"""Run-time settings of the Kolada client, kept import-light for a fast `sfh --help`.

Precedence: command-line option > SFH_* environment variable (both via Typer) > defaults here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from strategihalsa.catalogue import FIRST_YEAR
from strategihalsa.errors import UsageError

DEFAULT_API_URL = "https://api.kolada.se/v3"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF = 0.5
DEFAULT_FAMILY = "socioekonomi"


def default_cache_dir() -> Path:
    """The user cache folder, e.g. ~/.cache/strategihalsa on Linux."""
    from platformdirs import user_cache_path

    return user_cache_path("strategihalsa", appauthor=False)


@dataclass(frozen=True)
class ClientSettings:
    """How to reach Kolada: base URL, patience, and the cache (None = no cache)."""

    api_url: str = DEFAULT_API_URL
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    cache_dir: Path | None = None
    refresh: bool = False
    offline: bool = False


@dataclass(frozen=True)
class Period:
    """The years of a run: baseline override and follow-up year (None = defaults)."""

    baseline: int | None = None
    follow_up: int | None = None

    def __post_init__(self) -> None:
        """Reject years outside Kolada's range and a baseline not before the follow-up (or
        this year: a follow-up must come after it), before anything is fetched."""
        this_year = date.today().year
        for name, year, last in (("--baseline", self.baseline, this_year - 1),
                                 ("--year", self.follow_up, this_year)):
            if year is not None and not FIRST_YEAR <= year <= last:
                raise UsageError(f"{name} {year} is outside {FIRST_YEAR}..{last}")
        if self.baseline and self.follow_up and self.baseline >= self.follow_up:
            raise UsageError(f"--baseline {self.baseline} must be before --year {self.follow_up}")

    def check_follow_up(self, first_baseline: int) -> None:
        """Reject a follow-up year not after the catalogue's earliest baseline year (when
        --baseline does not replace it): no indicator could be judged."""
        if self.baseline is None and self.follow_up is not None \
                and self.follow_up <= first_baseline:
            raise UsageError(f"--year {self.follow_up} must be after the baseline year "
                             f"{first_baseline} (the catalogue's; choose another with "
                             "--baseline)")


@dataclass(frozen=True)
class Comparisons:
    """Optional comparisons: the similar-units family (None = none) and ranking."""

    similar_family: str | None = DEFAULT_FAMILY
    rank: bool = False
