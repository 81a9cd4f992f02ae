"""Kommuner, regions and Riket: lookup by code or name, and the län a kommun belongs to.

Names match case- and accent-insensitively ("jonkoping" finds Jönköping); an unknown name
fails with the closest matches as suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from strategihalsa.errors import UsageError, argument

RIKET = "0000"
MAX_QUOTED = 60


class MunicipalityRow(Protocol):
    """What units read of a Kolada municipality record (kolada.records.Municipality)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def type(self) -> str: ...


@dataclass(frozen=True)
class Unit:
    """A Kolada municipality: a kommun (type K), a region or Riket (type L), or a group of
    municipalities (type G, e.g. similar kommuner; `of_regions` when its members are regions)."""

    id: str
    title: str
    type: str
    members: int = 0
    of_regions: bool = False

    @property
    def kind(self) -> str:
        """'kommun', 'region', 'riket' or 'group'."""
        if self.id == RIKET:
            return "riket"
        if self.type == "G":
            return "group"
        return "kommun" if self.type == "K" else "region"

    @property
    def is_region(self) -> bool:
        """A region (not Riket, not a group): the one rule every module asks."""
        return self.kind == "region"

    @property
    def lan(self) -> str:
        """The two-digit county code: 0680 → 06, 0006 → 06."""
        return self.id[:2] if self.kind == "kommun" else self.id[2:]

    @property
    def region_id(self) -> str:
        """Kolada id of the unit's region: 0680 → 0006."""
        return "00" + self.lan


def known_or_id(lookup: Mapping[str, Unit], unit_id: str) -> Unit:
    """The unit with this id, or a placeholder titled by its id (one the list lacks)."""
    return lookup.get(unit_id) or Unit(unit_id, unit_id, "L")


LAN_NAMES = {
    "01": "Stockholms län", "03": "Uppsala län", "04": "Södermanlands län",
    "05": "Östergötlands län", "06": "Jönköpings län", "07": "Kronobergs län",
    "08": "Kalmar län", "09": "Gotlands län", "10": "Blekinge län", "12": "Skåne län",
    "13": "Hallands län", "14": "Västra Götalands län", "17": "Värmlands län",
    "18": "Örebro län", "19": "Västmanlands län", "20": "Dalarnas län",
    "21": "Gävleborgs län", "22": "Västernorrlands län", "23": "Jämtlands län",
    "24": "Västerbottens län", "25": "Norrbottens län",
}


def lan_name(code: str) -> str:
    """'06' → 'Jönköpings län' (the county a kommun code starts with)."""
    return LAN_NAMES.get(code, f"Län {code}")


# Riket and every region, by Kolada's ids (`00` and the län code): known before the unit list
RIKET_AND_REGIONS = (RIKET, *(f"00{code}" for code in LAN_NAMES))


def quoted(text: str) -> str:
    """The user's text quoted for a message, cut to `MAX_QUOTED` characters."""
    return repr(text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED] + "…")


def normalise(text: str) -> str:
    """Case- and accent-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", fold_case(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_case(text: str) -> str:
    """Case-insensitive form of a name that keeps its accents ('Håbo' is not 'Habo')."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


FOLDS = (fold_case, normalise)  # an exact name wins; accents are ignored only if none matches


def region_core(name: str, fold: Callable[[str], str] = normalise) -> str:
    """'Region Jönköpings län', 'Jönköpings län', 'Västra Götalandsregionen' → 'jönköping',
    'västra götaland': the words people leave out, removed."""
    core = re.sub(r"^(region|landstinget?) ", "", fold(name))
    core = re.sub(r"(regionen| län| lan)$", "", core).strip()
    return core.removesuffix("s")


def _region_names(unit: Unit, fold: Callable[[str], str]) -> set[str]:
    """Every name a region answers to: its title, its län's name, and their cores."""
    names = {unit.title, LAN_NAMES.get(unit.lan, unit.title)}
    return {fold(n) for n in names} | {region_core(n, fold) for n in names}


