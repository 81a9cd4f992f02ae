"""Hostile answer shapes for the fake Kolada: each turns a good v3 envelope into a bad one.

`BODIES[kind](body, page)` mutates the envelope in place; `page` gives the page number and a
`link(n)` to another page of the same request. Data mutations touch the first row's total
(gender T), so a test knows by hand which observation was spoiled.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import select
import socket
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FOREIGN_HOST = "evil.example:8443"
UNSAFE_TEXT = ("\udfff\ud800\ufffe\uffff\U0001fffe\ufdd0\x00\x0b\x1b]0;pwned\x07\x1b[2J"
               "\x1b]8;;http://evil\x07\u202e\u2066\u200f\u061c\x85")
"""Only what text.clean removes: lone surrogates, noncharacters (XML 1.0 forbids U+FFFE and
U+FFFF), C0/C1 controls, terminal escapes (window title, screen clear, a hyperlink) and bidi
controls. Woven into a text, the cleaned text is the original."""
LONG_LINK = 2_000_000


@dataclass
class PageInfo:
    """Where a page sits in its request: its number and links to other pages."""

    number: int
    link: Callable[[int], str]


def _first_total(body: dict) -> dict:
    row = body["values"][0]
    return next(e for e in row["values"] if e["gender"] == "T")


def _set_first_total(value: object) -> Callable[[dict, PageInfo], None]:
    def mutate(body: dict, page: PageInfo) -> None:
        _first_total(body)["value"] = value
    return mutate


def comma(body: dict, page: PageInfo) -> None:
    """The first total as a string with a decimal comma, e.g. "80,0"."""
    entry = _first_total(body)
    entry["value"] = f"{entry['value']:.1f}".replace(".", ",")


def lower_gender(body: dict, page: PageInfo) -> None:
    """Every gender code in lower case."""
    for row in body["values"]:
        for entry in row["values"]:
            entry["gender"] = entry["gender"].lower()


def conflict(body: dict, page: PageInfo) -> None:
    """The first row again, its total raised by one: two answers for one observation."""
    twin = copy.deepcopy(body["values"][0])
    next(e for e in twin["values"] if e["gender"] == "T")["value"] += 1.0
    body["values"].append(twin)


def duplicate(body: dict, page: PageInfo) -> None:
    """The first item once more, identical."""
    body["values"].append(copy.deepcopy(body["values"][0]))


def missing_id(body: dict, page: PageInfo) -> None:
    """The first metadata item without its id."""
    body["values"][0].pop("id", None)


def not_object(body: dict, page: PageInfo) -> None:
    """A bare string among the items."""
    body["values"].insert(0, "surprise")


def empty(body: dict, page: PageInfo) -> None:
    """No items at all."""
    body.update(values=[], count=0, next_url=None)


def no_next(body: dict, page: PageInfo) -> None:
    """The page as is, but no link to the next one (a silently truncated answer)."""
    body["next_url"] = None


def foreign_next(body: dict, page: PageInfo) -> None:
    """next_url pointing at another host."""
    link = page.link(page.number + 1)
    body["next_url"] = f"http://{FOREIGN_HOST}{link[link.index('/v3/'):]}"


def number_next(body: dict, page: PageInfo) -> None:
    """next_url that is not a string."""
    body["next_url"] = page.number + 1


def empty_forever(body: dict, page: PageInfo) -> None:
    """An empty page that still links to a next one, forever."""
    body.update(values=[], count=0, next_url=page.link(page.number + 1))


def pages_forever(body: dict, page: PageInfo) -> None:
    """A non-empty page linking to the next, forever (the items repeat the first page)."""
    body["next_url"] = page.link(page.number + 1)


def spoiled(text: str) -> str:
    """`text` with UNSAFE_TEXT woven in after its second character."""
    return f"{text[:2]}{UNSAFE_TEXT}{text[2:]}"


def hostile_text(body: dict, page: PageInfo) -> None:
    """Every item's title and description (metadata) spoiled with UNSAFE_TEXT."""
    for item in body["values"]:
        for key in ("title", "description"):
            if isinstance(item.get(key), str):
                item[key] = spoiled(item[key])


def hostile_status(body: dict, page: PageInfo) -> None:
    """Every data entry's `status` spoiled: "B" with UNSAFE_TEXT woven in ("B" when clean)."""
    for row in body["values"]:
        for entry in row["values"]:
            entry["status"] = f"B{UNSAFE_TEXT}"


