"""Several units side by side in one report: the selection (commas, repeats, limits), the
figures checked by hand from tests/fixture_data.py, and every format's figures equal to
the units' single reports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import REPORT_SCHEMA, quick_settings, shipped_schema
from fake_kolada import FakeKolada
from fixture_data import fixture_data
from openpyxl import load_workbook

import strategihalsa as sfh
from strategihalsa.catalogue import load_catalogue
from strategihalsa.cli import app
from strategihalsa.errors import UsageError
from strategihalsa.kolada import KoladaClient
from strategihalsa.model import IndicatorResult, UnitReport
from strategihalsa.model_side import SideBySide
from strategihalsa.render import Options, renderer, words, words_reason, words_side
from strategihalsa.run import build_reports, side_by_side
from strategihalsa.units import MAX_SIDE_BY_SIDE, Selection

runner = CliRunner()
UNITS = ("0006", "0680", "0643", "0180")  # the region named first, then the kommuner given


@pytest.fixture(scope="module")
def server() -> Iterator[FakeKolada]:
    with FakeKolada(fixture_data()) as fake:
        yield fake


@pytest.fixture(scope="module")
def built(server: FakeKolada) -> tuple[SideBySide, dict[str, UnitReport]]:
    """The side-by-side view of UNITS, and each unit's single report from its own run."""
    client, catalogue = KoladaClient(quick_settings(server.url)), load_catalogue()
    selection = Selection(kommun="0680,0643, 0180", region=["06"])
    view = side_by_side(selection, build_reports(client, catalogue, selection))
    assert view is not None
    singles = {unit: build_reports(client, catalogue, Selection(
        region=unit) if unit.startswith("00") else Selection(kommun=unit))[0] for unit in UNITS}
    return view, singles


def single_result(singles: dict[str, UnitReport], unit: str, kpi: str) -> IndicatorResult:
    return next(r for r in singles[unit].results if r.indicator.kpi == kpi)


# --- the selection ---------------------------------------------------------------------


def test_commas_and_repeats_give_the_same_units():
    assert Selection(kommun="0680,0643, 0180").kommuner == ("0680", "0643", "0180")
    assert Selection(kommun=["0680", "0643,0180"]).kommuner == ("0680", "0643", "0180")
    assert Selection(kommun="0680,", region="06").side_by_side
    assert not Selection(kommun="0680").side_by_side


def test_more_units_than_the_limit_point_at_lan():
    codes = ",".join(f"06{n:02}" for n in range(MAX_SIDE_BY_SIDE + 1))
    with pytest.raises(UsageError) as failure:
        Selection(kommun=codes)
    assert f"at most {MAX_SIDE_BY_SIDE} units side by side (13 given)" in str(failure.value)
    assert "use --lan" in failure.value.spelled(lambda name: f"--{name}")
    Selection(kommun=codes.rsplit(",", 1)[0])  # twelve are fine


def test_a_selection_naming_nothing_is_refused():
    with pytest.raises(UsageError, match="names no unit"):
        Selection(kommun=" , ")


# --- figures by hand (tests/fixture_data.py) ---------------------------------------------


def test_cells_computed_by_hand(built):
    view, _ = built
    assert [u.id for u in view.units] == list(UNITS)
    goal3 = next(row for row in view.rows if row.indicator.kpi == "N15428")
    # region 85 → 84; Jönköping 82 → 85.5 (2023 is deleted); Habo 70 → null (a value, but
    # nothing after the baseline: not judged); Stockholm 90 → 91
    assert [words_side.side_cell(r) for r in goal3.results] == [
        "✘ −1,0 pe", "✔ +3,5 pe", "○", "↗ +1,0 pe"]
    assert [words_side.span(r.figures) for r in goal3.results] == [
        "2017–2022", "2017–2022", "", "2017–2022"]
    goal21 = next(row for row in view.rows if row.indicator.kpi == "U01405")
    # Jönköping: 2017 withheld (Privacy), so 2018 76.0 → 77.1; Habo 70 → 73; Stockholm 76 → 81
    assert [words_side.side_cell(r) for r in goal21.results[1:]] == [
        "↗ +1,1 pe", "✔ +3,0 pe", "✔ +5,0 pe"]
    assert words_side.span(goal21.results[1].figures) == "2018–2022"
    goal9 = next(row for row in view.rows if row.indicator.kpi == "N20402")
    assert words_side.side_cell(goal9.results[1]) == "✔ −1\u00a0100,0"  # 6000 → 4900, target −1000


