"""Fault injection: a misbehaving Kolada never yields wrong or partial data.

The fake answers at random (fixed seeds) with 500/503, 429, truncated JSON,
bodies cut short, connection resets and stalls past the client timeout. Each run of the
client (metadata, then values) must either return exactly the fault-free result, or fail
with a KoladaError naming the failing request; afterwards the cache holds only good answers.
These drive the client directly, not the CLI.
"""

from __future__ import annotations

import pytest
from conftest import quick_settings
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa.errors import KoladaError
from strategihalsa.kolada import KoladaClient

KINDS = ("status", "429", "truncate", "cut", "reset", "stall")
KPIS = ["N15428", "N20402", "U01413"]
UNITS = ["0000", "0006", "0680", "G1001"]
YEARS = [2016, 2017, 2018, 2021, 2022]


def fetch_all(url: str, folder, **options) -> tuple:
    """Everything a one-kommun report needs, as comparable plain data."""
    client = KoladaClient(quick_settings(url, cache_dir=folder, timeout=0.25, retries=2,
                                         **options))
    found = client.metadata(KPIS, families=["socioekonomi"])
    values = client.values([k.id for k in found.kpis], UNITS, YEARS)
    return found, sorted(values.rows(), key=str)


@pytest.fixture
def flaky(tmp_path):
    with FakeKolada(fixture_data(), stall_seconds=0.5, chaos_retry_after="0") as server:
        clean = fetch_all(server.url, tmp_path / "clean")
        assert len(clean[1]) == 21  # by hand: N15428 13, N20402 4, U01413 4 observations
        server.reset()
        yield server, clean


def test_random_faults_give_the_same_data_or_a_kolada_error(flaky, tmp_path):
    server, expected = flaky
    outcomes = []
    for seed in range(16):
        server.chaos(rate=0.4, kinds=KINDS, seed=seed)
        outcomes.append(one_faulty_run(server, expected, tmp_path / str(seed)))
    assert set(server.state.served) == set(KINDS)  # every kind of fault was served
    assert "ok" in outcomes  # retries carried some runs through


def one_faulty_run(server: FakeKolada, expected: tuple, folder) -> str:
    """One fetch under chaos, then one offline from what it cached; checks both."""
    try:
        assert fetch_all(server.url, folder) == expected
        outcome = "ok"
    except KoladaError as exc:
        assert f"{server.url}/" in str(exc)  # names the failing request
        outcome = "failed"
    server.chaos(rate=0.0, kinds=KINDS)
    try:
        assert fetch_all(server.url, folder, offline=True) == expected
    except KoladaError as exc:  # whatever was cached must be good; the rest is missing
        assert "is not in the cache" in str(exc)
    return outcome


@pytest.fixture
def paged(tmp_path):
    with FakeKolada(fixture_data(), page_size=2) as server:
        yield server


def test_one_failing_page_of_many_fails_the_run_naming_it(paged, tmp_path):
    paged.fail("page=3", status=500, times=99)
    with pytest.raises(KoladaError, match=r"HTTP 500 for .*page=3, also after 2 retries"):
        fetch_all(paged.url, tmp_path / "a")


def test_one_page_failing_once_is_retried_and_the_data_is_complete(paged, tmp_path):
    clean = fetch_all(paged.url, tmp_path / "clean")
    assert sum("/data/" in r for r in paged.requests) > 2  # the data really spans pages
    paged.reset()
    paged.fail("page=2", kind="truncate", times=1)
    assert fetch_all(paged.url, tmp_path / "flaky") == clean


def test_the_benchmarks_remembered_answers_are_the_same_bytes_and_faults_still_win(
        monkeypatch):
    """`--memo` (benchmarks): a repeated request gets the bytes built the first time, every
    request is still logged, and a scripted fault still acts."""
    import fake_kolada
    import requests

    built = []
    route = fake_kolada._Handler._route
    monkeypatch.setattr(fake_kolada._Handler, "_route",
                        lambda self: built.append(self.path) or route(self))
    path = "/data/kpi/N15428/municipality/0680"
    with FakeKolada(fixture_data()) as plain, FakeKolada(fixture_data(), memo=True) as fake:
        expected = requests.get(plain.url + path, timeout=5).content
        built.clear()
        answers = [requests.get(fake.url + path, timeout=5) for _ in range(3)]
        fake.fail("N15428", status=503)
        failed = requests.get(fake.url + path, timeout=5)
    assert [a.content for a in answers] == [expected] * 3
    assert len(built) == 1 and len(fake.requests) == 4
    assert failed.status_code == 503
