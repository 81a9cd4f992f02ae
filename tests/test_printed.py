"""Workbooks printed by LibreOffice, read back with poppler: every word's size in points and
the pages each sheet takes, as a person printing the workbook on A4 would get them.

The workbooks (from the fixture, a hand-built model and the real data in ../shared) are
printed in one LibreOffice run, once per test run: starting LibreOffice is most of the cost.
Skips when LibreOffice or poppler is missing (CI installs both).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SHARED_KOLADA, built_once, needs_tools
from fake_kolada import FakeKolada, KoladaData
from fixture_data import fixture_data
from test_html import sfh
from test_xlsx import SHEETS, book_of, kommun_report

WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')
LIBERATION_BOX = 1.3  # pdftotext's word box is 1.3 × the size of Liberation Sans (Arial)
Pages = list[list[tuple[float, str, float]]]


def workbooks(folder: Path, real: KoladaData | None) -> None:
    """The workbooks to print: the fixture's Jönköping and län 06 summary, the hand-built
    model, and with the real data Jönköping and the overview."""
    (folder / "model.xlsx").write_bytes(book_of(kommun_report())[1])
    sources = [("fixture", fixture_data(), [("report", "-k", "0680"), ("report", "--lan", "06")])]
    if real is not None:
        sources.append(("real", real, [("report", "-k", "0680"), ("overview",)]))
    for name, data, commands in sources:
        with FakeKolada(data) as fake:
            env = {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(folder / f"cache-{name}")}
            for command in commands:
                stem = f"{name}-{command[-1]}"
                target = ["-d", str(folder / stem)] if "--lan" in command else \
                    ["-o", str(folder / f"{stem}.xlsx")]
                sfh(env, *command, "-f", "xlsx", *target)
    shutil.move(folder / "fixture-06" / "06-jonkopings-lan.xlsx", folder / "fixture-06.xlsx")


def print_all(folder: Path, real: KoladaData | None) -> None:
    """Every workbook printed to PDF by one LibreOffice, and each PDF's word boxes."""
    workbooks(folder, real)
    books = sorted(str(path) for path in folder.glob("*.xlsx"))
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo",
         "--convert-to", "pdf", "--outdir", str(folder), *books],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    for book in books:
        pdf = Path(book).with_suffix(".pdf")
        subprocess.run(["pdftotext", "-bbox", str(pdf), str(pdf.with_suffix(".bbox"))],
                       check=True)


@pytest.fixture(scope="module")
def printouts(request, tmp_path_factory) -> Path:
    needs_tools("soffice", "pdftotext")
    real = request.getfixturevalue("shared_data") if (SHARED_KOLADA / "kpi.json").exists() \
        else None
    return built_once(tmp_path_factory, "printouts", lambda folder: print_all(folder, real))


def printed(printouts: Path, name: str) -> Pages:
    """Each printed page's words of a workbook: text size in points, the word, how far from
    the top."""
    boxes = (printouts / f"{name}.bbox").read_text(encoding="utf-8")
    return [[(size(*map(float, found[:4]), html.unescape(found[4])), html.unescape(found[4]),
              float(found[1])) for found in WORD.findall(page) if found[4].strip()]
            for page in boxes.split("<page ")[1:]]


def size(x0: float, y0: float, x1: float, y1: float, word: str) -> float:
    """A word's text size from its box; upright (rotated) words are as thick as they are
    wide. Short words are as high as their longer side."""
    width, height = x1 - x0, y1 - y0
    thick = max(width, height) if len(word) <= 2 else width if height > 1.5 * width else height
    return thick / LIBERATION_BOX


def pages_per_sheet(pages: Pages, sheets: list[str]) -> dict:
    """Pages counted by the sheet name printed in each page's header (its top 0,5 inch)."""
    counts = dict.fromkeys(sheets, 0)
    for page in pages:
        heading = " ".join(word for _, word, top in page if top < 36)
        counts[next(s for s in sheets if s in heading)] += 1
    return counts


def smallest(pages: Pages) -> float:
    return min(s for page in pages for s, _, _ in page)


def test_the_fixture_workbook_prints_legibly_a_page_per_malomrade(printouts):
    pages = printed(printouts, "fixture-0680")
    # Sammanfattning: 3 målområden × 2 printed parts; Trender: 3 charts of God och jämlik
    # hälsa, 1 of God kvalitet, a page each, 4 of Hållbart och uthålligt on two; Kön: one
    # key figure with values, one page; Om rapporten: the meanings and 22 key figures
    assert pages_per_sheet(pages, SHEETS) == {"Sammanfattning": 6, "Trender": 4, "Kön": 1,
                                              "Om rapporten": 2}
    assert smallest(pages) >= 8


def test_the_hand_built_workbook_prints_with_nothing_too_small(printouts):
    pages = printed(printouts, "model")
    assert smallest(pages) >= 8
    words_printed = {w for page in pages for _, w, _ in page}
    assert {"Liknande", "Målnivå", "uppnått"} <= words_printed


def test_lan_workbook_prints_on_few_pages(printouts):
    """Län 06 of the fixture: a page per table (three units); the goals' notes, 23 lines,
    may take a second."""
    pages = printed(printouts, "fixture-06")
    counts = pages_per_sheet(pages, ["Status", "Förändring", "Placering i länet"])
    assert counts["Status"] <= 2 and counts["Förändring"] == counts["Placering i länet"] == 1
    assert all(min(size for size, _, _ in page) >= 7.5 for page in pages)


def test_jonkopings_gender_sheet_prints_on_one_page(shared_data, printouts):
    """Real data: nine key figures with values by gender (goals 3, 4, 6, 7, 8, 9, 15, 21,
    22), 27 rows; the sheet printed in two parts across before."""
    pages = printed(printouts, "real-0680")
    assert pages_per_sheet(pages, SHEETS)["Kön"] == 1
    assert smallest(pages) >= 8


def test_the_real_overview_prints_in_a_page_count_a_person_accepts(shared_data, printouts):
    pages = printed(printouts, "real-overview")
    counts = pages_per_sheet(pages, ["Översikt", "Matris", "Rangordning", "Förändring"])
    assert sum(counts.values()) <= 24 and all(counts.values())  # the old workbook: 112
    assert smallest(pages) >= 8
