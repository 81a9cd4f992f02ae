"""The terminal across widths: `report`, `report --rank` and `overview` are drawn through a
fixed-width rich console at 60 and 250 columns, on each side of every width where the layout
changes, and once between each two of those (there a layout only gains or loses spare
space), and at each width every line fits and every value the JSON holds for an indicator
(latest value, change, target, the comparisons' statuses; Riket, the counts and the spread
in the overview) appears whole on one line. The models are built once per data set; only
the drawing is repeated.
"""

from __future__ import annotations

import io
import re
from itertools import pairwise

import pytest
from click.testing import CliRunner
from fake_kolada import FakeKolada, KoladaData
from fixture_data import fixture_data
from rich.cells import cell_len
from rich.console import Console

from strategihalsa.catalogue import load_catalogue
from strategihalsa.cli import app
from strategihalsa.kolada import KoladaClient
from strategihalsa.model import UnitReport
from strategihalsa.model_overview import Overview
from strategihalsa.render import table, table_overview, words
from strategihalsa.render.json import overview_dict, report_dict
from strategihalsa.render.layout import flow, listing, minimum_width, words_of
from strategihalsa.run import build_overview, build_reports
from strategihalsa.settings import ClientSettings, Comparisons
from strategihalsa.units import Selection
from strategihalsa.vocabulary import Status

ROW = re.compile(r"^│\s*(\d+|L)\s*│")  # the first line of an indicator: its goal number


class Models:
    """A unit's report, the same report ranked, and the overview, from one data set."""

    def __init__(self, data: KoladaData, kommun: str) -> None:
        with FakeKolada(data) as server:
            client = KoladaClient(ClientSettings(api_url=server.url, cache_dir=None))
            catalogue = load_catalogue()
            selection = Selection(kommun=kommun)
            self.report = build_reports(client, catalogue, selection)[0]
            self.ranked = build_reports(client, catalogue, selection,
                                        comparisons=Comparisons(rank=True))[0]
            self.overview = build_overview(client, catalogue, None)


@pytest.fixture(scope="module")
def fixture_models() -> Models:
    return Models(fixture_data(), "0680")


@pytest.fixture(scope="module")
def real_models(shared_data) -> Models:
    return Models(shared_data, "0680")


def drawn(paint, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), no_color=True, highlight=False,
                      legacy_windows=False, color_system=None)
    paint(console)
    return console.file.getvalue().splitlines()


def chunks(lines: list[str]) -> list[list[str]]:
    """The lines of each indicator: from its goal-number line to the next one or a rule."""
    found: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if ROW.match(line):
            current = [line]
            found.append(current)
        elif current is not None and line.startswith("│"):
            current.append(line)
        else:
            current = None  # a section rule or the table's end closes the indicator
    return found


def whole(value: str, chunk: list[str]) -> bool:
    return any(value in line for line in chunk)


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("│")[1:-1]]


def check_report(report: UnitReport, width: int) -> None:
    lines = drawn(lambda console: table.draw([report], console), width)
    assert max(cell_len(line) for line in lines) <= width
    compact = any("Indikator och utfall" in line for line in lines)
    data = report_dict(report)
    ordered = [r for area in report.areas for r in report.in_area(area)]
    found = chunks(lines)
    assert len(found) == len(ordered), f"width {width}"
    for result, chunk in zip(ordered, found, strict=True):
        entry = next(i for i in data["indicators"] if i["id"] == result.indicator.id)
        check_indicator(entry, result, chunk, compact, width)


def check_indicator(entry: dict, result, chunk: list[str], compact: bool, width: int) -> None:
    where = f"width {width}, {entry['id']}:\n" + "\n".join(chunk)
    assert entry["kpi"] in "".join(chunk), where
    if entry["latest"]:
        assert whole(f"{entry['latest']['year']}: {words.number(entry['latest']['value'])}",
                     chunk), where
    if entry["change"] is not None:
        assert whole(words.number(entry["change"], signed=True), chunk), where
    assert whole(words.target(result), chunk), where
    statuses = [words.STATUS_SYMBOLS[Status(c["status"])] for c in entry["comparisons"].values()]
    changes = [symbol + (f" {words.number(c['change'], signed=True)}" if c["change"] is not None
                         else "") for symbol, c in zip(statuses, entry["comparisons"].values(),
                                                       strict=True)]
    roles = [words.ROLE_HEADERS[c.role] for c in result.comparisons]
    if compact:
        for role, shown in zip(roles, changes, strict=True):
            assert whole(f"{role} {shown}", chunk), where
    else:
        assert cells(chunk[0])[-len(statuses):] in (statuses, changes), where


