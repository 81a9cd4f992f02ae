"""Kolada's municipality groups: finding a unit's "similar kommuner" by title.

Group ids change between editions, so the group is looked up by title at run time:
"Liknande kommuner socioekonomi, Jönköping, 2024", "Liknande kommuner, övergripande,
Jönköping, 2025", "Liknande regioner socioekonomi, Region Jönköpings län, 2024"; the newest
edition wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from strategihalsa.kolada.records import Group
from strategihalsa.units import Unit, normalise

TITLE = re.compile(r"^liknande (?:kommuner|regioner),? (.+?), (.+), (\d{4})$")


def similar_groups(groups: Sequence[Group], units: Sequence[Unit], family: str
                   ) -> dict[str, Unit]:
    """Report unit id → its newest 'Liknande kommuner/regioner <family>, <unit>, <year>'."""
    wanted = normalise(family)
    newest: dict[str, tuple[int, Group]] = {}
    for group in groups:
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
