"""The Kolada v3 client against the fake server: shapes, limits, paging and failures."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator

import polars as pl
import pytest
from conftest import quick_settings
from fake_kolada import FakeKolada
from fixture_data import fixture_data
from hypothesis import given, settings
from hypothesis import strategies as st

from strategihalsa.errors import KoladaError
from strategihalsa.kolada import KoladaClient, chunked, data_paths
from strategihalsa.kolada.decoding import read_json
from strategihalsa.kolada.entries import row_key
from strategihalsa.kolada.http import Page


def many_units(n: int) -> list[dict]:
    return [{"id": f"{1000 + i:04d}", "title": f"Kommun {i}", "type": "K"} for i in range(n)]


def test_chunked_respects_the_25_value_limit():
    assert [len(c) for c in chunked([str(i) for i in range(60)])] == [25, 25, 10]


def test_data_paths_take_the_product_of_chunks():
    paths = list(data_paths([f"N{i:05d}" for i in range(30)], [f"{i:04d}" for i in range(26)],
                            [2020, 2021]))
    assert len(paths) == 4  # 2 kpi chunks × 2 unit chunks × 1 year chunk
    for path in paths:
        segments = path.split("/")
        assert all(len(s.split(",")) <= 25 for s in segments)
        assert segments[-1] == "2020,2021"


def test_values_select_by_gender_code_and_drop_deleted_entries(client):
    frame = client.values(["N15428"], ["0680"])
    totals = dict(frame.filter(pl.col("gender") == "T").select("year", "value").iter_rows())
    assert totals == {2016: 80.0, 2017: 82.0, 2022: 85.5}  # the deleted 2023 entry is gone
    women = frame.filter((pl.col("gender") == "K") & (pl.col("year") == 2022))["value"]
    assert women.to_list() == [85.0]


def test_nulls_stay_missing(client):
    frame = client.values(["N15428"], ["0643"])
    row = frame.filter(pl.col("year") == 2022).to_dicts()
    assert row == [{"kpi": "N15428", "unit": "0643", "year": 2022, "gender": "T", "value": None,
                    "status": "", "count": 1}]


@pytest.mark.parametrize("relative", [False, True])
def test_paging_follows_next_url(relative):
    with FakeKolada(fixture_data(), page_size=2, relative_next=relative) as fake:
        client = KoladaClient(quick_settings(fake.url))
        units = client.municipalities()
        assert [u.id for u in units] == ["0000", "0001", "0006", "0180", "0643", "0680"]
        assert len(fake.requests) == 3
        assert fake.requests[1].endswith("page=2")


def test_paging_stops_on_a_repeated_url(client, monkeypatch):
    pages = iter([Page([{"n": 1}], "/v3/x?page=2", None), Page([{"n": 2}], "/v3/x?page=2", None)])
    monkeypatch.setattr(client.http, "page", lambda url, rows=False: next(pages))
    assert client.get_list("x") == [{"n": 1}, {"n": 2}]


def test_more_than_25_units_are_chunked_into_several_requests():
    data = fixture_data()
    data.municipalities += many_units(40)
    with FakeKolada(data) as fake:
        client = KoladaClient(quick_settings(fake.url))
        units = [u["id"] for u in data.municipalities]
        client.values(["N15428", "N20402"], units, [2017, 2022])
        data_requests = [r for r in fake.requests if r.startswith("/v3/data/")]
        assert len(data_requests) == 2  # 46 units → 25 + 21
        assert all("per_page=5000" in r for r in data_requests)


def test_period_given_as_string_is_accepted():
    with FakeKolada(fixture_data(), period_as_string=True) as fake:
        frame = KoladaClient(quick_settings(fake.url)).values(["N20402"], ["0680"])
        assert frame["year"].to_list() == [2017, 2022]
        assert frame.schema["year"] == pl.Int32


def test_a_503_is_retried(fake, client):
    fake.fail("/data/", status=503, times=1)
    frame = client.values(["N20402"], ["0680"])
    assert frame.height == 2
    assert len(fake.requests) == 2


def test_a_429_honours_retry_after(fake, client):
    fake.fail("/municipality", status=429, times=1, retry_after="1")
    assert len(client.municipalities()) == 6
    assert len(fake.requests) == 2


def test_persistent_5xx_fails_with_the_request_named(fake, client):
    fake.fail("/kpi/", status=500, times=99)
    with pytest.raises(KoladaError, match=r"HTTP 500 for .*/v3/kpi/N15428"):
        client.kpis(["N15428"])
    assert len(fake.requests) == 4  # the first try and 3 retries


def test_other_4xx_are_not_retried(fake, client):
    fake.fail("/kpi/", status=403, times=1)
    with pytest.raises(KoladaError, match=r"HTTP 403 for .*/v3/kpi/N15428\?per_page=5000$"):
        client.kpis(["N15428"])
    assert len(fake.requests) == 1


def test_a_404_for_a_list_route_says_check_the_url(fake):
    client = KoladaClient(quick_settings(fake.url.replace("/v3", "/v3/nope")))
    with pytest.raises(KoladaError, match=r"no such route: .*/v3/nope/municipality.*check api_url"):
        client.municipalities()
    assert len(fake.requests) == 1


def test_v2_gets_a_clear_message(fake):
    client = KoladaClient(quick_settings(fake.url.replace("/v3", "/v2")))
    with pytest.raises(KoladaError, match="retired Kolada v2 API"):
        client.municipalities()


def test_422_names_the_request(client):
    too_many = ",".join(f"{i:04d}" for i in range(26))
    with pytest.raises(KoladaError, match=rf"rejected .*municipality/{too_many}.*HTTP 422"):
        client.get_list(f"data/kpi/N15428/municipality/{too_many}")


def test_malformed_json_is_fetched_again(fake, client):
    fake.fail("/municipality", kind="truncate", times=1)
    assert len(client.municipalities()) == 6
    assert len(fake.requests) == 2


def test_persistently_malformed_json_is_an_error(fake, client):
    fake.fail("/municipality", kind="truncate", times=99)
    with pytest.raises(KoladaError, match=r"broken answer for .*/v3/municipality"):
        client.municipalities()


def test_a_stalled_answer_times_out_and_is_retried(fake):
    fake.state.stall_seconds = 1.0
    fake.fail("/municipality", kind="stall", times=1)
    client = KoladaClient(quick_settings(fake.url, timeout=0.3))
    assert len(client.municipalities()) == 6


def test_persistent_timeouts_fail(fake):
    fake.state.stall_seconds = 0.6
    fake.fail("/municipality", kind="stall", times=99)
    client = KoladaClient(quick_settings(fake.url, timeout=0.2, retries=1))
    with pytest.raises(KoladaError, match=r"cannot reach Kolada .* timed out"):
        client.municipalities()


def test_connection_refused_is_a_kolada_error():
    client = KoladaClient(quick_settings("http://127.0.0.1:9/v3", retries=0))
    with pytest.raises(KoladaError, match="cannot reach Kolada"):
        client.municipalities()


def test_wrong_shape_is_an_error_not_empty_data(fake, client):
    fake.fail("/municipality", kind="badshape", times=1)
    with pytest.raises(KoladaError, match="unexpected shape"):
        client.municipalities()


def test_a_data_row_without_kpi_is_an_error_not_dropped(fake, client):
    fake.fail("/data/", kind="badrow", times=1)
    with pytest.raises(KoladaError, match=r"unexpected shape: a data row without 'kpi'"):
        client.values(["N20402"], ["0680"])


def test_a_body_cut_short_is_fetched_again(fake, client):
    fake.fail("/municipality", kind="cut", times=1)
    assert len(client.municipalities()) == 6
    assert len(fake.requests) == 2


def test_a_reset_connection_is_retried(fake, client):
    fake.fail("/municipality", kind="reset", times=1)
    assert len(client.municipalities()) == 6


def test_tls_certificates_are_verified(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with FakeKolada(fixture_data(), tls=context) as fake:
        client = KoladaClient(quick_settings(fake.url, retries=0))
        assert client.session.verify is True
        with pytest.raises(KoladaError, match="TLS certificate check failed"):
            client.municipalities()


def test_user_agent_names_the_tool(client):
    assert client.session.headers["User-Agent"].startswith("strategihalsa-sfh/")


def test_metadata_fetches_the_three_lists_at_once():
    with FakeKolada(fixture_data(), latency=0.3) as fake:
        client = KoladaClient(quick_settings(fake.url))
        started = time.monotonic()
        found = client.metadata(["N15428", "N20402"], families=["socioekonomi"])
        assert time.monotonic() - started < 0.75  # one after another would take 0.9 s
        assert len(found.municipalities) == 6
        assert [k.id for k in found.kpis] == ["N15428", "N20402"]
        assert [g.id for g in found.groups] == ["G1001"]
        assert client.network_requests == 3


def test_metadata_threads_share_the_cache_and_count_only_network_requests(fake, tmp_path):
    settings = quick_settings(fake.url, cache_dir=tmp_path / "cache")
    first = KoladaClient(settings)
    first.metadata(["N15428"], families=["socioekonomi"])
    again = KoladaClient(settings)
    found = again.metadata(["N15428"], families=["socioekonomi"])
    assert (len(found.municipalities), len(found.kpis), len(found.groups)) == (6, 1, 1)
    assert (first.network_requests, again.network_requests) == (3, 0)
    assert len(fake.requests) == 3


OTHER_GROUPS = [
    {"id": "G2002", "title": "Alla kommuner (ovägt medel)",
     "members": [{"member_id": "0680", "member_title": "Jönköping"}]},
    {"id": "G3003", "title": "Liknande kommuner, övergripande, Jönköping, 2025",
     "members": [{"member_id": "0643", "member_title": "Habo"}]},
]


@pytest.fixture
def grouped() -> Iterator[FakeKolada]:
    """The fake with three groups: one similar-kommuner group of each of two families."""
    data = fixture_data()
    data.groups.extend(OTHER_GROUPS)
    with FakeKolada(data) as server:
        yield server


def group_requests(server: FakeKolada) -> list[str]:
    return [path for path in server.requests if path.startswith("/v3/municipality_groups")]


def test_one_familys_groups_are_asked_for_by_title(grouped):
    client = KoladaClient(quick_settings(grouped.url))
    found = client.metadata(["N15428"], families=["övergripande"])
    assert [g.id for g in found.groups] == ["G3003"]
    assert group_requests(grouped) == [
        "/v3/municipality_groups?title=%C3%B6vergripande&per_page=5000"]
    assert client.network_requests == 3


def test_several_families_take_every_group_in_one_request(grouped):
    client = KoladaClient(quick_settings(grouped.url))
    found = client.metadata(["N15428"], families=["socioekonomi", "övergripande"])
    assert [g.id for g in found.groups] == ["G1001", "G2002", "G3003"]
    assert group_requests(grouped) == ["/v3/municipality_groups?per_page=5000"]


@pytest.mark.parametrize("answer", ["empty", "foreign_titles"])
def test_a_title_filter_kolada_reads_otherwise_falls_back_to_every_group(grouped, answer):
    """An empty answer to the filter, or one whose titles do not name the family, is not
    taken for the family's groups: the whole list is fetched (one request more)."""
    if answer == "empty":
        grouped.fail("title=", kind="empty")
    else:
        grouped.fail("title=", kind="redirect", status=302,
                     location="/v3/municipality_groups/G2002?per_page=5000")
    client = KoladaClient(quick_settings(grouped.url))
    found = client.metadata(["N15428"], families=["socioekonomi"])
    assert [g.id for g in found.groups] == ["G1001", "G2002", "G3003"]
    assert group_requests(grouped)[-1] == "/v3/municipality_groups?per_page=5000"


