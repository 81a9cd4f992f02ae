"""`sfh overview`: counts, spread, matrix and ranking, hand-computed from the fixture."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner
from conftest import parse_overview
from openpyxl import load_workbook

from strategihalsa.cli import app

runner = CliRunner()


def sfh(env, *args):
    return runner.invoke(app, list(args), env=env)


def by_id(overview: dict) -> dict[str, dict]:
    return {i["id"]: i for i in overview["indicators"]}


def test_overview_counts_and_spread_for_all_kommuner(cli_env, fake):
    result = sfh(cli_env, "overview", "--format", "json")
    assert result.exit_code == 0, result.stderr
    overview = parse_overview(result.stdout)
    assert overview["scope"] == {"title": "alla kommuner", "kommuner": 3}
    school = by_id(overview)["behoriga-gymnasiet"]
    # changes: Jönköping +3.5 (met), Stockholm +1.0 (improving), Habo none (2017: 70,0,
    # 2022 null: a value, nothing after the baseline to judge)
    assert school["units"] == {"met": 1, "improving": 1, "not_improving": 0, "no_data": 0,
                               "not_judged": 1}
    assert school["change"] == {"min": 1.0, "q1": 1.625, "median": 2.25, "q3": 2.875,
                                "max": 3.5, "count": 2}  # the two kommuner with a change
    assert school["riket"]["status"] == "improving"  # 86 → 87
    caries = by_id(overview)["kariesfria-3-aringar"]
    assert caries["level"] == "region"  # counted over the 2 regions, not the 3 kommuner
    assert caries["units"] == {"met": 1, "improving": 0, "not_improving": 0, "no_data": 1,
                               "not_judged": 0}  # Region Stockholm: no value at all
    assert by_id(overview)["tobaksrok-hemmet"]["change"] is None
    data_requests = [r for r in fake.requests if "/data/" in r]
    # Riket and the regions asked for with the metadata (their rows plan the rest), then
    # the kommuner: every unit once
    assert len(data_requests) == 2
    assert "/municipality/0000,0001,0003,0004,0005,0006," in data_requests[0]
    assert "/municipality/0180,0643,0680/" in data_requests[1]


def test_overview_of_one_lan(cli_env):
    overview = parse_overview(sfh(cli_env, "overview", "--lan", "06", "-f", "json").stdout)
    assert overview["scope"] == {"title": "Jönköpings läns kommuner", "kommuner": 2}
    school = by_id(overview)["behoriga-gymnasiet"]
    assert school["units"] == {"met": 1, "improving": 0, "not_improving": 0, "no_data": 0,
                               "not_judged": 1}  # Habo: 2017 only
    assert school["change"]["median"] == 3.5


def test_overview_csv_and_table(cli_env):
    rows = list(csv.DictReader(io.StringIO(sfh(cli_env, "overview", "-f", "csv").stdout)))
    school = next(r for r in rows if r["id"] == "behoriga-gymnasiet")
    assert (school["met"], school["improving"], school["no_data"], school["not_judged"]) == (
        "1", "1", "0", "1")
    assert list(rows[0])[-1] == "not_judged"  # the column added last
    assert school["change_q1"] == "1.625"
    table = sfh(cli_env, "overview").stdout
    assert "översikt: alla 3 kommuner" in table and "(3 kommuner)" not in table  # once
    assert "+2,3" in table  # the median 2.25 rounded for display


def test_overview_workbook_has_matrix_and_ranking(cli_env, tmp_path):
    target = tmp_path / "sverige.xlsx"
    result = sfh(cli_env, "overview", "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(target)
    assert book.sheetnames == ["Översikt", "Matris", "Rangordning", "Förändring"]
    matrix = book["Matris"]  # a title row, then the header in row 3 (printed on every page)
    assert [c.value for c in matrix["A"][3:]] == ["0180", "0643", "0680"]
    headers = [c.value for c in matrix[3]]
    school = headers.index("3 N15428") + 1
    assert matrix.cell(row=6, column=school).value == "✔"  # uppnått
    assert matrix.cell(row=6, column=school).fill.fgColor.rgb.endswith("C6EFCE")
    assert matrix.auto_filter.ref == f"A3:{matrix.cell(row=3, column=len(headers)).column_letter}6"
    ranks = book["Rangordning"]  # units down, indicators across: each unit's place
    column = [c.value for c in ranks[3]].index("3 N15428")
    placed = {row[0].value: row[column].value for row in ranks.iter_rows(min_row=4)}
    assert (placed["0680"], placed["0180"]) == (1, 2)


def test_overview_xlsx_to_a_pipe_writes_the_workbook(cli_env):
    result = sfh(cli_env, "overview", "-f", "xlsx")
    assert result.exit_code == 0
    assert result.stdout_bytes[:2] == b"PK"


def test_the_overview_says_which_way_is_better(cli_env, tmp_path):
    """Goal 22 (U01413, decrease: the share lacking trust) and goal 3 (N15428, increase)."""
    import json

    data = json.loads(runner.invoke(app, ["overview", "-f", "json"], env=cli_env).stdout)
    better = {i["kpi"]: i["better"] for i in data["indicators"]}
    assert (better["U01413"], better["N15428"]) == ("lower", "higher")
    rows = csv.DictReader(io.StringIO(runner.invoke(app, ["overview", "-f", "csv"],
                                                    env=cli_env).stdout))
    assert {r["kpi"]: r["better"] for r in rows}["U01413"] == "lower"
    target = tmp_path / "o.xlsx"
    runner.invoke(app, ["overview", "-o", str(target)], env=cli_env)
    sheet = load_workbook(target)["Översikt"]
    titles = [c.value for c in sheet["B"] if c.value and "Fler ska uppge att de litar" in c.value]
    assert titles and titles[0].endswith("↓ lägre är bättre")


def test_the_terminal_overview_says_what_goals_2_and_22_measure(cli_env):
    table = sfh({**cli_env, "COLUMNS": "300"}, "overview").stdout  # one line per indicator
    assert "karies – mäts som andelen 3-åringar som är kariesfria (högre är bättre)" in table
    assert "– mäts som andelen 16–84 år som saknar tillit till andra" in table
