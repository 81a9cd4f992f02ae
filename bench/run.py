"""Benchmarks of whole `sfh` processes, and of the peer koladapy, against a local fake Kolada.

Starts tools/fake_kolada.py (in this process, on 127.0.0.1) fed with ../shared/kolada with a
latency per request, runs each case several times as a subprocess, the cases interleaved
(sfh and the peer take turns, so that a busy moment of a shared machine hits both), and
writes bench/RESULTS.md with medians, request counts, the lower bound Kolada's limits allow,
the peer's time on the same job and the ratio. The peer is bench/peer_koladapy.py
(`pip install koladapy`, or `pip install -e '.[bench]'`; without it its rows are skipped).

    python bench/run.py                      # 50 ms latency, 7 runs per case
    python bench/run.py --latency 0.1 --runs 3 --skip-all
    python bench/run.py --memo --output /tmp/results.md   # the fake's answers built once
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import platform
import shutil
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

from fake_kolada import MAX_PER_PAGE, MAX_SEGMENT, FakeKolada, KoladaData  # noqa: E402

SHARED = ROOT.parent / "shared" / "kolada"
SFH = [sys.executable, "-m", "strategihalsa"]
PEER = [sys.executable, str(ROOT / "bench" / "peer_koladapy.py")]


@dataclass
class Case:
    """One measured case: its runs, requests, memory, and what it is compared with."""

    name: str
    target: str
    seconds: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    lower_bound: int | None = None
    naive: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def row(self) -> str:
        requests = statistics.median(self.requests) if self.requests else 0
        memory = f"{max(self.peak_mb):.0f} MB" if self.peak_mb else "–"
        bound = "–" if self.lower_bound is None else str(self.lower_bound)
        cpu = f"{statistics.median(self.cpu):.2f} s" if self.cpu else "–"
        return (f"| {self.name} | {self.target} | {self.median:.2f} s (n={len(self.seconds)}, "
                f"min {min(self.seconds):.2f}) | {cpu} | {requests:.0f} | {bound} | {memory} | "
                f"{self.naive or '–'} |")


def run(command: list[str], env: dict[str, str], fake: FakeKolada | None, case: Case) -> str:
    """Run one process; record wall time, requests seen by the fake, peak memory."""
    before = len(fake.requests) if fake else 0
    timer = ["/usr/bin/time", "-f", "%M %U %S"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    done = subprocess.run([*timer, *command], env=env, capture_output=True, text=True,
                          check=False)
    case.seconds.append(time.perf_counter() - started)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    if fake:
        case.requests.append(len(fake.requests) - before)
    if timer:
        peak, user, system = done.stderr.strip().splitlines()[-1].split()
        case.peak_mb.append(int(peak) / 1024)
        case.cpu.append(float(user) + float(system))
    return done.stdout


def data_rows(data: KoladaData, kpis: list[str], units: list[str], years: range) -> int:
    """How many data rows Kolada would return for kpis × units × years."""
    return sum(1 for k in kpis for u in units
               for y in data.values.get((k, u), {}) if y in years)


def lower_bound(metadata_calls: int, kpis: list[str], units: list[str], rows: int) -> int:
    """Fewest requests the 25-value segments and 5000-row pages allow."""
    chunks = math.ceil(len(kpis) / MAX_SEGMENT) * math.ceil(len(units) / MAX_SEGMENT)
    return metadata_calls + max(chunks, math.ceil(rows / MAX_PER_PAGE))


def import_evidence(env: dict[str, str]) -> str:
    """Which heavy modules `sfh --help` imports (python -X importtime)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *SFH[1:], "--help"], env=env,
                          capture_output=True, text=True, check=False)
    heavy = {"polars", "openpyxl", "requests", "requests_cache", "urllib3"}
    seen = sorted({line.split("|")[-1].strip() for line in done.stderr.splitlines()
                   if line.split("|")[-1].strip() in heavy})
    total = sum(1 for line in done.stderr.splitlines() if line.startswith("import time:"))
    return (f"`python -X importtime -m strategihalsa --help` imported {total - 1} modules; "
            f"of polars, openpyxl, requests, requests_cache, urllib3: "
            f"{', '.join(seen) if seen else 'none'}.")


