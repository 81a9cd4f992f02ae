"""Fault injection: a misbehaving Kolada never yields a wrong or half-written report.

The fake answers at random (fixed seeds) with 500/503, 429 + Retry-After, truncated JSON,
bodies cut short, connection resets and stalls past the client timeout. Each run must
either produce the fault-free report exactly, or fail with exit code 4 naming the failing
request; the output file is then absent, and the cache holds only good answers.
"""

from __future__ import annotations

import pytest
from conftest import parse_report
from fake_kolada import FakeKolada
from fixture_data import fixture_data
from typer.testing import CliRunner

from strategihalsa.cli import app

KINDS = ("status", "429", "truncate", "cut", "reset", "stall")
runner = CliRunner()


def run(env: dict, *args: str):
    return runner.invoke(app, ["report", "-k", "0680", "-f", "json", *args], env=env)


def without_time(text: str) -> dict:
    data = parse_report(text)
    data.pop("generated_at")
    return data


@pytest.fixture
def flaky(tmp_path):
    with FakeKolada(fixture_data(), stall_seconds=0.5) as server:
        env = {"SFH_KOLADA_URL": server.url, "SFH_TIMEOUT": "0.25", "SFH_RETRIES": "2",
               "SFH_BACKOFF": "0", "NO_COLOR": "1"}
        clean = run({**env, "SFH_CACHE_DIR": str(tmp_path / "clean")})
        assert clean.exit_code == 0, clean.stderr
        server.reset()
        yield server, env, without_time(clean.stdout)


def test_random_faults_give_the_same_report_or_exit_4(flaky, tmp_path):
    server, env, expected = flaky
    outcomes = []
    for seed in range(20):
        server.chaos(rate=0.4, kinds=KINDS, seed=seed)
        outcomes.append(one_faulty_run(server, env, expected, tmp_path / str(seed)))
    assert set(server.state.served) == set(KINDS)  # every kind of fault was served
    assert 0 in outcomes  # retries carried some runs through


def one_faulty_run(server, env: dict, expected: dict, folder) -> int:
    """One report under chaos, then one offline from what it cached; checks both."""
    env = {**env, "SFH_CACHE_DIR": str(folder / "cache")}
    target = folder / "out" / "report.json"
    target.parent.mkdir(parents=True)
    result = run(env, "--output", str(target))
    if result.exit_code == 0:
        assert without_time(target.read_text(encoding="utf-8")) == expected
    else:
        assert result.exit_code == 4, result.stderr
        assert f"{server.url}/" in result.stderr  # names the failing request
        assert "Traceback" not in result.stderr
        assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] in ([], ["report.json"])
    server.chaos(rate=0.0, kinds=KINDS)
    offline = run(env, "--offline")  # whatever was cached must be good
    assert offline.exit_code in (0, 4), offline.stderr
    if offline.exit_code == 0:
        assert without_time(offline.stdout) == expected
    else:
        assert "is not in the cache" in offline.stderr
    return result.exit_code


@pytest.fixture
def paged(tmp_path):
    with FakeKolada(fixture_data(), page_size=4) as server:
        env = {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(tmp_path / "c"),
               "SFH_RETRIES": "2", "SFH_BACKOFF": "0"}
        yield server, env


def test_one_failing_page_of_many_fails_the_run_naming_it(paged):
    server, env = paged
    server.fail("page=3", status=500, times=99)
    result = run({**env, "SFH_CACHE_DIR": env["SFH_CACHE_DIR"] + "-a"})
    assert result.exit_code == 4
    assert "HTTP 500" in result.stderr and "page=3" in result.stderr


def test_one_page_failing_once_is_retried_and_the_report_is_complete(paged, tmp_path):
    server, env = paged
    clean = run({**env, "SFH_CACHE_DIR": str(tmp_path / "clean")})
    data_pages = sum("/data/" in r for r in server.requests)
    assert data_pages > 2  # the data answer really spans several pages
    server.reset()
    server.fail("page=2", kind="truncate", times=1)
    flaky = run(env)
    assert flaky.exit_code == 0, flaky.stderr
    assert without_time(flaky.stdout) == without_time(clean.stdout)
