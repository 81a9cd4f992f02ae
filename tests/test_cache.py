"""The on-disk cache: reuse, refresh, offline, expiry, corruption, safety and housekeeping.

These drive the client directly (KoladaClient with a cache folder), not the CLI.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import quick_settings
from requests_cache.backends.sqlite import SQLiteCache

from strategihalsa.errors import KoladaError
from strategihalsa.kolada import KoladaClient
from strategihalsa.kolada import cache as kcache
from strategihalsa.kolada.cache import cache_file, data_only_serializer


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def warnings_seen():
    recorder = Recorder()
    logger = logging.getLogger("strategihalsa")
    logger.addHandler(recorder)
    yield recorder.messages
    logger.removeHandler(recorder)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def fetch(fake, folder: Path, **options) -> tuple[KoladaClient, list, list]:
    """Units and Jönköping's N15428 values through a cached client."""
    client = KoladaClient(quick_settings(fake.url, cache_dir=folder, **options))
    units = client.municipalities()
    values = client.values(["N15428"], ["0680"]).rows()
    return client, units, values


def stored(folder: Path) -> SQLiteCache:
    return SQLiteCache(str(cache_file(folder)), serializer=data_only_serializer())


def test_a_second_run_is_served_from_the_cache(fake, folder):
    first, units, values = fetch(fake, folder)
    again, units_again, values_again = fetch(fake, folder)
    assert (units_again, values_again) == (units, values)
    assert (first.network_requests, again.network_requests) == (2, 0)


def test_the_folder_is_checked_once_a_run_and_every_thread_uses_the_cache(fake, folder,
                                                                          monkeypatch):
    """The run's first session checks the folder (private, unlocked, readable); the worker
    threads' sessions open without waiting for the lock their siblings write under, and
    store and read the same cache."""
    checks = []
    wait = kcache.wait_for_lock
    monkeypatch.setattr(kcache, "wait_for_lock", lambda path: checks.append(path) or wait(path))
    client = KoladaClient(quick_settings(fake.url, cache_dir=folder))
    found = client.metadata(["N15428", "U01413"], ["socioekonomi"])  # three threads
    assert checks == [folder] and client.network_requests == 3
    again = KoladaClient(quick_settings(fake.url, cache_dir=folder, offline=True))
    assert again.metadata(["N15428", "U01413"], ["socioekonomi"]) == found
    assert checks == [folder, folder] and again.network_requests == 0


def test_refresh_asks_kolada_again(fake, folder):
    fetch(fake, folder)
    refreshed, _, _ = fetch(fake, folder, refresh=True)
    assert refreshed.network_requests == 2
    assert len(fake.requests) == 4


def test_offline_uses_the_cache_only(fake, folder):
    _, units, values = fetch(fake, folder)
    offline, units_offline, values_offline = fetch(fake, folder, offline=True)
    assert (units_offline, values_offline) == (units, values)
    assert offline.network_requests == 0 and len(fake.requests) == 2


def test_offline_without_cache_names_what_is_missing(fake, folder):
    with pytest.raises(KoladaError, match=rf"offline: {fake.url}/municipality\?per_page=5000 "
                                          "is not in the cache"):
        fetch(fake, folder, offline=True)
    assert fake.requests == []


def test_metadata_is_kept_a_week_and_data_a_day(fake, folder):
    fetch(fake, folder)
    lifetimes = {r.url.split("/v3/")[1].split("/")[0].split("?")[0]: r.expires - r.created_at
                 for r in stored(folder).responses.values()}
    assert set(lifetimes) == {"municipality", "data"}
    assert abs(lifetimes["municipality"] - timedelta(days=7)) < timedelta(minutes=1)
    assert abs(lifetimes["data"] - timedelta(days=1)) < timedelta(minutes=1)


def test_cache_folder_and_files_are_private_whatever_the_umask(fake, folder):
    old = os.umask(0)
    try:
        fetch(fake, folder)
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert cache_file(folder) in files
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {
        p.name: 0o600 for p in files}


def test_a_loose_cache_file_is_made_private(fake, folder):
    fetch(fake, folder)
    cache_file(folder).chmod(0o644)
    fetch(fake, folder)
    assert stat.S_IMODE(cache_file(folder).stat().st_mode) == 0o600