def naive_requests(fake: FakeKolada, kpis: list[str], units: list[str]) -> tuple[int, float]:
    """A hand-written script's way: one data request per KPI and unit; count and seconds."""
    import requests

    session = requests.Session()
    started = time.perf_counter()
    for kpi in kpis:
        for unit in units:
            session.get(f"{fake.url}/data/kpi/{kpi}/municipality/{unit}", timeout=30).json()
    return len(kpis) * len(units), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--all-runs", type=int, default=3, help="runs of the --all case")
    parser.add_argument("--skip-all", action="store_true", help="skip the --all case")
    parser.add_argument("--memo", action="store_true", help="the fake answers a repeated "
                        "request with the bytes it built the first time: its own work off "
                        "the two cores the client is measured on, as a real Kolada's is")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    if not (SHARED / "kpi.json").exists():
        raise SystemExit(f"{SHARED} is missing: the benchmark needs the real Kolada data")
    data = KoladaData.from_dir(SHARED)
    work = Path(tempfile.mkdtemp(prefix="sfh-bench-"))
    with FakeKolada(data, latency=args.latency, memo=args.memo) as fake:
        env = {**os.environ, "SFH_KOLADA_URL": fake.url, "NO_COLOR": "1"}
        jobs = Jobs(fake, data, env, work)
        cases = startup_cases(env, args.runs)
        cases += jobs.cold_and_peer(args.runs)
        cases += [] if args.skip_all else [jobs.everything(args.all_runs)]
        evidence = import_evidence(env)
    shutil.rmtree(work, ignore_errors=True)
    write_results(args, cases, evidence, ratios(cases))


def startup_cases(env: dict[str, str], runs: int) -> list[Case]:
    cases = [Case("`sfh --version`", "<= 0.06 s"), Case("`sfh --help`", "<= 0.15 s")]
    for _ in range(runs):
        run([*SFH, "--version"], env, None, cases[0])
        run([*SFH, "--help"], env, None, cases[1])
    return cases


@dataclass
class Jobs:
    """The jobs measured against the fake, for sfh and for the peer."""

    fake: FakeKolada
    data: KoladaData
    env: dict[str, str]
    work: Path

    @property
    def kpis(self) -> list[str]:
        """The catalogue's KPIs that Kolada knows (what sfh asks data for)."""
        from strategihalsa.catalogue import load_catalogue

        known = {kpi["id"] for kpi in self.data.kpis}
        return [kpi for kpi in load_catalogue().kpis if kpi in known]

    def cache(self, name: str) -> dict[str, str]:
        return {**self.env, "SFH_CACHE_DIR": str(self.work / name)}

    def cold_and_peer(self, runs: int) -> list[Case]:
        """One kommun (cold, warm) and the national overview, sfh and koladapy in turn."""
        units = [m["id"] for m in self.data.municipalities]
        one = ["0000", "0006", "0680", "G176284"]
        kommun = Case("one kommun report, cold cache", "<= 0.45 s", lower_bound=lower_bound(
            3, self.kpis, one, data_rows(self.data, self.kpis, one, YEARS)))
        warm = Case("the same report, warm cache", "0 requests", lower_bound=0)
        overview = Case("`overview`, all kommuner, cold cache", "<= 1.2 s, <= 15 requests",
                        lower_bound=lower_bound(2, self.kpis, units,
                                                data_rows(self.data, self.kpis, units, YEARS)))
        peers = [Case("koladapy: the one kommun's data, cold", "–"),
                 Case("koladapy: the overview's data, cold", "–")]
        for n in range(runs):
            report = [*SFH, "report", "--kommun", "0680", "--format", "json"]
            run(report, self.cache(f"kommun-{n}"), self.fake, kommun)
            run(report, self.cache(f"kommun-{n}"), self.fake, warm)
            run([*SFH, "overview", "--format", "json"], self.cache(f"overview-{n}"), self.fake,
                overview)
            if HAS_PEER:
                for job, case in zip(("kommun", "overview"), peers, strict=True):
                    run([*PEER, "--url", self.fake.url, "--kpis", ",".join(self.kpis), job],
                        self.env, self.fake, case)
        count, seconds = naive_requests(self.fake, self.kpis, one)
        kommun.naive = f"{count + 3} requests, {seconds:.2f} s of requests alone"
        return [kommun, warm, overview] + (peers if HAS_PEER else [])

    def everything(self, runs: int) -> Case:
        """`report --all --format csv`: every kommun and region, cold cache."""
        units = [m["id"] for m in self.data.municipalities]
        groups = [g["id"] for g in self.data.groups if g["title"].startswith(
            ("Liknande kommuner socioekonomi", "Liknande regioner socioekonomi"))]
        case = Case("`report --all --format csv` (311 units), cold cache", "<= 5 s",
                    lower_bound=lower_bound(3, self.kpis, units + groups,
                                            data_rows(self.data, self.kpis, units, YEARS)
                                            + len(groups) * 11 * len(self.kpis)))
        for n in range(runs):
            out = self.work / f"alla-{n}.csv"
            run([*SFH, "report", "--all", "--format", "csv", "--output", str(out), "--quiet"],
                self.cache(f"all-{n}"), self.fake, case)
        case.naive = (f"{len(self.kpis) * (len(units) + len(groups)) + 3} requests "
                      "(estimate: one per KPI × unit)")
        return case