def long_next(body: dict, page: PageInfo) -> None:
    """A next_url of about 2 MB (on the right host)."""
    body["next_url"] = f"{page.link(page.number + 1)}&pad={'x' * LONG_LINK}"


BODIES: dict[str, Callable[[dict, PageInfo], None]] = {
    "nan": _set_first_total(float("nan")),
    "infinity": _set_first_total(float("inf")),
    "huge": _set_first_total(1e308),
    "text_value": _set_first_total("many"),
    "comma": comma,
    "lower_gender": lower_gender,
    "conflict": conflict,
    "duplicate": duplicate,
    "missing_id": missing_id,
    "not_object": not_object,
    "empty": empty,
    "no_next": no_next,
    "foreign_next": foreign_next,
    "number_next": number_next,
    "empty_forever": empty_forever,
    "pages_forever": pages_forever,
    "hostile_text": hostile_text,
    "hostile_status": hostile_status,
    "long_next": long_next,
}
"""Envelope mutations by fault kind."""

EVERY_PAGE_IS_THE_FIRST = {"pages_forever", "empty_forever"}
"""Kinds that serve page 1's items whatever page is asked for."""


def endless(handler: Any, fault: Any) -> None:
    """A 200 whose body never ends (until the client hangs up, or 1 GiB)."""
    handler._open_stream({})
    handler._write_until_gone(itertools.repeat(b'{"values": []}' + b" " * 65_522, 16_384))


def bomb(handler: Any, fault: Any) -> None:
    """An 80 KiB gzip body that inflates to 80 MiB of JSON whitespace (over the 64 MiB cap)."""
    packed = gzip_bomb()
    handler._open_stream({"Content-Encoding": "gzip", "Content-Length": str(len(packed))})
    handler._write_until_gone([packed])


def drip(handler: Any, fault: Any) -> None:
    """A correct answer, one byte every `drip_seconds`."""
    body = json.dumps(handler._route()[1]).encode()
    handler._open_stream({"Content-Length": str(len(body))})
    handler._write_until_gone((body[i : i + 1] for i in range(len(body))),
                              handler.state.drip_seconds)


def deep(handler: Any, fault: Any) -> None:
    """A 200 with JSON nested 100,000 levels deep."""
    depth = 100_000
    handler._send(200, b'{"values": ' + b"[" * depth + b"]" * depth + b"}")


def redirect(handler: Any, fault: Any) -> None:
    """A 302 to `fault.location`, by default the same path on another host."""
    location = fault.location or f"http://{FOREIGN_HOST}{handler.path}"
    handler._send(302, b"", {"Location": location})


def slow_headers(handler: Any, fault: Any) -> None:
    """A correct answer whose status line and headers come one byte every `drip_seconds`
    (each byte well within a per-read timeout), then the body at once."""
    body = json.dumps(handler._route()[1]).encode()
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    handler.close_connection = True
    handler._write_until_gone([*(head[i : i + 1] for i in range(len(head))), body],
                              handler.state.drip_seconds)


def continue_forever(handler: Any, fault: Any) -> None:
    """`100 Continue` after `100 Continue`, every `drip_seconds`, never a final status."""
    handler.close_connection = True
    handler._write_until_gone(itertools.repeat(b"HTTP/1.1 100 Continue\r\n\r\n"),
                              handler.state.drip_seconds)


def hang(handler: Any, fault: Any) -> None:
    """Accept the request and never answer, until the client hangs up (or 10 minutes)."""
    handler.close_connection = True
    connection = handler.connection
    for _ in range(6000):
        if select.select([connection], [], [], 0.1)[0] and not connection.recv(1, socket.MSG_PEEK):
            return


@functools.cache
def gzip_bomb(inflated_mib: int = 80) -> bytes:
    """gzip of `inflated_mib` MiB of spaces (about 1/1000 of that compressed); made once."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    spaces = b" " * (1 << 20)
    return b"".join([*(packer.compress(spaces) for _ in range(inflated_mib)), packer.flush()])


STREAMS: dict[str, Callable[[Any, Any], None]] = {
    "endless": endless, "bomb": bomb, "drip": drip, "deep": deep, "redirect": redirect,
    "slow_headers": slow_headers, "continue_forever": continue_forever, "hang": hang}
"""Faults that write their own (hostile) response instead of the routed one."""
