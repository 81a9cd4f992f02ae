"""The HTTP adapter below the cache: every exchange within one deadline and a size limit.

Each request is made on a daemon thread: connecting, the status line, the headers and the
body all within one deadline of `--timeout` (a server dripping its headers, or sending
`100 Continue` forever, fails like a stall, and Ctrl-C or SIGTERM never waits for a
socket), and at most `MAX_BYTES` of body decoded (a gzip bomb or an endless body stops
there).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from strategihalsa.kolada.background import Background

MAX_BYTES = 64 * 1024 * 1024
READ_SIZE = 64 * 1024
GRACE = 0.25  # seconds past the deadline before the caller stops waiting for an exchange
MAX_WAIT = 60.0  # the longest wait: for an answer without a timeout, or between retries


class AnswerTooLarge(requests.RequestException):
    """The body is larger than the adapter's limit."""


class AnswerTooSlow(requests.RequestException):
    """The body did not arrive completely within the timeout."""


class LimitedAdapter(HTTPAdapter):
    """Makes each exchange on a daemon thread, all of it within the timeout, and reads each
    body itself: at most `max_bytes` decoded. An exchange given up at the deadline ends on
    its own as soon as its headers are in (its body's deadline has passed by then)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        super().__init__(max_retries=Retry(0, read=False, redirect=False))
        self.max_bytes = max_bytes

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: bool | str = True, cert: Any = None,
             proxies: Mapping[str, str] | None = None, **kwargs: Any) -> requests.Response:
        """Send and read the whole answer (connect, status line, headers, body) within one
        deadline of `timeout` seconds, on a daemon thread: the caller gives up at the
        deadline whatever the server does, and a stop never waits for the network."""
        deadline = _deadline(timeout)
        kwargs |= {"verify": verify, "cert": cert, "proxies": proxies}
        exchange = Background(partial(self._exchange, request, timeout, deadline, kwargs),
                              "kolada-http")
        try:  # the exchange's own errors (refused, timed out, cut short) say more: let them come
            return exchange.result(deadline + GRACE)
        except TimeoutError:
            raise AnswerTooSlow("the answer did not arrive in time") from None

    def _exchange(self, request: requests.PreparedRequest, timeout: Any, deadline: float,
                  kwargs: dict[str, Any]) -> requests.Response:
        """The response with its body read under the limits (the cache stores it as read)."""
        response = super().send(request, stream=True, timeout=timeout, **kwargs)
        try:
            response._content = read_body(response, self.max_bytes, deadline)
        except BaseException:
            response.close()
            raise
        response._content_consumed = True  # type: ignore[attr-defined]  # requests' own flag
        response.close()
        return response


def _deadline(timeout: Any) -> float:
    seconds = timeout[-1] if isinstance(timeout, tuple) else timeout
    return time.monotonic() + (seconds if seconds else MAX_WAIT)


def read_body(response: requests.Response, max_bytes: int, deadline: float) -> bytes:
    """The decoded body, refused once it exceeds `max_bytes` or outlives `deadline`."""
    declared = response.headers.get("Content-Length", "")
    if re.fullmatch(r"[0-9]{1,20}", declared) and int(declared) > max_bytes:
        raise AnswerTooLarge(f"it announces {int(declared):,} bytes")
    body = bytearray()
    while chunk := _read_some(response.raw, deadline):
        body += chunk
        if len(body) > max_bytes:
            raise AnswerTooLarge(f"over {max_bytes:,} bytes")
    return bytes(body)


def _read_some(raw: BaseHTTPResponse, deadline: float) -> bytes:
    """At most READ_SIZE decoded bytes, waiting no longer than the time left."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise AnswerTooSlow("the answer did not arrive in time")
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(left)
    try:
        return raw.read1(READ_SIZE, decode_content=True)
    except (ReadTimeoutError, TimeoutError) as exc:
        raise AnswerTooSlow("the answer did not arrive in time") from exc
    except (ProtocolError, SSLError) as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from exc
