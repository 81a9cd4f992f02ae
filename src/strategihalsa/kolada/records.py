"""Kolada's metadata as typed, frozen records, made from the raw v3 objects at the client
boundary: the rest of the package never reads a raw Kolada dict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strategihalsa.text import clean


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return "" if value is None else clean(str(value))


@dataclass(frozen=True)
class Kpi:
    """A key figure: id, title, description, level (K, L or A) and gender division."""

    id: str
    title: str
    description: str
    municipality_type: str
    is_divided_by_gender: bool

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Kpi:
        """From a v3 `/kpi` object."""
        return cls(_text(raw, "id"), _text(raw, "title"), _text(raw, "description"),
                   _text(raw, "municipality_type"), raw.get("is_divided_by_gender") is True)


@dataclass(frozen=True)
class Municipality:
    """A kommun (type K), a region or Riket (type L)."""

    id: str
    title: str
    type: str

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Municipality:
        """From a v3 `/municipality` object."""
        return cls(_text(raw, "id"), _text(raw, "title"), _text(raw, "type"))


@dataclass(frozen=True)
class Group:
    """A municipality group (e.g. similar kommuner) and its member ids."""

    id: str
    title: str
    members: tuple[str, ...]

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Group:
        """From a v3 `/municipality_groups` object."""
        members = raw.get("members") if isinstance(raw.get("members"), list) else []
        return cls(_text(raw, "id"), _text(raw, "title"),
                   tuple(_text(m, "member_id") for m in members if isinstance(m, dict)))
