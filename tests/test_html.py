"""HTML and PDF reports, the batch index and the overview page.

Expected figures are hand-computed from tests/fixture_data.py; every number in a page is also
compared with the JSON report of the same run. The browser tests load the pages from file://
in headless Chromium (Playwright), block every request that would leave the file, and print
them to PDF; they skip when Playwright or Chromium is missing (CI installs both).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import built_once, needs_tools, needs_weasyprint
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa import __version__
from strategihalsa.catalogue import builtin_path
from strategihalsa.cli import app
from strategihalsa.delivery import default_workers, write_batch
from strategihalsa.model import Point
from strategihalsa.model_overview import Spread
from strategihalsa.naming import file_name
from strategihalsa.render import (
    Format,
    Options,
    charts,
    format_of,
    pages,
    renderer,
    words,
    words_time,
)
from strategihalsa.vocabulary import Role, Status

runner = CliRunner()
VOID = {"br", "col", "meta", "img", "input", "hr", "link", "wbr", "source"}
HEAVY = ("polars", "requests", "xlsxwriter", "jinja2", "matplotlib", "weasyprint")
JUDGED = ("met", "improving", "not_improving")  # statuses with a change judged


def sfh(env: dict[str, str], *args: str):
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixture rendered once per run: --all as HTML and JSON, the overview, a --lan
    batch."""
    return built_once(tmp_path_factory, "site", render_site)


def render_site(root: Path) -> None:
    with FakeKolada(fixture_data()) as server:
        env = {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(root / "cache"),
               "NO_COLOR": "1"}
        sfh(env, "report", "--all", "--format", "html", "--output-dir", str(root / "all"))
        sfh(env, "report", "--all", "--format", "json", "--output-dir", str(root / "json"))
        sfh(env, "report", "--lan", "06", "--format", "html", "--output-dir", str(root / "lan"))
        sfh(env, "overview", "--format", "html", "--output", str(root / "sverige.html"))
        sfh(env, "overview", "--format", "json", "--output", str(root / "sverige.json"))


def report_json(site: Path, name: str) -> dict:
    return json.loads((site / "json" / f"{name}.json").read_text(encoding="utf-8"))


def page(site: Path, name: str) -> str:
    return (site / "all" / f"{name}.html").read_text(encoding="utf-8")


class Fields(HTMLParser):
    """The text of every element with `data-field`, keyed by the nearest `data-indicator`
    (or `data-unit` / `data-area`) above it; ids and hrefs; figures per indicator."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.open: list[list] = []
        self.fields: dict[tuple[str, str], str] = {}
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.figures: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.update([attrs["id"]] if "id" in attrs else [])
        self.hrefs += [attrs["href"]] if "href" in attrs else []
        if tag == "figure":
            self.figures.append(attrs.get("data-indicator", ""))
        if tag in VOID:
            return
        self.stack.append((tag, attrs))
        if "data-field" in attrs:
            self.open.append([self._owner(), attrs["data-field"], len(self.stack), ""])

    def _owner(self) -> str:
        keys = ("data-indicator", "data-unit", "data-area")
        return next((a[k] for _, a in reversed(self.stack) for k in keys if k in a), "")

    def handle_endtag(self, tag):
        while self.open and self.open[-1][2] >= len(self.stack):
            owner, field, _, text = self.open.pop()
            self.fields[(owner, field)] = re.sub(r"[ \t\r\n]+", " ", text).strip()
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for item in self.open:
            item[3] += data


def mark(figures: dict | None) -> str:
    """The text of a compact status cell: symbol and signed change."""
    if figures is None:
        return words.STATUS_SYMBOLS[Status.NO_DATA]
    text = words.STATUS_SYMBOLS[Status(figures["status"])]
    change = figures.get("change")
    return text if change is None else f"{text} {words.change(change)}"


def point(value: dict | None) -> str:
    return words.point(Point(**value) if value else None)


WITHHELD = {"Privacy": "sekretess", "Missing": "saknas", "Not applicable": "ej tillämpligt"}


def expected_cells(indicator: dict, compared: list[dict]) -> dict[str, str]:
    """What each cell of an indicator's row must say, from its JSON."""
    status = Status(indicator["status"])
    word = WITHHELD.get(indicator["missing_status"]) if status is Status.NO_DATA else None
    cells = {"baseline": point(indicator["baseline"]), "latest": point(indicator["latest"]),
             "status": f"{words.STATUS_SYMBOLS[status]} {word or words.STATUS_LABELS[status]}"}
    for gender in ("K", "M"):
        figures = indicator["by_gender"].get(gender)
        cells[f"gender-{gender}"] = mark(figures) if figures else "–"
    for unit in compared:
        cells[unit["role"]] = mark(indicator["comparisons"].get(unit["id"]))
    return cells


