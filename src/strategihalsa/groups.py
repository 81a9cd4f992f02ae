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

from strategihalsa.errors import UsageError
from strategihalsa.kolada.records import Group
from strategihalsa.units import Unit, normalise

TITLE = re.compile(r"^liknande (?:kommuner|regioner),? (.+?), (.+), (\d{4})$")
SPELLED = re.compile(TITLE.pattern, re.IGNORECASE)  # the same, on the title as written
SWEDISH_ORDER = str.maketrans("åäö", "{|}")  # å, ä, ö sort after z


def similar_groups(groups: Sequence[Group], units: Sequence[Unit], family: str
                   ) -> dict[str, Unit]:
    """Report unit id → its newest 'Liknande kommuner/regioner <family>, <unit>, <year>'."""
    wanted = normalise(family)
    check_family(groups, family)
    newest: dict[str, tuple[int, Group]] = {}
    for group in similar_only(groups):
        match = TITLE.match(normalise(group.title))
        if match and match.group(1) == wanted:
            year, name = int(match.group(3)), match.group(2)
            if name not in newest or year > newest[name][0]:
                newest[name] = (year, group)
    matched = {}
    for unit in units:
        if edition := newest.get(normalise(unit.title)):
            group = edition[1]
            matched[unit.id] = Unit(group.id, group.title, "G", len(group.members))
    return matched


def similar_only(groups: Sequence[Group]) -> list[Group]:
    """The groups whose title starts 'Liknande' (a cheap test before the slower matching;
    most of Kolada's 3,600 groups are of other kinds)."""
    return [g for g in groups if g.title.lstrip()[:8].casefold() == "liknande"]


def families(groups: Sequence[Group]) -> list[str]:
    """The families of similar-units groups Kolada has, as it spells them: 'IFO', 'LSS',
    'socioekonomi', 'övergripande', …"""
    found: dict[str, str] = {}
    for group in similar_only(groups):
        if spelled := SPELLED.match(" ".join(group.title.split())):
            found.setdefault(normalise(spelled.group(1)), spelled.group(1))
    return sorted(found.values(), key=lambda name: name.casefold().translate(SWEDISH_ORDER))


def check_family(groups: Sequence[Group], family: str) -> None:
    """Refuse a family no group has (when Kolada lists any groups at all)."""
    known = families(groups)
    if known and normalise(family) not in {normalise(name) for name in known}:
        raise UsageError(f"--liknande {family!r}: Kolada has no such family of similar "
                         f"kommuner; it has {', '.join(known)} (or 'ingen' for none)")