# --- every format's figures equal the single reports' -------------------------------------


def test_the_model_holds_the_single_reports_figures(built):
    view, singles = built
    for row in view.rows:
        for unit, result in zip(view.units, row.results, strict=True):
            single = single_result(singles, unit.id, row.indicator.kpi)
            assert (result.figures, result.outlook, result.comparisons) == (
                single.figures, single.outlook, single.comparisons)


def test_json_figures_equal_the_single_reports(built):
    view, singles = built
    data = json.loads(renderer("json").side_by_side(view, Options()))
    jsonschema.validate(data, shipped_schema("side_by_side"))
    for report in data["reports"]:
        jsonschema.validate(report, REPORT_SCHEMA)
    for goal in data["goals"]:
        for unit, cell in goal["units"].items():
            single = json.loads(renderer("json").reports([singles[unit]], Options()))
            indicator = next(i for i in single["indicators"] if i["id"] == goal["id"])
            assert cell == {key: indicator[key] for key in cell}
    assert [r["unit"]["id"] for r in data["reports"]] == list(UNITS)
    goal3 = next(g for g in data["goals"] if g["kpi"] == "N15428")
    assert goal3["units"]["0680"]["change"] == pytest.approx(3.5)
    assert goal3["units"]["0680"]["baseline"] == {"year": 2017, "value": 82.0}


def test_csv_rows_equal_the_single_reports_rows(built):
    view, singles = built
    side = list(csv.DictReader(io.StringIO(
        renderer("csv").side_by_side(view, Options()).decode("utf-8"))))
    assert [row["unit_id"] for row in side[:4]] == list(UNITS)  # goal by goal, then unit
    for unit in UNITS:
        single = csv.DictReader(io.StringIO(
            renderer("csv").reports([singles[unit]], Options()).decode("utf-8")))
        assert [row for row in side if row["unit_id"] == unit] == list(single)


def test_terminal_cells_equal_the_single_reports(built):
    view, singles = built
    text = renderer("table").side_by_side(view, Options(width=200)).decode("utf-8")
    lines = text.splitlines()
    for row in view.rows:
        at = next(n for n, line in enumerate(lines) if f"({row.indicator.kpi})" in line)
        while not lines[at].split("│")[1].strip():  # the goal text wrapped: its first line
            at -= 1
        cells = [c.strip() for c in lines[at].split("│")[-len(UNITS) - 1:-1]]
        below = [c.strip() for c in lines[at + 1].split("│")[-len(UNITS) - 1:-1]]
        expected = [single_result(singles, u, row.indicator.kpi) for u in UNITS]
        assert cells == [words_side.side_cell(r) for r in expected], row.indicator.kpi
        assert [re.sub(r" ?\[\d+\]$", "", c) for c in below] == [
            words_side.side_span(r.figures) for r in expected]


def test_terminal_fits_narrow_widths_whole(built):
    view, _ = built
    for width in (80, 120):
        text = renderer("table").side_by_side(view, Options(width=width)).decode("utf-8")
        assert max(len(line) for line in text.splitlines()) <= width
        assert "↗ +1,0 pe  2017–2022 · 91,0" in text if width == 80 else "↗ +1,0 pe" in text


