"""`sfh changes` output: Swedish text for people, plain data (`sfh.changes/1`) for scripts.

Long lists are summarised per KPI in the text (the JSON has every value)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, TypeVar

from strategihalsa.render import words, words_time
from strategihalsa.store.changes import Changes, ValueChange
from strategihalsa.text import clean
from strategihalsa.vocabulary import Outlook, Status

Judged = TypeVar("Judged", Status, Outlook)

SCHEMA = "sfh.changes/1"
SECONDS = "%Y-%m-%d %H:%M:%S %Z"  # two syncs may be minutes apart
EXAMPLES = 3


def as_data(changes: Changes) -> dict[str, Any]:
    """Every change as plain data."""
    return {"schema": SCHEMA, "changed": changes.any, "tolerance": changes.tolerance,
            "older": _snapshot(changes.older), "newer": _snapshot(changes.newer),
            **{name: [asdict(item) for item in getattr(changes, name)]
               for name in ("published", "revised", "deleted", "redefined", "retired",
                            "goals", "due")}}


def _snapshot(manifest: Any) -> dict[str, str]:
    return {"fetched_at": manifest.fetched_at, "api_url": manifest.api_url}


def as_text(changes: Changes) -> str:
    """The changes in Swedish, one section per kind, empty sections left out."""
    when = [words_time.generated(m.fetched_at, SECONDS) for m in (changes.older, changes.newer)]
    head = f"Ändringar i Kolada mellan {when[0]} och {when[1]}"
    sections = [_published(changes), _values("Reviderade värden (relativ ändring över "
                                             f"{changes.tolerance:g})", changes.revised),
                _values("Borttagna värden", changes.deleted), _redefined(changes),
                _retired(changes), _goals(changes), _due(changes)]
    body = [section for section in sections if section]
    if not changes.any:
        body.insert(0, "Inga ändringar.")
    return clean("\n\n".join([head, *body])) + "\n"


def _published(changes: Changes) -> str:
    lines = [f"  {p.kpi} {p.year}: {words.counted(p.units, 'enhet', 'enheter')}"
             + (" (ny årgång)" if p.new_year else "")
             for p in changes.published]
    return _section("Nya värden", lines)


def _values(title: str, changes: list[ValueChange]) -> str:
    per_kpi = Counter(change.kpi for change in changes)
    lines = []
    for kpi, count in sorted(per_kpi.items()):
        examples = [c for c in changes if c.kpi == kpi][:EXAMPLES]
        shown = ", ".join(f"{c.unit} {c.year} {c.gender}: {_number(c.before)} → "
                          f"{_number(c.after)}" for c in examples)
        lines.append(f"  {kpi}: {words.counted(count, 'värde', 'värden')}, t.ex. {shown}")
    return _section(title, lines)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:g}".replace(".", ",")


def _redefined(changes: Changes) -> str:
    lines = [f"  {r.kpi} {r.field}: {r.before!r} → {r.after!r}" for r in changes.redefined]
    return _section("Nyckeltal med ändrad definition (id:t kan nu mäta något annat: "
                    "kontrollera katalogen)", lines)


def _retired(changes: Changes) -> str:
    return _section("Nyckeltal som upphört", [f"  {r.kpi} {r.title}" for r in changes.retired])


def _goals(changes: Changes) -> str:
    lines = [f"  {g.unit} {g.unit_title}: {_goal(g.goal)} ({g.kpi}) "
             f"{_judgement(*g.status, words.STATUS_LABELS, Status)}; prognos "
             f"{_judgement(*g.outlook, words.OUTLOOK_LABELS, Outlook)}" for g in changes.goals]
    return _section("Mål med ändrad status eller prognos", lines)


def _goal(goal: int | None) -> str:
    """'mål 3', or 'lokal indikator' for one outside the strategy's 22 goals."""
    return words.LOCAL_LABEL.lower() if goal is None else f"mål {goal}"


def _judgement(before: str, after: str, labels: Mapping[Judged, str], kind: type[Judged]) -> str:
    name = labels[kind(before)], labels[kind(after)]
    return name[1] if before == after else f"{name[0]} → {name[1]}"


def _due(changes: Changes) -> str:
    lines = [f"  {d.kpi} {d.title}: {words_time.next_publication(d.publication_date)}"
             for d in changes.due]
    return _section("Publicerade sedan den senaste hämtningen (kör sfh sync)", lines)


def _section(title: str, lines: list[str]) -> str:
    return "\n".join([f"{title}:", *lines]) if lines else ""
