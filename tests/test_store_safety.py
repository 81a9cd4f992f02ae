"""The store folder is as private as the cache folder: made 0700, and one that is a
symbolic link, belongs to another user or is writable by others is neither read nor
written (a report falls back to Kolada; sync exits 5; offline and changes exit 4)."""

from __future__ import annotations

import stat
from pathlib import Path

from click.testing import CliRunner
from conftest import parse_report

from strategihalsa.cli import app
from strategihalsa.store.snapshot import snapshot_paths, store_folder

runner = CliRunner()


def sfh(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


def store_of(env: dict) -> Path:
    return store_folder(Path(env["SFH_CACHE_DIR"]))


def synced(env: dict) -> None:
    result = sfh(env, "sync", "--quiet")
    assert result.exit_code == 0, result.stderr


def test_a_sync_makes_the_store_folder_private(cli_env):
    synced(cli_env)
    assert stat.S_IMODE(store_of(cli_env).stat().st_mode) == 0o700


def test_a_store_others_may_write_is_not_read_nor_written(cli_env, fake):
    synced(cli_env)
    store = store_of(cli_env)
    store.chmod(0o777)
    report = sfh(cli_env, "report", "--kommun", "0680", "--format", "json")
    assert report.exit_code == 0, report.stderr
    assert "other users may write to it (mode 777" in report.stderr
    assert parse_report(report.stdout)["data_source"] == "network"
    offline = sfh(cli_env, "report", "--kommun", "0680", "--offline")
    assert offline.exit_code == 4 and f"the store folder {store} is not used" in offline.stderr
    changes = sfh(cli_env, "changes")
    assert changes.exit_code == 4 and "other users may write" in changes.stderr
    fake.reset()
    again = sfh(cli_env, "sync", "--quiet")
    assert again.exit_code == 5 and "cannot write the store" in again.stderr
    assert fake.requests == []  # refused before fetching anything
    store.chmod(0o700)
    assert len(snapshot_paths(store)) == 1  # the refused sync wrote nothing


def test_a_symlinked_store_folder_is_refused(cli_env, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache = Path(cli_env["SFH_CACHE_DIR"])
    cache.mkdir(mode=0o700)
    store_of(cli_env).symlink_to(elsewhere)
    result = sfh(cli_env, "sync", "--quiet")
    assert result.exit_code == 5 and "it is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []
    report = sfh(cli_env, "report", "--kommun", "0680", "--format", "json")
    assert report.exit_code == 0 and "it is a symbolic link" in report.stderr
    assert parse_report(report.stdout)["data_source"] == "network"