@pytest.mark.parametrize("name", ["0680-jonkoping", "0643-habo", "0180-stockholm",
                                  "0006-region-jonkopings-lan", "0001-region-stockholm"])
def test_every_number_in_a_unit_page_equals_the_json_report(site, name):
    data, fields = report_json(site, name), Fields(page(site, name)).fields
    checked = 0
    for indicator in data["indicators"]:
        expected = expected_cells(indicator, data["comparison_units"])
        if indicator.get("kommuner"):  # the kommuner's picture below has its own status cell
            expected.pop("status")
            checked += 1
        for field, text in expected.items():
            assert fields[(indicator["id"], field)] == text, (indicator["id"], field)
            checked += 1
        if indicator["change"] is not None:
            target = fields[(indicator["id"], "change")]
            shown = words.change(indicator["change"])
            assert target.startswith((f"{shown} av ", f"{shown} (målet: ")), target
    for status in Status:
        assert fields[("total", status.value)] == str(data["summary"][status.value])
    assert checked >= 23 * 6


def test_unit_page_figures_by_hand(site):
    fields = Fields(page(site, "0680-jonkoping")).fields
    # N15428, 0680: 2017 82.0 → 2022 85.5 = +3.5 against +2 pe: met; women 84 → 85, men 80 → 79
    assert fields[("behoriga-gymnasiet", "baseline")] == "2017: 82,0"
    assert fields[("behoriga-gymnasiet", "latest")] == "2022: 85,5"
    assert fields[("behoriga-gymnasiet", "change")] == "+3,5 av +2 pe"
    assert fields[("behoriga-gymnasiet", "status")] == "✔ uppnått"
    assert fields[("behoriga-gymnasiet", "gender-K")] == "↗ +1,0"  # +1 of +2 pe
    assert fields[("behoriga-gymnasiet", "gender-M")] == "✘ −1,0"
    assert fields[("behoriga-gymnasiet", "riket")] == "↗ +1,0"  # 86 → 87
    # N20402: 6000 → 4900 per 100 000, thousands separated with a no-break space
    assert fields[("fallskador-80plus", "baseline")] == "2017: 6\u00a0000,0"
    assert fields[("fallskador-80plus", "change")] == \
        "−1\u00a0100,0 av −1\u00a0000 per 100\u00a0000"
    # U01413: no 2017 value, baseline 2018 30.0 → 28.5 = −1.5 of −2: improving
    assert fields[("tillit-till-andra", "baseline")] == "2018: 30,0"
    assert fields[("tillit-till-andra", "status")] == "↗ på väg"
    assert fields[("total", "met")] == "4"


def test_unit_page_is_self_contained_swedish_and_says_where_it_comes_from(site):
    text = page(site, "0680-jonkoping")
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in text and '<meta charset="utf-8">' in text
    assert "Källa: Kolada" in text and f"sfh {__version__}" in text
    assert "Utgångsläge 2017" in text and "målår 2022" in text
    assert "Liknande kommuner socioekonomi, Jönköping, 2024" in text
    assert "Förändringen räknas på Koladas oavrundade värden" in text  # 5,1 → 4,4 is −0,6
    for banned in ("<script", "<link", "<img", "<iframe", "@import", "@font-face"):
        assert banned not in text
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", text))
    parsed = Fields(text)
    # links within the page, and one back to the site's index
    assert [h for h in parsed.hrefs if not h.startswith("#")] == ["index.html"]
    assert not re.search(r'\s(src|href)="(https?:)?//', text)


