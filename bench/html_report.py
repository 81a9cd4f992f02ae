"""Benchmarks of the HTML and PDF reports: whole `sfh` processes against a local fake Kolada
serving ../shared/kolada, timed as wall time and CPU time (the machine may be shared, so
both are reported, with the load average).

Writes (or replaces) the section "HTML and PDF reports" of bench/RESULTS.md.

    python bench/html_report.py                 # 5 runs per case, one cold --all run
    python bench/html_report.py --runs 3 --skip-all
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from fake_kolada import FakeKolada, KoladaData  # noqa: E402

SHARED = ROOT.parent / "shared" / "kolada"
SFH = [sys.executable, "-m", "strategihalsa"]
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## HTML and PDF reports"


@dataclass
class Case:
    """One measured command: wall and CPU seconds of each run."""

    name: str
    target: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median wall time."""
        return statistics.median(self.wall)

    def row(self) -> str:
        """A Markdown table row."""
        return (f"| {self.name} | {self.target} | {self.median:.2f} s (n={len(self.wall)}, "
                f"min {min(self.wall):.2f}) | {statistics.median(self.cpu):.2f} s |")


def children_cpu() -> float:
    """CPU seconds (user + system) of all waited-for child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(case: Case, args: list[str], env: dict[str, str]) -> None:
    """Run `sfh args` once and record its wall and CPU time (workers included)."""
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run([*SFH, *args], env=env, capture_output=True, text=True, check=False)
    case.wall.append(time.perf_counter() - started)
    case.cpu.append(children_cpu() - cpu)
    if done.returncode not in (0, 1):
        raise SystemExit(f"sfh {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")


def measure(name: str, target: str, args: list[str], env: dict[str, str], runs: int) -> Case:
    """A case run `runs` times after one warm-up run (the cache is warm)."""
    case = Case(name, target)
    run(Case("warm-up", ""), args, env)
    for _ in range(runs):
        run(case, args, env)
    return case


def interleaved(env: dict[str, str], out: Path, runs: int) -> list[Case]:
    """`--lan 06` as xlsx and as html, run alternately so that both see the same load."""
    pair = [Case(f"report --lan 06 --format {fmt} --output-dir, warm cache", target)
            for fmt, target in (("xlsx", "reference"), ("html", "<= 2 × xlsx"))]
    for attempt in range(runs + 1):
        for case in pair:
            run(case if attempt else Case("warm-up", ""), ["report", "--lan", "06", "--format",
                fmt(case), "-q", "--output-dir", str(out / f"lan-{fmt(case)}")], env)
    return pair


def cases(env: dict[str, str], out: Path, runs: int, skip_all: bool) -> list[Case]:
    """Every measured case, in the order of the table."""
    found = [measure("report --kommun 0680 --format json (reference)", "–",
                     ["report", "--kommun", "0680", "--format", "json", "-o", str(out / "j.json")],
                     env, runs)]
    for fmt, limit in (("html", "<= 2 s"), ("pdf", "<= 5 s")):
        found.append(measure(f"report --kommun 0680 --format {fmt}, warm cache", limit,
                             ["report", "--kommun", "0680", "--format", fmt, "-o",
                              str(out / f"j.{fmt}")], env, runs))
    found += interleaved(env, out, runs)
    if not skip_all:
        cold = Case("report --all --format html --output-dir (311 pages + index), cold cache",
                    "<= 120 s")
        run(cold, ["report", "--all", "--format", "html", "-q", "--output-dir",
                   str(out / "all")], {**env, "SFH_CACHE_DIR": str(out / "cold-cache")})
        found.append(cold)
    return found


def fmt(case: Case) -> str:
    """The output format a case ran: 'html' of '... --format html, warm cache'."""
    return case.name.split("--format ")[1].split()[0].strip(",")


def pdf_pages(path: Path) -> str:
    """The page count of a PDF (pdfinfo from poppler-utils), or '?'."""
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")),
                "?")


def section(found: list[Case], runs: int, latency: float, pages: str) -> str:
    """The Markdown section for RESULTS.md."""
    lan = {fmt(c): c.median for c in found if "--lan" in c.name}
    ratio = lan["html"] / lan["xlsx"] if {"html", "xlsx"} <= lan.keys() else float("nan")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    single = {fmt(c): c.median for c in found if "--kommun" in c.name}
    extra = {name: single[name] - single["json"] for name in ("html", "pdf") if name in single}
    return "\n".join([
        HEADING, "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/html_report.py --runs "
        f"{runs}`: whole `sfh` processes against the local fake Kolada serving "
        f"../shared/kolada with {latency * 1000:.0f} ms latency per request (warm cache unless "
        f"said). Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average at the "
        f"end {load} (a shared machine: CPU time is the steadier figure).", "",
        "| case | target | wall time (median) | CPU time (median, workers included) |",
        "|---|---|---|---|",
        *[case.row() for case in found], "",
        f"- `--lan 06`: HTML takes {ratio:.2f} × the time of xlsx (target <= 2).",
        f"- Jönköping's PDF has {pages} A4 pages.",
        "- Batches of 24 pages or more render in one spawned worker process per core "
        "(`Renderer.parallel_from`); smaller ones in-process (for `--lan 06` two worker "
        "start-ups cost more than they save). Each line chart is laid out by matplotlib on a "
        "figure made once per process and its SVG written from the figure's artists "
        "(`render/chart_svg.py`); a spread's box plot is drawn once per batch, each unit's "
        "mark over it.",
        f"- The reference row is the same report as JSON, so rendering itself costs the "
        f"difference: HTML +{extra.get('html', 0):.2f} s, PDF +{extra.get('pdf', 0):.2f} s "
        "(wall, medians).", ""])


def write_section(text: str) -> None:
    """Replace this script's section of RESULTS.md, or append it."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    before, found, rest = old.partition(HEADING)
    after = rest[rest.index("\n## ") + 1:] if found and "\n## " in rest else ""
    parts = [before.rstrip("\n"), text.rstrip("\n"), *([after.rstrip("\n")] if after else [])]
    RESULTS.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-all", action="store_true", help="skip the 311-page case")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    args = parser.parse_args()
    with FakeKolada(KoladaData.from_dir(SHARED), latency=args.latency) as server, \
            tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SFH_KOLADA_URL": server.url,
               "SFH_CACHE_DIR": str(Path(tmp) / "cache"), "PYTHONPATH": str(ROOT / "src")}
        found = cases(env, Path(tmp), args.runs, args.skip_all)
        pages = pdf_pages(Path(tmp) / "j.pdf")
    text = section(found, args.runs, args.latency, pages)
    write_section(text)
    print(text)


if __name__ == "__main__":
    main()
