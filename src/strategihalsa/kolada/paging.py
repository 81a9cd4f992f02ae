"""Paging of Kolada's answers: the pages of one answer, the `next_url` that may follow, and
the limits (page size, rows a request is planned to, pages an answer may have).

A `next_url` is followed only as a path and query on the configured scheme, host and port:
anything else (another host, not text, malformed) is a `KoladaError`, never a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from strategihalsa.errors import KoladaError
from strategihalsa.kolada.http import Page, RouteNotFound, Transport, kolada_error
from strategihalsa.kolada.plan import ROW_BUDGET


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


PER_PAGE = 5000
MAX_PAGES = 200


@dataclass(frozen=True)
class Limits:
    """Paging and planning limits (tests lower them; Kolada's own are the defaults)."""

    per_page: int = PER_PAGE
    row_budget: int = ROW_BUDGET
    max_pages: int = MAX_PAGES


class Pager:
    """Walks the pages of one answer: follows `next_url` (its path and query, on the
    configured host only), stops on an empty page or a repeated URL, and gives up after
    `max_pages`. A 404 for a later page is an error, never a shorter answer; a page exactly
    `per_page` long without `next_url` is a `TruncatedAnswer` (its request is split)."""

    def __init__(self, http: Transport, base_url: str) -> None:
        self.http = http
        self.base_url = base_url
        self.limits = Limits()

    def pages(self, path: str, rows: bool = False) -> Pages:
        """Every page of one answer (of data `rows`: typed where they can be)."""
        url: str | None = self.url(path)
        seen: set[str] = set()
        pages = Pages()
        while url and url not in seen:
            if len(seen) == self.limits.max_pages:
                raise kolada_error(f"Kolada answered {self.url(path)} with more than "
                                   f"{self.limits.max_pages} pages; stopped")
            seen.add(url)
            page = self._page(url, pages, path, rows)
            pages.add(page)
            url = self._after(page, url, pages)
        return pages

    def _page(self, url: str, pages: Pages, path: str, rows: bool) -> Page:
        """The page at `url`; a 404 after the first page is a broken answer (exit 4), not
        an unknown id: the pages before it are dropped from the cache."""
        try:
            return self.http.page(url, rows)
        except RouteNotFound:
            if not pages.keys:
                raise
            self.http.forget(*pages.keys)
            raise kolada_error(f"Kolada answered HTTP 404 for {url}, page {len(pages.keys) + 1} "
                               f"of {self.url(path)}: the answer is incomplete") from None

    def _after(self, page: Page, url: str, pages: Pages) -> str | None:
        """The URL of the page after `page`, or None when it was the last."""
        if not page.items:
            return None
        link = next_link(page.next_url, url, self.http.origin)
        if link is None and len(page.items) == self.limits.per_page:
            self.http.forget(*pages.keys)
            raise TruncatedAnswer(f"Kolada's answer to {url} looks cut short (exactly "
                                  f"{len(page.items)} rows and no next_url)")
        return link

    def url(self, path: str) -> str:
        """The URL of a path under the API's root, asking for the largest pages."""
        joiner = "&" if "?" in path else "?"
        return urljoin(self.base_url, path) + f"{joiner}per_page={self.limits.per_page}"