class Planted:
    """Unpickling this creates the file `path`: proof that pickle ran code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def test_an_answer_is_kept_as_its_fields_and_the_bytes_kolada_sent(folder):
    """Each entry: the response's fields as JSON, a line break, the body exactly as sent
    (the fake answers each path with the same bytes: it shuffles entries otherwise)."""
    import requests
    from fake_kolada import FakeKolada
    from fixture_data import fixture_data

    with FakeKolada(fixture_data(), memo=True) as fake:
        fetch(fake, folder)
        sent = {url: requests.get(url, timeout=5).content for url in
                [response.url for response in stored(folder).responses.values()]}
    with sqlite3.connect(cache_file(folder)) as db:
        values = [value for (value,) in db.execute("SELECT value FROM responses")]
    assert len(values) == 2
    for value in values:
        head, apart, body = value.partition(kcache.BODY_APART)
        fields = json.loads(head)
        assert apart and fields["status_code"] == 200 and "_content" not in fields
        assert body == sent[fields["url"]] and body


def test_an_entry_of_the_earlier_all_json_form_is_still_read(fake, folder):
    """Caches written before the body was kept apart (base64 inside the JSON) still answer."""
    from requests_cache.serializers.pipeline import SerializerPipeline, Stage
    from requests_cache.serializers.preconf import json_preconf_stage

    earlier = SerializerPipeline([json_preconf_stage, Stage(dumps=json.dumps,
                                                            loads=json.loads)])
    _, units, values = fetch(fake, folder)
    responses = stored(folder).responses
    for key, response in list(responses.items()):
        with sqlite3.connect(cache_file(folder)) as db:
            db.execute("UPDATE responses SET value = ? WHERE key = ?",
                       (earlier.dumps(response), key))
    assert all(isinstance(v, str) and v.startswith('{"_content": "') for (v,) in
               sqlite3.connect(cache_file(folder)).execute("SELECT value FROM responses"))
    again, units_again, values_again = fetch(fake, folder, offline=True)
    assert (units_again, values_again, again.network_requests) == (units, values, 0)


def test_a_planted_pickle_is_never_executed(fake, folder, tmp_path):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Planted(marker))
    pickle.loads(payload).close()  # the payload really runs code when unpickled ...
    assert marker.exists()
    marker.unlink()
    fetch(fake, folder)
    with sqlite3.connect(cache_file(folder)) as db:
        db.execute("UPDATE responses SET value = ?", (payload,))
    again, units, _ = fetch(fake, folder)  # ... but the cache reads it as a miss
    assert len(units) == 6 and again.network_requests == 2
    assert kcache.info(folder).entries == 2
    assert not marker.exists()


def test_info_skips_entries_it_cannot_read(fake, folder, tmp_path):
    fetch(fake, folder)
    with sqlite3.connect(cache_file(folder)) as db:
        db.execute("UPDATE responses SET value = ?", (pickle.dumps(Planted(tmp_path / "x")),))
    assert kcache.info(folder).entries == 0
    assert not (tmp_path / "x").exists()


def test_a_folder_others_may_write_to_is_bypassed_with_a_warning(fake, folder, warnings_seen):
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    _, units, _ = fetch(fake, folder)
    again, _, _ = fetch(fake, folder)
    assert len(units) == 6 and again.network_requests == 2
    assert not cache_file(folder).exists()
    told = [m for m in warnings_seen if "other users may write to it" in m]
    assert len(told) == 1 and str(folder) in told[0] and "continuing without it" in told[0]


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_folder_of_another_user_is_bypassed_with_a_warning(fake, folder, warnings_seen):
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    fetch(fake, folder)
    assert not cache_file(folder).exists()
    assert any("belongs to another user" in m for m in warnings_seen)


def test_offline_with_an_unsafe_folder_is_an_error(fake, folder):
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    with pytest.raises(KoladaError, match=r"offline: the cache folder .* is not used") as failure:
        fetch(fake, folder, offline=True)
    assert failure.value.exit_code == 4
    assert fake.requests == []


def test_a_symlinked_cache_file_is_refused(fake, folder, tmp_path, warnings_seen):
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    folder.mkdir(mode=0o700)
    cache_file(folder).symlink_to(victim)
    _, units, _ = fetch(fake, folder)
    assert len(units) == 6
    assert victim.read_text() == "keep me"
    assert any("the cache" in m and "continuing without it" in m for m in warnings_seen)


def test_corrupt_cache_is_reported_once_and_bypassed(fake, folder, warnings_seen):
    folder.mkdir(mode=0o700)
    cache_file(folder).write_bytes(b"this is not a database" * 100)
    client = KoladaClient(quick_settings(fake.url, cache_dir=folder))
    found = client.metadata(["N15428"], families=["socioekonomi"])  # three sessions, one warning
    assert len(found.municipalities) == 6
    assert sum("unusable" in m for m in warnings_seen) == 1
    assert len(fake.requests) == 3


def test_malformed_answers_are_never_cached(fake, folder):
    fake.fail("/data/", kind="truncate", times=1)
    _, _, values = fetch(fake, folder)
    _, _, offline = fetch(fake, folder, offline=True)
    assert offline == values
    assert len(values) == 7  # 2016 T; 2017 and 2022 T, K, M


def test_a_wrong_shaped_answer_fails_and_is_not_kept(fake, folder):
    fake.fail("/data/", kind="badrow", times=1)
    with pytest.raises(KoladaError, match="a data row without 'kpi'"):
        fetch(fake, folder)
    again, _, values = fetch(fake, folder)
    assert len(values) == 7 and again.network_requests == 1
    assert sum("/data/" in r for r in fake.requests) == 2


def test_cache_info_and_clear(fake, folder):
    empty = kcache.info(folder)
    assert (empty.path, empty.exists, empty.entries) == (cache_file(folder), False, 0)
    fetch(fake, folder)
    filled = kcache.info(folder)
    assert filled.entries == 2 and filled.size_bytes > 0
    assert filled.oldest is not None and filled.oldest <= filled.newest
    assert kcache.clear(folder) > 0
    assert list(folder.iterdir()) == []
    assert not kcache.info(folder).exists


def test_no_cache_writes_nothing(fake, tmp_path):
    for _ in range(2):
        client = KoladaClient(quick_settings(fake.url))
        client.municipalities()
        assert client.network_requests == 1
    assert list(tmp_path.iterdir()) == []


def test_expired_answers_are_fetched_again_online_and_used_offline(fake, folder):
    _, units, values = fetch(fake, folder)
    stored(folder).reset_expiration(datetime.now(UTC) - timedelta(days=30))
    offline, units_offline, values_offline = fetch(fake, folder, offline=True)
    assert (units_offline, values_offline) == (units, values)
    assert offline.network_requests == 0
    online, _, _ = fetch(fake, folder)
    assert online.network_requests == 2


def broken(*args, **kwargs):
    raise sqlite3.OperationalError("disk I/O error")


def test_a_cache_failing_mid_run_is_left_behind_with_a_warning(fake, folder, warnings_seen,
                                                                monkeypatch):
    client = KoladaClient(quick_settings(fake.url, cache_dir=folder))
    monkeypatch.setattr(client.session.cache, "save_response", broken)
    assert len(client.municipalities()) == 6
    assert any("the cache failed (disk I/O error)" in m for m in warnings_seen)
    assert not hasattr(client.session, "cache")


def test_a_cache_failing_offline_is_an_error(fake, folder, monkeypatch):
    fetch(fake, folder)
    client = KoladaClient(quick_settings(fake.url, cache_dir=folder, offline=True))
    monkeypatch.setattr(client.session.cache, "get_response", broken)
    with pytest.raises(KoladaError, match=r"offline: the cache failed \(disk I/O error\)"):
        client.municipalities()
    assert len(fake.requests) == 2  # only the first, online fetch


def test_requests_cache_is_loaded_without_its_cloud_backends(tmp_path):
    """requests-cache imports boto3 for its DynamoDB backend when boto3 is installed (about
    0.13 s a run), and tomlkit for a TOML serializer (13 ms); sfh keeps them out. Stand-in
    packages on the path play the installed ones: they must not be imported while
    requests-cache loads, and stay importable after."""
    import subprocess
    import sys

    for name in ("boto3", "botocore", "tomlkit"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("", encoding="utf-8")
    code = ("import sys; from strategihalsa.kolada import cache; cache.load_requests_cache(); "
            "assert 'requests_cache' in sys.modules; "
            "assert not {'boto3', 'tomlkit'} & set(sys.modules); "
            "import boto3, tomlkit; print('ok')")
    package = Path(kcache.__file__).parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{package}"},
                          check=False)
    assert done.stdout.strip() == "ok", done.stderr
