"""A hostile or broken Kolada: every attack ends in a KoladaError naming the request, or in
data that is repaired and flagged. Never a hang, a traceback, unbounded memory or a request
to another host.

Expected figures come from tests/fixture_data.py: N15428 for Jönköping (0680) is 80.0 in
2016 (total only), 82.0/84.0/80.0 (T/K/M) in 2017 and 85.5/85.0/79.0 in 2022.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import polars as pl
import pytest
from conftest import quick_settings
from fake_kolada import FakeKolada
from fixture_data import fixture_data

from strategihalsa.errors import KoladaError, UsageError
from strategihalsa.kolada import KoladaClient
from strategihalsa.kolada.client import Limits, plan_data
from strategihalsa.kolada.http import retry_after_seconds
from strategihalsa.kolada.rows import to_observations
from strategihalsa.settings import ClientSettings

ALL_UNITS = ["0680", "0000", "0006", "0643", "0180"]
N15428_TOTALS = {("0680", 2016): 80.0, ("0680", 2017): 82.0, ("0680", 2022): 85.5,
                 ("0000", 2017): 86.0, ("0000", 2022): 87.0, ("0006", 2017): 85.0,
                 ("0006", 2022): 84.0, ("0643", 2017): 70.0, ("0643", 2022): None,
                 ("0180", 2017): 90.0, ("0180", 2022): 91.0}


def totals(frame: pl.DataFrame) -> dict:
    rows = frame.filter(pl.col("gender") == "T").select("unit", "year", "value").iter_rows()
    return {(unit, year): value for unit, year, value in rows}


def value_of(frame: pl.DataFrame, year: int, gender: str = "T") -> float | None:
    rows = frame.filter((pl.col("year") == year) & (pl.col("gender") == gender))
    assert rows.height == 1
    return rows["value"][0]


# --- size and time limits --------------------------------------------------------------

@pytest.mark.parametrize("kind", ["endless", "bomb"])
def test_an_endless_or_inflating_body_is_refused_at_the_size_cap(fake, kind):
    fake.fail("/municipality", kind=kind, times=99)
    client = KoladaClient(quick_settings(fake.url, timeout=30))  # a busy machine inflates
    started = time.monotonic()  # the bomb slowly: the cap, not the timeout, must end it
    with pytest.raises(KoladaError, match=r"answer to .*/v3/municipality.* too large"):
        client.municipalities()
    assert time.monotonic() - started < 10
    assert len(fake.requests) == 1  # a deliberate monster is not fetched again


def test_a_dripping_answer_fails_in_about_the_timeout(fake):
    fake.fail("/municipality", kind="drip", times=99)
    client = KoladaClient(quick_settings(fake.url, timeout=0.5, retries=0))
    started = time.monotonic()
    with pytest.raises(KoladaError, match=r"answer to .*/v3/municipality.* within 0.5 s"):
        client.municipalities()
    assert 0.4 < time.monotonic() - started < 1.5  # the whole body would take minutes


def test_a_dripping_answer_is_retried_once_per_retry(fake):
    fake.fail("/municipality", kind="drip", times=1)
    client = KoladaClient(quick_settings(fake.url, timeout=0.3, retries=1))
    assert len(client.municipalities()) == 6
    assert len(fake.requests) == 2


def test_json_nested_too_deeply_is_a_broken_answer(fake):
    fake.fail("/municipality", kind="deep", times=99)
    client = KoladaClient(quick_settings(fake.url, retries=1))
    with pytest.raises(KoladaError, match=r"nested too deeply\), also after 1 retry$"):
        client.municipalities()
    assert len(fake.requests) == 2


# --- paging -----------------------------------------------------------------------------

def test_empty_pages_forever_stop_at_the_first_empty_page(fake, client):
    fake.fail("/data/", kind="empty_forever", times=99)
    frame = client.values(["N15428"], ["0680"])
    assert frame.is_empty()
    assert len(fake.requests) == 1


def test_an_empty_unit_list_forever_is_an_error_after_the_retries(fake):
    fake.fail("/municipality", kind="empty_forever", times=99)
    client = KoladaClient(quick_settings(fake.url, retries=2))
    with pytest.raises(KoladaError, match=r"/v3/municipality.* no units, also after 2 retries"):
        client.municipalities()
    assert len(fake.requests) == 3


def test_pages_forever_stop_at_the_page_cap():
    with FakeKolada(fixture_data(), page_size=2) as fake:
        fake.fail("/municipality", kind="pages_forever", times=999)
        client = KoladaClient(quick_settings(fake.url))
        with pytest.raises(KoladaError, match=r"/v3/municipality.* more than 200 pages"):
            client.municipalities()
        assert len(fake.requests) == 200


@pytest.mark.parametrize(("kind", "message"), [
    ("foreign_next", r"next_url on another host \(evil.example\); not followed"),
    ("number_next", r"next_url that is not a link \(int\)"),
])
def test_a_next_url_elsewhere_or_not_a_string_is_refused(kind, message):
    with FakeKolada(fixture_data(), page_size=2) as fake:
        fake.fail("/municipality", kind=kind, times=99)
        with pytest.raises(KoladaError, match=message):
            KoladaClient(quick_settings(fake.url)).municipalities()
        assert len(fake.requests) == 1


def test_next_url_takes_only_path_and_query_onto_the_configured_origin(client, monkeypatch):
    from strategihalsa.kolada.http import Page

    port = client.http.origin.port
    pages = {f"{client.base_url}x?per_page=5000":
             Page([{"id": 1}], f"https://127.0.0.1:{port}/v3/x?page=2", None),
             f"http://127.0.0.1:{port}/v3/x?page=2": Page([{"id": 2}], "?page=2", None)}
    monkeypatch.setattr(client.http, "page", lambda url, rows=False: pages[url])
    assert client.get_list("x") == [{"id": 1}, {"id": 2}]  # https → http; repeat stops


# --- truncation ---------------------------------------------------------------------------

def test_plan_keeps_every_request_within_the_row_budget_and_25_values():
    kpis = [f"N{i:05d}" for i in range(22)]
    units = [f"{i:04d}" for i in range(311)]
    years = list(range(2012, 2027))
    plan = plan_data(kpis, units, years)
    assert len(plan) == 24  # 22 KPIs × 13 units × 15 years = 4,290 rows at most each
    assert all(len(r.kpis) * len(r.units) * len(r.years) <= 4500 for r in plan)
    assert all(max(len(r.kpis), len(r.units), len(r.years)) <= 25 for r in plan)
    covered = sorted((k, u) for r in plan for k in r.kpis for u in r.units)
    assert covered == sorted((k, u) for k in kpis for u in units)


def test_a_full_page_without_next_url_is_split_until_complete():
    with FakeKolada(fixture_data(), page_size=3) as fake:
        fake.fail("/data/", kind="no_next", times=999)
        client = KoladaClient(quick_settings(fake.url))
        client.limits = Limits(per_page=3, row_budget=100)
        frame = client.values(["N15428"], ALL_UNITS, [2016, 2017, 2022])
        assert totals(frame) == N15428_TOTALS
        assert all("per_page=3" in r for r in fake.requests)
        assert len(fake.requests) > 1


def test_a_truncated_answer_that_cannot_be_split_is_an_error():
    with FakeKolada(fixture_data(), page_size=1) as fake:
        fake.fail("/data/", kind="no_next", times=99)
        client = KoladaClient(quick_settings(fake.url))
        client.limits = Limits(per_page=1)
        with pytest.raises(KoladaError, match=r"cut short .* cannot be split further"):
            client.values(["N15428"], ["0680"], [2016])


# --- unknown ids ----------------------------------------------------------------------------

def test_a_404_for_an_id_list_is_bisected_to_the_unknown_ids():
    with FakeKolada(fixture_data(), unknown_404=True) as fake:
        client = KoladaClient(quick_settings(fake.url))
        found = client.kpis(["N15428", "XX0001", "N20402", "XX0002"])
        assert [k.id for k in found] == ["N15428", "N20402"]
        assert client.unknown_kpis == {"XX0001", "XX0002"}
        assert len(fake.requests) == 7  # the list, 2 halves, 4 single ids


def test_unknown_ids_answered_with_fewer_rows_are_reported(fake, client):
    found = client.kpis(["N15428", "XX0001"])
    assert [k.id for k in found] == ["N15428"]
    assert client.unknown_kpis == {"XX0001"}
    assert len(fake.requests) == 1


def test_one_retired_id_alone_is_not_an_error(fake, client):
    assert client.kpis(["U01901"]) == []
    assert client.unknown_kpis == {"U01901"}
    assert len(fake.requests) == 1


def test_no_known_id_among_several_is_retried_then_an_error(fake):
    client = KoladaClient(quick_settings(fake.url, retries=2))
    with pytest.raises(KoladaError, match="knows none of the 2 KPIs"):
        client.kpis(["XX0001", "XX0002"])
    assert len(fake.requests) == 3


def test_no_known_id_answered_with_404s_is_an_error_without_retries():
    with FakeKolada(fixture_data(), unknown_404=True) as fake:
        client = KoladaClient(quick_settings(fake.url, retries=2))
        with pytest.raises(KoladaError, match="knows none of the 2 KPIs"):
            client.kpis(["XX0001", "XX0002"])
        assert len(fake.requests) == 3  # the pair, then each alone


def test_a_404_on_a_data_route_leaves_out_the_unknown_kpi():
    with FakeKolada(fixture_data(), unknown_404=True) as fake:
        client = KoladaClient(quick_settings(fake.url))
        frame = client.values(["N15428", "XX0001"], ["0680"], [2016])
        assert frame.select("kpi", "year", "gender", "value").rows() == [
            ("N15428", 2016, "T", 80.0)]
        assert client.unknown_kpis == {"XX0001"}


# --- values ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["nan", "infinity", "huge", "text_value"])
def test_a_value_that_is_not_a_sane_number_becomes_missing_with_a_warning(fake, client, kind):
    fake.fail("/data/", kind=kind)
    frame = client.values(["N15428"], ["0680"])
    assert value_of(frame, 2016) is None
    assert value_of(frame, 2017) == 82.0 and value_of(frame, 2022, "K") == 85.0
    assert any("N15428/0680/2016/T" in w and "treated as missing" in w
               for w in client.warnings)


def test_a_number_with_a_decimal_comma_is_read(fake, client):
    fake.fail("/data/", kind="comma")
    frame = client.values(["N15428"], ["0680"], [2022])
    assert value_of(frame, 2022) == 85.5
    assert client.warnings == []


def test_lower_case_gender_codes_are_upper_cased(fake, client):
    fake.fail("/data/", kind="lower_gender")
    frame = client.values(["N15428"], ["0680"], [2017])
    assert sorted(frame["gender"].to_list()) == ["K", "M", "T"]
    assert value_of(frame, 2017, "K") == 84.0


def test_conflicting_duplicates_become_missing_with_a_warning(fake, client):
    fake.fail("/data/", kind="conflict")
    frame = client.values(["N15428"], ["0680"])
    assert frame.filter(pl.col("year") == 2016).height == 1
    assert value_of(frame, 2016) is None
    assert value_of(frame, 2022) == 85.5
    assert any("conflicting values" in w and "N15428/0680/2016/T" in w
               for w in client.warnings)


def test_identical_duplicates_are_kept_once_quietly(fake, client):
    fake.fail("/data/", kind="duplicate")
    frame = client.values(["N15428"], ["0680"])
    assert frame.filter(pl.col("year") == 2016).height == 1
    assert value_of(frame, 2016) == 80.0
    assert client.warnings == []


def test_status_and_group_count_are_kept():
    data = fixture_data()
    entries = data.values[("N15428", "0680")][2022]
    next(e for e in entries if e["gender"] == "T")["status"] = "B"
    with FakeKolada(data) as fake:
        client = KoladaClient(quick_settings(fake.url))
        mine = client.values(["N15428"], ["0680"], [2022])
        assert mine.filter(pl.col("gender") == "T")["status"].to_list() == ["B"]
        group = client.values(["N15428"], ["G1001"], [2017, 2022])
        assert group.select("year", "value", "count").rows() == [(2017, 80.0, 2),
                                                                  (2022, 91.0, 1)]


def test_a_duplicated_unit_is_listed_once(fake, client):
    fake.fail("/municipality", kind="duplicate")
    assert [u.id for u in client.municipalities()] == [
        "0000", "0001", "0006", "0180", "0643", "0680"]


def test_a_unit_without_id_is_skipped_with_a_warning(fake, client):
    fake.fail("/municipality", kind="missing_id")
    assert [u.id for u in client.municipalities()] == ["0001", "0006", "0180", "0643", "0680"]
    assert any("units without id (skipped): Riket" in w for w in client.warnings)


@pytest.mark.parametrize(("route", "call"), [
    ("/municipality", lambda c: c.municipalities()),
    ("/data/", lambda c: c.values(["N15428"], ["0680"])),
])
def test_an_item_that_is_not_an_object_is_an_error(fake, client, route, call):
    fake.fail(route, kind="not_object")
    with pytest.raises(KoladaError, match=rf"{route}.* unexpected shape: .*not an object"):
        call(client)


# --- empty answers --------------------------------------------------------------------------

@pytest.mark.parametrize(("route", "call"), [
    ("/municipality?", lambda c: c.municipalities()),
    ("/municipality_groups", lambda c: c.municipality_groups()),
    ("/kpi/", lambda c: c.kpis(["N15428", "N20402"])),
])
def test_an_empty_list_once_is_fetched_again(fake, client, route, call):
    fake.fail(route, kind="empty")
    assert len(call(client)) > 0
    assert len(fake.requests) == 2


def test_empty_groups_for_good_are_an_error(fake):
    fake.fail("/municipality_groups", kind="empty", times=99)
    client = KoladaClient(quick_settings(fake.url, retries=1))
    with pytest.raises(KoladaError, match=r"municipality_groups.* no groups, also after 1 retry;"):
        client.municipality_groups()


def test_empty_answers_are_never_cached(fake, tmp_path):
    fake.fail("/municipality", kind="empty")
    settings = quick_settings(fake.url, cache_dir=tmp_path / "c")
    first = KoladaClient(settings)
    assert len(first.municipalities()) == 6
    assert first.values(["N15428"], ["0001"]).is_empty()  # no data: a legitimate empty list
    again = KoladaClient(settings)
    assert len(again.municipalities()) == 6
    assert again.values(["N15428"], ["0001"]).is_empty()
    assert again.network_requests == 1  # the empty data answer was not kept; the units were


# --- retries, redirects, credentials -------------------------------------------------------

@pytest.mark.parametrize("header", ["soon", "-5", "99999999999999999999",
                                    "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_a_malformed_retry_after_falls_back_to_the_backoff(fake, client, header):
    fake.fail("/municipality", status=429, retry_after=header)
    started = time.monotonic()
    assert len(client.municipalities()) == 6
    assert len(fake.requests) == 2
    assert time.monotonic() - started < 1.0  # backoff 0 in tests, not hours


def test_retry_after_is_honoured_up_to_a_minute():
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds("3600") == 60.0
    for bad in ("soon", "-5", "0", "86401", "1" * 30, "", "Thu, 01 Jan 1970 00:00:00 GMT"):
        assert retry_after_seconds(bad) is None


def test_a_redirect_to_another_host_is_not_followed(fake, client):
    fake.fail("/municipality", kind="redirect")
    with pytest.raises(KoladaError, match=r"redirected .*/v3/municipality.* to another host "
                                          r"or scheme \(http://evil.example\); not followed"):
        client.municipalities()
    assert len(fake.requests) == 1


def test_a_redirect_within_kolada_is_followed(fake, client):
    fake.fail("/municipality", kind="redirect", location="/v3/municipality?per_page=5000&x=1")
    assert len(client.municipalities()) == 6
    assert fake.requests[1] == "/v3/municipality?per_page=5000&x=1"


def test_credentials_are_sent_as_basic_auth_and_never_shown(fake):
    url = fake.url.replace("http://", "http://sfh:s3cret@")
    settings = quick_settings(url, retries=0)
    assert settings.public_url == fake.url.replace("http://", "http://***@")
    client = KoladaClient(settings)
    assert len(client.municipalities()) == 6
    assert fake.state.authorizations[0] == "Basic " + base64.b64encode(b"sfh:s3cret").decode()
    fake.fail("/kpi/", status=500)
    with pytest.raises(KoladaError) as failure:
        client.kpis(["N15428"])
    assert "s3cret" not in str(failure.value) and "sfh:" not in str(failure.value)


def test_credentials_never_reach_the_cache_file(fake, tmp_path):
    url = fake.url.replace("http://", "http://sfh:s3cret@")
    KoladaClient(quick_settings(url, cache_dir=tmp_path / "c")).municipalities()
    stored = b"".join(p.read_bytes() for p in (tmp_path / "c").iterdir())
    secret = base64.b64encode(b"sfh:s3cret")
    assert b"s3cret" not in stored and secret not in stored
    assert b"municipality" in stored  # the answer itself is there


def test_an_unreachable_kolada_fails_at_once_with_the_url_redacted():
    client = KoladaClient(quick_settings("http://sfh:s3cret@127.0.0.1:9/v3", retries=0))
    started = time.monotonic()
    with pytest.raises(KoladaError, match=r"cannot reach Kolada at http://127.0.0.1:9/v3/") as e:
        client.municipalities()
    assert "s3cret" not in str(e.value)
    assert time.monotonic() - started < 2


# --- settings -------------------------------------------------------------------------------

@pytest.mark.parametrize(("options", "message"), [
    ({"api_url": "http://[::1/v3"}, "is not a valid URL"),
    ({"api_url": "api.kolada.se/v3"}, "must start with https://"),
    ({"api_url": "ftp://api.kolada.se/v3"}, "must start with https://"),
    ({"api_url": "https:///v3"}, "has no host name"),
    ({"api_url": "https://u:pw@h:99999/v3"}, r"'https://\*\*\*@h:99999/v3' is not a valid URL"),
    ({"timeout": float("inf")}, "^timeout must be a number of seconds in 0.1..600"),
    ({"timeout": 1e308}, "^timeout "),
    ({"timeout": float("nan")}, "^timeout "),
    ({"timeout": 0.0}, "^timeout "),
    ({"retries": -1}, "^retries "),
    ({"retries": 2.5}, "^retries "),
    ({"backoff": float("inf")}, "^backoff "),
    ({"cache_dir": ""}, "^cache is empty"),
    ({"cache_dir": Path("")}, "^cache is empty"),
])
def test_unusable_settings_are_a_usage_error(options, message):
    with pytest.raises(UsageError, match=message) as failure:
        ClientSettings(**options)
    assert "\n" not in str(failure.value) and "pw" not in str(failure.value)


def test_usual_and_unusual_entries_of_one_row_are_read_alike():
    usual = {"gender": "T", "value": 81.5, "status": "", "count": 3, "isdeleted": False}
    row = {"kpi": "N15428", "municipality": "0680", "period": 2021, "values": [
        usual,
        {"gender": " k ", "value": "80,25", "status": None, "count": "4"},
        {"gender": "M", "value": 7, "status": " B ", "count": -1, "isdeleted": "false"},
        {"gender": "T", "value": 99.0, "isdeleted": True},
        {"gender": "X", "value": 1.0}]}
    told: list[str] = []
    frame = to_observations([row], warn=told.append)
    assert frame.rows() == [("N15428", "0680", 2021, "T", 81.5, "", 3),
                            ("N15428", "0680", 2021, "K", 80.25, "", 4),
                            ("N15428", "0680", 2021, "M", 7.0, "B", None)]
    assert told == ["Kolada sent values with an unknown gender code (dropped): "
                    "N15428/0680/2021/X"]


def test_rows_not_yet_checked_are_checked_before_they_are_read():
    with pytest.raises(KoladaError, match="without 'period'"):
        to_observations([{"kpi": "N15428", "municipality": "0680", "values": []}])
