"""Kolada's municipality groups: finding a unit's "similar kommuner" by title.

Group ids change between editions, so the group is looked up by title at run time:
"Liknande kommuner socioekonomi, Jönköping, 2024", "Liknande kommuner, övergripande,
Jönköping, 2025", "Liknande regioner socioekonomi, Region Jönköpings län, 2024"; the newest
edition wins. A family Kolada does not have (`--liknande xyz`) is a usage error that lists
the families it does have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from strategihalsa.errors import UsageError, argument
from strategihalsa.kolada.records import Group
from strategihalsa.units import Unit, normalise

SPELLED = re.compile(r"^liknande (?:kommuner|regioner),? (.+?), (.+), (\d{4})$", re.IGNORECASE)
SWEDISH_ORDER = str.maketrans("åäö", "{|}")  # å, ä, ö sort after z


@dataclass(frozen=True)
class Edition:
    """One similar-units group, its title read as written: family, unit name, year."""

    family: str
    name: str
    year: int
    group: Group


def similar_groups(groups: Sequence[Group], units: Sequence[Unit], family: str
                   ) -> dict[str, Unit]:
    """Report unit id → its newest 'Liknande kommuner/regioner <family>, <unit>, <year>'.

    Cheap on Kolada's 3,600 groups: each title is read with one regular expression, and
    only the distinct family spellings and the chosen family's names are normalised."""
    found = editions(groups)
    check_family(found, family)
    spellings = {edition.family for edition in found}
    chosen = {spelled for spelled in spellings if normalise(spelled) == normalise(family)}
    newest: dict[str, Edition] = {}
    for edition in found:
        if edition.family in chosen:
            name = normalise(edition.name)
            if name not in newest or edition.year > newest[name].year:
                newest[name] = edition
    matched = {}
    for unit in units:
        if latest := newest.get(normalise(unit.title)):
            group = latest.group
            matched[unit.id] = Unit(group.id, group.title, "G", len(group.members),
                                    of_regions=unit.is_region)
    return matched


def family_of(title: str) -> str | None:
    """The family a similar-units group's title names ('övergripande'), or None."""
    spelled = SPELLED.match(" ".join(title.split()))
    return spelled.group(1) if spelled else None


def editions(groups: Sequence[Group]) -> list[Edition]:
    """The groups titled 'Liknande kommuner/regioner <family>, <unit>, <year>' (a cheap test
    of the first word first: most of Kolada's groups are of other kinds)."""
    found = []
    for group in groups:
        if group.title.lstrip()[:8].casefold() == "liknande" and (
                spelled := SPELLED.match(" ".join(group.title.split()))):
            family, name, year = spelled.groups()
            found.append(Edition(family, name, int(year), group))
    return found


def families(found: Sequence[Edition]) -> list[str]:
    """The families of similar-units groups Kolada has, as it spells them: 'IFO', 'LSS',
    'socioekonomi', 'övergripande', …"""
    spelled: dict[str, str] = {}
    for name in dict.fromkeys(edition.family for edition in found):
        spelled.setdefault(normalise(name), name)
    return sorted(spelled.values(), key=lambda name: name.casefold().translate(SWEDISH_ORDER))


def check_family(found: Sequence[Edition], family: str) -> None:
    """Refuse a family no group has (when Kolada lists any groups at all)."""
    known = families(found)
    if known and normalise(family) not in {normalise(name) for name in known}:
        raise UsageError(f"{argument('liknande')} {family!r}: Kolada has no such family of similar "
                         f"kommuner; it has {', '.join(known)} (or 'ingen' for none)")
