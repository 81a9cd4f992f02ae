"""Benchmarks of the local store: `sfh sync`, warm reports and overviews read from it,
`sfh changes`, the store's size on disk, and the snapshot formats considered.

Starts the fake Kolada (tools/fake_kolada.py, ../shared/kolada) in this process with a
per-request latency, runs whole `sfh` processes, and writes the section "Local store" of
bench/RESULTS.md (the other sections are left as they are).

    python bench/store.py                  # 50 ms latency, 7 runs of the quick cases
    python bench/store.py --runs 3 --latency 0
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from fake_kolada import FakeKolada, KoladaData  # noqa: E402

SHARED = ROOT.parent / "shared" / "kolada"
SFH = [sys.executable, "-m", "strategihalsa"]
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Local store (`python bench/store.py`)"
FORMATS = [("ipc", "uncompressed"), ("ipc", "lz4"), ("ipc", "zstd"), ("parquet", "zstd"),
           ("parquet", "lz4"), ("parquet", "snappy")]
READ = ("import time, polars as pl; wanted = pl.col('unit').is_in(['0680', '0006', '0000', "
        "'{group}']); started = time.perf_counter(); pl.scan_{kind}('{path}')"
        ".filter(wanted).collect(); print(time.perf_counter() - started)")


def timed(args: list[str], env: dict[str, str], fake: FakeKolada) -> tuple[float, int, float]:
    """(seconds, requests, peak RSS in MB) of one sfh process."""
    before = len(fake.requests)
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *SFH, *args], env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 6):
        raise SystemExit(f"sfh {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, len(fake.requests) - before, int(done.stderr.split()[-1]) / 1024


def row(name: str, runs: list[tuple[float, int, float]]) -> str:
    seconds = [r[0] for r in runs]
    return (f"| {name} | {statistics.median(seconds):.2f} s (n={len(runs)}, min "
            f"{min(seconds):.2f}) | {statistics.median(r[1] for r in runs):.0f} | "
            f"{max(r[2] for r in runs):.0f} MB |")


def cases(fake: FakeKolada, env: dict[str, str], runs: int, out: Path) -> list[str]:
    """The measured rows, in the order a reader follows them."""
    rows = [row("`sfh --version` (start-up alone, to scale the rest by the machine's load)",
                [timed(["--version"], env, fake) for _ in range(runs)]),
            row("`sfh sync` (built-in catalogue, all units, socioekonomi)",
                [timed(["sync", "--quiet"], env, fake) for _ in range(3)])]
    plain = ["--format", "json"]
    rows.append(row("warm `report --kommun 0680 -f json` from the store",
                    [timed(["report", "-k", "0680", *plain], env, fake) for _ in range(runs)]))
    rows.append(row("the same from the HTTP cache (`--max-age 0`)",
                    [timed(["report", "-k", "0680", *plain, "--max-age", "0"], env, fake)
                     for _ in range(runs)]))
    rows.append(row("warm `overview -f json` from the store",
                    [timed(["overview", *plain], env, fake) for _ in range(runs)]))
    rows.append(row("the same from the HTTP cache (`--max-age 0`)",
                    [timed(["overview", *plain, "--max-age", "0"], env, fake)
                     for _ in range(runs)]))
    rows.append(row("`sfh changes` (two snapshots, goals of all 311 units)",
                    [timed(["changes", "--quiet"], env, fake) for _ in range(3)]))
    rows.append(row("`report --all -f csv --refresh` (today's bulk data fetch, for scale)",
                    [timed(["report", "--all", "-f", "csv", "-d", str(out), "--refresh",
                            "--quiet", "--max-age", "0"], env, fake) for _ in range(2)]))
    return rows


def sizes(snapshot: Path) -> str:
    files = {p.name: p.stat().st_size for p in sorted(snapshot.iterdir())}
    listed = ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in files.items())
    return f"{sum(files.values()) / 1e6:.2f} MB per snapshot ({listed})"


def formats(snapshot: Path, work: Path, runs: int) -> list[str]:
    """Size, write time and a report's read (4 units, lazily filtered) per format."""
    import polars as pl

    values = pl.read_parquet(snapshot / "values.parquet")
    group = values.filter(pl.col("unit").str.starts_with("G"))["unit"][0]
    rows = []
    for kind, compression in FORMATS:
        path = work / f"values.{kind}.{compression}"
        started = time.perf_counter()
        getattr(values, f"write_{kind}")(path, compression=compression)
        written = time.perf_counter() - started
        code = READ.format(kind=kind, path=path, group=group)
        reads = [float(subprocess.check_output([sys.executable, "-c", code]))
                 for _ in range(runs)]
        rows.append(f"| {kind} {compression} | {path.stat().st_size / 1e6:.2f} MB | "
                    f"{written * 1000:.0f} ms | {statistics.median(reads) * 1000:.1f} ms "
                    f"(min {min(reads) * 1000:.1f}) |")
    return [f"{values.height} rows; read = `scan_*(...).filter(4 units).collect()` in a fresh "
            "process, median of runs", "", "| format | size | write | read |",
            "|---|---|---|---|", *rows]


def section(args: argparse.Namespace, rows: list[str], size: str, table: list[str]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        SECTION, "",
        f"Measured {when} with `python bench/store.py --latency {args.latency} --runs "
        f"{args.runs}` (whole processes; the fake Kolada serving ../shared/kolada; a busy "
        "shared 2-core machine, so medians).", "",
        "| case | wall time (median) | requests | peak RSS |", "|---|---|---|---|", *rows, "",
        f"- Store size on disk: {size}.", "", "### Snapshot formats considered", "",
        *table, ""])


def write(text: str) -> None:
    """Replace (or add) this script's section of RESULTS.md."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(SECTION) + r".*?(?=^## (?!#)|\Z)", re.DOTALL | re.MULTILINE)
    new = pattern.sub(lambda _: text + "\n", old) if SECTION in old else \
        old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            FakeKolada(KoladaData.from_dir(SHARED), latency=args.latency) as fake:
        work = Path(folder)
        env = {**os.environ, "SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(work / "cache"),
               "NO_COLOR": "1"}
        rows = cases(fake, env, args.runs, work / "out")
        snapshot = sorted((work / "cache" / "store").glob("2*"))[-1]
        text = section(args, rows, sizes(snapshot), formats(snapshot, work, args.runs))
    write(text)
    print(text)


if __name__ == "__main__":
    main()
