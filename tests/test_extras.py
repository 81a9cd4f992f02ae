"""Optional extras: without matplotlib (the `html` extra) `--format html` and `pdf` stop
before anything is fetched, with the command that installs it; the rest works."""

from __future__ import annotations

import subprocess
import sys

import pytest

BLOCKED = ("import sys; sys.modules[{module!r}] = None; "  # as if it were not installed
           "sys.argv = ['sfh', *sys.argv[1:]]; from strategihalsa.cli import main; main()")


def sfh_without(module: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCKED.format(module=module), *args],
                          capture_output=True, text=True, env={**env, "PATH": "/usr/bin:/bin"},
                          check=False, timeout=120)


def sfh_without_matplotlib(env: dict, *args: str) -> subprocess.CompletedProcess:
    return sfh_without("matplotlib", env, *args)


def test_pdf_needs_the_pdf_extra(cli_env, fake, tmp_path):
    done = sfh_without("weasyprint", cli_env, "report", "-k", "0680", "-o",
                       str(tmp_path / "r.pdf"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("sfh: error: --format pdf needs WeasyPrint: "
                                  "python -m pip install 'strategihalsa[pdf]'")
    assert fake.requests == [] and not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize("output_format", ["html", "pdf"])
def test_charts_need_the_html_extra(cli_env, fake, tmp_path, output_format):
    done = sfh_without_matplotlib(cli_env, "report", "-k", "0680", "-f", output_format,
                                  "-o", str(tmp_path / f"r.{output_format}"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("sfh: error: --format html and pdf draw charts with "
                                  "matplotlib: python -m pip install 'strategihalsa[html]'")
    assert "Traceback" not in done.stderr
    assert fake.requests == []  # refused before anything was fetched
    assert not (tmp_path / f"r.{output_format}").exists()


def test_other_formats_need_no_matplotlib(cli_env, tmp_path):
    done = sfh_without_matplotlib(cli_env, "report", "-k", "0680", "-f", "xlsx",
                                  "-o", str(tmp_path / "r.xlsx"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.xlsx").stat().st_size > 10_000
