"""A region report shows "kommunernas bild" for key figures Kolada publishes only for
kommuner: the län's kommuner's unweighted mean (judged over the same years), the spread with
names, and which kommuner met the goal, each judged as in its own report.

Expected figures are computed by hand from ../shared/kolada/values.csv.gz, goal 13 (U21454,
target +3, higher is better), the 13 kommuner of Jönköpings län, gender T:

    kommun      2017       2022       change
    0604 Aneby     73.333     81.333   +8.000  met
    0617 Gnosjö    78.667     78.000   −0.667
    0642 Mullsjö   74.333     58.667  −15.667  (lowest 2022)
    0643 Habo      65.667     71.000   +5.333  met
    0662 Gislaved  69.333     68.000   −1.333
    0665 Vaggeryd  73.000     66.667   −6.333
    0680 Jönköping 75.333     71.333   −4.000
    0682 Nässjö    71.000     69.333   −1.667
    0683 Värnamo   70.667     64.333   −6.333
    0684 Sävsjö    74.667     75.333   +0.667  improving
    0685 Vetlanda  72.000     68.000   −4.000
    0686 Eksjö     74.667     72.000   −2.667
    0687 Tranås    73.667     72.333   −1.333

All values are thirds: the 2017 sum is 2839/3, the 2022 sum 2749/3, so the unweighted mean is
2839/39 = 72.795 in 2017 and 2749/39 = 70.487 in 2022, a change of −90/39 = −2.308: not
improving. Lowest in 2022 Mullsjö 176/3, highest Aneby 244/3; 2 of 13 met (Aneby, Habo).
The sample data hold no population (N01951), so the mean is unweighted.

Weighted: with a population (N01951) of 30 000 for Aneby and 10 000 for each other kommun in
both years (weights 3:1), the 2017 mean is (3·220/3 + (2839 − 220)/3) / 15 = 3279/45 =
72.867 and the 2022 mean (3·244/3 + (2749 − 244)/3) / 15 = 3237/45 = 71.933: a change of
−42/45 = −0.933, still not improving.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import parse_report
from fake_kolada import FakeKolada, KoladaData, index_values

from strategihalsa import report as api_report
from strategihalsa.cli import app

MEAN_2017, MEAN_2022 = 2839 / 39, 2749 / 39
LOWEST, HIGHEST = 176 / 3, 244 / 3
MET = ["0604", "0643"]
JONKOPINGS_LAN = ["0604", "0617", "0642", "0643", "0662", "0665", "0680", "0682", "0683",
                  "0684", "0685", "0686", "0687"]


@pytest.fixture(scope="module")
def shared_fake(shared_data):
    with FakeKolada(shared_data) as server:
        yield server


def run(url: str, cache: Path, *args: str) -> str:
    env = {"SFH_KOLADA_URL": url, "SFH_CACHE_DIR": str(cache), "NO_COLOR": "1",
           "COLUMNS": "120"}
    done = CliRunner().invoke(app, ["report", *args], env=env)
    assert done.exit_code == 0, done.output
    return done.stdout


def goal(data: dict, number: int) -> dict:
    return next(i for i in data["indicators"] if i["goal"] == number)


def test_region_json_has_the_kommuners_mean_spread_and_met(shared_fake, tmp_path):
    data = parse_report(run(shared_fake.url, tmp_path, "--region", "06", "-f", "json"))
    picture = goal(data, 13)["kommuner"]
    assert picture["label"] == "kommunernas bild"
    assert picture["weighting"] == "unweighted"
    assert (picture["kommuner"], picture["averaged"]) == (13, 13)
    mean = picture["mean"]
    assert mean["baseline"]["year"] == 2017 and mean["latest"]["year"] == 2022
    assert mean["baseline"]["value"] == pytest.approx(MEAN_2017)
    assert mean["latest"]["value"] == pytest.approx(MEAN_2022)
    assert mean["change"] == pytest.approx(-90 / 39)
    assert mean["status"] == "not_improving"
    spread = picture["spread"]
    assert spread["with_value"] == 13 and spread["year"] == 2022
    assert spread["lowest"]["value"] == pytest.approx(LOWEST)
    assert [u["title"] for u in spread["lowest"]["units"]] == ["Mullsjö"]
    assert spread["highest"]["value"] == pytest.approx(HIGHEST)
    assert [u["title"] for u in spread["highest"]["units"]] == ["Aneby"]
    assert picture["met"]["count"] == 2 and picture["met"]["judged"] == 13
    assert [u["id"] for u in picture["met"]["units"]] == MET
    assert "kommuner" not in goal(data, 3)  # a key figure the region has itself
    assert goal(data, 13)["status"] == "no_data"  # the region's own value stays missing


def test_region_csv_has_the_picture_in_columns_at_the_end(shared_fake, tmp_path):
    text = run(shared_fake.url, tmp_path, "--region", "06", "-f", "csv")
    header = text.splitlines()[0].split(",")
    assert header.index("data_source") < header.index("kommuner_count")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["goal"] == "13")
    assert float(row["kommuner_latest_value"]) == pytest.approx(MEAN_2022)
    assert float(row["kommuner_change"]) == pytest.approx(-90 / 39)
    assert row["kommuner_weighting"] == "unweighted"
    assert (row["kommuner_lowest"], row["kommuner_highest"]) == ("Mullsjö", "Aneby")
    assert (row["kommuner_met_count"], row["kommuner_met"]) == ("2", "Aneby, Habo")


def test_each_kommun_is_judged_as_in_its_own_report(shared_fake, tmp_path):
    region = parse_report(run(shared_fake.url, tmp_path, "--region", "06", "-f", "json"))
    own = goal(parse_report(run(shared_fake.url, tmp_path, "--kommun", "0642", "-f", "json")),
               13)
    mullsjo = next(u for u in goal(region, 13)["kommuner"]["units"] if u["id"] == "0642")
    assert {k: mullsjo[k] for k in ("baseline", "latest", "change", "status")} == \
        {k: own[k] for k in ("baseline", "latest", "change", "status")}


def test_terminal_names_the_picture_and_says_unweighted(shared_fake, tmp_path):
    text = run(shared_fake.url, tmp_path, "--region", "06")
    assert "Kommunernas bild – Jönköpings läns kommuner" in text
    assert "ovägt medel av 13 av 13 kommuner: 2017: 72,8 → 2022: 70,5" in text
    assert "lägst 58,7 (Mullsjö) – högst 81,3 (Aneby)" in text
    assert "uppnått i 2 av 13 bedömda kommuner: Aneby, Habo" in text


def test_python_api_gives_the_same_picture(shared_fake, tmp_path):
    reports = api_report(region="06", api_url=shared_fake.url, cache=tmp_path)
    picture = next(r.picture for r in reports[0].results if r.indicator.goal == 13)
    assert picture is not None and picture.mean is not None
    assert picture.mean.latest is not None
    assert picture.mean.latest.value == pytest.approx(MEAN_2022)
    assert [u.id for u in picture.met] == MET
    frame = reports.to_polars()
    row = frame.filter(frame["goal"] == 13)
    assert row["kommuner_met"].to_list() == ["Aneby, Habo"]


def test_a_region_without_kommun_data_says_so(fake, cli_env):
    """Fixture data: Region Stockholm's only kommun (0180) has no kommun-only values."""
    done = CliRunner().invoke(app, ["report", "--region", "01", "-f", "json"], env=cli_env)
    picture = goal(parse_report(done.stdout), 13)["kommuner"]
    assert (picture["kommuner"], picture["averaged"]) == (1, 0)
    assert picture["mean"] is None and picture["spread"] is None
    assert picture["met"] == {"count": 0, "judged": 0, "units": []}
    text = CliRunner().invoke(app, ["report", "--region", "01"], env=cli_env).stdout
    assert "ingen kommun har värden" in text


