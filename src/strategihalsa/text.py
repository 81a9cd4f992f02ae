"""Untrusted text (from Kolada or a catalogue) made safe to show anywhere: terminal escape
sequences and control characters are removed at the boundary, so no title can move a
cursor, hide text, split a CSV row or break a spreadsheet cell."""

from __future__ import annotations

import re

ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (colours, cursor)
                     r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (titles, links)
                     r"|\x1b[@-Z\\-_]?")  # other ESC sequences
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """The text without escape sequences and control characters (tabs become spaces;
    line breaks are kept)."""
    text = ESCAPES.sub("", text).replace("\t", " ").replace("\r\n", "\n")
    return CONTROLS.sub("", text)
