"""What a run evaluates and which values it fetches, decided from Kolada's metadata alone.

No polars here: `run` decides the scope on the thread that fetched the metadata, to start
fetching the values at once while the main thread still imports polars, and uses the same
decision to evaluate, so the values it asks for are exactly those already on their way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from strategihalsa.catalogue import Catalogue
from strategihalsa.groups import similar_groups
from strategihalsa.kolada.records import Kpi, Metadata
from strategihalsa.settings import Comparisons
from strategihalsa.units import RIKET, Selection, Unit, Units
from strategihalsa.vocabulary import Level

POPULATION = "N01951"  # Kolada's "Invånare totalt, antal" (31 December): a mean's weights
REGION_LEVEL = "L"  # Kolada's municipality_type of a key figure published for regions only


@dataclass(frozen=True)
class Scope:
    """The units of a run: those reported on (`compared` with their similar group, in
    `similar`), those evaluated (the reported ones, those they are ranked among, a region's
    kommuner), and the KPIs fetched besides the catalogue's (`weights`)."""

    units: Units
    compared: list[Unit]
    evaluated: list[Unit]
    similar: dict[str, Unit] = field(default_factory=dict)
    weights: tuple[str, ...] = ()

    def kpis(self, meta: Metadata) -> list[str]:
        """The KPIs whose values are fetched: those Kolada knows, and the weights."""
        return [*(kpi.id for kpi in meta.kpis), *self.weights]

    def data_units(self, catalogue: Catalogue, kpis: Sequence[Kpi]) -> list[str]:
        """The Kolada units whose values `evaluate.plan` reads (its data_unit column):
        Riket, each evaluated unit's region, a kommun itself when some indicator is not
        published for regions only, and the similar groups of the evaluated units."""
        if not catalogue.indicators or not self.evaluated:
            return []
        types = {kpi.id: kpi.municipality_type for kpi in kpis}
        own = any((types.get(i.kpi) or "A") != REGION_LEVEL for i in catalogue.indicators)
        found = {RIKET}
        for unit in self.evaluated:
            found |= {unit.region_id, *([unit.id] if own and unit.kind == Level.KOMMUN else [])}
            if unit.id in self.similar:
                found.add(self.similar[unit.id].id)
        return sorted(found)


def report_scope(meta: Metadata, selection: Selection, comparisons: Comparisons) -> Scope:
    """A report's scope: the selected units, with `comparisons.rank` every unit of their
    kinds too (compared with no similar group), and a region's kommuner (for its picture,
    weighted by population)."""
    units = Units(meta.municipalities)
    reported = selection.units(units)
    ranked = _ranking_population(units, reported) if comparisons.rank else reported
    pictured = pictured_kommuner(units.kommuner(), reported)
    family = comparisons.similar_family
    similar = similar_groups(meta.groups, reported, family) if family else {}
    return Scope(units, reported, _with(ranked, pictured), similar,
                 (POPULATION,) if pictured else ())


def weights_foreseen(selection: Selection) -> tuple[str, ...]:
    """The weights a report of this selection fetches, as far as the selection tells before
    the unit list arrives: a region reported (all units, a län's, or one named) has its
    kommuner's picture weighted by population. A wrong guess costs a request, not data."""
    regions = selection.all_units or selection.lan is not None or bool(selection.regions)
    return (POPULATION,) if regions else ()


def overview_scope(meta: Metadata, lan: str | None) -> Scope:
    """The overview's scope: every kommun, or one län's."""
    units = Units(meta.municipalities)
    kommuner = units.lan(lan)[1] if lan else units.kommuner()
    return Scope(units, kommuner, kommuner)


def pictured_kommuner(kommuner: Sequence[Unit], report_units: Sequence[Unit]) -> list[Unit]:
    """The kommuner of the län of every region among the report units."""
    lans = {unit.lan for unit in report_units if unit.is_region}
    return [kommun for kommun in kommuner if kommun.lan in lans]


def _with(units: Sequence[Unit], more: Sequence[Unit]) -> list[Unit]:
    """The units, then those of `more` not among them."""
    return list({u.id: u for u in [*units, *more]}.values())


def _ranking_population(units: Units, report_units: Sequence[Unit]) -> list[Unit]:
    """The report units plus every other unit of their kinds (kommuner, regions)."""
    kinds = {u.kind for u in report_units}
    return _with(report_units,
                 [u for u in units.kommuner() + units.regions() if u.kind in kinds])