def test_a_chart_per_indicator_with_data_and_a_line_for_the_rest(site):
    data, text = report_json(site, "0680-jonkoping"), page(site, "0680-jonkoping")
    parsed = Fields(text)
    with_data = [i["id"] for i in data["indicators"] if i["status"] in JUDGED]
    assert parsed.figures == with_data  # N80401 N15428 N20402 N00925 N00923 U01405 U01413
    assert text.count('<div class="chart"><svg') == len(with_data) == 7
    missing = re.search(r'<li id="0680-tobaksrok-hemmet".*?</li>', text, re.S).group(0)
    assert "saknar data" in missing and "finns inte längre i Kolada" in missing
    assert "<svg" not in missing
    # goal 10 (N15613): a value for its baseline year 2022 only, listed as not judged
    only_baseline = re.search(r'<li id="0680-trygga-elever-ak5".*?</li>', text, re.S).group(0)
    assert "○ kan inte bedömas" in only_baseline and "saknar data" not in only_baseline


def test_captions_say_what_is_measured_and_which_way_is_better(site):
    text = page(site, "0680-jonkoping")
    trust = re.search(r'<figure[^>]*data-indicator="tillit-till-andra".*?</figure>', text,
                      re.S).group(0)
    assert "Mäts som andelen 16–84 år som saknar tillit till andra" in trust
    assert trust.count("urvalsundersökning") == 1
    assert "lägre värde är bättre" in trust  # the goal says "fler ska lita på andra"
    assert "utgångsläge 2018 (inget värde för 2017)" in trust
    assert "Når målet i nuvarande takt: 2024?" in trust  # slope −0.37/yr from 28.5 to 28.0
    assert "Trend i nuvarande takt" in trust  # the projection is drawn and in the legend
    caries = re.search(r'<figure[^>]*data-indicator="kariesfria-3-aringar".*?</figure>', text,
                       re.S).group(0)
    assert "värdena avser Region Jönköpings län" in caries  # region level, said in words
    assert "högre värde är bättre" in caries


def test_the_life_expectancy_gap_is_stated(site):
    # N00925 women 84.0 → 84.0, N00923 men 80.0 → 80.5: the gap 4.0 → 3.5 years narrows
    assert "Mål 19, skillnad kvinnor–män: 4,0 → 3,5 år (minskar ✔)" in page(site,
                                                                             "0680-jonkoping")


def test_text_from_kolada_and_the_catalogue_stays_text(tmp_path):
    data = fixture_data()
    for unit in data.municipalities:
        if unit["id"] == "0680":
            unit["title"] = "Jönköping <script>alert(1)</script>"
    for kpi in data.kpis:
        if kpi["id"] == "N15428":
            kpi["title"] = '<img src=x onerror="alert(2)">'
    catalogue = tmp_path / "indicators.toml"
    catalogue.write_text(builtin_path().read_text(encoding="utf-8").replace(
        "Fler elever i åk 9 ska vara behöriga till gymnasiet", "Behöriga <b>&amp;</b> fler"),
        encoding="utf-8")
    with FakeKolada(data) as server:
        env = {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(tmp_path / "c")}
        sfh(env, "report", "--kommun", "0680", "--format", "html", "--catalogue",
            str(catalogue), "-o", str(tmp_path / "x.html"))
    text = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "Jönköping &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in text
    assert "Behöriga &lt;b&gt;&amp;amp;&lt;/b&gt; fler" in text


def test_index_links_every_cell_to_an_existing_page_and_anchor(site):
    folder = site / "all"
    text = (folder / "index.html").read_text(encoding="utf-8")
    index = Fields(text)
    assert len(index.hrefs) > text.count('<td class="cell ') >= 5 * 5  # a link per cell
    for href in set(index.hrefs):
        if href.startswith("#"):
            assert href[1:] in index.ids
            continue
        assert not re.match(r"^[a-z]+:|^/", href), href  # relative: file:// and any server
        target, _, anchor = href.partition("#")
        assert (folder / target).exists(), href
        if anchor:
            assert anchor in Fields((folder / target).read_text(encoding="utf-8")).ids, href


