"""Maps of the kommuner (render/maps.py) and their place in the län index and the overview.

Statuses and changes are built by hand, the SVG is parsed: one path per kommun marked with
`data-kommun`, its fill a colour or a hatch pattern (resolved through <defs>), the chosen
kommun outlined. The shipped boundaries are checked against ../shared/kolada, the pages in
headless Chromium (helpers of test_html).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from functools import partial
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import built_once, unavailable
from fake_kolada import FakeKolada, KoladaData
from fixture_data import fixture_data
from test_html import open_page, sfh

from strategihalsa.render import map_legend, maps
from strategihalsa.vocabulary import Status

ROOT = Path(__file__).resolve().parents[1]
SHARED_MUNICIPALITIES = ROOT.parent / "shared" / "kolada" / "municipality.json"
NS = {"svg": "http://www.w3.org/2000/svg"}
JONKOPINGS_LAN = ["0604", "0617", "0642", "0643", "0662", "0665", "0680", "0682", "0683",
                  "0684", "0685", "0686", "0687"]  # the 13 kommuner of län 06
SVG = re.compile(r"<svg .*?</svg>", re.S)


def kommuner(markup: str) -> tuple[ElementTree.Element, dict[str, ElementTree.Element]]:
    """The parsed map and its legend (two <svg>, in one element) and its kommun paths by
    code (a repeated code fails)."""
    root = ElementTree.fromstring(f"<div>{markup}</div>")
    assert [child.tag for child in root] == [f"{{{NS['svg']}}}svg"] * 2
    paths = root.findall(".//svg:path[@data-kommun]", NS)
    found = {p.get("data-kommun"): p for p in paths}
    assert len(found) == len(paths)
    return root, found


def fill(root: ElementTree.Element, path: ElementTree.Element) -> tuple[str, str | None]:
    """A path's fill colour and its hatch (the pattern's strokes), None without one."""
    url = re.fullmatch(r"url\(#(.+)\)", path.get("fill"))
    if not url:
        return path.get("fill"), None
    pattern = root.find(f".//svg:pattern[@id='{url[1]}']", NS)
    return pattern.find("svg:rect", NS).get("fill"), pattern.find("svg:path", NS).get("d")


def texts(root: ElementTree.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{{{NS['svg']}}}text")]


# --- the maps, from statuses and changes given by hand ---------------------------------


def test_status_map_one_shape_per_kommun_with_its_colour_and_hatch():
    statuses = dict.fromkeys(JONKOPINGS_LAN, Status.NO_DATA)
    statuses.update({"0680": Status.MET, "0683": Status.IMPROVING, "0684": Status.NOT_IMPROVING})
    root, paths = kommuner(maps.status_map(statuses, highlight="0680", salt="t1"))
    assert sorted(paths) == JONKOPINGS_LAN
    seen = {code: fill(root, paths[code]) for code in ("0680", "0683", "0684", "0604")}
    assert seen["0680"] == ("#8fd19e", None)  # uppnått: green, no pattern
    assert seen["0683"][0] == "#ffd966" and seen["0684"][0] == "#f4a3a3"
    assert seen["0604"][0] == "#e9e9ec"  # saknar data: grey
    hatches = [hatch for _, hatch in seen.values()]
    assert len(set(hatches)) == 4  # each status its own pattern: readable without colour
    rest = set(JONKOPINGS_LAN) - {"0680", "0683", "0684"}
    assert all(fill(root, paths[code]) == seen["0604"] for code in rest)
    assert paths["0680"].find("svg:title", NS).text == "Jönköping: ✔ uppnått"
    assert "uppnått (1)" in texts(root) and "saknar data (10)" in texts(root)
    assert "kan inte bedömas (0)" in texts(root)  # every status in the legend


def test_the_chosen_kommun_is_outlined_once():
    statuses = dict.fromkeys(JONKOPINGS_LAN, Status.MET)
    root, paths = kommuner(maps.status_map(statuses, highlight="0683", salt="t2"))
    outlines = root.findall(".//svg:path[@data-outline]", NS)
    assert [o.get("data-outline") for o in outlines] == ["0683"]
    assert outlines[0].get("fill") == "none" and outlines[0].get("stroke") == "#111111"
    assert outlines[0].get("d").split()[:3] == paths["0683"].get("d").split()[:3]
    halo = root.findall(".//svg:path[@data-halo]", NS)  # under it, wider and white
    assert [h.get("d") for h in halo] == [outlines[0].get("d")]
    assert halo[0].get("stroke") == "#ffffff"
    assert float(halo[0].get("stroke-width")) > float(outlines[0].get("stroke-width")) >= 2
    root, _ = kommuner(maps.status_map(statuses, salt="t3"))
    assert root.findall(".//svg:path[@data-outline]", NS) == []


def test_a_small_kommun_on_a_map_of_sweden_also_gets_a_ring():
    """Sundbyberg (about 9 km²) is a dot on a map of Sweden: its outline and a ring round
    it; Jönköping on its län's map only its outline."""
    root, paths = kommuner(maps.status_map(
        dict.fromkeys(maps.boundaries().names, Status.MET), highlight="0183", salt="t7"))
    outlines = root.findall(".//svg:path[@data-outline]", NS)
    assert len(paths) == 290 and [o.get("data-outline") for o in outlines] == ["0183"] * 2
    assert outlines[0].get("d").split()[:3] == paths["0183"].get("d").split()[:3]
    assert outlines[1].get("d").count(" C ") >= 4  # the ring: Bézier curves
    root, _ = kommuner(maps.change_map(dict.fromkeys(JONKOPINGS_LAN, 1.0), "increase",
                                       highlight="0680", salt="t8"))
    assert len(root.findall(".//svg:path[@data-outline]", NS)) == 1


