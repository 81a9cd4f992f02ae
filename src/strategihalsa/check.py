"""`sfh check`: a catalogue against Kolada's live KPI metadata (pure; no I/O).

Errors: a KPI Kolada does not have, or one it has retired (title ending "(-YYYY)").
Warnings: a KPI published only for regions or only for kommuner (some reports will show
the region's value or no data), and one not divided by gender where women and men are
expected (every indicator except those that are gender-specific by definition).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from strategihalsa.catalogue import Catalogue, Indicator
from strategihalsa.kolada.records import Kpi

RETIRED = re.compile(r"\(-(\d{4})\)\s*$")
GENDER_SPECIFIC = re.compile(r"\b(kvinnor|män|flickor|pojkar)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One problem with one indicator."""

    severity: Literal["error", "warning"]
    indicator: str
    kpi: str
    message: str


def check_catalogue(catalogue: Catalogue, kpis: Sequence[Kpi]) -> list[Finding]:
    """Every finding for every indicator, errors first."""
    meta = {k.id: k for k in kpis}
    findings = [f for i in catalogue.indicators for f in _check(i, meta.get(i.kpi))]
    return sorted(findings, key=lambda f: f.severity != "error")


def _check(indicator: Indicator, meta: Kpi | None) -> list[Finding]:
    def finding(severity: Literal["error", "warning"], message: str) -> Finding:
        return Finding(severity, indicator.id, indicator.kpi, message)

    if meta is None:
        return [finding("error",
                        f"{indicator.kpi} finns inte i Kolada (borttaget eller felskrivet)")]
    found = []
    title = meta.title
    retired = RETIRED.search(title)
    if retired:
        found.append(finding("error", f"{indicator.kpi} är avslutat: sista data avser "
                                      f"{retired.group(1)}"))
    level = meta.municipality_type
    if level == "L":
        found.append(finding("warning", f"{indicator.kpi} redovisas bara för regioner: "
                                        "kommunrapporter visar regionens värde"))
    elif level == "K":
        found.append(finding("warning", f"{indicator.kpi} redovisas bara för kommuner: "
                                        "regionrapporter saknar data"))
    elif level != "A":
        found.append(finding("error", f"{indicator.kpi} har okänd nivå {level!r}"))
    expects_gender = not GENDER_SPECIFIC.search(title + " " + indicator.title)
    if expects_gender and not meta.is_divided_by_gender:
        found.append(finding("warning", f"{indicator.kpi} är inte uppdelat på kön: "
                                        "ingen jämförelse kvinnor–män"))
    return found