def test_metadata_reports_the_first_failure(fake, client):
    fake.fail("/municipality_groups", status=500, times=99)
    with pytest.raises(KoladaError, match=r"HTTP 500 for .*/v3/municipality_groups"):
        client.metadata(["N15428"], families=["socioekonomi"])


def test_ids_cannot_change_the_route(fake, client):
    assert client.kpis(["../municipality?x="]) == []
    assert fake.requests == ["/v3/kpi/..%2Fmunicipality%3Fx%3D?per_page=5000"]
    assert client.unknown_kpis == {"../municipality?x="}


# --- concurrent data requests --------------------------------------------------------------

def test_data_requests_go_out_four_at_a_time_with_the_rows_of_a_serial_run():
    import requests

    from strategihalsa.kolada.client import Limits

    with FakeKolada(fixture_data(), latency=0.1) as fake:
        concurrent = KoladaClient(quick_settings(fake.url))
        concurrent.limits = Limits(row_budget=4)  # 2 KPIs × 6 units × 3 years: 9 requests
        asked = (["N15428", "N20402"], [u["id"] for u in fixture_data().municipalities],
                 [2016, 2017, 2022])
        rows = concurrent.value_rows(*asked)
        assert fake.state.most_in_flight == 4
        assert concurrent.network_requests == 9
        serial = KoladaClient(quick_settings(fake.url), session=requests.Session())
        serial.limits = concurrent.limits
        before = fake.state.most_in_flight, len(fake.requests)
        expected = serial.value_rows(*asked)
        assert len(fake.requests) - before[1] == 9
    assert len(rows) == len(expected) > 0  # the same rows in the same order, entries in any
    assert [(row_key(r), sorted(map(repr, r.values))) for r in rows] == [
        (row_key(r), sorted(map(repr, r.values))) for r in expected]