def test_change_map_better_is_blue_green_whichever_way_the_goal_points():
    changes = dict.fromkeys(JONKOPINGS_LAN)  # no value: grey
    changes.update({"0680": 3.0, "0683": -0.5, "0604": 0.4, "0617": -1.5})
    # |changes| 0,4 0,5 1,5 3,0: the 90th percentile 3,0 / 3 = 1 → classes of 1
    root, paths = kommuner(maps.change_map(changes, "increase", salt="t4"))
    assert fill(root, paths["0680"]) == ("#1f7f74", None)  # +3: most improvement
    assert fill(root, paths["0604"]) == ("#c7e9e4", None)  # +0,4: a little
    assert fill(root, paths["0683"])[0] == "#f6dcb8"  # −0,5: no improvement, hatched
    assert fill(root, paths["0617"])[0] == "#e3a05c"  # −1,5: worse by one to two steps
    assert fill(root, paths["0683"])[1] is not None and fill(root, paths["0642"])[0] == "#e9e9ec"
    assert [t for t in texts(root) if t[-1].isdigit()] == ["−2", "0", "+2"]  # every other
    root, paths = kommuner(maps.change_map(changes, "decrease", salt="t5"))
    assert fill(root, paths["0680"])[0] == "#a8590f"  # +3 where lower is better: worst class
    assert fill(root, paths["0617"]) == ("#6cc0b4", None)  # −1,5: one to two steps better
    assert [t for t in texts(root) if t[-1].isdigit()] == ["+2", "0", "−2"]
    assert paths["0683"].find("svg:title", NS).text == "Värnamo: −0,5"