YEARS = range(2012, datetime.now(UTC).year + 1)
HAS_PEER = importlib.util.find_spec("koladapy") is not None


def ratios(cases: list[Case]) -> list[str]:
    """koladapy's median over sfh's on the same job (the figure that counts)."""
    by_name = {case.name: case for case in cases}
    pairs = [("one kommun report, cold cache", "koladapy: the one kommun's data, cold"),
             ("`overview`, all kommuner, cold cache", "koladapy: the overview's data, cold")]
    return [f"koladapy / sfh, {ours}: {by_name[peer].median / by_name[ours].median:.2f}"
            for ours, peer in pairs if peer in by_name]


def write_results(args: argparse.Namespace, cases: list[Case], evidence: str,
                  compared: list[str]) -> None:
    import polars

    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with `python bench/run.py "
        f"--latency {args.latency} --runs {args.runs}{' --memo' if args.memo else ''}`: whole "
        f"`sfh` processes, and the peer "
        f"koladapy (bench/peer_koladapy.py), against the local fake Kolada "
        f"(tools/fake_kolada.py) serving ../shared/kolada with {args.latency * 1000:.0f} ms "
        f"latency per request{' (each answer built once)' if args.memo else ''}; the cases "
        f"take turns run by run. Load average at the end: "
        f"{', '.join(f'{load:.1f}' for load in os.getloadavg())}.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, polars {polars.__version__}, {platform.platform()}.",
        "",
        "| case | target | wall time (median) | CPU (median) | requests | lower bound | peak RSS "
        "| naive |",
        "|---|---|---|---|---|---|---|---|",
        *(case.row() for case in cases),
        "",
        "- *requests*: HTTP requests the fake Kolada received (median over runs).",
        "- *CPU*: user + system seconds of the process (GNU time): steadier than wall time on a "
        "shared machine.",
        "- *peak RSS*: the largest single process (GNU time).",
        "- *lower bound*: the fewest requests Kolada's limits allow for that data: the metadata "
        "calls, and at least one data request per 25-id chunk of KPIs × units and per 5000 rows.",
        "- *naive*: one request per KPI and unit, as a typical hand-written script does "
        "(measured for one report; an estimate for the bulk cases).",
        f"- Imports: {evidence}",
        *(f"- {line}" for line in compared),
        "",
    ]
    others = ""
    if args.output.exists():  # the sections other bench scripts write stay as they are
        old = args.output.read_text(encoding="utf-8")
        others = old[old.index("\n## "):] if "\n## " in old else ""
    args.output.write_text("\n".join(lines) + others, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