def test_the_first_failing_data_request_fails_the_call_and_stops_the_rest():
    from strategihalsa.kolada.client import Limits

    units = [u["id"] for u in fixture_data().municipalities]
    with FakeKolada(fixture_data(), latency=0.05) as fake:
        client = KoladaClient(quick_settings(fake.url, retries=0))
        client.limits = Limits(row_budget=1)  # 2 KPIs × 6 units × 2 years: 24 requests
        fake.fail("/data/kpi/N15428/municipality/0000/year/2016?", status=403)
        with pytest.raises(KoladaError, match=r"HTTP 403 for .*/data/kpi/N15428/municipality/0000"):
            client.value_rows(["N15428", "N20402"], units, [2016, 2022])
        time.sleep(0.2)
        assert len(fake.requests) <= 8  # the 4 first, and at most one more per worker


def test_values_take_the_rows_of_a_prefetch_and_fetch_only_the_other_units(fake):
    plain = KoladaClient(quick_settings(fake.url)).values(
        ["N15428", "N20402"], ["0000", "0006", "0680", "G1001"], [2016, 2017, 2022])
    fake.reset()
    client = KoladaClient(quick_settings(fake.url))
    client.prefetch(["N15428", "N20402", "U01901"], ["0000", "0006", "0680"],
                    [2016, 2017, 2022])
    frame = client.values(["N15428", "N20402"], ["0000", "0006", "0680", "G1001"],
                          [2016, 2017, 2022])
    assert sorted(fake.requests) == [
        "/v3/data/kpi/N15428,N20402,U01901/municipality/0000,0006,0680/year/2016,2017,2022"
        "?per_page=5000",
        "/v3/data/kpi/N15428,N20402/municipality/G1001/year/2016,2017,2022?per_page=5000"]
    assert frame.sort(frame.columns).equals(plain.sort(plain.columns))


