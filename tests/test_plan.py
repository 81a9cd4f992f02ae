"""Planning data requests: fewest requests within the 25-value segments and a row budget,
estimated from the years each KPI has (a first request for Riket and the regions)."""

from __future__ import annotations

import pytest
from conftest import quick_settings
from fake_kolada import FakeKolada

from strategihalsa.kolada import KoladaClient
from strategihalsa.kolada.client import Limits
from strategihalsa.kolada.decoding import Row
from strategihalsa.kolada.entries import distinct_keys, row_key
from strategihalsa.kolada.plan import DataRequest, plan_data, probe_units, years_seen

KPIS = [f"N{i:05d}" for i in range(22)]
YEARS = list(range(2012, 2027))
REGIONS = [f"00{n:02d}" for n in range(1, 26) if n not in (2, 11, 15, 16)]  # 21, as Kolada
KOMMUNER = [f"{n:04d}" for n in range(114, 114 + 290)]
EVERY_UNIT = ["0000", *REGIONS, *KOMMUNER]  # 312


def test_years_with_data_let_25_units_share_a_request():
    # 12 KPIs with 11 years, 5 with 8 and 5 with 1: 177 rows per unit, 4,425 per 25 units
    density = dict.fromkeys(KPIS[:12], 11) | dict.fromkeys(KPIS[12:17], 8) | dict.fromkeys(
        KPIS[17:], 1)
    plan = plan_data(KPIS, KOMMUNER[:299], YEARS, 4500, density)
    assert len(plan) == 12  # 299 units in segments of 25
    assert all(len(request.kpis) == 22 and request.years == tuple(YEARS) for request in plan)
    covered = sorted((k, u) for r in plan for k in r.kpis for u in r.units)
    assert covered == sorted((k, u) for k in KPIS for u in KOMMUNER[:299])


def test_a_kpi_is_never_expected_to_have_more_years_than_asked_for():
    density = dict.fromkeys(KPIS, 40)  # e.g. counted over all years: capped at the 15 asked
    assert len(plan_data(KPIS, KOMMUNER[:25], YEARS, 4500, density)) == len(
        plan_data(KPIS, KOMMUNER[:25], YEARS, 4500))


def test_a_bulk_fetch_first_asks_for_riket_and_the_regions():
    first = probe_units(KPIS, sorted(EVERY_UNIT, reverse=True), YEARS, 4500, 4)
    assert first == ["0000", *sorted(REGIONS, reverse=True)[:12]]  # 13 × 22 × 15 = 4,290


@pytest.mark.parametrize("units", [
    ["0000", "0006", "0680", "G176284"],  # one report: a single request anyway
    ["0000", "0006", *KOMMUNER[:13], *[f"G{n}" for n in range(14)]],  # a län: 3, one round
])
def test_a_fetch_done_in_one_round_is_not_probed(units):
    assert probe_units(KPIS, units, YEARS, 4500, 4) == []


def test_years_seen_counts_each_kpis_years_and_at_least_one():
    rows = [row_key(row) for row in ({"kpi": "A", "municipality": "0000", "period": 2020},
                                     {"kpi": "A", "municipality": "0001", "period": 2020},
                                     {"kpi": "A", "municipality": "0001", "period": "2021"})]
    assert years_seen(rows, ["A", "B"]) == {"A": 2, "B": 1}


def catalogue_kpis(data) -> list[str]:
    from strategihalsa.catalogue import load_catalogue

    known = {kpi["id"] for kpi in data.kpis}
    return [kpi for kpi in load_catalogue().kpis if kpi in known]


def rows_in(data, kpis, units, years) -> int:
    return sum(1 for k in kpis for u in units for y in data.values.get((k, u), {}) if y in years)


def test_the_national_fetch_takes_13_requests_and_gets_every_row(shared_data):
    kpis = catalogue_kpis(shared_data)
    units = sorted(m["id"] for m in shared_data.municipalities)
    with FakeKolada(shared_data) as fake:
        client = KoladaClient(quick_settings(fake.url))
        rows = client.value_rows(kpis, units, YEARS)
        assert client.network_requests == 13  # Riket and 12 regions; 299 units by 25
        assert fake.state.most_in_flight <= 4
    assert len(rows) == rows_in(shared_data, kpis, units, YEARS)


@pytest.mark.parametrize("fault", [None, "no_next"])
def test_an_estimate_short_of_the_real_rows_still_gets_every_row(shared_data, fault):
    """Riket, the 21 regions and 138 kommuner (160 units: still probed first, as a national
    fetch is, at half its rows); pages of 1,000 for requests planned to 4,500 rows are
    followed, or without next links (no_next) the truncated requests are split."""
    kpis = catalogue_kpis(shared_data)
    units = sorted(m["id"] for m in shared_data.municipalities)[:160]
    with FakeKolada(shared_data, page_size=1000) as fake:
        if fault:
            fake.fail("/data/", kind=fault, times=10**6)
        client = KoladaClient(quick_settings(fake.url))
        client.limits = Limits(per_page=1000)  # pages of 1,000 for requests planned to 4,500
        rows = client.value_rows(kpis, units, YEARS)
        assert any("/0000," in path for path in fake.requests[:1])  # Riket's request came first
    assert len(rows) == rows_in(shared_data, kpis, units, YEARS)
    assert len(set(map(row_key, rows))) == len(rows)


def test_a_request_covers_all_rows_only_when_each_kpi_unit_and_year_was_asked_for():
    request = DataRequest(("A", "B"), ("0680",), (2020, 2021))
    asked = [row("A", "0680", 2020), row("B", "0680", 2021)]
    assert request.covers_all(distinct_keys(asked)) and request.covers_all(distinct_keys([]))
    for foreign in [row("C", "0680", 2020), row("A", "0180", 2020), row("A", "0680", 2019)]:
        assert not request.covers_all(distinct_keys([*asked, foreign]))
        assert not request.covers(row_key(foreign))
    assert DataRequest(("A",), ("0680",)).covers_all(distinct_keys([row("A", "0680", 1999)]))


def row(kpi: str, unit: str, year: int) -> Row:
    """A typed data row (the distinct keys of typed and dict rows: test_typed_rows)."""
    return Row(kpi, unit, year, [])