def test_a_kommun_without_a_change_is_shown_as_its_status_says():
    """A value but no change to judge (only the baseline year) is not "saknar data"."""
    changes = dict.fromkeys(JONKOPINGS_LAN, 1.0)
    changes.update({"0643": None, "0642": None})
    statuses = {"0643": Status.NOT_JUDGED, "0642": Status.NO_DATA, "0680": Status.MET}
    root, paths = kommuner(maps.change_map(changes, "increase", salt="t9", statuses=statuses))
    assert paths["0643"].find("svg:title", NS).text == "Habo: kan inte bedömas"
    assert paths["0642"].find("svg:title", NS).text == "Mullsjö: saknar data"
    assert fill(root, paths["0643"])[0] == "#f4f4f6" and fill(root, paths["0642"])[0] == "#e9e9ec"
    assert fill(root, paths["0643"])[1] != fill(root, paths["0642"])[1]  # a pattern each
    assert {"saknar data", "kan inte bedömas"} <= set(texts(root))  # both in the legend
    root, paths = kommuner(maps.change_map(changes, "increase", salt="t10"))
    assert paths["0643"].find("svg:title", NS).text == "Habo: saknar data"  # no statuses


@pytest.mark.parametrize(("magnitudes", "step"), [
    ([0.4, 0.5, 3.0], 1), ([10, 20, 45], 20), ([1100], 500), ([0.05, 0.2], 0.1), ([], 1),
    ([0, 0], 1),
])
def test_class_step_is_a_round_number(magnitudes, step):
    assert maps.class_step(magnitudes) == pytest.approx(step)


def test_maps_of_sweden_use_the_coarse_boundaries_and_ids_stay_unique_per_map():
    statuses = dict.fromkeys(maps.boundaries().names, Status.IMPROVING)
    first, second = (maps.status_map(statuses, salt=s) for s in ("a", "b"))
    assert len(kommuner(first)[1]) == 290
    assert len(first) < 120_000  # coarse: Sweden in about 100 KB
    ids = re.findall(r' id="([^"]+)"', first)
    assert len(ids) == len(set(ids)) and not set(ids) & set(re.findall(r' id="([^"]+)"', second))
    used = [i for i in ids if f"url(#{i})" in first]  # 4 hatched statuses in the legend, 1 map
    assert len(used) == 5 and all(i.startswith("h") for i in used)


def test_units_without_a_shape_are_left_out():
    _, paths = kommuner(maps.status_map({"0680": Status.MET, "0006": Status.MET,
                                         "9999": Status.MET}, salt="t6"))
    assert list(paths) == ["0680"]
    assert maps.status_map({"0006": Status.MET}) == maps.change_map({"0006": 1.0}, "increase")
    assert maps.status_map({}) == ""


# --- the shipped boundaries -----------------------------------------------------------------


def test_the_package_ships_290_kommuner_at_both_levels():
    data = maps.boundaries()
    assert len(data.names) == 290
    assert all(sorted(level) == sorted(data.names) for level in data.levels.values())
    assert "okfse/sweden-geojson" in data.source["name"]
    shipped = ROOT / "src" / "strategihalsa" / "render" / maps.DATA
    assert shipped.stat().st_size < 300_000


def test_shipped_kommuner_match_kolada():
    if not SHARED_MUNICIPALITIES.exists():
        unavailable("../shared/kolada is not present")
    kolada = {m["id"]: m["title"] for m in json.loads(
        SHARED_MUNICIPALITIES.read_text(encoding="utf-8"))["values"] if m["type"] == "K"}
    assert maps.boundaries().names == kolada


def test_wheel_contains_the_boundaries_and_the_template(tmp_path):
    """Built by the project's build backend itself (hatchling, in the test extra), as pip
    would in an isolated environment, without making one."""
    built = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                            str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    assert "strategihalsa/render/maps/kommuner.json.gz" in names
    assert "strategihalsa/render/templates/maps.html" in names


# --- in the pages -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The hand-made fixture (once per run): --lan 06 as HTML, the overview as HTML."""
    return built_once(tmp_path_factory, "maps", partial(lan_and_overview, fixture_data()))


