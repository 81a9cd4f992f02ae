"""Values asked for before they are needed: prefetches running on daemon threads.

A run that knows some of the units it will need (a kommun given by its code, or every unit
once the metadata has arrived) starts fetching their values at once, while the main thread
still imports and plans. The later `values` call takes, from every pending prefetch made for
the same years and for at least its KPIs, the answers for the units it covers (each unit from
the first prefetch that has it), and fetches only the units none covers. A prefetch for
other years or fewer KPIs is dropped unused.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence, Set
from dataclasses import dataclass

from strategihalsa.kolada.background import Background
from strategihalsa.kolada.entries import DataRow, Read, read, row_key

Rows = list[DataRow]


@dataclass(frozen=True)
class Answer:
    """The rows of one data answer, and their observations, read on the thread that fetched
    them (while other answers are on their way)."""

    rows: Rows
    read: Read

    @classmethod
    def of(cls, rows: Rows) -> Answer:
        """The answer of these (checked) rows, read."""
        return cls(rows, read(rows))


def year_key(years: Sequence[int] | None) -> tuple[int, ...] | None:
    """Years as compared between a prefetch and a request (None: every year)."""
    return tuple(years) if years else None


@dataclass(frozen=True)
class Early:
    """One prefetch: what it asked for, and its answers on their way."""

    kpis: frozenset[str]
    units: frozenset[str]
    years: tuple[int, ...] | None
    answers: Background[list[Answer]]

    def serves(self, kpis: Sequence[str], years: Sequence[int] | None) -> bool:
        """Whether its rows answer a request for these KPIs and years."""
        return self.years == year_key(years) and self.kpis >= set(kpis)


class Prefetches:
    """The pending prefetches of one client (added from any thread)."""

    def __init__(self) -> None:
        self._pending: list[Early] = []
        self._lock = threading.Lock()

    def uncovered(self, kpis: Sequence[str], units: Sequence[str],
                  years: Sequence[int] | None) -> list[str]:
        """The units no pending prefetch fetches for these KPIs and years."""
        with self._lock:
            covered = {unit for early in self._pending if early.serves(kpis, years)
                       for unit in early.units}
        return [unit for unit in units if unit not in covered]

    def add(self, early: Early) -> None:
        """One more pending prefetch."""
        with self._lock:
            self._pending.append(early)

    def serving(self, kpis: Sequence[str], years: Sequence[int] | None) -> list[Early]:
        """The pending prefetches that serve these KPIs and years (they stay pending)."""
        with self._lock:
            return [early for early in self._pending if early.serves(kpis, years)]

    def take(self, kpis: Sequence[str], years: Sequence[int] | None) -> list[Early]:
        """The prefetches that serve these KPIs and years; none stays pending."""
        with self._lock:
            pending, self._pending = self._pending, []
        return [early for early in pending if early.serves(kpis, years)]


def covered(taken: Sequence[Early]) -> set[str]:
    """The units the prefetches fetch."""
    return {unit for early in taken for unit in early.units}


def early_answers(taken: Sequence[Early], kpis: Sequence[str], units: Sequence[str]
                  ) -> list[Answer]:
    """The prefetched answers for these KPIs and units, each unit's from the first prefetch
    that has it, in the order of the prefetches (waiting for those still running); an answer
    with rows not asked for is read again without them."""
    wanted, left = set(kpis), set(units)
    answers: list[Answer] = []
    for early in taken:
        mine = early.units & left
        left -= mine
        if mine and early.kpis <= wanted and early.units == mine:
            answers += early.answers.result()
        elif mine:
            answers += [Answer.of([row for answer in early.answers.result()
                                   for row in answer.rows if _among(row, wanted, mine)])]
    return answers


def _among(row: DataRow, kpis: Set[str], units: Set[str]) -> bool:
    kpi, unit, _ = row_key(row)
    return kpi in kpis and unit in units
