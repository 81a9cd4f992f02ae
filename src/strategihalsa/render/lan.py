"""What a län summary (a batch's index page, workbook and PDF) and the overview show besides
each unit's own figures: the indicators as the matrix's columns, which indicators no unit of
the batch has data for (their columns collapse into one note), and each unit's place in the
batch by improvement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from strategihalsa.catalogue import Indicator
from strategihalsa.model import IndicatorResult, UnitReport
from strategihalsa.render import words, words_reason
from strategihalsa.units import lan_name


@dataclass(frozen=True)
class Empty:
    """An indicator without data for every unit of a batch, and why (the distinct reasons
    the units' figures give, in Swedish; empty where none is known)."""

    index: int  # its position in each report's results
    result: IndicatorResult  # the first unit's, for its indicator
    reasons: tuple[str, ...]


def labels(indicators: Sequence[Indicator]) -> list[str]:
    """Each indicator's short column name: '3', or '19a', '19b' for a goal with two."""
    per_goal: dict[int | None, list[Indicator]] = {}
    for indicator in indicators:
        per_goal.setdefault(indicator.goal, []).append(indicator)
    return [words.column_label(i, per_goal[i.goal].index(i), len(per_goal[i.goal]))
            for i in indicators]


@dataclass(frozen=True)
class Column:
    """One indicator as a column of the matrix."""

    id: str
    label: str
    goal: str
    title: str
    kpi: str
    better: str
    measure: str  # 'mäts som …' where the key figure measures the opposite way, else ''


def columns(indicators: Sequence[Indicator]) -> list[Column]:
    """Matrix columns in catalogue order; '19a', '19b' for a goal with two indicators."""
    return [Column(i.id, label, words.goal_label(i), i.title, i.kpi, words.better_mark(i),
                   words.measure_of(i))
            for i, label in zip(indicators, labels(indicators), strict=True)]


def empty_note(reports: Sequence[UnitReport]) -> tuple[str, list[str]] | None:
    """The note that stands for the collapsed columns: its sentence and one line per
    indicator with why its data is missing, where known; None when no column collapses."""
    empty = empty_indicators(reports)
    if not empty:
        return None
    names = labels([r.indicator for r in reports[0].results])
    sentence = words.empty_goals([names[e.index] for e in empty], scope(reports) is not None)
    return sentence, [f"{names[e.index]}. {e.result.indicator.title} ({e.result.indicator.kpi})"
                      + (f": {'; '.join(e.reasons)}" if e.reasons else "") for e in empty]


def empty_indicators(reports: Sequence[UnitReport]) -> list[Empty]:
    """The indicators that no report of the batch has data for, in catalogue order."""
    found = []
    for n, first in enumerate(reports[0].results):
        if not any(report.results[n].has_data for report in reports):
            found.append(Empty(n, first, reasons(reports, n)))
    return found


def reasons(reports: Sequence[UnitReport], n: int) -> tuple[str, ...]:
    """Why indicator `n` has no data, per kind of unit where the kinds differ: ('regionen:
    nyckeltalet redovisas bara för kommuner', 'kommunerna: Kolada har inga värden')."""
    by_kind: dict[str, dict[str, None]] = {}
    for report in reports:
        text = words_reason.reason(report.results[n].figures.reason)
        by_kind.setdefault(report.unit.kind, {}).update({text: None} if text else {})
    if len({tuple(texts) for texts in by_kind.values()}) <= 1:
        return tuple(next(iter(by_kind.values()), {}))
    count = Counter(report.unit.kind for report in reports)
    return tuple(f"{words.KIND_NAMES[kind][count[kind] > 1]}: {', '.join(texts)}"
                 for kind, texts in by_kind.items() if texts)


def shown(reports: Sequence[UnitReport]) -> list[int]:
    """The positions of the indicators a summary gives a column: those with some data."""
    empty = {e.index for e in empty_indicators(reports)}
    return [n for n in range(len(reports[0].results)) if n not in empty]


def ranks(reports: Sequence[UnitReport]) -> dict[tuple[str, int], tuple[int, int]]:
    """Each unit's place by improvement per indicator among the batch's units of its kind
    with own-level data, and how many were ranked: {(unit id, indicator position):
    (place, of)}, by the evaluation's own ranking (`rank_by_improvement`). A unit without
    an improvement, with a key figure taken from its region, or alone, has no place."""
    import polars as pl

    from strategihalsa.evaluate import rank_by_improvement

    rows = pl.DataFrame(
        [(r.unit.id, r.unit.kind, n, result.figures.improvement)
         for r in reports for n, result in enumerate(r.results) if not result.region_level],
        schema={"unit": pl.String, "kind": pl.String, "n": pl.Int64, "improvement": pl.Float64},
        orient="row")
    ranked = rank_by_improvement(rows, ["n", "kind"]).filter(pl.col("ranked") > 1)
    return {(unit, n): (place, of)
            for unit, n, place, of in ranked.select("unit", "n", "rank", "ranked").iter_rows()}


def scope(reports: Sequence[UnitReport]) -> tuple[str, str] | None:
    """The batch's län code and name when all its units are of one län, else None."""
    codes = {report.unit.lan for report in reports}
    if len(codes) != 1:
        return None
    code = codes.pop()
    return code, lan_name(code)
