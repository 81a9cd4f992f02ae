"""The local store: `sfh sync` snapshots, reports read from them, atomic writes under kill -9
and concurrent syncs, pruning, foreign format versions, and --offline without a store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from conftest import parse_overview, parse_report
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa.cli import app
from strategihalsa.store.snapshot import Snapshot, snapshot_paths, store_folder

runner = CliRunner()
VOLATILE = ("generated_at", "data_fetched_at", "data_source")


def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


def snapshots(env: dict) -> list[Path]:
    return snapshot_paths(store_folder(Path(env["SFH_CACHE_DIR"])))


def synced(env: dict, *args: str) -> Path:
    result = sfh(env, "sync", "--quiet", *args)
    assert result.exit_code == 0, result.stderr
    return snapshots(env)[-1]


def without(data: dict, keys: tuple[str, ...] = VOLATILE) -> dict:
    return {key: value for key, value in data.items() if key not in keys}


def test_sync_writes_one_snapshot_with_every_unit_and_the_similar_group(cli_env):
    snapshot = Snapshot(synced(cli_env))
    values = snapshot.values()
    # the fixture: 49 CSV rows, one isdeleted, U01901 (2 rows) not a catalogue KPI: 46,
    # and G1001 (Habo, Stockholm) means N15428 2017 (70+90)/2 and 2022 (91; Habo is null),
    # U01405 2017 (70+76)/2, 2018 (74+80)/2, 2022 (73+81)/2
    assert values.filter(~values["unit"].str.starts_with("G")).height == 46
    group = values.filter(values["unit"] == "G1001").sort("kpi", "year")
    assert group["value"].to_list() == [80.0, 91.0, 73.0, 77.0, 77.0]
    assert [g.id for g in snapshot.groups] == ["G1001"]
    assert snapshot.manifest.families == ["socioekonomi"]
    assert len(snapshot.municipalities) == 6


def test_a_report_from_the_store_makes_no_request_and_equals_the_network_one(cli_env, fake):
    synced(cli_env)
    fake.reset()
    stored = sfh(cli_env, "report", "--kommun", "0680", "--format", "json")
    assert stored.exit_code == 0, stored.stderr
    assert fake.requests == []
    fetched = sfh(cli_env, "report", "--kommun", "0680", "--format", "json", "--refresh")
    from_store, from_network = parse_report(stored.stdout), parse_report(fetched.stdout)
    assert (from_store["data_source"], from_network["data_source"]) == ("store", "network")
    assert without(from_store) == without(from_network)
    fetched_at = snapshots(cli_env)[-1].name  # 20261204T055623.640742Z
    assert from_store["data_fetched_at"].replace("-", "").replace(":", "")[:15] == \
        fetched_at[:15]


def test_the_overview_reads_the_store_too(cli_env, fake):
    synced(cli_env)
    fake.reset()
    result = sfh(cli_env, "overview", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert parse_overview(result.stdout)["data_source"] == "store" and fake.requests == []


@pytest.mark.parametrize("args", [["--max-age", "0"], ["--refresh"], ["--liknande", "IFO"]])
def test_a_store_that_does_not_serve_the_run_is_bypassed(cli_env, fake, args):
    fake.state.data.groups.append({"id": "G2001", "title": "Liknande kommuner IFO, Jönköping, "
                                   "2024", "members": [{"member_id": "0643"}]})
    synced(cli_env)  # socioekonomi only
    fake.reset()
    result = sfh(cli_env, "report", "--kommun", "0680", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    assert parse_report(result.stdout)["data_source"] == "network" and fake.requests


def test_the_warm_path_imports_neither_requests_nor_requests_cache(cli_env):
    synced(cli_env)
    code = ("import sys; from strategihalsa.cli import app; "
            "code = app(['report', '-k', '0680', '-f', 'json'], standalone_mode=False); "
            "print(code, sorted(m for m in sys.modules if m.startswith('requests')), "
            "file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **cli_env},
                          capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "0 []", done.stderr
    assert json.loads(done.stdout)["data_source"] == "store"


def test_offline_without_store_or_cache_says_to_sync_first(cli_env):
    result = sfh(cli_env, "report", "--kommun", "0680", "--offline")
    assert result.exit_code == 4
    assert "run `sfh sync` first" in result.stderr and "Traceback" not in result.output


def test_offline_reads_a_store_older_than_the_max_age(cli_env, fake):
    synced(cli_env)
    fake.reset()
    result = sfh(cli_env, "report", "-k", "0680", "-f", "json", "--offline", "--max-age", "0")
    assert result.exit_code == 0, result.stderr
    assert parse_report(result.stdout)["data_source"] == "store" and fake.requests == []


def foreign(snapshot: Path) -> None:
    manifest = json.loads((snapshot / "manifest.json").read_text())
    (snapshot / "manifest.json").write_text(json.dumps({**manifest, "format": 99}))


def test_a_store_of_another_format_version_is_refused_clearly(cli_env, fake):
    foreign(synced(cli_env))
    offline = sfh(cli_env, "report", "--kommun", "0680", "--offline")
    assert offline.exit_code == 4
    assert "store format 99, written by another version of sfh" in offline.stderr
    assert "Traceback" not in offline.output
    online = sfh(cli_env, "report", "--kommun", "0680", "--format", "json")
    assert online.exit_code == 0 and "store format 99" in online.stderr
    assert parse_report(online.stdout)["data_source"] == "network"
    changes = sfh(cli_env, "changes")
    assert changes.exit_code == 4 and "store format 99" in changes.stderr


def test_sync_keeps_the_newest_snapshots(cli_env):
    made = [synced(cli_env, "--keep", "2") for _ in range(3)]
    assert snapshots(cli_env) == made[1:]


def sync_process(env: dict) -> subprocess.Popen:
    """`sfh sync` in its own process, patient enough for a busy machine."""
    return subprocess.Popen([sys.executable, "-m", "strategihalsa", "sync", "--quiet"],
                            env={**os.environ, **env, "SFH_TIMEOUT": "30"},
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_a_sync_killed_midway_leaves_the_previous_snapshot_intact(cli_env):
    with FakeKolada(fixture_data(), latency=0.4) as slow:
        env = {**cli_env, "SFH_KOLADA_URL": slow.url}
        before = synced(env)
        process = sync_process(env)
        deadline = time.monotonic() + 30
        while len(slow.requests) < 2 * 4 - 1 and time.monotonic() < deadline:
            time.sleep(0.05)  # the second sync's metadata is in, its data request waits
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert snapshots(env) == [before]
    assert Snapshot(before).values().height > 0
    assert not list(store_folder(Path(env["SFH_CACHE_DIR"])).glob(".sync-*"))


def test_two_syncs_at_once_both_land_whole(cli_env):
    with FakeKolada(fixture_data(), latency=0.05) as server:
        env = {**cli_env, "SFH_KOLADA_URL": server.url}
        processes = [sync_process(env) for _ in range(2)]
        outcomes = [process.communicate(timeout=300) for process in processes]
    assert [p.returncode for p in processes] == [0, 0], outcomes
    made = snapshots(env)
    assert len(made) == 2
    heights = {Snapshot(path).values().height for path in made}
    assert heights == {Snapshot(made[0]).values().height} and heights != {0}


def test_sync_fetches_afresh_rather_than_from_the_http_cache(cli_env, fake):
    synced(cli_env)
    first = list(fake.requests)
    fake.reset()
    synced(cli_env)
    assert sorted(fake.requests) == sorted(first) and len(first) > 3  # all again


def test_sync_refuses_offline(cli_env):
    result = sfh(cli_env, "sync", "--offline")
    assert result.exit_code == 2 and "drop --offline" in result.stderr


def test_reports_say_when_the_data_was_fetched_and_is_next_published(cli_env, fake,
                                                                     tmp_path):
    for kpi, day in (("N15428", "2099-01-15"), ("N17461", "2099-03-01")):
        next(k for k in fake.state.data.kpis if k["id"] == kpi)["publication_date"] = day
    synced(cli_env)
    fetched = Snapshot(snapshots(cli_env)[-1]).manifest.fetched  # UTC; shown in Swedish time
    stamp = fetched.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M %Z")
    said = f"Data hämtade {stamp} (lokalt lager, sfh sync). Nästa publicering " \
           "2099-01-15 (N15428)."
    table = sfh(cli_env, "report", "--kommun", "0680")
    assert said in " ".join(table.stdout.split())
    html = tmp_path / "r.html"
    assert sfh(cli_env, "report", "-k", "0680", "-o", str(html)).exit_code == 0
    assert said in html.read_text()
    report = parse_report(sfh(cli_env, "report", "-k", "0680", "-f", "json").stdout)
    published = {i["kpi"]: i["next_publication"] for i in report["indicators"]}
    assert (published["N15428"], published["N17461"], published["N20402"]) == \
        ("2099-01-15", "2099-03-01", None)


def test_a_store_that_cannot_be_written_is_exit_5(cli_env):
    store = store_folder(Path(cli_env["SFH_CACHE_DIR"]))
    store.parent.mkdir(parents=True)
    store.write_text("not a folder")
    result = sfh(cli_env, "sync")
    assert result.exit_code == 5 and "cannot write the store" in result.stderr
    assert "Traceback" not in result.output


def test_a_sync_failing_while_writing_leaves_no_partial_snapshot(cli_env, monkeypatch):
    from strategihalsa.store import snapshot

    before = synced(cli_env)
    real = snapshot._write_files

    def half_then_fail(folder: Path, content) -> None:
        real(folder, content)
        (folder / "values.parquet").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshot, "_write_files", half_then_fail)
    result = sfh(cli_env, "sync")
    assert result.exit_code == 5 and "No space left on device" in result.stderr
    assert snapshots(cli_env) == [before] and Snapshot(before).values().height == 46 + 5
    assert not list(before.parent.glob(".sync-*"))


@pytest.mark.parametrize(("text", "seconds"), [("1d", 86400), ("12h", 43200), ("30m", 1800),
                                               ("90s", 90), ("2", 7200), ("0", 0)])
def test_max_age_reads_days_hours_minutes_seconds(text, seconds):
    from strategihalsa.source import parse_age

    assert parse_age(text).total_seconds() == seconds


def test_a_bad_max_age_is_a_usage_error(cli_env):
    result = sfh(cli_env, "report", "--kommun", "0680", "--max-age", "soon")
    assert result.exit_code == 2 and "--max-age 'soon'" in result.stderr


def test_a_store_from_another_kolada_is_not_used(cli_env, fake):
    synced(cli_env)
    with FakeKolada(fixture_data()) as other:
        env = {**cli_env, "SFH_KOLADA_URL": other.url}
        result = sfh(env, "report", "--kommun", "0680", "--format", "json")
        assert result.exit_code == 0 and other.requests
    assert parse_report(result.stdout)["data_source"] == "network"


def test_sync_keeps_values_in_the_store_only_and_metadata_in_the_http_cache(cli_env, fake):
    from strategihalsa.kolada.cache import cached_session
    from strategihalsa.settings import ClientSettings

    synced(cli_env)
    settings = ClientSettings(api_url=fake.url, cache_dir=Path(cli_env["SFH_CACHE_DIR"]))
    urls = list(cached_session(settings).cache.urls())
    assert not [url for url in urls if "/data/" in url]
    assert any("/kpi" in url for url in urls) and any("/municipality" in url for url in urls)
