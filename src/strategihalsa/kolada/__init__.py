"""Kolada REST API v3: the client (chunking, paging, retries), the on-disk cache, and the
typed records every answer becomes at this boundary (nothing past it sees a raw dict).

The client's names are re-exported lazily, so importing the light `records` module does not
load requests or polars (a fast `sfh --help`)."""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    """`from strategihalsa.kolada import KoladaClient` without importing it up front."""
    client = importlib.import_module("strategihalsa.kolada.client")
    try:
        return getattr(client, name)
    except AttributeError:
        raise AttributeError(f"module 'strategihalsa.kolada' has no attribute {name!r}") from None