def lan_and_overview(data: KoladaData, root: Path) -> None:
    with FakeKolada(data) as server:
        env = {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(root / "cache")}
        sfh(env, "report", "--lan", "06", "--format", "html", "--output-dir", str(root / "lan"))
        sfh(env, "overview", "--format", "html", "--output", str(root / "sverige.html"))
        sfh(env, "overview", "--kommun", "Jönköping", "--format", "html", "--output",
            str(root / "jonkoping.html"))


def goal_maps(page: str, indicator: str) -> list[str]:
    """The status map and the change map of one indicator in a page, each with its legend."""
    figure = re.search(rf'<figure class="goal-map" data-indicator="{indicator}">.*?</figure>',
                       page, re.S)
    found = SVG.findall(figure[0]) if figure else []
    return ["".join(found[n:n + 2]) for n in range(0, len(found), 2)]


def test_index_maps_show_the_fixtures_kommuner(fixture_site):
    page = (fixture_site / "lan" / "index.html").read_text(encoding="utf-8")
    status, change = goal_maps(page, "behoriga-gymnasiet")
    root, paths = kommuner(status)
    assert sorted(paths) == ["0643", "0680"]  # the fixture's kommuner of län 06
    assert fill(root, paths["0680"]) == ("#8fd19e", None)  # 82,0 → 85,5: +3,5 ≥ +2
    # Habo: 70,0 in 2017, no value in 2022: a value but nothing to judge, light grey striped
    assert fill(root, paths["0643"]) == ("#f4f4f6", fill(root, paths["0643"])[1])
    assert fill(root, paths["0643"])[1] is not None
    root, paths = kommuner(change)
    assert fill(root, paths["0680"]) == ("#6cc0b4", None)  # +3,5 in classes of 2: second
    status, change = goal_maps(page, "fallskador-80plus")  # 6 000 → 4 900, lower is better
    root, paths = kommuner(change)
    assert fill(root, paths["0680"]) == ("#1f7f74", None)  # −1 100 in classes of 500
    assert [t for t in texts(root) if t[-1].isdigit()] == ["+1\u00a0000", "0", "−1\u00a0000"]
    assert goal_maps(page, "tobaksrok-spadbarn") == []  # no kommun has data: no map
    assert "Kommungränser: " in page and "okfse/sweden-geojson" in page


def test_overview_maps_cover_the_overviews_kommuner(fixture_site):
    page = (fixture_site / "sverige.html").read_text(encoding="utf-8")
    status, _ = goal_maps(page, "behoriga-gymnasiet")
    root, paths = kommuner(status)
    assert sorted(paths) == ["0180", "0643", "0680"]
    assert fill(root, paths["0180"])[0] == "#ffd966"  # Stockholm 90 → 91: +1 of +2, på väg
    assert fill(root, paths["0680"]) == ("#8fd19e", None)


def test_region_level_change_is_the_regions_for_each_kommun(fixture_site):
    """N80401 is a region-level key figure: Region Jönköpings län 90 → 93 (+3, target +2)
    colours both its kommuner; Region Stockholm has no value."""
    page = (fixture_site / "sverige.html").read_text(encoding="utf-8")
    status, change = goal_maps(page, "kariesfria-3-aringar")
    root, paths = kommuner(status)
    assert [fill(root, paths[c])[0] for c in ("0643", "0680")] == ["#8fd19e"] * 2
    root, paths = kommuner(change)  # +3 in classes of 1: the most improvement
    assert [fill(root, paths[c]) for c in ("0643", "0680")] == [("#1f7f74", None)] * 2
    assert fill(root, paths["0180"])[0] == "#e9e9ec"


