"""The län summary of a --lan batch: the workbook (units × goals), the whole-län PDF (contents
with page numbers, a bookmark per unit), the goals without data collapsed into one note, and
each unit's own change marked in the spread charts of its own file in a --lan batch.

Expected figures are hand-computed from tests/fixture_data.py, län 06: Region Jönköpings län
0006, Habo 0643, Jönköping 0680; baseline 2017, follow-up 2022.
- Goal 3 N15428 (increase, target 2): 0680 82,0 → 85,5 (+3,5, met); 0006 85 → 84 (−1,0,
  not improving); 0643 70 → null (no data).
- Goal 9 N20402 (decrease, target 1000): 0680 6000 → 4900 (−1100, improvement 1100, met).
- Goal 21 U01405 (increase, target 3): 0680 2017 withheld, 2018 76,0 → 77,1 (+1,1, improving);
  0643 70 → 73 (+3,0, met); 0006 75 → 74,3 (−0,7). Among the kommuner: Habo 1, Jönköping 2.
- Data for some unit: goals 2 (N80401, the region's), 3, 9, 19a, 19b, 21, 22; none for
  goals 1 (U01901, retired), 4, 5, 6, 7, 8, 10 (baseline 2022 = the latest year), 11–18, 20.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from itertools import pairwise

import pytest
from click.testing import CliRunner
from conftest import built_once, needs_tools, needs_weasyprint
from fake_kolada import FakeKolada
from fixture_data import fixture_data
from openpyxl import load_workbook

from strategihalsa import api, delivery
from strategihalsa.cli import app
from strategihalsa.errors import OutputError
from strategihalsa.render import Options, boxplot, pages, renderer
from strategihalsa.units import Unit

EMPTY = "1, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18 och 20"
SHOWN = ["2 N80401", "3 N15428", "9 N20402", "19a N00925", "19b N00923", "21 U01405",
         "22 U01413"]


@pytest.fixture(scope="module")
def lan_reports(tmp_path_factory):
    """Län 06 from the fixture, and its xlsx batch written by the command line."""
    root = tmp_path_factory.mktemp("lan")
    with FakeKolada(fixture_data()) as server:
        reports = list(api.report(lan="06", api_url=server.url, cache=False))
        env = {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(root / "cache")}
        done = CliRunner().invoke(app, ["report", "--lan", "06", "-f", "xlsx", "-d",
                                        str(root / "xlsx")], env=env)
    assert done.exit_code == 0, done.stderr
    return reports, root


def test_lan_workbook_units_by_goals_by_hand(lan_reports):
    _, root = lan_reports
    book = load_workbook(root / "xlsx" / "06-jonkopings-lan.xlsx")
    assert book.sheetnames == ["Status", "Förändring", "Placering i länet"]
    status, change, place = (book[name] for name in book.sheetnames)
    assert [c.value for c in status[3]] == ["Kod", "Enhet", *SHOWN]
    assert [status.cell(row, 1).value for row in (4, 5, 6)] == ["0006", "0643", "0680"]
    assert [status.cell(row, 4).value for row in (4, 5, 6)] == [
        "✘ ingen förbättring", "○ kan inte bedömas", "✔ uppnått"]  # goal 3 (Habo: 2017 only)
    assert status["D6"].fill.fgColor.rgb.endswith("C6EFCE")  # and green behind the word
    assert change["D6"].value == pytest.approx(3.5) and change["D4"].value == pytest.approx(-1)
    assert change["E6"].value == pytest.approx(-1100) and change["D5"].value is None
    assert [place.cell(row, 8).value for row in (4, 5, 6)] == [None, "1 av 2", "2 av 2"]
    assert place["D6"].value is None  # goal 3: Jönköping is the only kommun with a change
    assert status.print_title_rows == "$3:$3" and status.page_setup.orientation == "landscape"


def test_lan_workbook_names_the_goals_without_data_once(lan_reports):
    _, root = lan_reports
    book = load_workbook(root / "xlsx" / "06-jonkopings-lan.xlsx")
    notes = [c.value for c in book["Status"]["A"][6:] if c.value]
    assert f"Mål {EMPTY} kan inte bedömas för någon enhet i länet:" in notes
    assert "1. Färre små barn ska utsättas för tobaksrök i hemmet (U01901): nyckeltalet " \
           "U01901 finns inte längre i Kolada" in notes
    assert len([n for n in notes if re.match(r"\d+[ab]?\. ", n)]) == 7 + 16  # shown, then empty


def test_index_collapses_the_goals_without_data_into_one_note(lan_reports):
    reports, _ = lan_reports
    text = pages.index_page(reports)
    assert re.findall(r'<th title="[^"]*">([^<]+)</th>', text) == [
        "2", "3", "9", "19a", "19b", "21", "22"]
    assert f"Mål {EMPTY} kan inte bedömas för någon enhet i länet" in text
    assert 'data-status="not_judged"' in text  # Habo's goal 3 stays a cell: others judged


def test_no_summary_pdf_for_several_lan(lan_reports):
    reports, _ = lan_reports
    stockholm = replace(reports[0], unit=Unit("0001", "Region Stockholm", "L"))
    assert renderer("pdf").join([reports[0], stockholm], Options(), []) is None


@pytest.fixture(scope="module")
def lan_pdf(lan_reports, tmp_path_factory):
    """Län 06 written as a PDF batch into a new folder, with `if_changed` (so the folder
    also holds the files' fingerprints): a file per unit and the län PDF joined from them.
    Made once per run (the slowest batch of the suite); tests copy what they change."""
    needs_weasyprint()
    reports, _ = lan_reports

    def build(folder):
        done = delivery.write_batch(reports, "pdf", Options(), folder, if_changed=True)
        assert not done.failed and not done.unchanged and len(done.written) == 4
    return built_once(tmp_path_factory, "lan-pdf", build)


def pdf_text(path, page=None):
    """The text of a PDF (or of one page of it), whitespace collapsed."""
    pages_chosen = ["-f", str(page), "-l", str(page)] if page else []
    return " ".join(subprocess.run(["pdftotext", *pages_chosen, str(path), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())


def test_lan_pdf_has_contents_with_page_numbers_and_a_bookmark_per_unit(lan_pdf):
    from pypdf import PdfReader

    needs_tools("pdftotext")

    lan_file = lan_pdf / "06-jonkopings-lan.pdf"
    first = subprocess.run(["pdftotext", "-layout", "-l", "1", str(lan_file), "-"],
                           capture_output=True, text=True, check=True).stdout
    starts = []
    for title in ("Region Jönköpings län 0006", "Habo 0643", "Jönköping 0680"):
        found = re.search(re.escape(title) + r"[ .]+(\d+)\s*$", first, re.M)
        assert found, title
        assert title.rsplit(" ", 1)[0] in pdf_text(lan_file, found[1])  # begins there
        starts.append(int(found[1]))
    unit_files = ["0006-region-jonkopings-lan.pdf", "0643-habo.pdf", "0680-jonkoping.pdf"]
    counts = [len(PdfReader(lan_pdf / name).pages) for name in unit_files]
    assert [b - a for a, b in pairwise(starts)] == counts[:2]  # the units, joined
    reader = PdfReader(lan_file)
    assert len(reader.pages) == starts[0] - 1 + sum(counts)
    top = {item.title: reader.get_destination_page_number(item) + 1
           for item in reader.outline if not isinstance(item, list)}
    assert {t: p for t, p in top.items() if re.search(r"\d{4}$", t)} == dict(zip(
        ["Region Jönköpings län 0006", "Habo 0643", "Jönköping 0680"], starts, strict=True))
    assert any(isinstance(item, list) for item in reader.outline)  # each unit's own, nested


def test_lan_pdf_contents_lines_link_to_each_units_first_page(lan_pdf):
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject

    reader = PdfReader(lan_pdf / "06-jonkopings-lan.pdf")
    counts = [len(PdfReader(lan_pdf / name).pages) for name in
              ("0006-region-jonkopings-lan.pdf", "0643-habo.pdf", "0680-jonkoping.pdf")]
    front = len(reader.pages) - sum(counts)  # the front, then the units as written
    links = [link.get_object() for page in reader.pages[:front]
             for link in page.get("/Annots", ())]
    targets = {reader.get_page_number(link["/Dest"][0]) + 1 for link in links
               if isinstance(link.get("/Dest"), ArrayObject)}
    assert targets == {front + 1, front + 1 + counts[0], front + 1 + counts[0] + counts[1]}
    assert not [link for link in links if "/URI" in link.get("/A", {})]  # none left outside


def test_lan_pdf_pages_are_counted_through_the_whole_document(lan_pdf):
    """Each page's footer number is printed last, over the unit file's own ('Sida 1 av 5'
    of Habo's file is page 5 of the län document, say)."""
    from pypdf import PdfReader

    reader = PdfReader(lan_pdf / "06-jonkopings-lan.pdf")
    total = len(reader.pages)
    assert total > 5
    for number, page in enumerate(reader.pages, 1):
        assert page.extract_text().rstrip().endswith(f"Sida {number} av {total}"), number


def own_section(text, unit_id):
    """The own spread section of a unit in an HTML page."""
    section = text[text.index(f'id="{unit_id}-spridning"'):]
    return section[:section.index("</section>")]


def test_own_change_is_marked_in_each_unit_page_of_a_lan_batch(lan_reports):
    reports, _ = lan_reports
    batch = renderer("html").batch(reports, Options())
    jonkoping = renderer("html").reports([reports[2]], batch).decode()
    section = own_section(jonkoping, "0680")
    assert boxplot.OWN_MARKER["color"] in section
    assert "Jönköping +3,5" in section  # goal 3: own change named at its marker
    assert "Jönköping −1\u00a0100" in section or "Jönköping −1 100" in section  # goal 9
    habo = renderer("html").reports([reports[1]], batch).decode()
    assert "Habo +3,0" in own_section(habo, "0643")  # goal 21


def test_a_single_report_has_no_own_spread_section(lan_reports):
    reports, _ = lan_reports
    alone = renderer("html").batch(reports[2:], Options())
    assert alone.spreads == ()  # one kommun: no spread to place it in
    assert "-spridning" not in renderer("html").reports([reports[2]], alone).decode()


def test_each_unit_pdf_of_a_lan_batch_has_its_own_spread_section(lan_pdf):
    needs_tools("pdftotext")
    assert "Jönköping: i länet" in pdf_text(lan_pdf / "0680-jonkoping.pdf")
    assert "Habo +3,0" in pdf_text(lan_pdf / "0643-habo.pdf")


def test_lan_pdf_is_not_joined_when_a_unit_failed(lan_reports, tmp_path, monkeypatch):
    reports, _ = lan_reports
    pdf = renderer("pdf")
    monkeypatch.setattr(delivery, "renderer", lambda name: replace(
        pdf, reports=lambda r, o: b"%PDF-1.4 not a real one",
        join=lambda *args: pytest.fail("joined although a unit failed")))
    monkeypatch.setattr(delivery, "write_file", fail_for_habo(delivery.write_file))
    done = delivery.write_batch(reports, "pdf", Options(), tmp_path)
    assert len(done.failed) == 1 and not (tmp_path / "06-jonkopings-lan.pdf").exists()


def fail_for_habo(write):
    """write_file, failing for Habo's file."""
    def written(path, data):
        if path.name == "0643-habo.pdf":
            raise OutputError("disk full")
        write(path, data)
    return written


def test_if_changed_joins_the_units_left_on_disk(lan_pdf, lan_reports, tmp_path):
    """The batch written with `if_changed` (lan_pdf), copied with its fingerprints and the
    files' mtimes, less the län PDF: the units are left, the län PDF is joined again."""
    from pypdf import PdfReader

    reports, _ = lan_reports
    folder = shutil.copytree(lan_pdf, tmp_path / "batch")  # copy2: mtimes kept to the ns
    (folder / "06-jonkopings-lan.pdf").unlink()
    again = delivery.write_batch(reports, "pdf", Options(), folder, if_changed=True)
    assert len(again.unchanged) == 3 and again.written == [folder / "06-jonkopings-lan.pdf"]
    joined = [len(PdfReader(path).pages) for path in (lan_pdf / "06-jonkopings-lan.pdf",
                                                     folder / "06-jonkopings-lan.pdf")]
    assert joined[0] == joined[1]


def test_places_in_the_lan_are_the_evaluations_ranking(lan_reports):
    from strategihalsa.render.lan import ranks

    reports, _ = lan_reports
    goal21 = next(n for n, r in enumerate(reports[0].results) if r.indicator.goal == 21)
    found = ranks(reports)
    assert found[("0643", goal21)] == (1, 2) and found[("0680", goal21)] == (2, 2)
    assert ("0006", goal21) not in found  # the only region has no place

