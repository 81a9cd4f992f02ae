"""File names of per-unit reports: one rule shared by delivery (which writes the files) and
the renderers that link to them (the HTML index), so neither depends on the other."""

from __future__ import annotations

import re
from collections.abc import Sequence

from strategihalsa.units import LAN_NAMES, Unit, normalise

MAX_SLUG = 60


def slug(title: str) -> str:
    """'Upplands Väsby' → 'upplands-vasby'; only a-z, 0-9 and '-'."""
    ascii_only = normalise(title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:MAX_SLUG].strip("-") or "enhet"


def file_name(unit: Unit, extension: str) -> str:
    """'0680-jonkoping.xlsx': the unit's code and an ASCII slug of its title, then the
    extension (without a dot)."""
    unit_id = re.sub(r"[^0-9A-Za-z]", "", unit.id) or "enhet"
    return f"{unit_id}-{slug(unit.title)}.{extension}"


def summary_file_name(units: Sequence[Unit], extension: str) -> str:
    """A batch's summary: '06-jonkopings-lan.xlsx' when its units are of one län (its code
    and an ASCII slug of its name, like a unit's file), else 'sverige.xlsx'."""
    codes = {re.sub(r"[^0-9A-Za-z]", "", unit.lan) for unit in units}
    if len(codes) != 1 or not (code := codes.pop()):
        return f"sverige.{extension}"
    return f"{code}-{slug(LAN_NAMES.get(code, f'län {code}'))}.{extension}"


def comparison_file_name(units: Sequence[Unit], extension: str) -> str:
    """Units compared side by side: 'jamforelse-0680-0683-0684.xlsx' (their codes in the
    order given)."""
    codes = [re.sub(r"[^0-9A-Za-z]", "", unit.id) or "enhet" for unit in units]
    return f"jamforelse-{'-'.join(codes)}.{extension}"
