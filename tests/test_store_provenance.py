"""Where a report's "data as of" comes from on the network path: the time the oldest data
answer it used was fetched from Kolada, also when that answer came from the HTTP cache."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from conftest import parse_report

from strategihalsa.cli import app
from strategihalsa.kolada.cache import cache_file, data_only_serializer

runner = CliRunner()
# data answers fetched at 03:00 and 04:00 UTC, metadata (kept a week) two days earlier
DATA_TIMES = (datetime(2026, 12, 4, 3, tzinfo=UTC), datetime(2026, 12, 4, 4, tzinfo=UTC))
METADATA_TIME = datetime(2026, 12, 2, 3, tzinfo=UTC)


def report(env: dict) -> dict:
    result = runner.invoke(app, ["report", "--kommun", "0680", "--format", "json"], env=env)
    assert result.exit_code == 0, result.stderr
    return parse_report(result.stdout)


def backdate(folder: Path) -> int:
    """Stamp the cached answers as fetched earlier; how many data answers were stamped."""
    from requests_cache.backends.sqlite import SQLiteCache

    responses = SQLiteCache(str(cache_file(folder)), serializer=data_only_serializer()).responses
    data = 0
    for key, response in list(responses.items()):
        is_data = "/data/" in response.url
        response.created_at = DATA_TIMES[data % 2] if is_data else METADATA_TIME
        data += is_data
        responses[key] = response
    return data


def test_a_report_from_the_http_cache_says_when_its_oldest_data_was_fetched(cli_env, fake):
    first = report(cli_env)
    assert first["data_source"] == "network"
    assert backdate(Path(cli_env["SFH_CACHE_DIR"])) >= 2
    fake.reset()
    again = report(cli_env)
    assert fake.requests == []  # every answer from the cache
    assert again["data_fetched_at"] == "2026-12-04T03:00:00+00:00"
    assert again["generated_at"] > again["data_fetched_at"]  # not the run's own time


def test_a_fresh_report_is_as_of_its_own_fetch(cli_env):
    before = datetime.now(UTC).replace(microsecond=0)
    fetched = datetime.fromisoformat(report(cli_env)["data_fetched_at"])
    assert before <= fetched <= datetime.now(UTC)
