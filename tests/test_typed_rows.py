"""Data pages in Kolada's usual shape are read typed, and to exactly the observations the
dict path (with every check) reads from the same page; any other page falls back to it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategihalsa.kolada.decoding import Row, read_data_page
from strategihalsa.kolada.entries import distinct_keys, read, row_key, rows_problem
from strategihalsa.kolada.http import Page
from strategihalsa.kolada.records import row_problem

ENTRY = st.fixed_dictionaries(
    {"gender": st.sampled_from(["T", "K", "M"])},
    optional={"value": st.none() | st.floats(-1e12, 1e12) | st.integers(-10**6, 10**6),
              "count": st.none() | st.integers(0, 10**6),
              "status": st.sampled_from([None, ""]) | st.text(max_size=3) | st.just("\x1b[31mX"),
              "isdeleted": st.none() | st.booleans(),
              "extra": st.integers()})
ROW = st.fixed_dictionaries({"kpi": st.sampled_from(["N15428", "U01405"]),
                             "municipality": st.sampled_from(["0680", "0000"]),
                             "period": st.integers(1900, 2100),
                             "values": st.lists(ENTRY, max_size=3)})
ODD = {"kpi": ["N 1", "Ö1", "N1\n", 5, "", " ", "\u202e"], "municipality": ["06\x0080", " "],
       "period": [1899, 2101, "2021", True], "gender": ["t", " K", "X", "", 1, None],
       "value": [1e13, -2e12, 10**13, "86,4", "x", True], "count": [-1, 1_000_001, "3", 2.0],
       "isdeleted": ["true", 0]}


@st.composite
def pages(draw: st.DrawFn) -> list[dict]:
    """Rows in Kolada's usual shape, half of the time with one field sent otherwise."""
    rows = draw(st.lists(ROW, min_size=1, max_size=3))
    if draw(st.booleans()):
        row = draw(st.sampled_from(rows))
        field = draw(st.sampled_from(sorted(ODD)))
        target = row if field in ROW_FIELDS else draw(st.sampled_from(row["values"] or [row]))
        target[field] = draw(st.sampled_from(ODD[field]))
    return rows


ROW_FIELDS = ("kpi", "municipality", "period")


@settings(max_examples=400, deadline=None)
@given(pages())
def test_a_typed_page_reads_as_its_dict_rows_with_every_check(rows):
    content = json.dumps({"values": rows, "next_url": None}).encode()
    typed = read_data_page(content)
    if typed is None:
        return  # the page is read as dicts, with every check (tested elsewhere)
    assert [rows_problem([row]) for row in typed.values] == list(map(row_problem, rows))
    assert rows_problem(typed.values) == next(filter(None, map(row_problem, rows)), None)
    good = [i for i, row in enumerate(rows) if row_problem(row) is None]
    by_type, by_dict = read([typed.values[i] for i in good]), read([rows[i] for i in good])
    assert by_type.columns == by_dict.columns
    assert by_type.complaints.messages() == by_dict.complaints.messages()
    half = len(good) // 2  # a page read typed after one read as dicts
    mixed = [rows[i] for i in good[:half]] + [typed.values[i] for i in good[half:]]
    expected = tuple(set(part) for part in zip(*map(row_key, mixed), strict=True)) or (
        set(), set(), set())
    assert distinct_keys(mixed) == distinct_keys([rows[i] for i in good]) == expected


def test_a_usual_page_is_read_typed_to_the_values_sent():
    content = json.dumps({"next_url": None, "values": [
        {"kpi": "N15428", "municipality": "0680", "period": 2022, "values": [
            {"gender": "T", "value": 81.5, "count": None, "status": None, "isdeleted": False},
            {"gender": "K", "value": 84, "status": ""},
            {"gender": "M", "value": None, "isdeleted": True}]},
        {"kpi": "N15428", "municipality": "0000", "period": 2017, "values": [
            {"gender": "T", "value": None, "count": 3, "status": "Ej\tpublicerad"}]}]}).encode()
    page = read_data_page(content)
    assert page is not None and all(isinstance(row, Row) for row in page.values)
    assert read(page.values).columns == {
        "kpi": ["N15428"] * 3, "unit": ["0680", "0680", "0000"], "year": [2022, 2022, 2017],
        "gender": ["T", "K", "T"], "value": [81.5, 84.0, None], "status": ["", "", "Ej publicerad"],
        "count": [None, None, 3]}


def test_a_page_in_another_shape_is_left_to_the_dict_path():
    for odd in ({"gender": "t", "value": 1.0}, {"gender": "T", "value": "86,4"},
                {"gender": "T", "value": 1e13}, {"gender": "T", "count": -1}):
        row = {"kpi": "N15428", "municipality": "0680", "period": 2022, "values": [odd]}
        assert read_data_page(json.dumps({"values": [row]}).encode()) is None
    assert read_data_page(b'{"values": [], "next_url": NaN}') is None


@pytest.mark.parametrize("typed", [True, False])
def test_rows_not_asked_for_are_dropped_and_told(client, monkeypatch, typed):
    row = {"kpi": "N15428", "period": 2022, "values": [{"gender": "T", "value": 81.5}]}
    content = json.dumps({"values": [{**row, "municipality": "0680"},
                                     {**row, "municipality": "0180"},
                                     {**row, "kpi": "N00001", "municipality": "0680"}]}).encode()
    page = read_data_page(content)
    items = page.values if typed and page else json.loads(content)["values"]
    assert all(isinstance(item, Row) is typed for item in items)
    monkeypatch.setattr(client.http, "page", lambda url, rows=False: Page(items, None, None))
    rows = client.value_rows(["N15428"], ["0680"])
    assert [row_key(r) for r in rows] == [("N15428", "0680", 2022)]
    assert client.warnings == [f"Kolada answered {client.base_url}data/kpi/N15428/municipality/"
                               f"0680?per_page=5000 with 2 rows that were not asked for (ignored)"]