def test_the_overview_outlines_the_chosen_kommun_on_every_map(fixture_site):
    page = (fixture_site / "jonkoping.html").read_text(encoding="utf-8")
    drawn = re.findall(r'<figure class="goal-map" data-indicator="([^"]+)">(.*?)</figure>',
                       page, re.S)
    assert len(drawn) == 7  # the fixture's indicators with data for some kommun
    for indicator, figure in drawn:
        for markup in goal_maps(page, indicator):  # the status map, the change map
            root, paths = kommuner(markup)
            assert sorted(paths) == ["0180", "0643", "0680"], indicator
            outlines = root.findall(".//svg:path[@data-outline]", NS)
            assert [o.get("data-outline") for o in outlines] == ["0680"], indicator
            assert outlines[0].get("d").split()[:3] == paths["0680"].get("d").split()[:3]
        assert "Tjock svart kant (runt en liten kommun också en ring): Jönköping (0680)" \
            in figure
    assert "Jönköping har tjock svart kant på vit rand" in page
    assert 'data-chosen="0680"' in page
    assert "data-outline" not in (fixture_site / "sverige.html").read_text(encoding="utf-8")


def test_the_overview_highlights_the_chosen_kommuns_row_in_the_goal_matrix(fixture_site):
    """Jönköping's row, and only it: a class for the bold frame, aria-current and the
    words '◆ markerad' (not colour alone); without --kommun no row is."""
    page = (fixture_site / "jonkoping.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="kommun chosen" data-unit="(\d+)" aria-current="true">'
                      r'\s*<th class="unit">([^<]*) <span class="chosen-mark">([^<]*)</span>',
                      page)
    assert rows == [("0680", "Jönköping", "◆ markerad")]
    assert page.count("aria-current") == 1
    plain = (fixture_site / "sverige.html").read_text(encoding="utf-8")
    assert "chosen-mark\">" not in plain and "aria-current" not in plain


