"""A local stand-in for Kolada's REST API v3, for tests, benchmarks and demos.

It serves the real v3 shapes from files laid out like ../shared/kolada (municipality.json,
kpi.json, municipality_groups.json, values.csv[.gz]): the list envelope with `next_url`
paging, path-form data routes with the 25-values-per-segment limit (422), group means for
`G...` ids, genders in shuffled order, null values, `isdeleted` entries, 410 for /v2 and
an empty 200 for the query form. Faults can be scripted (`fail`) or drawn at random with a
fixed seed (`chaos`): status codes, Retry-After, truncated JSON, connection resets, stalls.
Hostile kinds act out attacks on the client: an endless body, a gzip bomb, a 1-byte drip,
headers dripped a byte at a time, `100 Continue` forever, a server that never answers, deep
JSON, redirects, and every spoiled envelope of fake_hostile.BODIES (NaN, "86,4",
conflicting duplicates, foreign, non-string or 2 MB next_url, empty pages forever, lone
surrogates, noncharacters, bidi controls and terminal escapes in titles and status, ...).

Run by hand:  python tools/fake_kolada.py --data ../shared/kolada --port 8765
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import csv
import functools
import gzip
import json
import random
import socket
import ssl
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import fmean
from urllib.parse import parse_qs, urlsplit

from fake_hostile import BODIES, EVERY_PAGE_IS_THE_FIRST, STREAMS, PageInfo

MAX_SEGMENT = 25
MAX_PER_PAGE = 5000
GENDERS = ("T", "K", "M")


@dataclass
class KoladaData:
    """Everything the fake serves."""

    municipalities: list[dict]
    kpis: list[dict]
    groups: list[dict]
    values: dict[tuple[str, str], dict[int, list[dict]]]

    @classmethod
    def from_dir(cls, folder: Path) -> KoladaData:
        """Load a folder laid out like ../shared/kolada."""
        def envelope(name: str) -> list[dict]:
            return json.loads((folder / name).read_text(encoding="utf-8"))["values"]

        csv_path = next(p for p in (folder / "values.csv.gz", folder / "values.csv") if p.exists())
        opener = gzip.open if csv_path.suffix == ".gz" else open
        with opener(csv_path, "rt", encoding="utf-8", newline="") as handle:
            values = index_values(csv.DictReader(handle))
        return cls(envelope("municipality.json"), envelope("kpi.json"),
                   envelope("municipality_groups.json"), values)


def index_values(records) -> dict[tuple[str, str], dict[int, list[dict]]]:
    """CSV records (kpi, municipality, period, gender, value[, status, isdeleted]) → index."""
    index: dict[tuple[str, str], dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for rec in records:
        raw = rec["value"]
        index[(rec["kpi"], rec["municipality"])][int(rec["period"])].append({
            "gender": rec["gender"], "count": 1, "status": rec.get("status") or "",
            "value": float(raw) if raw not in ("", None) else None,
            "isdeleted": rec.get("isdeleted", "") == "true",
        })
    return index


@dataclass
class Fault:
    """A scripted misbehaviour for requests whose path contains `match`."""

    match: str
    kind: str = "status"  # status | truncate | cut | reset | stall | badshape | badrow |
    # a key of fake_hostile.STREAMS (endless, bomb, drip, slow_headers, hang, ...) or BODIES
    status: int = 503
    times: int = 1
    retry_after: str | None = None
    location: str | None = None  # for redirect: where to (default: another host)


@dataclass
class FakeState:
    """Mutable server state shared with the tests."""

    data: KoladaData
    page_size: int = MAX_PER_PAGE
    latency: float = 0.0
    relative_next: bool = False
    period_as_string: bool = False
    seed: int = 0
    faults: list[Fault] = field(default_factory=list)
    chaos_rate: float = 0.0
    chaos_kinds: tuple[str, ...] = ()
    stall_seconds: float = 3.0
    chaos_retry_after: str = "1"
    drip_seconds: float = 0.2
    unknown_404: bool = False
    # answer a repeated request with the bytes built the first time (benchmarks: the fake's
    # own work, which a real Kolada does on its own machines, kept off the client's cores)
    memo: bool = False
    answers: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0  # the most requests ever answered at the same time
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


class FakeKolada:
    """The fake server on 127.0.0.1, in a background thread; use as a context manager."""

    def __init__(self, data: KoladaData, port: int = 0, tls: ssl.SSLContext | None = None,
                 **options) -> None:
        self.state = FakeState(data=data, **options)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.scheme = "https" if tls else "http"
        if tls:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        """Base URL to give the client, like https://api.kolada.se/v3."""
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}/v3"

    @property
    def requests(self) -> list[str]:
        """Paths (with query) of every request received, in order."""
        return list(self.state.log)

    def fail(self, match: str, **fault) -> None:
        """Script a fault for the next request(s) whose path contains `match`."""
        self.state.faults.append(Fault(match=match, **fault))

    def chaos(self, rate: float, kinds: tuple[str, ...], seed: int = 0) -> None:
        """Misbehave at random (fixed seed) on a share `rate` of requests."""
        self.state.chaos_rate, self.state.chaos_kinds = rate, kinds
        self.state.rng = random.Random(seed)

    def reset(self) -> None:
        """Forget requests and faults."""
        self.state.log.clear()
        self.state.faults.clear()
        self.state.chaos_rate = 0.0

    def __enter__(self) -> FakeKolada:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    state: FakeState
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once: no 40 ms delayed-ACK stall

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        with in_flight(self.state):
            self._answer()

    def _answer(self) -> None:
        with self.state.lock:
            self.state.log.append(self.path)
            self.state.authorizations.append(self.headers.get("Authorization"))
            fault = self._pick_fault()
        self._fault_kind = fault.kind if fault else ""
        if self.state.latency:
            time.sleep(self.state.latency)
        if fault and self._misbehave(fault):
            return
        if not fault and self.state.memo:
            self._send(*self._remembered())
            return
        status, body = self._route()
        if fault and fault.kind == "badshape":
            body = {"rows": []}
        if fault and fault.kind == "badrow" and body.get("values"):
            body["values"][0].pop("kpi", None)
        if fault and fault.kind in BODIES and status == 200:
            body = copy.deepcopy(body)  # entries are shared with the data: spoil a copy
            BODIES[fault.kind](body, self._page_info())
        self._send(status, json_bytes(body))

    def _remembered(self) -> tuple[int, bytes]:
        """The answer to this path, built once."""
        if self.path not in self.state.answers:
            status, body = self._route()
            self.state.answers[self.path] = status, json_bytes(body)
        return self.state.answers[self.path]

    def _pick_fault(self) -> Fault | None:
        for fault in self.state.faults:
            if fault.match in self.path and fault.times > 0:
                fault.times -= 1
                return fault
        if self.state.chaos_rate and self.state.rng.random() < self.state.chaos_rate:
            kind = self.state.rng.choice(self.state.chaos_kinds)
            self.state.served.append(kind)
            if kind == "429":
                return Fault(match="", status=429, retry_after=self.state.chaos_retry_after)
            return Fault(match="", kind=kind, status=self.state.rng.choice((500, 503)))
        return None

    def _misbehave(self, fault: Fault) -> bool:
        """Act out a fault; True when the response has been dealt with."""
        if fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self._send(fault.status, b'{"error": "fake fault"}', headers)
        elif fault.kind == "truncate":
            body = self._route()[1]
            whole = json.dumps(body).encode()
            self._send(200, whole[: len(whole) // 2])
        elif fault.kind == "cut":
            whole = json.dumps(self._route()[1]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(whole)))
            self.end_headers()
            self.wfile.write(whole[: len(whole) // 2])
            self.wfile.flush()
            self._hang_up()
        elif fault.kind == "reset":
            self._hang_up()
        elif fault.kind == "stall":
            time.sleep(self.state.stall_seconds)
            self._hang_up()
        elif fault.kind in STREAMS:
            STREAMS[fault.kind](self, fault)
        else:
            return False
        return True

    def _open_stream(self, headers: dict) -> None:
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _write_until_gone(self, pieces, delay: float = 0.0) -> None:
        """Write piece after piece (pausing `delay` s) until done or the client hangs up."""
        with contextlib.suppress(OSError):
            for piece in pieces:
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(delay)

    def _page_info(self) -> PageInfo:
        query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
        page = int(query.get("page", 1))
        return PageInfo(page, functools.partial(self._link, urlsplit(self.path).path, query))

    def _hang_up(self) -> None:
        """Drop the connection at once, as a crashed server or a proxy would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> tuple[int, dict]:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        segments = [s for s in parts.path.split("/") if s]
        if segments[:1] == ["v2"]:
            return 410, {"error": "This endpoint is deprecated. Please use /v3 instead."}
        if segments[:1] != ["v3"] or len(segments) < 2:
            return 404, {"error": "Not found"}
        try:
            per_page = int(query.get("per_page", MAX_PER_PAGE))
            page = int(query.get("page", 1))
        except ValueError:
            return 422, {"error": "bad paging parameters"}
        if per_page > MAX_PER_PAGE or per_page < 1 or page < 1:
            return 422, {"error": "per_page must be 1..5000"}
        try:
            items = self._items(segments[1:], query)
        except _TooMany as exc:
            return 422, {"error": str(exc)}
        if items is None:
            return 404, {"error": "Not found"}
        return 200, self._page(items, page, min(per_page, self.state.page_size), parts.path, query)

    def _items(self, route: list[str], query: dict) -> list[dict] | None:
        data = self.state.data
        listing = {"municipality": data.municipalities, "kpi": data.kpis,
                   "municipality_groups": data.groups, "kpi_groups": []}
        if route[0] in listing and len(route) <= 2:
            items = listing[route[0]]
            if len(route) == 2:
                wanted = _ids(route[1])
                items = [i for i in items if i["id"] in wanted]
                if self.state.unknown_404 and len(items) < len(set(wanted)):
                    return None
            if "title" in query:
                items = [i for i in items if query["title"].casefold() in i["title"].casefold()]
            return items
        if route[0] == "data":
            return self._data(route[1:]) if len(route) > 1 else []  # query form: 200, no rows
        return None

    def _data(self, route: list[str]) -> list[dict] | None:
        pairs = dict(zip(route[::2], route[1::2], strict=False))
        if "kpi" not in pairs or set(pairs) - {"kpi", "municipality", "year"}:
            return None
        kpis = _ids(pairs["kpi"])
        if self.state.unknown_404 and any(self._unknown_kpi(kpi) for kpi in kpis):
            return None
        units = _ids(pairs["municipality"]) if "municipality" in pairs else self._all_units()
        years = {int(y) for y in _ids(pairs["year"])} if "year" in pairs else None
        rows = []
        for kpi in kpis:
            for unit in units:
                series = self._series(kpi, unit)
                for period in sorted(series):
                    if years is None or period in years:
                        rows.append(self._row(kpi, unit, period, series[period]))
        return rows

    def _unknown_kpi(self, kpi: str) -> bool:
        data = self.state.data
        return all(k["id"] != kpi for k in data.kpis) and not any(
            key[0] == kpi for key in data.values)

    def _all_units(self) -> list[str]:
        data = self.state.data
        return [m["id"] for m in data.municipalities] + [g["id"] for g in data.groups]

    def _series(self, kpi: str, unit: str) -> dict[int, list[dict]]:
        if not unit.startswith("G"):
            return self.state.data.values.get((kpi, unit), {})
        group = next((g for g in self.state.data.groups if g["id"] == unit), None)
        return group_means(self.state.data, kpi, group["members"]) if group else {}

    def _row(self, kpi: str, unit: str, period: int, entries: list[dict]) -> dict:
        entries = list(entries)
        with self.state.lock:
            self.state.rng.shuffle(entries)
        return {"kpi": kpi, "municipality": unit,
                "period": str(period) if self.state.period_as_string else period,
                "values": entries}

    def _page(self, items: list[dict], page: int, size: int, path: str, query: dict) -> dict:
        first = self._fault_kind in EVERY_PAGE_IS_THE_FIRST
        chunk = items[:size] if first else items[(page - 1) * size : page * size]
        has_next = page * size < len(items)
        link = functools.partial(self._link, path, query)
        return {"values": chunk, "count": len(chunk),
                "next_url": link(page + 1) if has_next else None,
                "previous_url": link(page - 1) if page > 1 else None}

    def _link(self, path: str, query: dict, number: int) -> str:
        params = "&".join(f"{k}={v}" for k, v in {**query, "page": number}.items())
        base = path if self.state.relative_next else f"http://{self.headers['Host']}{path}"
        return f"{base}?{params}"


@contextlib.contextmanager
def in_flight(state: FakeState):
    """Count a request as in flight while it is answered (`most_in_flight` keeps the peak)."""
    with state.lock:
        state.in_flight += 1
        state.most_in_flight = max(state.most_in_flight, state.in_flight)
    try:
        yield
    finally:
        with state.lock:
            state.in_flight -= 1


class _TooMany(Exception):
    pass


def _ids(segment: str) -> list[str]:
    ids = [s for s in segment.split(",") if s]
    if len(ids) > MAX_SEGMENT:
        raise _TooMany(f"at most {MAX_SEGMENT} values per segment, got {len(ids)}")
    return ids


def json_bytes(body: dict) -> bytes:
    """UTF-8 JSON; \\u escapes for all but ASCII if it holds a lone surrogate (as Kolada's
    JSON would: valid JSON, though no UTF-8 encoder takes the character itself)."""
    try:
        return json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(body).encode()


def group_means(data: KoladaData, kpi: str, members: list[dict]) -> dict[int, list[dict]]:
    """Unweighted means of the members' values per year and gender, as Kolada computes them."""
    collected: dict[tuple[int, str], list[float]] = defaultdict(list)
    for member in members:
        for period, entries in data.values.get((kpi, member["member_id"]), {}).items():
            for e in entries:
                if e["value"] is not None and not e["isdeleted"]:
                    collected[(period, e["gender"])].append(e["value"])
    series: dict[int, list[dict]] = defaultdict(list)
    for (period, gender), vals in sorted(collected.items()):
        series[period].append({"gender": gender, "count": len(vals), "status": "",
                               "value": fmean(vals), "isdeleted": False})
    return series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/kolada"))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--page-size", type=int, default=MAX_PER_PAGE)
    parser.add_argument("--hostile", metavar="KIND", help="misbehave on every request: "
                        f"{', '.join(sorted({*BODIES, *STREAMS}))}, or an HTTP status")
    parser.add_argument("--match", default="/v3/", help="only on paths containing this")
    parser.add_argument("--memo", action="store_true", help="answer a repeated request with "
                        "the bytes built the first time (benchmarks)")
    args = parser.parse_args()
    fake = FakeKolada(KoladaData.from_dir(args.data), port=args.port, latency=args.latency,
                      page_size=args.page_size, memo=args.memo)
    if args.hostile:
        kind = {"kind": "status", "status": int(args.hostile)} if args.hostile.isdigit() else {
            "kind": args.hostile}
        fake.fail(args.match, times=10**9, **kind)
    print(f"fake Kolada v3 at {fake.url} (Ctrl-C to stop)", flush=True)
    with fake:
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
