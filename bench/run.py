"""Benchmarks of whole `sfh` processes against a local fake Kolada with per-request latency.

Starts tools/fake_kolada.py (in this process, on 127.0.0.1) fed with ../shared/kolada,
runs each case several times as a subprocess, and writes bench/RESULTS.md with medians,
request counts, the lower bound Kolada's limits allow, and a naive baseline (one request
per KPI and unit, as a typical hand-written script does).

    python bench/run.py                      # 50 ms latency, 5 runs per case
    python bench/run.py --latency 0.1 --runs 3 --skip-all
"""

from __future__ import annotations

import argparse
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


@dataclass
class Case:
    """One measured case: its runs, requests, memory, and what it is compared with."""

    name: str
    target: str
    seconds: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    lower_bound: int | None = None
    naive: str = ""

    def row(self) -> str:
        median = statistics.median(self.seconds)
        requests = statistics.median(self.requests) if self.requests else 0
        memory = f"{max(self.peak_mb):.0f} MB" if self.peak_mb else "–"
        bound = "–" if self.lower_bound is None else str(self.lower_bound)
        return (f"| {self.name} | {self.target} | {median:.2f} s (n={len(self.seconds)}, "
                f"min {min(self.seconds):.2f}) | {requests:.0f} | {bound} | {memory} | "
                f"{self.naive or '–'} |")


def run(args: list[str], env: dict[str, str], fake: FakeKolada | None, case: Case) -> str:
    """Run one sfh process; record wall time, requests seen by the fake, peak memory."""
    before = len(fake.requests) if fake else 0
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    done = subprocess.run([*timer, *SFH, *args], env=env, capture_output=True, text=True,
                          check=False)
    case.seconds.append(time.perf_counter() - started)
    if done.returncode not in (0, 1):
        raise SystemExit(f"sfh {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    if fake:
        case.requests.append(len(fake.requests) - before)
    if timer:
        case.peak_mb.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
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
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--all-runs", type=int, default=2, help="runs of the --all cases")
    parser.add_argument("--skip-all", action="store_true", help="skip the 311-workbook case")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--client-only", action="store_true",
                        help="only the in-process client cases; print their rows, write nothing")
    args = parser.parse_args()
    if not (SHARED / "kpi.json").exists():
        raise SystemExit(f"{SHARED} is missing: the benchmark needs the real Kolada data")
    data = KoladaData.from_dir(SHARED)
    work = Path(tempfile.mkdtemp(prefix="sfh-bench-"))
    cases: list[Case] = []
    with FakeKolada(data, latency=args.latency) as fake:
        if args.client_only:
            print("\n".join(case.row() for case in client_cases(fake, work, args.runs)))
            return
        base_env = {**os.environ, "SFH_KOLADA_URL": fake.url, "NO_COLOR": "1"}
        cases += startup_cases(base_env, args.runs)
        cases += client_cases(fake, work, args.runs)
        cases += report_cases(fake, data, base_env, work, args.runs)
        cases += batch_cases(fake, data, base_env, work, args.all_runs, args.skip_all)
        evidence = import_evidence(base_env)
        phases = "" if args.skip_all else profile_phases(fake, work)
    shutil.rmtree(work, ignore_errors=True)
    write_results(args, cases, evidence, phases)


def startup_cases(env: dict[str, str], runs: int) -> list[Case]:
    cases = [Case("`sfh --help`", "<= 0.3 s"), Case("`sfh --version`", "<= 0.3 s")]
    for _ in range(runs):
        run(["--help"], env, None, cases[0])
        run(["--version"], env, None, cases[1])
    return cases


def report_cases(fake: FakeKolada, data: KoladaData, env: dict[str, str], work: Path,
                 runs: int) -> list[Case]:
    from strategihalsa.catalogue import load_catalogue

    kpis = [k for k in load_catalogue().kpis if any(m["id"] == k for m in data.kpis)]
    units = ["0000", "0006", "0680", "G176284"]
    rows = data_rows(data, kpis, units[:3], range(2012, 2027))
    cold = Case("one kommun report, cold cache", "<= 5 requests, <= 1.5 s",
                lower_bound=lower_bound(3, kpis, units, rows))
    warm = Case("the same report, warm cache", "<= 0.8 s, 0 requests", lower_bound=0)
    for n in range(runs):
        cache = {**env, "SFH_CACHE_DIR": str(work / f"cache-{n}")}
        run(["report", "--kommun", "0680", "--format", "json"], cache, fake, cold)
        run(["report", "--kommun", "0680", "--format", "json"], cache, fake, warm)
    count, seconds = naive_requests(fake, kpis, units)
    cold.naive = f"{count + 3} requests, {seconds:.2f} s of requests alone"
    return [cold, warm]


def client_cases(fake: FakeKolada, work: Path, runs: int) -> list[Case]:
    """In-process, cold cache: what a one-kommun report fetches (metadata, then values),
    with the three metadata lists fetched at once (as `metadata()` does) and in turn."""
    from datetime import date

    from strategihalsa.catalogue import load_catalogue

    kpis = list(load_catalogue().kpis)
    years = list(range(2012, date.today().year + 1))
    at_once = Case("client: metadata() + values(), cold cache, in-process", "<= 0.55 s")
    in_turn = Case("client: the 3 metadata lists in turn + values(), cold cache", "–")
    for n in range(runs):
        for case, metadata in ((at_once, _metadata_at_once), (in_turn, _metadata_in_turn)):
            client = _client(fake, work / f"client-{len(case.seconds)}-{n}-{id(case)}")
            before, started = len(fake.requests), time.perf_counter()
            metadata(client, kpis)
            client.values(kpis, ["0000", "0006", "0680", "G176284"], years)
            case.seconds.append(time.perf_counter() - started)
            case.requests.append(len(fake.requests) - before)
    return [at_once, in_turn]


