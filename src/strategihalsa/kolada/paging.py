"""Paging of Kolada's answers: the pages of one answer, and the `next_url` that may follow.

A `next_url` is followed only as a path and query on the configured scheme, host and port:
anything else (another host, not text, malformed) is a `KoladaError`, never a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from strategihalsa.errors import KoladaError
from strategihalsa.kolada.http import Page, kolada_error


class TruncatedAnswer(KoladaError):
    """A page exactly `per_page` long without `next_url`: Kolada may have cut it short."""


@dataclass
class Pages:
    """The items of every page of one answer, and the cache keys holding them."""

    items: list[Any] = field(default_factory=list)  # objects, or typed data rows
    keys: list[str | None] = field(default_factory=list)

    def add(self, page: Page) -> None:
        self.items += page.items
        self.keys.append(page.cache_key)


def next_link(link: Any, url: str, origin: SplitResult) -> str | None:
    """`link`'s path and query on `origin`'s scheme, host and port; None for none."""
    if link is None or (isinstance(link, str) and not link.strip()):
        return None
    if not isinstance(link, str):
        raise kolada_error(f"Kolada answered {url} with a next_url that is not a link "
                           f"({type(link).__name__})")
    try:
        target = urlsplit(urljoin(url, link.strip()))
        host = (target.hostname or "").lower()
    except ValueError:
        raise kolada_error(f"Kolada answered {url} with a malformed next_url") from None
    if host != (origin.hostname or "").lower():
        raise kolada_error(f"Kolada answered {url} with a next_url on another host "
                           f"({host}); not followed")
    return urlunsplit((origin.scheme, origin.netloc, target.path, target.query, ""))