def test_a_kommun_report_has_no_picture(fake, cli_env):
    done = CliRunner().invoke(app, ["report", "--kommun", "0680", "-f", "json"], env=cli_env)
    assert all("kommuner" not in i for i in parse_report(done.stdout)["indicators"])


def with_population(data: KoladaData, missing: str | None = None) -> KoladaData:
    """The data plus N01951 for Jönköpings län's kommuner in 2017 and 2022 (Aneby 30 000,
    the others 10 000), except for `missing`."""
    records = [{"kpi": "N01951", "municipality": unit, "period": year, "gender": "T",
                "value": "30000" if unit == "0604" else "10000"}
               for unit in JONKOPINGS_LAN if unit != missing for year in (2017, 2022)]
    return KoladaData(data.municipalities, data.kpis, data.groups,
                      {**data.values, **index_values(records)})


def test_the_mean_is_population_weighted_where_kolada_gives_the_population(shared_data,
                                                                             tmp_path):
    with FakeKolada(with_population(shared_data)) as server:
        data = parse_report(run(server.url, tmp_path, "--region", "06", "-f", "json"))
        text = run(server.url, tmp_path, "--region", "06")
    picture = goal(data, 13)["kommuner"]
    assert picture["weighting"] == "population"
    assert picture["mean"]["baseline"]["value"] == pytest.approx(3279 / 45)
    assert picture["mean"]["latest"]["value"] == pytest.approx(3237 / 45)
    assert picture["mean"]["status"] == "not_improving"
    assert "befolkningsvägt medel av 13 av 13 kommuner: 2017: 72,9 → 2022: 71,9" in text
    # goal 10 (N15613) starts in 2022: Gnosjö 84.9, Habo 89.6, Gislaved 89.5, Vaggeryd 78.3,
    # Värnamo 89.0, Eksjö 89.5, each weighing 10 000: 520.8 / 6 = 86.8, and no baseline
    survey = goal(data, 10)["kommuner"]["mean"]
    assert survey["latest"]["value"] == pytest.approx(86.8)
    assert survey["baseline"] is None and survey["change"] is None
    assert survey["status"] == "not_judged"  # a mean, but only for the baseline year 2022


