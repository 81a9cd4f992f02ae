"""Kolada's v3 data rows → observations, one per (kpi, unit, year, gender), validated.

A row that is not a v3 data row (not an object, no kpi or municipality as text, no valid
period, `values` not a list of objects) is a `KoladaError`: nothing about it can be trusted.
Inside a good row, each entry is repaired or flagged, never guessed (see entries.py);
identical duplicates are kept once; conflicting ones (same kpi, unit, year and gender,
different value, status or count) become one missing value, with a warning naming them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from strategihalsa.errors import KoladaError
from strategihalsa.kolada.entries import FIELDS, Read, read
from strategihalsa.kolada.records import Complaints, row_problem

OBSERVATION_SCHEMA = dict(zip(FIELDS, [pl.String, pl.String, pl.Int32, pl.String, pl.Float64,
                                       pl.String, pl.Int64], strict=True))
KEY = ["kpi", "unit", "year", "gender"]
CONFLICT = "Kolada sent conflicting values for one observation (treated as missing)"
log = logging.getLogger("strategihalsa")


def to_observations(rows: list[dict[str, Any]],
                    warn: Callable[[str], None] | None = None) -> pl.DataFrame:
    """Flatten v3 data rows to validated observations (see the module docstring); problems
    are told through `warn` (default: the 'strategihalsa' logger)."""
    problem = next((p for p in map(row_problem, rows) if p), None)
    if problem:
        raise KoladaError(f"Kolada sent {problem}")
    return observations([read(rows)], warn)


def observations(parts: Sequence[Read], warn: Callable[[str], None] | None = None
                 ) -> pl.DataFrame:
    """The observations read in parts (e.g. one per answer, in the order asked for), as one
    frame with duplicates settled; problems told through `warn`, as `to_observations`."""
    whole = Read.joined(parts)
    frame = _settle_duplicates(pl.DataFrame(whole.columns, schema=OBSERVATION_SCHEMA),
                               whole.complaints)
    for message in whole.complaints.messages():
        (warn or log.warning)(message)
    return frame


def _settle_duplicates(frame: pl.DataFrame, complaints: Complaints) -> pl.DataFrame:
    """Identical duplicates once; conflicting ones as one missing value, told."""
    if not frame.select(pl.struct(KEY).is_duplicated().any()).item():
        return frame  # the usual case, each observation once: checked in a third of the time
    frame = frame.unique(maintain_order=True)
    clash = pl.len().over(KEY) > 1
    clashes = frame.filter(clash).unique(KEY, maintain_order=True)
    if clashes.is_empty():
        return frame
    for kpi, unit, year, gender in clashes.select(KEY).iter_rows():
        complaints.add(CONFLICT, f"{kpi}/{unit}/{year}/{gender}")
    return frame.with_columns(
        value=pl.when(clash).then(None).otherwise(pl.col("value")),
        status=pl.when(clash).then(pl.lit("")).otherwise(pl.col("status")),
        count=pl.when(clash).then(None).otherwise(pl.col("count")),
    ).unique(KEY, keep="first", maintain_order=True)