class Units:
    """The municipality list, indexed for lookups."""

    def __init__(self, rows: Sequence[MunicipalityRow]) -> None:
        self.all = [Unit(r.id, r.title, r.type) for r in rows]
        self.by_id = {u.id: u for u in self.all}

    def kommuner(self) -> list[Unit]:
        """All kommuner, by code."""
        return sorted((u for u in self.all if u.kind == "kommun"), key=lambda u: u.id)

    def regions(self) -> list[Unit]:
        """All regions (not Riket), by code."""
        return sorted((u for u in self.all if u.is_region), key=lambda u: u.id)

    def kommun(self, text: str, region_hint: str | None = None) -> Unit:
        """A kommun by four-digit code or name; a region's code is refused, saying what to
        do instead (`region_hint`; by default, to name it as a region)."""
        text = text.strip()
        if text.isdigit():
            unit = self.by_id.get(text.zfill(4))
            if unit and unit.is_region:
                hint = region_hint or f"use {argument('region')} {unit.id}"
                raise UsageError(f"{unit.id} is a region ({unit.title}), not a kommun: {hint}")
            if unit and unit.kind == "kommun":
                return unit
            raise UsageError(f"no kommun has the code {quoted(text)} (kommun codes are four "
                             "digits, e.g. 0680 for Jönköping)")
        return _by_name(text, self.kommuner(), lambda u, fold: {fold(u.title)}, "kommun")

    def region(self, text: str) -> Unit:
        """A region by code (0006 or 06), by name ('Region Jönköpings län', 'Jönköping'), or
        by its län ('Jönköpings län', 'Västra Götalands län')."""
        text = text.strip()
        if text.isdigit() and len(text) <= 4:
            unit = self.by_id.get("00" + text.zfill(4)[-2:]) if len(text) <= 2 else None
            unit = unit or self.by_id.get(text.zfill(4))
            if unit and unit.is_region:
                return unit
            raise UsageError(f"no region has the code {quoted(text)} (e.g. 0006 or 06 for "
                             "Region Jönköpings län)")
        return _by_name(text, self.regions(), _region_names, "region")

    def lan(self, text: str) -> tuple[Unit, list[Unit]]:
        """A län's region and its kommuner, by county code or region name."""
        region = self.region(text)
        return region, [k for k in self.kommuner() if k.lan == region.lan]

    def search(self, text: str | None) -> list[Unit]:
        """Regions and kommuner whose name contains `text` or whose code starts with it; a
        one- or two-digit code also finds the region of that län (06 → 0006)."""
        wanted = normalise(text or "")
        return [u for u in self.regions() + self.kommuner()
                if wanted in normalise(u.title) or u.id.startswith(wanted)
                or (wanted.isdigit() and len(wanted) <= 2 and u.lan.startswith(wanted))]


Names = Callable[[Unit, Callable[[str], str]], set[str]]


def _by_name(text: str, units: list[Unit], names: Names, kind: str) -> Unit:
    """The one unit answering to `text`: exact names first, then ignoring accents."""
    for fold in FOLDS:
        wanted = {fold(text), region_core(text, fold)} if kind == "region" else {fold(text)}
        matches = [u for u in units if wanted & names(u, fold)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = ", ".join(f"{u.id} {u.title}" for u in matches)
            raise UsageError(f"{quoted(text)} matches several {kind}s: {listed}; "
                             "give the code")
    raise UsageError(f"unknown {kind} {quoted(text)}{_suggestion(text, units, names)}")


def _suggestion(text: str, units: list[Unit], names: Names) -> str:
    known: dict[str, list[Unit]] = {}
    for unit in units:
        for name in names(unit, normalise):
            known.setdefault(name, []).append(unit)
    close = difflib.get_close_matches(normalise(text), list(known), n=5, cutoff=0.6)
    found = list(dict.fromkeys(u for name in close for u in known[name]))[:3]
    if not found:
        return ""
    return "; did you mean " + " or ".join(f"{u.title} ({u.id})" for u in found) + "?"


UnitNames = str | Sequence[str] | None  # one name, a comma list ("0680,0683"), or several
MAX_SIDE_BY_SIDE = 12  # units in one side-by-side report; a whole län is --lan


def names(given: UnitNames) -> tuple[str, ...]:
    """The unit names an option gives, split at commas, blanks dropped: "0680, 0683" and
    ["0680", "0683"] both give ("0680", "0683")."""
    texts = [given] if isinstance(given, str) else list(given or ())
    return tuple(name.strip() for text in texts for name in text.split(",") if name.strip())


@dataclass(frozen=True)
class Selection:
    """Which units a report covers: kommuner and regions by name (several are compared side
    by side in one report), or one län, or all units."""

    kommun: UnitNames = None
    region: UnitNames = None
    lan: str | None = None
    all_units: bool = False

    def __post_init__(self) -> None:
        named = [argument(name) for name in ("kommun", "region", "lan", "all_units")]
        listed = self.kommun is not None or self.region is not None
        if sum([listed, self.lan is not None, self.all_units]) != 1:  # kommun + region: ok
            raise UsageError(f"give exactly one of {', '.join(named[:-1])} or {named[-1]}")
        if listed and not self.kommuner + self.regions:
            raise UsageError(f"{named[0]}/{named[1]} names no unit (give codes or names, "
                             "separated by commas)")
        distinct = {normalise(name) for name in self.kommuner + self.regions}
        if len(distinct) > MAX_SIDE_BY_SIDE:
            raise UsageError(f"at most {MAX_SIDE_BY_SIDE} units side by side "
                             f"({len(distinct)} given): for every kommun of a län use "
                             f"{named[2]}")

    @property
    def kommuner(self) -> tuple[str, ...]:
        """The kommuner named, in the order given."""
        return names(self.kommun)

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions named, in the order given."""
        return names(self.region)

    @property
    def is_batch(self) -> bool:
        """A län or all units: one report per unit."""
        return self.lan is not None or self.all_units

    @property
    def side_by_side(self) -> bool:
        """Several kommuner or regions named: one report comparing them goal by goal."""
        return len(self.kommuner) + len(self.regions) > 1

    def units(self, units: Units) -> list[Unit]:
        """The selected units: the regions named, then the kommuner (each once, in the
        order given); a län's region first, then its kommuner."""
        if self.lan is not None:
            region, kommuner = units.lan(self.lan)
            return [region, *kommuner]
        if self.all_units:
            return units.regions() + units.kommuner()
        found = [*map(units.region, self.regions), *map(units.kommun, self.kommuner)]
        return list({unit.id: unit for unit in found}.values())