def check_overview(overview: Overview, width: int) -> None:
    lines = drawn(lambda console: table.draw_overview(overview, console), width)
    assert max(cell_len(line) for line in lines) <= width
    compact = any("Indikator och fördelning" in line for line in lines)
    found = chunks(lines)
    data = overview_dict(overview)["indicators"]
    assert len(found) == len(data), f"width {width}"
    for entry, chunk in zip(data, found, strict=True):
        where = f"width {width}, {entry['id']}:\n" + "\n".join(chunk)
        assert entry["kpi"] in "".join(chunk), where
        riket = words.STATUS_SYMBOLS[Status(entry["riket"]["status"])]
        counts = [str(entry["units"][s]) for s in Status]
        if compact:
            assert whole(f"Riket: {riket}", chunk), where
            for status, count in zip(Status, counts, strict=True):
                said = f"{words.STATUS_SYMBOLS[status]} {words.STATUS_LABELS[status]} {count}"
                assert whole(said, chunk), where  # the word: '– 290' reads as minus
        else:
            assert cells(chunk[0])[3][0] == riket, where
            assert cells(chunk[0])[4:4 + len(counts)] == counts, where
        for name in ("min", "q1", "median", "q3", "max") if entry["change"] else ():
            assert whole(words.number(entry["change"][name], signed=True), chunk), where
        assert {"increase": "↑", "decrease": "↓"}[entry["direction"]] in "".join(chunk), where


