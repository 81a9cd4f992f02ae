"""The on-disk cache: reuse, refresh, offline, expiry, corruption and housekeeping."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta

from conftest import parse_report
from requests_cache.backends.sqlite import SQLiteCache
from typer.testing import CliRunner

from strategihalsa.cli import app
from strategihalsa.kolada.cache import cache_file

runner = CliRunner()


def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


def report(env: dict, *args: str):
    return sfh(env, "report", "-k", "0680", "-f", "json", *args)


def without_time(text: str) -> dict:
    data = parse_report(text)
    data.pop("generated_at")
    return data


def test_refresh_asks_kolada_again(cli_env, fake):
    report(cli_env)
    assert report(cli_env, "--refresh").exit_code == 0
    assert len(fake.requests) == 8


def test_offline_uses_the_cache_only(cli_env, fake):
    first = report(cli_env)
    offline = report(cli_env, "--offline")
    assert offline.exit_code == 0, offline.stderr
    assert without_time(offline.stdout) == without_time(first.stdout)
    assert len(fake.requests) == 4


def test_offline_without_cache_names_what_is_missing(cli_env, fake):
    result = report(cli_env, "--offline")
    assert result.exit_code == 4
    assert f"offline: {fake.url}/municipality?per_page=5000 is not in the cache" in result.stderr
    assert fake.requests == []


def test_metadata_is_kept_a_week_and_data_a_day(cli_env, tmp_path):
    report(cli_env)
    responses = SQLiteCache(str(cache_file(tmp_path / "cache"))).responses.values()
    lifetimes = {r.url.split("/v3/")[1].split("/")[0].split("?")[0]: r.expires - r.created_at
                 for r in responses}
    assert set(lifetimes) == {"municipality", "kpi", "municipality_groups", "data"}
    assert abs(lifetimes["municipality_groups"] - timedelta(days=7)) < timedelta(minutes=1)
    assert abs(lifetimes["data"] - timedelta(days=1)) < timedelta(minutes=1)
    assert abs(lifetimes["kpi"] - timedelta(days=7)) < timedelta(minutes=1)


def test_cache_folder_is_private(cli_env, tmp_path):
    report(cli_env)
    mode = stat.S_IMODE((tmp_path / "cache").stat().st_mode)
    assert mode == 0o700


def test_corrupt_cache_is_reported_once_and_bypassed(cli_env, fake, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    cache_file(folder).write_bytes(b"this is not a database" * 100)
    result = report(cli_env)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("sfh: warning: the cache in") == 1
    assert parse_report(result.stdout)["unit"]["id"] == "0680"
    assert len(fake.requests) == 4


def test_malformed_answers_are_never_cached(cli_env, fake):
    fake.fail("/data/", kind="truncate", times=1)
    first = report(cli_env)
    assert first.exit_code == 0, first.stderr
    offline = report(cli_env, "--offline")
    assert offline.exit_code == 0, offline.stderr
    assert without_time(offline.stdout) == without_time(first.stdout)


def test_a_wrong_shaped_answer_fails_and_is_not_kept(cli_env, fake):
    fake.fail("/data/", kind="badrow", times=1)
    failed = report(cli_env)
    assert failed.exit_code == 4
    assert "a data row without 'kpi'" in failed.stderr
    again = report(cli_env)
    assert again.exit_code == 0, again.stderr
    assert sum("/data/" in r for r in fake.requests) == 2


def test_cache_info_and_clear(cli_env, tmp_path):
    folder = tmp_path / "cache"
    empty = sfh(cli_env, "cache", "info")
    assert f"location: {cache_file(folder)}" in empty.stdout
    assert "empty" in empty.stdout
    report(cli_env)
    filled = sfh(cli_env, "cache", "info")
    assert "entries:  4" in filled.stdout
    assert "oldest:" in filled.stdout
    cleared = sfh(cli_env, "cache", "clear")
    assert cleared.exit_code == 0
    assert not cache_file(folder).exists()
    assert "empty" in sfh(cli_env, "cache", "info").stdout


def test_no_cache_writes_nothing(cli_env, fake, tmp_path):
    report(cli_env, "--no-cache")
    report(cli_env, "--no-cache")
    assert len(fake.requests) == 8
    assert not (tmp_path / "cache").exists()


def expire_everything(folder) -> None:
    SQLiteCache(str(cache_file(folder))).reset_expiration(
        datetime.now(UTC) - timedelta(days=30))


def test_expired_answers_are_fetched_again_online_and_used_offline(cli_env, fake, tmp_path):
    first = report(cli_env)
    expire_everything(tmp_path / "cache")
    offline = report(cli_env, "--offline")
    assert offline.exit_code == 0, offline.stderr
    assert without_time(offline.stdout) == without_time(first.stdout)
    assert len(fake.requests) == 4
    online = report(cli_env)
    assert online.exit_code == 0
    assert len(fake.requests) == 8
