"""The side-by-side report's records: several units' reports compared goal by goal. They
hold the reports themselves (model.py) and compute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from strategihalsa.catalogue import Indicator
from strategihalsa.model import IndicatorResult, RunInfo, UnitReport
from strategihalsa.units import Unit

SIDE_BY_SIDE_SCHEMA = "sfh.side_by_side/1"


@dataclass(frozen=True)
class GoalRow:
    """One indicator across the units of a side-by-side report: each unit's result exactly
    as its own report has it (same status, change, years and comparisons)."""

    indicator: Indicator
    results: tuple[IndicatorResult, ...]  # one per unit, in the order of the reports


@dataclass(frozen=True)
class SideBySide:
    """Several units' reports compared goal by goal. It holds the reports themselves and
    computes nothing: every figure shown is the one the unit's single report shows."""

    reports: tuple[UnitReport, ...]

    @property
    def run(self) -> RunInfo:
        """What the reports share: years, catalogue, provenance (one run)."""
        return self.reports[0].run

    @property
    def units(self) -> tuple[Unit, ...]:
        """The units compared, in the order given."""
        return tuple(report.unit for report in self.reports)

    @property
    def areas(self) -> list[str]:
        """The målområden, in catalogue order."""
        return self.reports[0].areas

    def in_area(self, area: str) -> list[GoalRow]:
        """The goal rows of one målområde."""
        return [row for row in self.rows if row.indicator.area == area]

    @property
    def rows(self) -> list[GoalRow]:
        """One row per indicator of the catalogue, each unit's result in it."""
        by_id = [{r.indicator.id: r for r in report.results} for report in self.reports]
        return [GoalRow(result.indicator, tuple(found[result.indicator.id] for found in by_id))
                for result in self.reports[0].results]