def _client(fake: FakeKolada, cache: Path):
    from strategihalsa.kolada import KoladaClient
    from strategihalsa.settings import ClientSettings

    return KoladaClient(ClientSettings(api_url=fake.url, cache_dir=cache))


def _metadata_at_once(client, kpis: list[str]) -> None:
    client.metadata(kpis, groups=True)


def _metadata_in_turn(client, kpis: list[str]) -> None:
    client.municipalities()
    client.kpis(kpis)
    client.municipality_groups()


def batch_cases(fake: FakeKolada, data: KoladaData, env: dict[str, str], work: Path,
                runs: int, skip_all: bool) -> list[Case]:
    from strategihalsa.catalogue import load_catalogue

    kpis = [k for k in load_catalogue().kpis if any(m["id"] == k for m in data.kpis)]
    kommuner = [m["id"] for m in data.municipalities if m["type"] == "K"]
    everyone = [m["id"] for m in data.municipalities]
    cases = []
    overview = Case("`overview`, all kommuner, cold cache", "<= 60 requests, <= 10 s",
                    lower_bound=lower_bound(2, kpis, [*kommuner, "0000", *_regions(data)],
                                            data_rows(data, kpis, everyone, range(2012, 2027))))
    for n in range(runs):
        cache = {**env, "SFH_CACHE_DIR": str(work / f"overview-{n}")}
        run(["overview", "--format", "json"], cache, fake, overview)
    overview.naive = f"{len(kpis) * len(everyone) + 2} requests (estimate: one per KPI × unit)"
    cases.append(overview)
    if skip_all:
        return cases
    groups = [g["id"] for g in data.groups if g["title"].startswith(
        ("Liknande kommuner socioekonomi", "Liknande regioner socioekonomi"))]
    every = Case("`report --all --format xlsx` (311 workbooks), cold cache",
                 "<= 60 requests, <= 60 s, <= 600 MB",
                 lower_bound=lower_bound(3, kpis, everyone + groups,
                                         data_rows(data, kpis, everyone, range(2012, 2027))
                                         + len(groups) * 11 * len(kpis)))
    for n in range(runs):
        cache = {**env, "SFH_CACHE_DIR": str(work / f"all-{n}")}
        out = work / f"rapporter-{n}"
        run(["report", "--all", "--format", "xlsx", "--output-dir", str(out), "--quiet"],
            cache, fake, every)
        written = len(list(out.glob("*.xlsx")))
        if written != 311:
            raise SystemExit(f"--all wrote {written} workbooks, not 311")
    per_book = statistics.median(every.seconds) / 311
    every.naive = (f"{len(kpis) * (len(everyone) + len(groups)) + 3} requests (estimate); "
                   f"{per_book * 1000:.0f} ms per workbook")
    cases.append(every)
    return cases


def _regions(data: KoladaData) -> list[str]:
    return [m["id"] for m in data.municipalities if m["type"] == "L" and m["id"] != "0000"]


def profile_phases(fake: FakeKolada, work: Path) -> str:
    """Where the --all run spends its time, measured in-process phase by phase."""
    import io

    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.kolada import KoladaClient
    from strategihalsa.render import xlsx
    from strategihalsa.run import build_reports
    from strategihalsa.settings import ClientSettings, Comparisons
    from strategihalsa.units import Selection

    client = KoladaClient(ClientSettings(api_url=fake.url, cache_dir=work / "profile"))
    started = time.perf_counter()
    reports = build_reports(client, load_catalogue(), Selection(all_units=True), None,
                            Comparisons(rank=True))
    fetched = time.perf_counter()
    books = [xlsx.workbook(report) for report in reports]
    built = time.perf_counter()
    for book in books:
        book.save(io.BytesIO())
    saved = time.perf_counter()
    return (f"Phases of `--all` (in-process, cold cache): fetch + evaluate + assemble "
            f"{fetched - started:.1f} s; building 311 workbooks {built - fetched:.1f} s "
            f"({(built - fetched) / 311 * 1000:.0f} ms each); saving them "
            f"{saved - built:.1f} s ({(saved - built) / 311 * 1000:.0f} ms each, mostly cell "
            "XML and the 23 charts per workbook). openpyxl dominates; the polars work does not, "
            "so `sfh` renders large Excel batches in one spawned process per core.")


def write_results(args: argparse.Namespace, cases: list[Case], evidence: str,
                  phases: str) -> None:
    import polars

    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with `python bench/run.py "
        f"--latency {args.latency} --runs {args.runs}`: whole `sfh` processes against the "
        f"local fake Kolada (tools/fake_kolada.py) serving ../shared/kolada with "
        f"{args.latency * 1000:.0f} ms latency per request.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, polars {polars.__version__}, {platform.platform()}.",
        "",
        "| case | target | wall time (median) | requests | lower bound | peak RSS | naive |",
        "|---|---|---|---|---|---|---|",
        *(case.row() for case in cases),
        "",
        "- *requests*: HTTP requests the fake Kolada received (median over runs).",
        "- *peak RSS*: the largest single process (GNU time); the `--all` run also has one "
        "rendering worker per core.",
        "- *lower bound*: the fewest requests Kolada's limits allow for that data: the metadata "
        "calls, and at least one data request per 25-id chunk of KPIs × units and per 5000 rows.",
        "- *naive*: one request per KPI and unit, as a typical hand-written script does "
        "(measured for one report; an estimate for the bulk cases).",
        f"- Imports: {evidence}",
        *([f"- Profile: {phases}"] if phases else []),
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