class Cells(HTMLParser):
    """The side-by-side cells of the comparison table: (indicator, unit) → text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], str] = {}
        self.row = self.unit = ""
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("data-indicator"):
            self.row = found["data-indicator"] or ""
        if tag == "td" and "side" in (found.get("class") or "").split():
            self.unit = found["data-unit"] or ""
        self.inside = found.get("data-field") == "side"

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.cells[self.row, self.unit] = data
            self.inside = False


def test_html_cells_equal_the_single_reports(built):
    view, singles = built
    page = renderer("html").side_by_side(view, Options()).decode("utf-8")
    parser = Cells()
    parser.feed(page)
    for row in view.rows:
        for unit in UNITS:
            result = single_result(singles, unit, row.indicator.kpi)
            assert parser.cells[row.indicator.id, unit] == words_side.side_cell(result)
    assert page.index('class="compare"') < page.index('<article class="report" id="0006"')
    assert all(f'<article class="report" id="{u}" data-unit="{u}">' in page for u in UNITS)
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert {f"{u}-behoriga-gymnasiet" for u in UNITS} | set(UNITS) <= targets  # cells, units
    assert targets <= set(re.findall(r' id="([^"]+)"', page))  # and every link lands


def test_workbook_figures_equal_the_single_workbooks(built):
    view, singles = built
    book = load_workbook(io.BytesIO(renderer("xlsx").side_by_side(view, Options())))
    assert book.sheetnames[0] == "Jämförelse" and book.sheetnames[-1] == "Om rapporten"
    sheet = book["Jämförelse"]
    rows = {r[2]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[2]}
    for kpi, cells in rows.items():
        for n, unit in enumerate(UNITS):
            figures = single_result(singles, unit, kpi).figures
            status, change, latest = cells[6 + 3 * n:9 + 3 * n]
            assert change == (None if figures.change is None else  # Excel keeps 15 digits
                              pytest.approx(figures.change, rel=1e-14))
            assert latest == (figures.latest.value if figures.latest else None)
            assert status.startswith(words.STATUS_SYMBOLS[figures.status])
    for unit in UNITS:
        single = load_workbook(io.BytesIO(renderer("xlsx").reports([singles[unit]],
                                                                   Options())))
        assert values(book[f"{unit} Sammanfattning"]) == values(single["Sammanfattning"])
        assert values(book[f"{unit} Kön"]) == values(single["Kön"])


def values(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def test_workbook_prints_landscape_in_parts_of_three_units(built):
    view, _ = built
    book = load_workbook(io.BytesIO(renderer("xlsx").side_by_side(view, Options())))
    sheet = book["Jämförelse"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$4:$5"
    assert sheet.page_setup.scale >= 80  # 10 pt text prints at 8 pt or more


# --- the command line and the Python API --------------------------------------------------


@pytest.fixture
def env(server: FakeKolada, tmp_path) -> dict[str, str]:
    return {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(tmp_path / "cache"),
            "SFH_TIMEOUT": "2", "NO_COLOR": "1", "COLUMNS": "200"}


def goals_of(env: dict[str, str], *args: str) -> list[dict[str, Any]]:
    done = runner.invoke(app, ["report", "--format", "json", *args], env=env)
    assert done.exit_code == 0, done.stderr
    return json.loads(done.stdout)["goals"]


def test_comma_repeat_and_mixed_forms_agree(env):
    commas = goals_of(env, "--kommun", "0680,0643")
    assert goals_of(env, "-k", "0680", "-k", "0643") == commas
    assert goals_of(env, "-k", "Jönköping, Habo") == commas
    mixed = goals_of(env, "-k", "0680", "-r", "06")
    assert list(mixed[0]["units"]) == ["0006", "0680"]


def test_duplicates_are_one_unit(env):
    done = runner.invoke(app, ["report", "-k", "0680,Jönköping", "-f", "json"], env=env)
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["schema"] == "sfh.report/1"  # one unit: its own report


@pytest.mark.parametrize(("args", "message"), [
    (["-k", "0680,Ingenstans"], "unknown kommun 'Ingenstans'"),
    (["-k", "0680", "-r", "99"], "no region has the code '99'"),
    (["-k", ",".join(f"06{n:02}" for n in range(13))], "at most 12 units side by side"),
])
def test_usage_errors_exit_2_naming_the_unit(env, args, message):
    done = runner.invoke(app, ["report", *args], env=env)
    assert done.exit_code == 2 and message in done.stderr and done.stdout == ""


def test_one_file_in_each_binary_format(env, tmp_path):
    done = runner.invoke(app, ["report", "-k", "0680,0643", "-o", str(tmp_path / "c.xlsx")],
                         env=env)
    assert done.exit_code == 0, done.stderr
    assert load_workbook(tmp_path / "c.xlsx").sheetnames[:2] == [
        "Jämförelse", "0680 Sammanfattning"]


def written(env: dict[str, str], folder: Path, units: str, output_format: str) -> Path:
    """The folder `sfh report -k UNITS -f FORMAT -d FOLDER` wrote, checked to succeed."""
    done = runner.invoke(app, ["report", "-k", units, "-f", output_format, "-d", str(folder)],
                         env=env)
    assert done.exit_code == 0, done.stderr
    return folder


def test_output_dir_writes_each_unit_and_the_comparison(env, tmp_path):
    """Each unit's own file and the comparison (the same as with --output), no län summary:
    two kommuner of län 06 are not the län."""
    folder = written(env, tmp_path / "d", "0680,0643", "xlsx")
    assert sorted(p.name for p in folder.iterdir()) == [
        "0643-habo.xlsx", "0680-jonkoping.xlsx", "jamforelse-0680-0643.xlsx"]
    assert load_workbook(folder / "jamforelse-0680-0643.xlsx").sheetnames[:2] == [
        "Jämförelse", "0680 Sammanfattning"]
    assert load_workbook(folder / "0643-habo.xlsx").sheetnames[0] == "Sammanfattning"


def test_output_dir_unit_pages_link_to_the_comparison(env, tmp_path):
    folder = written(env, tmp_path / "d", "0680,0643", "html")
    assert sorted(p.name for p in folder.iterdir()) == [
        "0643-habo.html", "0680-jonkoping.html", "jamforelse-0680-0643.html"]
    page = (folder / "0680-jonkoping.html").read_text("utf-8")
    assert '<a href="jamforelse-0680-0643.html">' in page
    assert 'id="0680-spridning"' not in page  # two kommuner are no län to place it in
    assert 'class="compare"' in (folder / "jamforelse-0680-0643.html").read_text("utf-8")


@pytest.mark.parametrize("output_format", ["xlsx", "html"])
def test_output_dir_with_one_unit_writes_just_its_file(env, tmp_path, output_format):
    folder = written(env, tmp_path / "d", "0680", output_format)
    assert [p.name for p in folder.iterdir()] == [f"0680-jonkoping.{output_format}"]
    if output_format == "html":
        page = (folder / "0680-jonkoping.html").read_text("utf-8")
        assert "index.html" not in page and 'id="0680-spridning"' not in page


def test_the_schema_is_printed(env):
    done = runner.invoke(app, ["schema", "side_by_side"], env=env)
    assert json.loads(done.stdout)["title"] == "sfh.side_by_side/1"


def test_python_api_gives_the_same(server, tmp_path):
    kolada = {"api_url": server.url, "cache": tmp_path / "cache", "timeout": 2.0}
    listed = sfh.report(["0680", "0643"], **kolada)
    assert listed.side_by_side is not None and len(listed) == 2
    assert json.loads(listed.render("json"))["goals"] == json.loads(
        sfh.report(kommun="0680,0643", **kolada).render("json"))["goals"]
    written = listed.write(tmp_path / "c.html")
    assert 'class="compare"' in written.read_text("utf-8")
    assert sfh.report("0680", **kolada).side_by_side is None


def test_sheet_names_never_take_a_hostile_code():
    from strategihalsa.render.xlsx import sheet_prefix

    assert sheet_prefix(2, "0680") == "0680 "
    assert sheet_prefix(3, "06:8]") == "3 "  # ':' and ']' may not stand in a sheet name


# --- what a visual review found (each string checked by hand against the catalogue and
# tests/fixture_data.py) ------------------------------------------------------------------

TRUST = ("Fler ska uppge att de litar på andra människor – mäts som andelen 16–84 år som "
         "saknar tillit till andra (lägre är bättre)")  # goal 22, indicators.toml


@pytest.fixture(scope="module")
def terminal(built) -> dict[int, str]:
    view, _ = built
    return {width: renderer("table").side_by_side(view, Options(width=width)).decode("utf-8")
            for width in (80, 200)}


@pytest.fixture(scope="module")
def page(built) -> str:
    return renderer("html").side_by_side(built[0], Options()).decode("utf-8")


def test_the_measure_stands_by_the_goal_text(terminal, page):
    assert TRUST in " ".join(terminal[80].replace("│", " ").split())
    assert TRUST in " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_series_breaks_and_reasons_are_one_note_per_goal(terminal, page):
    text = " ".join(terminal[200].split())
    # goal 10 has the catalogue's note; Jönköping (0680) has 88 in 2022 only, its baseline
    # year 2022 (the indicator's own); the others have no values
    assert ("Mål 10 (N15613): Serien börjar 2022; föregångaren N15557 (till 2021) är inte "
            "jämförbar. Region Jönköpings län: nyckeltalet redovisas bara för kommuner; "
            "kommunernas bild visas i regionens egen rapport. Jönköping (0680): bara "
            "utgångsåret 2022 har värde: inget senare år att jämföra med. Habo "
            "och Stockholm: Kolada har inga värden." in text)
    note = re.search(r"\[(\d+)\] Mål 10 \(N15613\)", text)
    assert note and f"(N15613) [{note[1]}]" in text  # the goal text carries its number
    assert '<a href="#0006-kommuner">se kommunernas bild</a>' in page


def test_a_baseline_searched_over_years_reads_as_a_span():
    from strategihalsa.model import Reason
    from strategihalsa.vocabulary import ReasonCode

    assert words_reason.reason(Reason(ReasonCode.NO_BASELINE, wanted=2017, latest=2022)) == \
        "inget utgångsvärde: inget värde 2017–2021"
    assert words_reason.reason(Reason(ReasonCode.NO_BASELINE, wanted=2017, latest=2018)) == \
        "inget utgångsvärde: inget värde 2017"


def test_cells_show_the_latest_value_and_the_target_its_unit(built, page):
    view, _ = built
    goal3 = next(row for row in view.rows if row.indicator.kpi == "N15428")
    assert words_side.side_span(goal3.results[1].figures) == "2017–2022 · 85,5"  # 82 → 85.5
    goal9 = next(row for row in view.rows if row.indicator.kpi == "N20402")
    assert words_side.side_target(goal9.results[1]) == "−1\u00a0000 per 100\u00a0000"
    assert "2017–2022 · 4\u00a0900,0" in page  # Jönköping 6000 → 4900


def test_one_word_for_the_target_change(terminal, page, built):
    assert words_side.TARGET_CHANGE == "Mål (förändring)"
    assert "(förändring)" in terminal[200]
    assert f'<th class="num target">{words_side.TARGET_CHANGE}</th>' in page
    book = load_workbook(io.BytesIO(renderer("xlsx").side_by_side(built[0], Options())))
    assert words_side.TARGET_CHANGE in values(book["Jämförelse"])[4]


def test_workbook_changes_are_signed_in_their_unit(built):
    book = load_workbook(io.BytesIO(renderer("xlsx").side_by_side(built[0], Options())))
    rows = {r[2].value: r for r in book["Jämförelse"].iter_rows(min_row=6) if r[2].value}
    school = rows["N15428"]  # goal 3 in procentenheter: Jönköping +3,5
    assert (school[3].value, school[10].value) == ("procentenheter", pytest.approx(3.5))
    positive, negative, zero = school[10].number_format.split(";")
    assert (positive, zero) == ('+#,##0.0" pe"', '+#,##0.0" pe"')  # 0 reads '+0,0 pe'
    assert negative == '"−"#,##0.0" pe"'
    assert rows["N20402"][3].value == "per 100 000 invånare 80+"


def test_workbook_notes_name_the_kommuner_sheet(built):
    book = load_workbook(io.BytesIO(renderer("xlsx").side_by_side(built[0], Options())))
    notes = [r[0] for r in values(book["Jämförelse"]) if r[0] and str(r[0]).startswith("[")]
    assert any("se kommunernas bild (bladet 0006 Kommunernas bild)" in n for n in notes)
    assert "0006 Kommunernas bild" in book.sheetnames


def test_print_totals_once_and_the_legend_before_the_table(page):
    assert "table.compare tfoot { display: table-row-group; }" in page  # inlined CSS
    assert page.index('class="legend"') < page.index('class="compare"')
    assert f'<th colspan="3">{words_side.SIDE_MET}</th>' in page
    assert words_side.SIDE_MET == "Uppnådda av indikatorerna med data"


def test_compact_layout_a_line_per_unit_or_alla(terminal):
    lines = [line.strip("│ ") for line in terminal[80].splitlines()]
    assert "Indikator, regioner och kommuner" in terminal[80]
    at = next(n for n, line in enumerate(lines) if "(N15428)" in line)
    block = [line.split("│")[-1].strip() for line in lines[at + 2:at + 6]]
    # region 85 → 84, Jönköping 82 → 85.5, Habo no baseline, Stockholm 90 → 91; the
    # names padded to the longest, 'Region Jönköpings län'
    assert block[0] == "Region Jönköpings län  ✘ −1,0 pe  2017–2022 · 84,0"
    assert block[1] == "Jönköping (0680)       ✔ +3,5 pe  2017–2022 · 85,5"
    assert re.fullmatch(r"Habo {19}○ {10}\[\d+\]", block[2])  # 2017 only: not judged
    assert block[3] == "Stockholm              ↗ +1,0 pe  2017–2022 · 91,0"
    goal1 = next(n for n, line in enumerate(lines) if "(U01901)" in line)  # retired: alike
    assert re.fullmatch(r"alla – \[\d+\]", lines[goal1 + 2].split("│")[-1].strip())


def test_a_kommun_named_like_a_region_in_view_has_its_code(built):
    view, _ = built
    assert words_side.side_names(view) == ["Region Jönköpings län", "Jönköping (0680)", "Habo",
                                      "Stockholm"]
    assert words_side.side_by_side_title(view).endswith(
        "Region Jönköpings län, Jönköping (0680), Habo och Stockholm")


def test_thin_similar_means_are_named_for_a_side_by_side(shared_data, caplog):
    """Aneby's and Gnosjö's similar-kommuner means rest on few members for some key
    figures (../shared): the note names each unit, not 'the reports' a terminal comparison
    does not show."""
    selection = Selection(kommun="0604,0617")
    with FakeKolada(shared_data) as fake, caplog.at_level("INFO", "strategihalsa"):
        build_reports(KoladaClient(quick_settings(fake.url)), load_catalogue(), selection)
    note = next(r.getMessage() for r in caplog.records if "liknande kommuners" in
                r.getMessage())
    assert re.search(r"för Aneby: U\d{5}.*; Gnosjö: U\d{5}", note)
    assert "rapporterna visar vilka" not in note
