"""`--if-changed` batches: files whose report did not change keep their content and mtime;
the run says how many changed."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from strategihalsa.cli import app

runner = CliRunner()


def batch(env: dict, folder: Path, *args: str):
    result = runner.invoke(app, ["report", "--lan", "06", "--format", "csv", "--output-dir",
                                 str(folder), "--if-changed", *args], env=env)
    assert result.exit_code == 0, result.stderr
    return result


def stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.csv")}


def test_unchanged_reports_leave_their_files_alone(cli_env, fake, tmp_path):
    folder = tmp_path / "out"
    first = batch(cli_env, folder, "--refresh")
    # Jönköpings län in the fixture: Region Jönköpings län, Habo, Jönköping
    assert "wrote 3 file(s)" in first.stderr and "0 unchanged" in first.stderr
    before = stamps(folder)
    again = batch(cli_env, folder, "--refresh")  # made anew: other timestamps, same data
    assert "wrote 0 file(s)" in again.stderr and "3 unchanged" in again.stderr
    assert stamps(folder) == before
    next(e for e in fake.state.data.values[("N15428", "0680")][2022]
         if e["gender"] == "T")["value"] = 83.0
    changed = batch(cli_env, folder, "--refresh")
    assert "wrote 1 file(s)" in changed.stderr and "2 unchanged" in changed.stderr
    after = stamps(folder)
    assert [name for name in after if after[name] != before[name]] == ["0680-jonkoping.csv"]


def test_a_file_changed_by_hand_is_written_again(cli_env, tmp_path):
    folder = tmp_path / "out"
    batch(cli_env, folder)
    (folder / "0643-habo.csv").write_text("edited")
    assert "wrote 1 file(s)" in batch(cli_env, folder).stderr
    assert (folder / "0643-habo.csv").read_text() != "edited"


def test_if_changed_needs_an_output_folder(cli_env):
    result = runner.invoke(app, ["report", "--kommun", "0680", "--if-changed"], env=cli_env)
    assert result.exit_code == 2 and "--output-dir" in result.stderr