def test_the_overview_marks_the_chosen_kommun_in_every_spread(fixture_site):
    page = (fixture_site / "jonkoping.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', page, re.S))
    assert "Jönköping +3,5" in rows["behoriga-gymnasiet"]  # 82,0 → 85,5
    assert "Jönköping −1\u00a0100" in rows["fallskador-80plus"]  # 6 000 → 4 900
    assert "Jönköping +3" in rows["kariesfria-3-aringar"]  # the region's 90 → 93
    charted = [i for i, row in rows.items() if "<svg" in row]
    assert charted and all("Jönköping " in rows[i] for i in charted if i != "god-halsa")


def test_the_outline_is_drawn_in_a_real_browser(fixture_site, browser):
    view = open_page(browser, fixture_site / "jonkoping.html")
    assert view.problems == [] and view.outside == []
    assert view.evaluate("document.documentElement.scrollWidth") <= 1280
    boxes = view.evaluate("""[...document.querySelectorAll('figure.goal-map')].map(f => [
        ...f.querySelectorAll('path[data-outline="0680"], path[data-kommun="0680"]')]
        .map(p => Math.round(p.getBoundingClientRect().width)))""")
    assert len(boxes) == 7 and all(len(b) == 4 and min(b) > 20 for b in boxes)
    key = view.evaluate("getComputedStyle(document.querySelector('.outline-key')).borderTopWidth")
    assert key == "3px"  # thick: the key reads without colour
    view.close()


WORDS_DRAWN = """[...document.querySelectorAll('.map svg text, td.box svg text')].map(t => [
    t.closest('.map') ? 'map' : 'box', parseFloat(t.getAttribute('font-size'))
    * t.getScreenCTM().a])"""


@pytest.mark.parametrize(("media", "width", "floor"), [
    ("screen", 1280, 9),  # px
    ("print", 703, 7 / 0.75),  # A4 less its 12 mm margins at 96 px an inch; 7 pt in px
])
def test_map_legends_and_box_plots_are_legible_on_screen_and_printed(
        fixture_site, browser, media, width, floor):
    """The words of every map legend and box plot in the overview (the smallest: ticks,
    'saknar data (0)', the chosen kommun's name) are ≥ 9 px on a 1280 px screen and ≥ 7 pt
    printed: the legend is sized by its words, not by the map above it."""
    view = open_page(browser, fixture_site / "jonkoping.html", width)
    view.emulate_media(media=media)
    sizes: dict[str, list[float]] = {}
    for kind, size in view.evaluate(WORDS_DRAWN):
        sizes.setdefault(kind, []).append(size)
    assert sorted(sizes) == ["box", "map"] and len(sizes["map"]) > 7 * 8
    assert min(sizes["map"]) >= floor and min(sizes["box"]) >= floor, sizes
    view.close()


@pytest.mark.parametrize(("args", "message"), [
    (["-k", "0680,0643"], "--kommun names the one kommun the overview marks (2 given"),
    (["-k", "0680", "-k", "0643"], "(2 given: 0680, 0643)"),
    (["-k", "0680", "-f", "json"], "--format json has none (use html or pdf)"),
    (["-k", "0680", "-f", "table"], "--format table has none (use html or pdf)"),
    (["--lan", "01", "-k", "0680"], "Jönköping (0680) is not one of the overview's kommuner"),
    (["-k", "Ingenstans"], "unknown kommun 'Ingenstans'"),
    (["-k", "0006"], "0006 is a region (Region Jönköpings län), not a kommun: the overview "
                     "marks one of its kommuner (alla kommuner)"),
])
def test_overview_kommun_usage_errors_exit_2(cli_env, args, message):
    from click.testing import CliRunner

    from strategihalsa.cli import app

    done = CliRunner().invoke(app, ["overview", "-f", "html", *args], env=cli_env)
    assert done.exit_code == 2 and message in done.stderr and done.stdout == ""


@pytest.fixture(scope="module")
def real_site(tmp_path_factory, shared_data) -> Path:
    """The real data (once per run): --lan 06 as HTML and JSON."""
    return built_once(tmp_path_factory, "maps-real", partial(lan_html_and_json, shared_data))


def lan_html_and_json(data: KoladaData, root: Path) -> None:
    with FakeKolada(data) as server:
        env = {"SFH_KOLADA_URL": server.url, "SFH_CACHE_DIR": str(root / "cache")}
        sfh(env, "report", "--lan", "06", "--format", "html", "--output-dir", str(root / "lan"))
        sfh(env, "report", "--lan", "06", "--format", "json", "--output-dir", str(root / "json"))


def test_real_index_maps_agree_with_the_json_reports(real_site):
    page = (real_site / "lan" / "index.html").read_text(encoding="utf-8")
    reports = {p.name[:4]: json.loads(p.read_text(encoding="utf-8"))
               for p in (real_site / "json").glob("06*.json")}
    assert sorted(reports) == JONKOPINGS_LAN
    status, _ = goal_maps(page, "behoriga-gymnasiet")
    root, paths = kommuner(status)
    assert sorted(paths) == JONKOPINGS_LAN
    colours = {s: f.colour for s, f in map_legend.STATUS_FILLS.items()}
    for code, report in reports.items():
        own = next(i for i in report["indicators"] if i["id"] == "behoriga-gymnasiet")
        assert fill(root, paths[code])[0] == colours[Status(own["status"])]


def test_index_with_maps_in_a_real_browser(real_site, browser):
    view = open_page(browser, real_site / "lan" / "index.html")
    assert view.problems == [] and view.outside == []
    assert view.evaluate("document.documentElement.scrollWidth") <= 1280
    shapes = view.evaluate("document.querySelectorAll('figure.goal-map svg').length")
    drawn = view.evaluate("""[...document.querySelectorAll('figure.goal-map svg')].map(s =>
        s.getBoundingClientRect().width)""")
    assert shapes >= 20 and min(drawn) > 150
    view.set_viewport_size({"width": 390, "height": 800})  # a phone: the maps fit too
    widest = view.evaluate("""Math.max(...[...document.querySelectorAll('.maps-section *')]
        .map(e => e.getBoundingClientRect().right))""")
    assert widest <= 390
    view.close()
