"""Kolada REST API v3: the client (chunking, paging, retries), the on-disk cache, and the
typed records every answer becomes at this boundary (nothing past it sees a raw dict).

The client's and the rows' names are re-exported lazily, so importing the light `records`
module does not load requests or polars (a fast `sfh --help`)."""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    """`from strategihalsa.kolada import KoladaClient` without importing it up front."""
    for module in ("client", "rows"):
        found = getattr(importlib.import_module(f"strategihalsa.kolada.{module}"), name, None)
        if found is not None:
            return found
    raise AttributeError(f"module 'strategihalsa.kolada' has no attribute {name!r}")
