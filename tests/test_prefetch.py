"""The cold path's head start: the metadata fetched in the background and the run's values
asked for the moment it arrives (scope.py, kolada/early.py) give the same reports as a run
that fetches one thing after another, each request sent once."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter

import pytest
import requests
from conftest import quick_settings
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa.catalogue import load_catalogue
from strategihalsa.errors import UsageError
from strategihalsa.evaluate import indicator_frame, plan
from strategihalsa.kolada import KoladaClient
from strategihalsa.render import Format, Options, renderer
from strategihalsa.run import build_overview, build_reports
from strategihalsa.scope import POPULATION, overview_scope, report_scope
from strategihalsa.settings import Comparisons
from strategihalsa.units import Selection

STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def units_asked(fake: FakeKolada) -> list[str]:
    """The unit segment of every data request the fake received, in order received."""
    return [path.split("/municipality/")[1].split("/")[0] for path in fake.requests
            if "/data/" in path]


def json_of(made: bytes) -> bytes:
    return STAMP.sub(b"TS", made)


@pytest.fixture(scope="module")
def server():
    with FakeKolada(fixture_data(), latency=0.02) as fake:
        yield fake


def test_a_kommun_report_asks_for_each_unit_once_and_reads_as_a_serial_run(server):
    catalogue, selection = load_catalogue(), Selection(kommun="0680")
    server.reset()
    early = build_reports(KoladaClient(quick_settings(server.url)), catalogue, selection)
    assert sorted(units_asked(server)) == ["0000,0006,0680", "G1001"]
    server.reset()
    serial = build_reports(KoladaClient(quick_settings(server.url),
                                        session=requests.Session()), catalogue, selection)
    assert units_asked(server) == ["0000,0006,0680,G1001"]  # one thing after another
    made = renderer(Format("json")).reports
    assert json_of(made(early, Options())) == json_of(made(serial, Options()))


def test_the_overview_asks_for_each_unit_once_and_reads_as_a_serial_run(server):
    catalogue = load_catalogue()
    server.reset()
    early = build_overview(KoladaClient(quick_settings(server.url)), catalogue, "06")
    asked = units_asked(server)
    server.reset()
    serial = build_overview(KoladaClient(quick_settings(server.url),
                                         session=requests.Session()), catalogue, "06")
    assert Counter(asked) == Counter(units_asked(server)) == Counter(["0000,0006,0643,0680"])
    made = renderer(Format("json")).overview
    assert made is not None
    assert json_of(made(early, Options())) == json_of(made(serial, Options()))


def test_an_unknown_family_found_in_the_background_is_still_a_usage_error(server):
    client = KoladaClient(quick_settings(server.url))
    with pytest.raises(UsageError, match="socioekonomi"):
        build_reports(client, load_catalogue(), Selection(kommun="0680"),
                      comparisons=Comparisons(similar_family="xyz"))


def metadata(server: FakeKolada):
    client = KoladaClient(quick_settings(server.url))
    return client.metadata(load_catalogue().kpis, families=["socioekonomi"])


@pytest.mark.parametrize(("selection", "comparisons", "units", "weights"), [
    (Selection(kommun="0680"), Comparisons(), ["0000", "0006", "0680", "G1001"], ()),
    (Selection(kommun="0680"), Comparisons(similar_family=None), ["0000", "0006", "0680"], ()),
    # a region's report pictures its kommuner, weighted by their population
    (Selection(region="06"), Comparisons(), ["0000", "0006", "0643", "0680"], (POPULATION,)),
    # ranked among every kommun: their regions come too; only the reported unit's group
    (Selection(kommun="0643"), Comparisons(rank=True),
     ["0000", "0001", "0006", "0180", "0643", "0680"], ()),
])
def test_a_reports_scope_fetches_the_units_its_plan_reads(server, selection, comparisons,
                                                          units, weights):
    meta, catalogue = metadata(server), load_catalogue()
    scope = report_scope(meta, selection, comparisons)
    assert scope.data_units(catalogue, meta.kpis) == units
    assert scope.weights == weights
    planned = plan(indicator_frame(catalogue, meta.kpis), scope.evaluated,
                   {unit: group.id for unit, group in scope.similar.items()})
    assert sorted(set(planned["data_unit"])) == units


def test_the_overviews_scope_is_every_kommun_with_riket_and_their_regions(server):
    meta, catalogue = metadata(server), load_catalogue()
    scope = overview_scope(meta, None)
    assert not scope.similar and not scope.weights
    assert scope.data_units(catalogue, meta.kpis) == ["0000", "0001", "0006", "0180", "0643",
                                                       "0680"]


def test_metadata_prefetched_is_taken_once_and_only_for_the_same_question(server):
    client, kpis = KoladaClient(quick_settings(server.url)), ["N15428", "N20402"]
    seen = []
    server.reset()
    client.prefetch_metadata(kpis, families=["socioekonomi"], then=seen.append)
    meta = client.metadata(kpis, families=["socioekonomi"])
    assert seen == [meta]  # told before it was handed over
    assert [k.id for k in meta.kpis] == kpis and [g.id for g in meta.groups] == ["G1001"]
    assert len(server.requests) == 3  # units, KPIs, groups
    client.prefetch_metadata(kpis, families=["socioekonomi"])
    assert client.metadata(kpis, families=[]).groups == []  # another question: asked anew
    deadline = time.monotonic() + 5  # the unused prefetch may still be on its way
    while len(server.requests) < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(server.requests) == 8  # 3 for the unused prefetch, 2 without the groups


def test_the_national_overview_asks_riket_and_the_regions_with_the_metadata(shared_data,
                                                                          monkeypatch):
    """The probe of Riket and the regions leaves with the metadata requests (not a round
    trip after them: the fake holds the KPI list's answer until a data request has come),
    and the rest is planned from its rows as before: 15 requests, every unit once."""
    import fake_kolada

    probe_came, held = threading.Event(), []
    answer = fake_kolada._Handler._answer

    def holding(handler):
        if "/data/" in handler.path:
            probe_came.set()
        elif "/kpi/" in handler.path:
            held.append(probe_came.wait(3))
        answer(handler)

    monkeypatch.setattr(fake_kolada._Handler, "_answer", holding)
    with FakeKolada(shared_data, latency=0.05) as fake:
        client = KoladaClient(quick_settings(fake.url, timeout=10))
        overview = build_overview(client, load_catalogue(), None)
        assert fake.state.most_in_flight <= 4
    assert held == [True]
    assert "/municipality/0000,0001,0003," in next(p for p in fake.requests if "/data/" in p)
    assert len(fake.requests) == 15 and client.network_requests == 15
    units = [unit for segment in units_asked(fake) for unit in segment.split(",")]
    assert len(units) == len(set(units)) == 290 + 21 + 1
    assert len(overview.matrix) == 290