def test_one_kommun_without_population_makes_the_mean_unweighted(shared_data, tmp_path):
    with FakeKolada(with_population(shared_data, missing="0687")) as server:
        data = parse_report(run(server.url, tmp_path, "--region", "06", "-f", "json"))
    picture = goal(data, 13)["kommuner"]
    assert picture["weighting"] == "unweighted"
    assert picture["mean"]["latest"]["value"] == pytest.approx(MEAN_2022)


def test_workbook_has_a_kommunernas_bild_sheet(shared_fake, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "region.xlsx"
    env = {"SFH_KOLADA_URL": shared_fake.url, "SFH_CACHE_DIR": str(tmp_path / "cache")}
    done = CliRunner().invoke(app, ["report", "--region", "06", "-o", str(path)], env=env)
    assert done.exit_code == 0, done.output
    sheet = load_workbook(path)["Kommunernas bild"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[3]
    row = next(r for r in rows[4:] if r[0] == 13)
    cell = dict(zip(header, row, strict=True))
    assert cell["Vägning"] == "ovägt medel"
    assert cell["Medel: senaste värde"] == pytest.approx(MEAN_2022)
    assert (cell["Lägst: kommun"], cell["Högst: kommun"]) == ("Mullsjö", "Aneby")
    assert (cell["Uppnått (av bedömda)"], cell["Uppnått: kommuner"]) == ("2 av 13",
                                                                         "Aneby, Habo")


def test_html_marks_each_kommun_with_symbol_and_colour(shared_fake, tmp_path):
    html = run(shared_fake.url, tmp_path, "--region", "06", "-f", "html")
    section = html[html.index('id="0006-kommuner"'):]
    row = section[section.index('data-indicator="brukare-hemtjanst"'):]  # goal 13
    row = row[:row.index("</tr>")]
    assert "ovägt medel av 13 av 13 kommuner" in row
    assert '<span class="st st-met"' in row and "✔" in row  # Aneby, Habo
    assert "Mullsjö 58,7" in row


# Goal 14 (U30453), from ../shared/kolada: the kommuner's (baseline, follow-up) pairs are
# 2017→2018 Mullsjö, Gislaved, Nässjö, Eksjö (4); 2017→2022 Aneby, Habo, Vetlanda (3);
# 2018→2022 Gnosjö, Jönköping, Tranås (3); 2019→2022 Vaggeryd; 2018→2020 Sävsjö; Värnamo
# has no baseline. The mean is the 4 of 2017→2018: (86.36363636 + 74.13793103 +
# 79.78723404 + 87.85714286) / 4 and (80.76923077 + 84 + 83.75 + 88.23529412) / 4, over
# fewer than half of the 13: no status. The spread is in 2022, the follow-up year most (7)
# have: lowest Aneby 53.84615385, highest Gnosjö 100.
GOAL_14_MEAN = ((86.36363636 + 74.13793103 + 79.78723404 + 87.85714286) / 4,
                (80.76923077 + 84 + 83.75 + 88.23529412) / 4)
IN_ORDER = ["Aneby", "Eksjö", "Gislaved", "Gnosjö", "Habo", "Jönköping", "Mullsjö", "Nässjö",
            "Sävsjö", "Tranås", "Vaggeryd", "Vetlanda", "Värnamo"]  # å, ä, ö after z


@pytest.fixture(scope="module")
def region_json(shared_fake, tmp_path_factory):
    return parse_report(run(shared_fake.url, tmp_path_factory.mktemp("c"), "--region", "06",
                            "-f", "json"))


@pytest.fixture(scope="module")
def region_text(shared_fake, tmp_path_factory):
    return run(shared_fake.url, tmp_path_factory.mktemp("c"), "--region", "06")


@pytest.fixture(scope="module")
def region_html(shared_fake, tmp_path_factory):
    return run(shared_fake.url, tmp_path_factory.mktemp("c"), "--region", "06", "-f", "html")


def test_the_mean_is_over_the_pair_of_years_most_kommuner_share(region_json):
    picture = goal(region_json, 14)["kommuner"]
    mean = picture["mean"]
    assert (mean["baseline"]["year"], mean["latest"]["year"]) == (2017, 2018)
    assert mean["baseline"]["value"] == pytest.approx(GOAL_14_MEAN[0])
    assert mean["latest"]["value"] == pytest.approx(GOAL_14_MEAN[1])
    assert picture["averaged"] == 4
    assert picture["spread"]["year"] == 2022 and picture["spread"]["with_value"] == 7
    assert picture["spread"]["lowest"]["value"] == pytest.approx(53.84615385)
    assert [u["title"] for u in picture["spread"]["highest"]["units"]] == ["Gnosjö"]


def test_a_mean_over_fewer_than_half_of_the_kommuner_has_no_status(region_json,
                                                                   region_text):
    """Goal 14: 4 of 13 (was ✘ over 3 of 13); goal 15 (U28532): 2017→2022 Gnosjö 75 → 71,
    Jönköping 65.934 → 69, Nässjö 67.544 → 73, Vetlanda 77.083 → 74, 4 of 13 (was ↗)."""
    for number in (14, 15):
        mean = goal(region_json, number)["kommuner"]["mean"]
        # values but no status: not judged (no longer "no data")
        assert mean["status"] == "not_judged" and mean["progress"] is None
        assert mean["change"] is not None
    assert goal(region_json, 15)["kommuner"]["mean"]["latest"]["value"] == pytest.approx(
        287 / 4)
    assert goal(region_json, 13)["kommuner"]["mean"]["status"] == "not_improving"  # 13 of 13
    assert region_text.count("ingen status: bara 4 av 13") == 2


def test_the_kommuner_are_in_swedish_alphabetical_order(region_json):
    picture = goal(region_json, 14)["kommuner"]
    assert [u["title"] for u in picture["units"]] == IN_ORDER
    assert [u["title"] for u in picture["met"]["units"]] == [
        "Gislaved", "Gnosjö", "Habo", "Nässjö", "Sävsjö", "Vaggeryd", "Vetlanda"]


def test_swedish_order_puts_a_ring_a_umlaut_o_umlaut_after_z():
    from strategihalsa.picture import swedish_order

    names = ["Örebro", "Åre", "Älmhult", "Zinkgruvan", "ekerö", "Émile", "Ale"]
    assert sorted(names, key=swedish_order) == ["Ale", "ekerö", "Émile", "Zinkgruvan", "Åre",
                                                "Älmhult", "Örebro"]


def test_terminal_region_summary_comes_before_the_picture_met_first(region_text):
    lines = region_text.splitlines()
    heading = next(n for n, line in enumerate(lines) if line.startswith("Kommunernas bild –"))
    summary = next(n for n, line in enumerate(lines) if "bedömda indikatorer" in line)
    gap = next(n for n, line in enumerate(lines) if line.startswith("Mål 19, skillnad"))
    assert gap < heading and summary < heading
    assert "┃ Mål ┃ Medel ┃" in region_text  # the mean's status column is labelled
    block = region_text[region_text.index("(U21454)", region_text.index("Kommunernas bild –")):]
    assert block.index("uppnått i 2 av 13") < block.index("ovägt medel av 13 av 13")
    note = " ".join(region_text[region_text.index("Kommunernas bild är inte"):].split())
    assert "en ersättning för antalet elever, brukare eller nyanlända" in note


def test_the_summary_says_how_many_missing_are_kommun_only(region_text, region_html):
    """Region 06 lacks data for goals 1, 2, 5, 6, 10–18 (13); 5, 6 and 10–15 (8) are
    published only for kommuner."""
    expected = "13 saknar data, varav 8 redovisas bara för kommuner (se kommunernas bild)"
    assert expected in " ".join(region_text.split())
    assert ("13 saknar data, varav 8 redovisas bara för kommuner "
            '(<a href="#0006-kommuner">se kommunernas bild</a>)') in region_html


def test_html_links_each_note_to_the_picture_section(region_html):
    assert 'id="0006-kommuner"' in region_html
    missing = region_html[region_html.index('data-indicator="brukare-hemtjanst"'):]
    assert missing.index('<a href="#0006-kommuner">se kommunernas bild</a>') < \
        missing.index("</li>")
    assert "se kommunernas bild (länets kommuner)" not in region_html.replace(
        '<a href="#0006-kommuner">se kommunernas bild</a> (länets kommuner)', "")


def test_html_kommun_values_carry_their_year_and_no_stray_separators(region_html):
    """Goal 15: Tranås's only value is from 2016; the spread's year is 2022."""
    section = region_html[region_html.index('id="0006-kommuner"'):]
    row = section[section.index('data-field="kommuner"', section.index("U28532")):]
    row = row[:row.index("</td>")]
    assert "Tranås 69,0 (2016)" in row and "Nässjö 73,0<" in row
    assert '<ul class="members">' in row and row.count("<li") == 13
    assert "·" not in row
    assert 'data-label="Varje kommun"' in section  # the phone's stacked cells name themselves


def test_workbook_picture_sheet_caveat_first_years_and_no_zero_of_zero(shared_fake, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "region.xlsx"
    env = {"SFH_KOLADA_URL": shared_fake.url, "SFH_CACHE_DIR": str(tmp_path / "cache")}
    done = CliRunner().invoke(app, ["report", "--region", "06", "-o", str(path)], env=env)
    assert done.exit_code == 0, done.output
    book = load_workbook(path)
    rows = [[c.value for c in row] for row in book["Kommunernas bild"].iter_rows()]
    assert rows[1][0] == "Kommunernas bild är inte regionens egna värden."
    cells = {r[0]: dict(zip(rows[3], r, strict=True)) for r in rows[4:] if r[0]}
    assert cells[10]["Uppnått (av bedömda)"] == "ingen kommun kan bedömas"
    assert (cells[14]["Spridning, år"], cells[14]["Med värde det året"]) == (2022, 7)
    assert (cells[14]["Medel: basår"], cells[14]["Medel: senaste år"]) == (2017, 2018)
    assert cells[14]["Status (medel)"].startswith("ingen status: bara 4 av 13")
    about = [c.value for row in book["Om rapporten"].iter_rows() for c in row]
    assert "Bladet Kommunernas bild" in about