def test_index_groups_by_lan_with_the_region_first_and_statuses_from_the_reports(site):
    text = (site / "all" / "index.html").read_text(encoding="utf-8")
    assert text.index('id="lan-01"') < text.index('id="lan-06"')
    rows = re.findall(r'<tr class="(\w+)" data-unit="(\d+)">(.*?)</tr>', text, re.S)
    assert [unit for _, unit, _ in rows] == ["0001", "0180", "0006", "0643", "0680"]
    reports = [report_json(site, next(p.stem for p in (site / "json").glob(f"{unit}-*")))
               for _, unit, _ in rows]
    shown = {i["id"] for data in reports for i in data["indicators"] if i["status"] in JUDGED}
    for (kind, _, row), data in zip(rows, reports, strict=True):
        assert kind == {"K": "kommun", "L": "region"}[data["unit"]["type"]]
        assert re.findall(r'data-status="(\w+)"', row) == [i["status"] for i in
                                                           data["indicators"] if i["id"] in shown]


def test_index_spread_across_kommuner_by_hand(site):
    fields = Fields((site / "all" / "index.html").read_text(encoding="utf-8")).fields
    # N15428 changes of the kommuner: Stockholm +1.0, Jönköping +3.5, Habo none (its 2017
    # value and a null for 2022: nothing after the baseline to judge, "kan inte bedömas").
    # Quartiles with linear interpolation: 1.625, 2.25, 2.875 (rounded half up)
    expected = {"min": "+1,0", "q1": "+1,6", "median": "+2,3", "q3": "+2,9", "max": "+3,5",
                "met": "1", "improving": "1", "not_improving": "0", "no_data": "0",
                "not_judged": "1"}
    for field, text in expected.items():
        assert fields[("behoriga-gymnasiet", field)] == text, field
    # N80401 is region level: the kommuner share their region's value, counted once per region
    assert fields[("kariesfria-3-aringar", "median")] == "+3,0"
    assert fields[("kariesfria-3-aringar", "no_data")] == "1"  # Region Stockholm


