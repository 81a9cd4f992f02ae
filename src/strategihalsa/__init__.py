"""strategihalsa (`sfh`): follow up SKR's Strategi för hälsa from Kolada v3 data.

The Python API (see README "Python API"):

    import strategihalsa as sfh
    reports = sfh.report("0680")
    reports.to_polars()

The package root stays import-light so that `sfh --help` starts fast: the API's names are
loaded on first use, and the heavy modules (polars, requests, XlsxWriter, matplotlib) by
what needs them.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["CatalogueError", "ChangesResult", "KoladaError", "OutputError", "OverviewResult",
           "Reports", "SfhError", "UsageError", "__version__", "changes", "overview", "report",
           "sync"]
_API = {"report", "overview", "sync", "changes", "Reports", "OverviewResult", "ChangesResult"}
_ERRORS = {"SfhError", "UsageError", "CatalogueError", "KoladaError", "OutputError"}


def __getattr__(name: str) -> Any:
    """`strategihalsa.report` and the other API names, imported when first asked for."""
    import importlib

    if name in _API:
        return getattr(importlib.import_module("strategihalsa.api"), name)
    if name in _ERRORS:
        return getattr(importlib.import_module("strategihalsa.errors"), name)
    raise AttributeError(f"module 'strategihalsa' has no attribute {name!r}")
