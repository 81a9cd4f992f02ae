"""The national overview's records: per indicator a summary, the status matrix and the
rankings, typed and frozen like the report model (model.py). `national.summarise` fills
them from the evaluated frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from strategihalsa.catalogue import Indicator
from strategihalsa.kolada.records import Kpi
from strategihalsa.model import Figures, RunInfo
from strategihalsa.units import Unit
from strategihalsa.vocabulary import Level, Status

OVERVIEW_SCHEMA = "sfh.overview/1"


@dataclass(frozen=True)
class Spread:
    """The distribution of a change across units: min, quartiles, max, and how many units
    it is of (those with a change)."""

    min: float
    q1: float
    median: float
    q3: float
    max: float
    count: int


@dataclass(frozen=True)
class IndicatorOverview:
    """One indicator across all kommuner (or regions, for region-level key figures)."""

    indicator: Indicator
    kpi: Kpi | None
    level: Level
    riket: Figures
    counts: dict[Status, int]
    change: Spread | None


@dataclass(frozen=True)
class MatrixRow:
    """One kommun's status per indicator (catalogue order)."""

    unit: Unit
    statuses: tuple[Status, ...]


@dataclass(frozen=True)
class RankingRow:
    """One unit's place for one indicator, by improvement (1 = largest)."""

    indicator: Indicator
    rank: int
    unit: Unit
    level: Level
    change: float | None
    improvement: float | None
    status: Status


@dataclass(frozen=True)
class Overview:
    """The whole overview: per-indicator summaries, the status matrix and the rankings;
    the kommun a reader chose to see marked on its maps and spread charts (None: none)."""

    scope: str
    run: RunInfo
    indicators: tuple[IndicatorOverview, ...]
    matrix: tuple[MatrixRow, ...]
    ranking: tuple[RankingRow, ...]
    chosen: Unit | None = None

    @property
    def unit_count(self) -> int:
        """How many kommuner the overview covers."""
        return len(self.matrix)