def test_a_spread_of_two_kommuner_is_drawn_as_two_dots_without_a_box(site):
    """N15428 has a change for Stockholm and Jönköping only: no box between quartiles of two
    values, a dot at each."""
    page = (site / "all" / "index.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', page, re.S))
    chart = rows["behoriga-gymnasiet"]
    assert "<svg" in chart and 'fill="#cfe0f1"' not in chart
    assert len(re.findall(r'<use [^>]*fill="#0b4f8a"', chart)) == 2


def test_lan_batch_writes_a_page_per_unit_and_the_index(site):
    names = sorted(p.name for p in (site / "lan").iterdir())
    assert names == ["0006-region-jonkopings-lan.html", "0643-habo.html", "0680-jonkoping.html",
                     "index.html"]
    index = (site / "lan" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Strategi för hälsa – Region Jönköpings län</h1>" in index
    assert 'id="lan-' not in index  # one län: not grouped
    assert index.index("0006-region-jonkopings-lan.html") < index.index("0643-habo.html")


def test_overview_page_equals_the_overview_json(site):
    data = json.loads((site / "sverige.json").read_text(encoding="utf-8"))
    fields = Fields((site / "sverige.html").read_text(encoding="utf-8")).fields
    for indicator in data["indicators"]:
        for status, count in indicator["units"].items():
            assert fields[(indicator["id"], status)] == str(count)
        for name in ("min", "q1", "median", "q3", "max"):
            value = indicator["change"][name] if indicator["change"] else None
            assert fields[(indicator["id"], name)] == words.number(value, signed=True)
    text = (site / "sverige.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in text and "Källa: Kolada" in text
    assert "<a " not in text.split("</header>", 1)[1]  # no pages to link to


def test_formats_are_registered_and_html_batches_render_in_parallel():
    assert format_of(Path("a.html")) is Format.html and format_of(Path("a.pdf")) is Format.pdf
    assert renderer("html").parallel_threshold == renderer("xlsx").parallel_threshold
    assert renderer("pdf").parallel_threshold and renderer("json").parallel_threshold is None
    assert renderer("html").index is not None and renderer("json").index is None
    reports = [object()] * 30
    assert default_workers(reports, "json") == 1
    assert default_workers(reports, "html") == max(1, min(os.cpu_count() or 1, 8))
    assert default_workers(reports[:20], "html") == default_workers(reports[:20], "xlsx") == 1


def test_help_imports_no_heavy_module():
    # sfh leaves without Python's own end, but after the exit handlers: one reports
    code = ("import atexit, sys\nfrom strategihalsa.cli import main\n"
            "sys.argv = ['sfh', '--help']\n"
            f"atexit.register(lambda: print([m for m in {HEAVY!r} if m in sys.modules], "
            "file=sys.stderr))\nmain()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "Usage" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_quartiles_interpolate_linearly():
    assert pages.quartiles([3.5, None, 1.0]) == Spread(1.0, 1.625, 2.25, 2.875, 3.5, 2)
    assert pages.quartiles([2.0]) == Spread(2.0, 2.0, 2.0, 2.0, 2.0, 1)
    assert pages.quartiles([None]) is None


@pytest.fixture(scope="module")
def everyone():
    """The fixture's reports for every unit as model objects (regions first)."""
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.kolada import KoladaClient
    from strategihalsa.run import build_reports
    from strategihalsa.settings import ClientSettings
    from strategihalsa.units import Selection

    with FakeKolada(fixture_data()) as server:
        client = KoladaClient(ClientSettings(api_url=server.url))
        return build_reports(client, load_catalogue(), Selection(all_units=True))


@pytest.fixture(scope="module")
def jonkoping(everyone):
    """Jönköping's report as model objects."""
    return next(r for r in everyone if r.unit.id == "0680")


def test_pages_rendered_in_worker_processes_equal_those_rendered_here(everyone, tmp_path):
    result = write_batch(everyone, "html", Options(), tmp_path, workers=2)
    assert not result.failed and len(result.written) == len(everyone) + 1
    for report in everyone:  # each page links back to the index
        here = renderer("html").reports([report], Options(index="index.html"))
        assert (tmp_path / file_name(report.unit, "html")).read_bytes() == here
    assert (tmp_path / "index.html").read_bytes() == renderer("html").index(everyone,
                                                                             Options())


def test_projection_runs_from_the_latest_value_at_the_current_pace(jonkoping):
    trust = next(r for r in jonkoping.results if r.indicator.kpi == "U01413")
    slope = trust.projection.slope_per_year
    assert trust.projection.reaches_target_year == 2024
    assert charts.projection(trust, 2022) == ([2022, 2024], [28.5, 28.5 + 2 * slope])
    met = next(r for r in jonkoping.results if r.indicator.kpi == "N15428")
    assert charts.projection(met, 2022) == ([], [])  # met: nothing to project


def test_every_value_is_a_marker_so_isolated_points_show(jonkoping):
    result = next(r for r in jonkoping.results if r.indicator.kpi == "N20402")
    lonely = replace(result, series={Role.UNIT: {2017: 6000.0, 2022: 4900.0},
                                     Role.RIKET: {2019: 5000.0}}, gender_series={})
    chart = charts.indicator_chart(lonely, jonkoping.unit,
                                   {c.role: c.unit for c in jonkoping.compared}, 2022, "t")
    assert chart.svg.startswith("<svg") and "viewBox" in chart.svg
    assert chart.svg.count("<use ") == 3  # one marker per value, the lone Riket value too
    assert [k.label for k in chart.keys][:2] == ["Jönköping", "Riket"]
    assert 'id="figure_1"' not in chart.svg and "<metadata" not in chart.svg


def pdf_text(path: Path) -> str:
    needs_tools("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def test_pdf_report_is_printed_from_the_html(cli_env, tmp_path):
    needs_weasyprint()
    target = tmp_path / "jonkoping.pdf"
    sfh(cli_env, "report", "--kommun", "0680", "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-")
    text = pdf_text(target)
    assert "Jönköping" in text and "Källa: Kolada" in text
    assert "2017: 82,0" in text and "Mål 22. Fler ska uppge att de litar på andra" in text
    assert pdf_pages(target) >= 4  # the cover, then a page break before each målområde


def test_pdf_without_weasyprint_says_how_to_install_it(cli_env, fake, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    result = runner.invoke(app, ["report", "--kommun", "0680", "--format", "pdf", "-o",
                                 str(tmp_path / "x.pdf")], env=cli_env)
    assert result.exit_code == 2
    assert "python -m pip install 'strategihalsa[pdf]'" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
    assert fake.requests == []  # refused before anything was fetched


# --- in a real browser ---------------------------------------------------------------------


def open_page(browser, path: Path, width: int = 1280):
    """The page `width` px wide from file://, with every request leaving the file refused
    and every console error and page error collected."""
    view = browser.new_page(viewport={"width": width, "height": 900})
    view.problems, view.outside = [], []
    view.on("console", lambda m: view.problems.append(m.text) if m.type == "error" else None)
    view.on("pageerror", lambda e: view.problems.append(str(e)))

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            view.outside.append(route.request.url)
            route.abort()

    view.route("**/*", guard)
    view.goto(path.as_uri(), wait_until="load")
    return view


@pytest.mark.parametrize(("name", "unit", "min_pages"), [
    ("0680-jonkoping", "Jönköping", 4),
    ("0006-region-jonkopings-lan", "Region Jönköpings län", 4),
    ("index", "Region Jönköpings län", 1),
])
def test_pages_in_a_real_browser(site, browser, tmp_path, name, unit, min_pages):
    path = site / "lan" / f"{name}.html"
    view = open_page(browser, path)
    assert view.problems == [] and view.outside == []
    assert view.evaluate("document.documentElement.scrollWidth") <= 1280  # no overflow
    boxes = view.evaluate("""[...document.querySelectorAll('svg')].map(s => {
        const r = s.getBoundingClientRect(); return [r.width, r.height]; })""")
    assert boxes and all(w > 50 and h > 10 for w, h in boxes)
    printed = tmp_path / f"{name}.pdf"
    view.pdf(path=str(printed), prefer_css_page_size=True, print_background=True)
    assert pdf_pages(printed) >= min_pages
    text = pdf_text(printed)
    assert unit in text and "Källa: Kolada" in text
    view.close()


def test_chart_text_is_legible_on_a_phone_and_the_chart_scrolls(site, browser):
    """At 390 px every chart's text is at least 9 px high; a chart wider than the screen
    scrolls inside its box with the swipe cue; nothing else overflows the page."""
    view = open_page(browser, site / "lan" / "0680-jonkoping.html", width=390)
    texts = view.evaluate("""[...document.querySelectorAll('.chart svg text')].map(t => [
        t.getBoundingClientRect().height,
        parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a])""")
    assert texts and min(height for height, _ in texts) >= 9
    assert min(size for _, size in texts) >= 9  # the font itself, not only its box
    charts = view.evaluate("""[...document.querySelectorAll('.chart')].map(c => [
        c.scrollWidth > c.clientWidth, getComputedStyle(c).overflowX,
        getComputedStyle(c, '::before').content])""")
    assert charts and all(scrolls and overflow == "auto" and "svep i sidled" in cue
                          for scrolls, overflow, cue in charts)
    assert view.evaluate("document.documentElement.scrollWidth") <= 390
    view.close()


def test_numbers_in_the_browser_equal_the_json(site, browser):
    data = report_json(site, "0680-jonkoping")
    view = open_page(browser, site / "lan" / "0680-jonkoping.html")
    shown = view.evaluate("""Object.fromEntries([...document.querySelectorAll(
        'tr[data-indicator] [data-field]')].map(e => [
        e.closest('[data-indicator]').dataset.indicator + ' ' + e.dataset.field,
        e.innerText.replace(/[ \\t\\r\\n]+/g, ' ').trim()]))""")
    for indicator in data["indicators"]:
        for field, text in expected_cells(indicator, data["comparison_units"]).items():
            assert shown[f"{indicator['id']} {field}"] == text
    view.close()


def test_region_first_and_relative_links_in_the_browser(site, browser):
    view = open_page(browser, site / "lan" / "index.html")
    first = view.evaluate("document.querySelector('table.matrix tbody tr').dataset.unit")
    assert first == "0006"
    with view.expect_navigation():
        view.click("tr[data-unit='0680'] td.cell a[href$='-behoriga-gymnasiet']")  # goal 3
    assert view.url.endswith("0680-jonkoping.html#0680-behoriga-gymnasiet")
    assert view.outside == [] and view.problems == []
    view.close()


def test_shared_data_jonkoping_page(shared_data, tmp_path):
    """The real data: Jönköping's page has a chart per indicator with data."""
    with FakeKolada(shared_data) as server:
        env = {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(tmp_path / "c")}
        sfh(env, "report", "--kommun", "0680", "--format", "html", "-o", str(tmp_path / "j.html"))
        sfh(env, "report", "--kommun", "0680", "--format", "json", "-o", str(tmp_path / "j.json"))
    text = (tmp_path / "j.html").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))
    with_data = [i["id"] for i in data["indicators"] if i["status"] in JUDGED]
    assert Fields(text).figures == with_data and len(with_data) >= 10
    assert "2017: 6\u00a0189,8" in text  # N20402 falls 80+
    assert len(text.encode("utf-8")) < 600_000


def test_kolada_reason_for_a_missing_value_is_shown(site):
    """Fixture N17461 (goal 4): Jönköping's only value, 2022, is null with Kolada's status
    'Privacy'; goal 21's region has no 2018 value ('Not applicable')."""
    text = " ".join(html.unescape(page(site, "0680-jonkoping")).split())
    assert "– sekretess" in text
    assert "Kolada har inga värden; Kolada anger sekretess för 2022" in text
    assert ("Region: jämförs över enhetens år 2018–2022: inget värde för 2018; Kolada anger "
            "ej tillämpligt för 2018") in text
    assert "↓ lägre är bättre" in text and "↑ högre är bättre" in text
    assert '<a href="index.html">← Alla enheter</a>' in text


def test_a_single_page_has_no_link_to_an_index_and_prints_page_numbers():
    from test_xlsx import kommun_report

    from strategihalsa.render import pages
    text = pages.unit_page([kommun_report()])
    assert "Alla enheter" not in text
    assert 'counter(page) " av " counter(pages)' in text
    assert ('<p class="running">Jönköping (0680) · Strategi för hälsa · 2026-01-01 01:00 CET'
            '</p>') in text


@pytest.mark.parametrize(("stamp", "shown"), [
    ("2026-11-23T07:36:29+00:00", "2026-11-23 08:36 CET"),  # winter: UTC+1
    ("2026-07-01T22:10:00+00:00", "2026-07-02 00:10 CEST"),  # summer: UTC+2, next day
])
def test_times_are_swedish_local_time_with_the_zone(stamp, shown):
    assert words_time.generated(stamp) == shown


def test_tables_say_what_is_measured_where_the_key_figure_runs_opposite(site):
    """Goals 2 and 22 (the catalogue's `measure`): the summary row, the overview's spread
    row and the map caption name the measure, not only the goal's words."""
    trust = "mäts som andelen 16–84 år som saknar tillit till andra (lägre är bättre)"
    row = re.search(r'<tr data-indicator="tillit-till-andra">.*?</tr>',
                    page(site, "0680-jonkoping"), re.S).group(0)
    assert trust in row
    overview = (site / "sverige.html").read_text(encoding="utf-8")
    caries = "mäts som andelen 3-åringar som är kariesfria (högre är bättre)"
    assert overview.count(trust) >= 2 and overview.count(caries) >= 2  # spread row and map
