"""Untrusted text (from Kolada or a catalogue) made safe to show anywhere, once, at the
boundary: terminal escape sequences, control characters, lone surrogates (valid JSON, but
no encoder accepts them), the characters XML 1.0 forbids (U+FFFE, U+FFFF and the other
noncharacters) and bidirectional controls (which can make a name read backwards) are
removed, so no title can move a cursor, hide or reverse text, split a CSV row, crash an
encoder or corrupt a workbook."""

from __future__ import annotations

import re

ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (colours, cursor)
                     r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (titles, links)
                     r"|\x1b[@-Z\\-_]?")  # other ESC sequences
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff{NONCHARACTERS}"
                    f"{BIDI_CONTROLS}]")


def clean(text: str) -> str:
    """The text without escape sequences, control characters, lone surrogates,
    noncharacters and bidi controls (tabs become spaces; line breaks are kept)."""
    if text.isprintable():  # the common case; everything removed here is unprintable
        return text
    text = ESCAPES.sub("", text).replace("\t", " ").replace("\r\n", "\n")
    return UNSAFE.sub("", text)


def clean_all(texts: list[str]) -> tuple[str, ...]:
    """Each text cleaned (`clean`): one test for the common case that all are printable."""
    return tuple(texts) if "".join(texts).isprintable() else tuple(map(clean, texts))
