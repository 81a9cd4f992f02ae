"""What the terminal's tables share: rich column options and the status cell.

A status is shown with a symbol and a word as well as a colour, so it reads without colour
(NO_COLOR, pipes, files); all words come from `words`.
"""

from __future__ import annotations

from typing import TypedDict

from rich.console import JustifyMethod
from rich.text import Text

from strategihalsa.model import Figures
from strategihalsa.render import words
from strategihalsa.render.layout import STATUS_STYLES
from strategihalsa.vocabulary import Status


class Column(TypedDict, total=False):
    """Keyword arguments of rich's Table.add_column that the layouts use."""

    justify: JustifyMethod
    no_wrap: bool
    min_width: int
    ratio: int


RIGHT: Column = {"justify": "right", "no_wrap": True}
LEFT: Column = {"no_wrap": True}
CENTER: Column = {"justify": "center", "no_wrap": True}
TITLE: Column = {"min_width": 24, "ratio": 1}


def status(figures: Figures | None, short: bool = False) -> Text:
    """Symbol and word (or the symbol alone), coloured."""
    code = figures.status if figures else Status.NO_DATA
    return status_of(code, short, words.status_word(figures))


def status_of(code: Status, short: bool = False, word: str | None = None) -> Text:
    """A status code as symbol and word (or the symbol alone), coloured."""
    text = words.STATUS_SYMBOLS[code] if short else \
        f"{words.STATUS_SYMBOLS[code]} {word or words.STATUS_LABELS[code]}"
    return Text(text, style=STATUS_STYLES[code])


def two_lines(first: str, second: str) -> str:
    """Two lines, or one dash when both are dashes."""
    return "–" if first == second == "–" else f"{first}\n{second}"
