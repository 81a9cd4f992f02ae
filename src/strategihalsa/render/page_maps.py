"""The HTML pages' maps per goal (render/maps.py draws them): for each indicator the status
and the change of each kommun, a batch's from its reports, the overview's from its matrix
and ranking, the chosen kommun outlined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strategihalsa.render import maps

if TYPE_CHECKING:
    from strategihalsa.model import UnitReport
    from strategihalsa.model_overview import Overview
    from strategihalsa.render.lan import Column
    from strategihalsa.units import Unit
    from strategihalsa.vocabulary import Status


@dataclass(frozen=True)
class GoalMaps:
    """One indicator's two maps (inline SVG): status and change per kommun; empty when no
    kommun has data."""

    column: Column
    direction: str
    status: str
    change: str


def goal_maps(column: Column, direction: str, statuses: dict[str, Status],
              changes: dict[str, float | None], chosen: Unit | None = None) -> GoalMaps:
    """The status map and the change map of one indicator, the `chosen` kommun outlined."""
    salt, highlight = f"map-{column.label}", chosen.id if chosen else None
    if not any(status.judged for status in statuses.values()):
        return GoalMaps(column, direction, "", "")
    return GoalMaps(column, direction, maps.status_map(statuses, highlight, f"{salt}-s"),
                    maps.change_map(changes, direction, highlight, f"{salt}-c", statuses))


def index_maps(cols: Sequence[Column], kept: Sequence[int], reports: Sequence[UnitReport]
               ) -> list[GoalMaps]:
    """A batch's maps of the indicators at the `kept` positions: its kommuner (none without
    kommuner)."""
    kommuner = [r for r in reports if r.unit.kind == "kommun"]
    if not kommuner:
        return []
    return [goal_maps(cols[n], kommuner[0].results[n].indicator.direction,
                      {r.unit.id: r.results[n].figures.status for r in kommuner},
                      {r.unit.id: r.results[n].figures.change for r in kommuner})
            for n in kept]


def overview_maps(cols: Sequence[Column], overview: Overview,
                  changes: dict[str, dict[str, float | None]]) -> list[GoalMaps]:
    """The overview's maps: statuses from the matrix, the kommuner's `changes`, the chosen
    kommun outlined."""
    return [goal_maps(col, summary.indicator.direction,
                      {row.unit.id: row.statuses[n] for row in overview.matrix},
                      changes[col.id], overview.chosen)
            for n, (col, summary) in enumerate(zip(cols, overview.indicators, strict=True))]


def kommun_changes(overview: Overview) -> dict[str, dict[str, float | None]]:
    """Each indicator's change per kommun of the matrix, from the ranking (a region-level
    key figure's change is its region's, for each of its kommuner)."""
    ranked: dict[str, dict[str, float | None]] = {}
    for row in overview.ranking:
        ranked.setdefault(row.indicator.id, {})[row.unit.id] = row.change
    return {s.indicator.id: {row.unit.id: _own_or_region(ranked.get(s.indicator.id, {}),
                                                         row.unit) for row in overview.matrix}
            for s in overview.indicators}


def _own_or_region(changes: dict[str, float | None], unit: Unit) -> float | None:
    return changes[unit.id] if unit.id in changes else changes.get(unit.region_id)
