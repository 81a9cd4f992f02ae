"""Excel against CSV: `sfh report --all` as xlsx and as csv in the same run, and what the
workbooks look like on paper.

Starts tools/fake_kolada.py in this process, fed with ../shared/kolada, and times whole
`sfh` processes (cold cache each time, the runs of the two formats interleaved so both see
the same machine). With --pages it also prints Jönköping's workbook and the overview
workbook to PDF with LibreOffice and reports the page counts and the smallest printed word.

    python bench/xlsx.py                      # 50 ms latency, 3 runs per format
    python bench/xlsx.py --runs 1 --pages --latency 0
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tools")]  # this tree, not an installed copy

from fake_kolada import FakeKolada, KoladaData  # noqa: E402

SHARED = ROOT.parent / "shared" / "kolada"
SFH = [sys.executable, "-m", "strategihalsa"]
WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')


def sfh(args: list[str], env: dict[str, str]) -> float:
    """Seconds one `sfh` process takes; fails loudly."""
    started = time.perf_counter()
    done = subprocess.run([*SFH, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"sfh {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return time.perf_counter() - started


def batches(env: dict[str, str], work: Path, runs: int) -> dict[str, list[float]]:
    """`report --all` as csv (one file) and xlsx (311 files), interleaved, cold caches."""
    seconds: dict[str, list[float]] = {"csv": [], "xlsx": []}
    for n in range(runs):
        for fmt, target in (("csv", ["-o", str(work / f"all-{n}.csv")]),
                            ("xlsx", ["-d", str(work / f"xlsx-{n}")])):
            cache = {**env, "SFH_CACHE_DIR": str(work / f"cache-{fmt}-{n}")}
            seconds[fmt].append(sfh(["report", "--all", "-f", fmt, "--quiet", *target], cache))
    written = len(list((work / "xlsx-0").glob("*.xlsx")))
    if written != 311:
        raise SystemExit(f"--all wrote {written} workbooks, not 311")
    return seconds


def in_process(url: str, work: Path) -> str:
    """Building and saving the 311 workbooks in this process, one core."""
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.kolada import KoladaClient
    from strategihalsa.render import Options, renderer
    from strategihalsa.run import build_reports
    from strategihalsa.settings import ClientSettings, Comparisons
    from strategihalsa.units import Selection

    client = KoladaClient(ClientSettings(api_url=url, cache_dir=work / "in-process"))
    reports = build_reports(client, load_catalogue(), Selection(all_units=True), None,
                            Comparisons(rank=True))
    xlsx, seconds, sizes = renderer("xlsx"), [], []
    for report in reports:
        started = time.perf_counter()
        sizes.append(len(xlsx.reports([report], Options())))
        seconds.append(time.perf_counter() - started)
    return (f"rendering one workbook takes {statistics.median(seconds) * 1000:.0f} ms on one "
            f"core (median of {len(reports)}; median size "
            f"{statistics.median(sizes) / 1024:.0f} KiB)")


def size(x0: float, y0: float, x1: float, y1: float, word: str) -> float:
    """A word's text size in points from its box (Liberation Sans: 1.3 × the size); words
    turned upright are as thick as they are wide."""
    width, height = x1 - x0, y1 - y0
    thick = max(width, height) if len(word) <= 2 else width if height > 1.5 * width else height
    return thick / 1.3


def printed(path: Path, work: Path) -> str:
    """Pages and the smallest text of a workbook printed by LibreOffice."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo",
                    "--convert-to", "pdf", "--outdir", str(work), str(path)],
                   capture_output=True, check=True, timeout=600)
    pdf = work / f"{path.stem}.pdf"
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    sizes = [size(*map(float, found[:4]), html.unescape(found[4]))
             for found in WORD.findall(boxes) if found[4].strip()]
    return f"{boxes.count('<page ')} pages, smallest text {min(sizes):.1f} pt"


def pages(env: dict[str, str], work: Path) -> list[str]:
    """Jönköping's workbook and the overview workbook on paper."""
    cache = {**env, "SFH_CACHE_DIR": str(work / "cache-pages")}
    sfh(["report", "-k", "0680", "-f", "xlsx", "-o", str(work / "jonkoping.xlsx")], cache)
    sfh(["overview", "-f", "xlsx", "-o", str(work / "oversikt.xlsx")], cache)
    return [f"Jönköping (0680): {printed(work / 'jonkoping.xlsx', work)}",
            f"overview, all kommuner: {printed(work / 'oversikt.xlsx', work)}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", action="store_true", help="print to PDF with LibreOffice")
    args = parser.parse_args()
    if not (SHARED / "kpi.json").exists():
        raise SystemExit(f"{SHARED} is missing: the benchmark needs the real Kolada data")
    work = Path(tempfile.mkdtemp(prefix="sfh-bench-xlsx-"))
    env = {**os.environ, "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    with FakeKolada(KoladaData.from_dir(SHARED), latency=args.latency) as fake:
        env["SFH_KOLADA_URL"] = fake.url
        seconds = batches(env, work, args.runs)
        profile = in_process(fake.url, work)
        paper = pages(env, work) if args.pages and shutil.which("soffice") else []
    shutil.rmtree(work, ignore_errors=True)
    csv_s, xlsx_s = (statistics.median(seconds[f]) for f in ("csv", "xlsx"))
    print(f"latency {args.latency * 1000:.0f} ms, {args.runs} run(s) each, {os.cpu_count()} "
          f"cores\n`report --all -f csv`:  {csv_s:.2f} s (runs {_list(seconds['csv'])})\n"
          f"`report --all -f xlsx`: {xlsx_s:.2f} s (runs {_list(seconds['xlsx'])})\n"
          f"xlsx / csv = {xlsx_s / csv_s:.2f}\n{profile}")
    print("\n".join(paper))


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