def test_a_prefetch_for_other_years_is_not_used(fake, client):
    client.prefetch(["N15428"], ["0680"], [2016])
    frame = client.values(["N15428"], ["0680"], [2016, 2017])
    assert sorted(frame["year"].unique().to_list()) == [2016, 2017]
    deadline = time.monotonic() + 5  # the unused prefetch may still be on its way
    while len(fake.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(fake.requests) == [
        "/v3/data/kpi/N15428/municipality/0680/year/2016,2017?per_page=5000",
        "/v3/data/kpi/N15428/municipality/0680/year/2016?per_page=5000"]


def test_of_failures_at_once_the_first_asked_for_is_told_whichever_came_first():
    with FakeKolada(fixture_data(), stall_seconds=0.5) as fake:
        fake.fail("/v3/municipality?", kind="stall")  # fails last: after half a second
        fake.fail("/municipality_groups", status=403)  # fails at once
        client = KoladaClient(quick_settings(fake.url, retries=0))
        with pytest.raises(KoladaError, match=r"/v3/municipality\?per_page"):
            client.metadata(["N15428"], families=["socioekonomi"])


def nested(inner: st.SearchStrategy) -> st.SearchStrategy:
    """Lists and objects of `inner` (a named function: hypothesis's check does not see that
    a lambda over two lines uses its argument, and warns that it cannot recurse)."""
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(), nested, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_answers_are_read_exactly_as_the_standard_library_reads_them(value):
    """NaN, integers beyond 64 bits and lone surrogates included."""
    content = json.dumps(value).encode()
    assert repr(read_json(content)) == repr(json.loads(content))


@pytest.mark.parametrize("content", [b'{"a": 1, "a": NaN}', b"\xef\xbb\xbf[1e400]",
                                     b'[-9223372036854775809, 18446744073709551616]'])
def test_corners_are_read_as_the_standard_library_reads_them(content):
    assert repr(read_json(content)) == repr(json.loads(content))


@pytest.mark.parametrize("content", [b'{"values": [', b"\xff\xfe", b"", b"[1,]"])
def test_malformed_answers_still_raise_value_error(content):
    with pytest.raises(ValueError):
        read_json(content)
