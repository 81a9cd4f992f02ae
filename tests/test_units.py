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
    assert UNITS.by_id["0000"].kind == "riket"


def test_a_unit_the_list_lacks_is_shown_by_its_id():
    from strategihalsa.units import known_or_id

    assert known_or_id(UNITS.by_id, "0680").title == "Jönköping"
    assert known_or_id(UNITS.by_id, "G42").title == "G42"


def test_unknown_name_suggests_close_matches():
    with pytest.raises(UsageError, match=r"unknown kommun 'Habbo'; did you mean Habo \(0643\)"):
        UNITS.kommun("Habbo")


def test_ambiguous_name_asks_for_the_code():
    units = Units([Municipality.from_api(m) for m in
                   [*MUNICIPALITIES, {"id": "9999", "title": "Habo", "type": "K"}]])
    with pytest.raises(UsageError, match="matches several kommuns: 0643 Habo, 9999 Habo"):
        units.kommun("habo")


def test_an_exact_name_wins_over_one_without_accents():
    units = Units([Municipality.from_api(m) for m in
                   [*MUNICIPALITIES, {"id": "0305", "title": "Håbo", "type": "K"}]])
    assert units.kommun("Håbo").id == "0305"
    assert units.kommun("HÅBO").id == "0305"
    assert units.kommun("Habo").id == "0643"
    assert units.kommun("habo").id == "0643"
    with pytest.raises(UsageError, match=r"did you mean Håbo \(0305\) or Habo \(0643\)"):
        units.kommun("Hbo")


def test_a_name_without_accents_still_finds_the_one_unit():
    assert UNITS.kommun("jonkoping").id == "0680"
    assert UNITS.region("Jonkopings lan").id == "0006"


def test_every_lan_by_code_by_its_name_and_by_its_region(shared_data):
    from strategihalsa.units import LAN_NAMES

    units = Units([Municipality.from_api(m) for m in shared_data.municipalities])
    assert {r.lan for r in units.regions()} == set(LAN_NAMES)
    for region in units.regions():
        name = LAN_NAMES[region.lan]
        spellings = {region.lan, region.id, name, name.removesuffix(" län"),
                     name.replace("s län", " län"), region.title, normalise(name)}
        for text in spellings:
            assert units.lan(text)[0] == region, text
    assert units.lan("Jämtland")[0].id == "0023"
    assert units.lan("Sörmland")[0].id == "0004"


def test_search_by_a_lan_code_finds_its_region_too():
    assert [u.id for u in UNITS.search("06")] == ["0006", "0643", "0680"]
    assert [u.id for u in UNITS.search("0680")] == ["0680"]


def test_a_group_of_similar_regions_is_named_by_its_members_not_its_title():
    from strategihalsa.groups import similar_groups
    from strategihalsa.kolada.records import Group
    from strategihalsa.render.words import role_header
    from strategihalsa.vocabulary import Role

    units = Units([Municipality(**row) for row in MUNICIPALITIES])
    region, kommun = units.region("0006"), units.kommun("0680")
    groups = [Group("G1", "Liknande regioner socioekonomi, Region Jönköpings län, 2024",
                    ("0001",)),
              Group("G2", "Liknande kommuner socioekonomi, Jönköping, 2024", ("0180",))]
    found = similar_groups(groups, [region, kommun], "socioekonomi")
    assert region.is_region and not kommun.is_region and not units.by_id["0000"].is_region
    assert found["0006"].of_regions and not found["0680"].of_regions
    assert role_header(Role.SIMILAR, found["0006"]) == "Liknande regioner"
    assert role_header(Role.SIMILAR, found["0680"]) == "Liknande kommuner"
