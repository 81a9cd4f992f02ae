"""Small hand-made Kolada data for tests, with expectations that can be checked by hand.

Units: Riket 0000, Region Jönköpings län 0006, Jönköping 0680, Habo 0643, Region Stockholm
0001, Stockholm 0180. KPIs: those of the built-in catalogue except U01901 (retired: absent
from the KPI list, though values remain, as in Kolada).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from fake_kolada import KoladaData, index_values

MUNICIPALITIES = [
    {"id": "0000", "title": "Riket", "type": "L"},
    {"id": "0001", "title": "Region Stockholm", "type": "L"},
    {"id": "0006", "title": "Region Jönköpings län", "type": "L"},
    {"id": "0180", "title": "Stockholm", "type": "K"},
    {"id": "0643", "title": "Habo", "type": "K"},
    {"id": "0680", "title": "Jönköping", "type": "K"},
]

# id: (municipality_type, is_divided_by_gender)
KPI_TYPES = {
    "N80401": ("L", False), "N15428": ("A", True), "N17461": ("A", True),
    "N33871": ("K", False), "N00973": ("K", True), "N02797": ("A", True),
    "U01425": ("A", True), "N20402": ("A", False), "N15613": ("K", True),
    "N15601": ("K", True), "N15602": ("K", True), "U21454": ("K", True),
    "U30453": ("K", False), "U28532": ("K", True), "U71455": ("L", True),
    "U71454": ("L", True), "U71452": ("L", True), "N00925": ("A", False),
    "N00923": ("A", False), "N66077": ("A", False), "U01405": ("A", True),
    "U01413": ("A", False),
}

KPIS = [
    {"id": kpi, "title": f"Testnyckeltal {kpi}", "description": "", "municipality_type": level,
     "is_divided_by_gender": divided, "auspice": "", "operating_area": "", "perspective": "",
     "prel_publication_date": None, "publication_date": None, "publ_period": "2022",
     "has_ou_data": False}
    for kpi, (level, divided) in KPI_TYPES.items()
]

GROUPS = [
    {"id": "G1001", "title": "Liknande kommuner socioekonomi, Jönköping, 2024",
     "members": [{"member_id": "0643", "member_title": "Habo"},
                 {"member_id": "0180", "member_title": "Stockholm"}]},
]

# kpi, unit, year, gender, value ("" = null), isdeleted[, Kolada's status]
VALUES = """
N15428,0680,2016,T,80.0,
N15428,0680,2017,T,82.0,
N15428,0680,2017,K,84.0,
N15428,0680,2017,M,80.0,
N15428,0680,2022,T,85.5,
N15428,0680,2022,K,85.0,
N15428,0680,2022,M,79.0,
N15428,0680,2023,T,99.0,true
N15428,0000,2017,T,86.0,
N15428,0000,2022,T,87.0,
N15428,0006,2017,T,85.0,
N15428,0006,2022,T,84.0,
N15428,0643,2017,T,70.0,
N15428,0643,2022,T,,
N15428,0180,2017,T,90.0,
N15428,0180,2022,T,91.0,
N20402,0680,2017,T,6000.0,
N20402,0680,2022,T,4900.0,
N20402,0000,2017,T,5000.0,
N20402,0000,2022,T,4500.0,
U01413,0680,2017,T,,
U01413,0680,2018,T,30.0,
U01413,0680,2021,T,29.0,
U01413,0680,2022,T,28.5,
N00925,0680,2017,T,84.0,
N00925,0680,2022,T,84.0,
N00923,0680,2017,T,80.0,
N00923,0680,2022,T,80.5,
N80401,0006,2017,T,90.0,
N80401,0006,2022,T,93.0,
N15613,0680,2022,T,88.0,
U01901,0680,2017,T,5.0,
U01901,0680,2021,T,1.0,
N17461,0680,2022,T,,,Privacy
U01405,0680,2017,T,,,Privacy
U01405,0680,2018,T,76.0,
U01405,0680,2022,T,77.1,
U01405,0000,2017,T,72.0,
U01405,0000,2018,T,73.0,
U01405,0000,2022,T,73.4,
U01405,0006,2017,T,75.0,
U01405,0006,2018,T,,,Not applicable
U01405,0006,2022,T,74.3,
U01405,0643,2017,T,70.0,
U01405,0643,2018,T,74.0,
U01405,0643,2022,T,73.0,
U01405,0180,2017,T,76.0,
U01405,0180,2018,T,80.0,
U01405,0180,2022,T,81.0,
"""


def records() -> list[dict]:
    """VALUES as CSV-like records (the status is optional)."""
    names = ("kpi", "municipality", "period", "gender", "value", "isdeleted", "status")
    return [dict(zip(names, line.split(","), strict=False)) for line in VALUES.split("\n")
            if line]


def fixture_data() -> KoladaData:
    """The whole small dataset."""
    return KoladaData(copy.deepcopy(MUNICIPALITIES), copy.deepcopy(KPIS), copy.deepcopy(GROUPS),
                      index_values(records()))
