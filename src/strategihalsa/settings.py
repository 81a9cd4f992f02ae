"""Run-time settings of the Kolada client, kept import-light for a fast `sfh --help`.

Precedence: command-line option > SFH_* environment variable (both via Typer) > defaults here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_API_URL = "https://api.kolada.se/v3"
DEFAULT_TIMEOUT = 30.0


def default_cache_dir() -> Path:
    """The user cache folder, e.g. ~/.cache/strategihalsa on Linux."""
    from platformdirs import user_cache_path

    return user_cache_path("strategihalsa", appauthor=False)


@dataclass(frozen=True)
class ClientSettings:
    """How to reach Kolada: base URL, patience, and the cache (None = no cache)."""

    api_url: str = DEFAULT_API_URL
    timeout: float = DEFAULT_TIMEOUT
    retries: int = 4
    backoff: float = 0.5
    cache_dir: Path | None = None
    refresh: bool = False
    offline: bool = False
