"""The README documents every command, and its command lines and recipes really work.

Every `sfh ...` line in the README's shell blocks is run against the fake Kolada (in a
temporary folder), the jq recipe through jq (skipped without jq, except in CI), and the
polars recipe as Python.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import needs_tools

from strategihalsa.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(sh|python)\n(.*?)```", README, flags=re.DOTALL)
STOP = re.compile(r"\s(\||>|&&|;|#)\s")
runner = CliRunner()


def command_names() -> list[str]:
    context = click.Context(app)
    names = []
    for name in app.list_commands(context):
        sub = getattr(app.get_command(context, name), "commands", None)
        names += [f"{name} {s}" for s in sub] if sub else [name]
    return names


def sfh_lines() -> list[str]:
    """Every `sfh` command in the README's shell blocks, without pipes and comments."""
    lines = []
    for language, body in BLOCKS:
        if language != "sh":
            continue
        for line in body.splitlines():
            if "sfh " not in line or "_SFH_COMPLETE" in line:
                continue
            command = line[line.index("sfh "):]
            lines.append(STOP.split(command + " ")[0].strip())
    return lines


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_documented_with_help_and_an_example(name):
    assert f"sfh {name}" in README
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_readme_opens_with_install_and_test_commands():
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    venv = "python3 -m venv .venv && .venv/bin/"
    assert first_block[0] == venv + "pip install . && .venv/bin/sfh report --kommun 0680"
    test = "pip install -e '.[test,pdf]' && .venv/bin/python -m pytest -n 2"
    assert first_block[1] == venv + test
    assert "Python 3.11 or newer" in README and "externally-managed-environment" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert first_block[1] in ci.splitlines()  # CI runs exactly the README's test command


def expected_codes(command: str) -> set[int]:
    if command.startswith("sfh check"):
        return {3}  # the built-in catalogue names KPIs Kolada has removed
    if "--fail-on-missed" in command:
        return {0, 1}
    return {0}


def test_every_readme_command_line_runs(cli_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = sfh_lines()
    assert len(lines) > 25
    for line in lines:
        args = shlex.split(line)[1:]
        result = runner.invoke(app, args, env=cli_env)
        assert result.exit_code in expected_codes(line), f"{line}\n{result.stderr}"


@pytest.fixture
def ci_report(cli_env, tmp_path, monkeypatch) -> Path:
    """The report.json of the README's CI recipe, written in a temporary folder."""
    monkeypatch.chdir(tmp_path)
    ci_line = next(line for line in sfh_lines() if "--goals 3,4,13" in line and "json" in line)
    result = runner.invoke(app, shlex.split(ci_line)[1:], env=cli_env)
    assert result.exit_code == 0  # goals 3, 4 and 13: met or without data in the fixture
    report = tmp_path / "report.json"
    assert {i["goal"] for i in json.loads(report.read_text("utf-8"))["indicators"]} == {3, 4, 13}
    return report


def test_ci_recipe_through_jq(ci_report):
    needs_tools("jq")
    jq_line = next(line for _, b in BLOCKS for line in b.splitlines() if "| jq" in line)
    jq_args = shlex.split(jq_line.split("| jq", 1)[1])
    done = subprocess.run(["jq", *jq_args], input=ci_report.read_text(encoding="utf-8"),
                          capture_output=True, text=True, check=True)
    assert "3\tN15428\tmet" in done.stdout.splitlines()


def test_ci_recipe_through_polars(ci_report):
    polars_recipe = next(body for language, body in BLOCKS if language == "python")
    done = subprocess.run([sys.executable, "-c", polars_recipe], capture_output=True, text=True,
                          check=False, cwd=ci_report.parent)
    assert done.returncode == 0, done.stderr
    assert "N17461" in done.stdout  # goal 4, no data: listed
    assert "N15428" not in done.stdout  # goal 3, met: filtered out
    assert "N00925" not in done.stdout  # goal 19: not among --goals 3,4,13


def test_shell_completion_completes_commands_and_options():
    script = Path(sys.executable).parent / "sfh"
    if not script.exists():
        pytest.skip("the sfh console script is not installed next to this Python")

    def complete(words: str) -> list[str]:
        env = {"_SFH_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1), "PATH": str(script.parent)}
        done = subprocess.run([str(script)], env=env, capture_output=True, text=True,
                              timeout=30, check=False)
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]  # "plain,report"

    assert "report" in complete("sfh rep")
    assert "--format" in complete("sfh report --for")