def widths(tables: list) -> list[int]:
    """60 and 250 columns, each side of every width where the layout changes, and the middle
    of each stretch between them (where a layout only gains or loses spare space)."""
    edges = {m + d for m in map(minimum_width, tables) for d in (-1, 0, 1)}
    ends = sorted({60, 250, *(w for w in edges if 60 <= w <= 250)})
    return sorted({*ends, *((a + b) // 2 for a, b in pairwise(ends))})


def layouts(report: UnitReport) -> list:
    notes: list[str] = []
    titles = {r.indicator.id: table._titled(r, notes) for r in report.results}
    return [table._wide(report, titles, short, changes) for short, changes in
            ((False, True), (True, True), (True, False))] + [table._medium(report, titles)]


def overview_layouts(overview: Overview) -> list:
    return [table_overview._overview_wide(overview, False),
            table_overview._overview_wide(overview, True),
            table_overview._overview_medium(overview)]


@pytest.mark.parametrize("width", [120, 160, 200, 250])
def test_the_indicator_column_is_never_squeezed_beside_the_figures(fixture_models, width):
    """At 200 columns the widest layout left the text 32 characters, a few words a line:
    a layout whose text gets fewer than 24 (36 beside every figure column) is passed over."""
    lines = drawn(lambda console: table.draw([fixture_models.report], console), width)
    header = next(line for line in lines if "Indikator" in line)
    column = next(cell for cell in header.split("┃") if "Indikator" in cell)
    figures = sum(name in header for name in ("Utgångsläge", "Senaste", "Målnivå"))
    assert len(column) - 2 >= (36 if figures == 3 else 24), header


def test_report_at_every_layout_edge(fixture_models):
    """Proves every line fits and every value is whole at each width where the report's
    layout changes and inside each stretch between, as drawing it at all 191 widths did."""
    for width in widths(layouts(fixture_models.report)):
        check_report(fixture_models.report, width)


def test_ranked_report_at_every_layout_edge(fixture_models):
    """The same for the report with ranks (wider comparison cells)."""
    for width in widths(layouts(fixture_models.ranked)):
        check_report(fixture_models.ranked, width)


def test_overview_at_every_layout_edge(fixture_models):
    """The same for the overview's layouts."""
    for width in widths(overview_layouts(fixture_models.overview)):
        check_overview(fixture_models.overview, width)


def test_real_report_ranked_report_and_overview_at_every_layout_edge(real_models):
    """The same for the real data (one test: with -n 2 its models are built in one worker)."""
    for report in (real_models.report, real_models.ranked):
        for width in widths(layouts(report)):
            check_report(report, width)
    overview = real_models.overview
    for width in widths(overview_layouts(overview)):
        check_overview(overview, width)


def test_the_layout_follows_the_width(fixture_models):
    report = fixture_models.report
    wide, changes, short, medium = map(minimum_width, layouts(report))
    assert wide > changes > short > medium
    header = {w: "\n".join(drawn(lambda c: table.draw([report], c), w)[:5])
              for w in (wide, wide - 1, short - 1, medium - 1)}
    assert "✔ +11,0" in "\n".join(drawn(lambda c: table.draw([report], c), changes))
    assert "✔ +11,0" not in "\n".join(drawn(lambda c: table.draw([report], c), changes - 1))
    assert "Målnivå" in header[wide] and "uppnått" in "\n".join(
        drawn(lambda c: table.draw([report], c), wide))
    assert "Målnivå" in header[wide - 1]  # symbols instead of status words
    assert "Mål (nivå)" in header[short - 1]  # two-line columns
    assert "Indikator och utfall" in header[medium - 1]  # one block per indicator


def test_caption_shows_the_follow_up_year(fixture_models):
    from dataclasses import replace

    report = fixture_models.report
    later = replace(report, run=replace(report.run, follow_up_year=2021))
    text = " ".join(" ".join(drawn(lambda c: table.draw([later], c), 100)).split())
    assert "uppföljning 2021, målår 2022" in text


def test_flow_never_splits_an_atom():
    atoms = ["2017: 6\u00a0189,8 →", "2022: 5\u00a0083,0,", "−1\u00a0106,8 av −1000"]
    for width in range(20, 60):
        lines = flow(atoms, width).plain.split("\n")
        assert all(cell_len(line) <= width for line in lines)
        assert all(any(atom in line for line in lines) for atom in atoms)
    assert [t.plain for t in words_of("God  och hälsa")] == ["God", "och", "hälsa"]


def test_listing_falls_back_to_blocks_and_never_breaks_words():
    rows = [[3, "behoriga-gymnasiet", "N15428", "öka", "2", "procentenheter", 2017,
             "God och jämlik hälsa"]] * 3
    columns = ["Mål", "Id", "KPI", "Riktning", "Målvärde", "Enhet", "Basår", "Målområde"]
    for width in range(60, 140):
        lines = drawn(lambda c, w=width: c.print(listing("Katalog", columns, rows, w)), width)
        assert max(cell_len(line) for line in lines) <= width
        text = "\n".join(lines)
        for word in ("behoriga-gymnasiet", "procentenheter", "N15428", "jämlik"):
            assert word in text, (width, text)


def test_untrusted_text_is_never_markup(fixture_models):
    from dataclasses import replace

    report = fixture_models.report
    first = replace(report.results[0], indicator=replace(report.results[0].indicator,
                                                         title="[red]Röd[/x] [bold]"))
    tricky = replace(report, results=(first, *report.results[1:]),
                     unit=replace(report.unit, title="[/] Jönköping [link=x]"))
    for width in (60, 120, 250):
        text = "\n".join(drawn(lambda c: table.draw([tricky], c), width))
        assert "[red]Röd[/x]" in text.replace("\n", " ") or "[red]Röd[/x]" in text
        assert "[/] Jönköping [link=x]" in text


def test_comparisons_show_their_change_and_rank_is_explained(cli_env):
    """Fixture N15428 (goal 3): Riket 86 → 87 (+1,0 of +2: improving), the region 85 → 84
    (−1,0), the similar kommuner (70 + 90) / 2 = 80 → 91 (Stockholm only): +11,0, met."""
    for width in ("200", "80"):
        done = CliRunner().invoke(app, ["report", "-k", "0680", "--rank"],
                             env={**cli_env, "COLUMNS": width})
        text = " ".join(done.stdout.split())
        assert "↗ +1,0" in text and "✘ −1,0" in text and "✔ +11,0" in text, width
        assert "Rang: plats bland alla kommuner (regioner bland regioner) efter förbättring, " \
               "1 = störst" in text


@pytest.mark.parametrize(("value", "shown"), [
    (0.04, "+0,04"), (-0.004, "−0,004"), (0.0, "+0,0"), (-1106.8, "−1\u00a0106,8"),
    (2.0, "+2,0"), (None, "–")])
def test_a_change_keeps_enough_decimals_to_show_its_direction(value, shown):
    assert words.change(value) == shown


def test_one_number_format_per_phrase_and_no_target_of_oka(fixture_models):
    """Fixture N20402 (goal 9): 6000 → 4900 of −1000 per 100 000 invånare 80+; N00925
    (goal 19, target 0: any increase): 84,0 → 84,0."""
    results = {r.indicator.kpi: r for r in fixture_models.report.results}
    assert words.change_against_target(results["N20402"]) == \
        "−1\u00a0100,0 av −1\u00a0000 per 100\u00a0000"
    assert words.change_against_target(results["N00925"]) == "+0,0 (målet: öka)"


def test_the_caption_explains_ej_i_takt(cli_env):
    done = CliRunner().invoke(app, ["report", "-k", "0680"], env={**cli_env, "COLUMNS": "200"})
    assert "'ej i takt' = inte inom 100 år; ? = få värden" in " ".join(done.stdout.split())


def test_one_numbered_note_per_indicator_with_the_catalogues_note(fixture_models):
    """Goal 22 (U01413): its catalogue note, the later baseline (2018, no value for 2017),
    the survey caveat, and Riket, the region and the similar kommuner without values (the
    fixture has U01413 for Jönköping only), in one note whose number follows the goal."""
    lines = drawn(lambda c: table.draw([fixture_models.report], c), 1000)
    notes = [line for line in lines if line.startswith("[")]
    assert len(notes) == len({line.split("): ")[0].split("] ")[1] for line in notes})
    trust = next(line for line in notes if "Mål 22 (U01413)" in line)
    number = trust.split("]")[0] + "]"
    assert trust == (f"{number} Mål 22 (U01413): Mäts som andelen som saknar tillit till "
                     "andra: målet +2 pe tillit är -2 pe på detta nyckeltal; utgångsläge 2018 "
                     "(inget värde för 2017); urvalsundersökning; Riket: jämförs över enhetens "
                     "år 2018–2022: inget värde för 2018 och 2022; Region: jämförs över "
                     "enhetens år 2018–2022: inget värde för 2018 och 2022; Liknande kommuner: "
                     "jämförs över enhetens år 2018–2022: inget värde för 2018 och 2022")
    assert any("Fler ska uppge att de litar på andra" in line and number in line
               for line in lines)
