"""Kommuner, regions and Riket: lookup by code or name, and the län a kommun belongs to.

Names match case- and accent-insensitively ("jonkoping" finds Jönköping); an unknown name
fails with the closest matches as suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from strategihalsa.errors import UsageError
from strategihalsa.kolada.records import Municipality

RIKET = "0000"
Kind = Literal["kommun", "region"]


@dataclass(frozen=True)
class Unit:
    """A Kolada municipality: a kommun (type K), a region or Riket (type L), or a group of
    municipalities (type G, e.g. similar kommuner)."""

    id: str
    title: str
    type: str
    members: int = 0

    @property
    def kind(self) -> str:
        """'kommun', 'region', 'riket' or 'group'."""
        if self.id == RIKET:
            return "riket"
        if self.type == "G":
            return "group"
        return "kommun" if self.type == "K" else "region"

    @property
    def lan(self) -> str:
        """The two-digit county code: 0680 → 06, 0006 → 06."""
        return self.id[:2] if self.kind == "kommun" else self.id[2:]

    @property
    def region_id(self) -> str:
        """Kolada id of the unit's region: 0680 → 0006."""
        return "00" + self.lan


def normalise(text: str) -> str:
    """Case- and accent-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip()


def _region_core(title: str) -> str:
    """'Region Jönköpings län' → 'jonkopings'; the words people leave out."""
    core = re.sub(r"^(region|landstinget?) ", "", normalise(title))
    return re.sub(r"s? lans?$", "", core).removesuffix("s")


class Units:
    """The municipality list, indexed for lookups."""

    def __init__(self, rows: Sequence[Municipality]) -> None:
        self.all = [Unit(r.id, r.title, r.type) for r in rows]
        self.by_id = {u.id: u for u in self.all}

    def kommuner(self) -> list[Unit]:
        """All kommuner, by code."""
        return sorted((u for u in self.all if u.kind == "kommun"), key=lambda u: u.id)

    def regions(self) -> list[Unit]:
        """All regions (not Riket), by code."""
        return sorted((u for u in self.all if u.kind == "region"), key=lambda u: u.id)

    def get(self, unit_id: str) -> Unit:
        """The unit with this id, or a placeholder titled by its id."""
        return self.by_id.get(unit_id) or Unit(unit_id, unit_id, "L")

    def kommun(self, text: str) -> Unit:
        """A kommun by four-digit code or name."""
        text = text.strip()
        if text.isdigit():
            unit = self.by_id.get(text.zfill(4))
            if unit and unit.kind == "region":
                raise UsageError(f"{unit.id} is a region ({unit.title}), not a kommun: "
                                 f"use --region {unit.id}")
            if unit and unit.kind == "kommun":
                return unit
            raise UsageError(f"no kommun has the code {text!r} (kommun codes are four digits, "
                             "e.g. 0680 for Jönköping)")
        return self._by_name(text, self.kommuner(), normalise, "kommun")

    def region(self, text: str) -> Unit:
        """A region by code (0006 or 06) or name ('Region Jönköpings län', 'Jönköping')."""
        text = text.strip()
        if text.isdigit() and len(text) <= 4:
            unit = self.by_id.get("00" + text.zfill(4)[-2:]) if len(text) <= 2 else None
            unit = unit or self.by_id.get(text.zfill(4))
            if unit and unit.kind == "region":
                return unit
            raise UsageError(f"no region has the code {text!r} (e.g. 0006 or 06 for "
                             "Region Jönköpings län)")
        return self._by_name(text, self.regions(), _region_core, "region")

    def lan(self, text: str) -> tuple[Unit, list[Unit]]:
        """A län's region and its kommuner, by county code or region name."""
        region = self.region(text)
        return region, [k for k in self.kommuner() if k.lan == region.lan]

    def search(self, text: str | None) -> list[Unit]:
        """Regions and kommuner whose name contains `text` or whose code starts with it."""
        wanted = normalise(text or "")
        return [u for u in self.regions() + self.kommuner()
                if wanted in normalise(u.title) or u.id.startswith(wanted)]

    @staticmethod
    def _by_name(text: str, units: list[Unit], key: Any, kind: str) -> Unit:
        wanted = key(text)
        matches = [u for u in units if key(u.title) == wanted]
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = ", ".join(f"{u.id} {u.title}" for u in matches)
            raise UsageError(f"{text!r} matches several {kind}s: {listed}; give the code")
        names = {key(u.title): u for u in units}
        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
        hint = ("; did you mean " + " or ".join(f"{names[c].title} ({names[c].id})" for c in close)
                + "?") if close else ""
        raise UsageError(f"unknown {kind} {text!r}{hint}")


@dataclass(frozen=True)
class Selection:
    """Which units a report covers: exactly one of a kommun, a region, a län or all."""

    kommun: str | None = None
    region: str | None = None
    lan: str | None = None
    all_units: bool = False

    def __post_init__(self) -> None:
        given = [self.kommun, self.region, self.lan, self.all_units or None]
        if sum(option is not None for option in given) != 1:
            raise UsageError("give exactly one of --kommun, --region, --lan or --all "
                             "(see sfh report --help)")

    @property
    def is_batch(self) -> bool:
        """A län or all units: one report per unit."""
        return self.lan is not None or self.all_units

    def units(self, units: Units) -> list[Unit]:
        """The selected units, the region first for a län."""
        if self.kommun is not None:
            return [units.kommun(self.kommun)]
        if self.region is not None:
            return [units.region(self.region)]
        if self.lan is not None:
            region, kommuner = units.lan(self.lan)
            return [region, *kommuner]
        return units.regions() + units.kommuner()
