"""Kommun and region lookup by code or name."""

from __future__ import annotations

import pytest
from fixture_data import MUNICIPALITIES

from strategihalsa.errors import UsageError
from strategihalsa.kolada.records import Municipality
from strategihalsa.units import Units, normalise

UNITS = Units([Municipality.from_api(m) for m in MUNICIPALITIES])


def test_normalise_folds_case_accents_and_spaces():
    assert normalise("  JÖNKÖPING  ") == "jonkoping"
    assert normalise("Region  Östergötland") == "region ostergotland"


@pytest.mark.parametrize("text", ["0680", "680", "Jönköping", "jonkoping", "JÖNKÖPING "])
def test_kommun_by_code_or_name(text):
    assert UNITS.kommun(text).id == "0680"


@pytest.mark.parametrize("text", ["0006", "06", "6", "Region Jönköpings län", "jönköpings län",
                                  "Jönköping"])
def test_region_by_code_or_name(text):
    assert UNITS.region(text).id == "0006"


def test_kommun_region_and_lan_relations():
    jkpg = UNITS.kommun("0680")
    assert (jkpg.kind, jkpg.lan, jkpg.region_id) == ("kommun", "06", "0006")
    region, kommuner = UNITS.lan("06")
    assert region.id == "0006"
    assert [k.id for k in kommuner] == ["0643", "0680"]
    assert UNITS.get("0000").kind == "riket"


def test_unknown_name_suggests_close_matches():
    with pytest.raises(UsageError, match=r"unknown kommun 'Habbo'; did you mean Habo \(0643\)"):
        UNITS.kommun("Habbo")


def test_ambiguous_name_asks_for_the_code():
    units = Units([Municipality.from_api(m) for m in
                   [*MUNICIPALITIES, {"id": "9999", "title": "Habo", "type": "K"}]])
    with pytest.raises(UsageError, match="matches several kommuns: 0643 Habo, 9999 Habo"):
        units.kommun("habo")
