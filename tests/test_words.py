"""The Swedish number formats and phrases of render/words.py, against hand-written strings
(the renderer tests build their expectations with these helpers, so they are pinned here)."""

from __future__ import annotations

import pytest

from strategihalsa.catalogue import Indicator
from strategihalsa.model import (
    Coverage,
    Figures,
    GoalGap,
    IndicatorResult,
    Point,
    Projection,
    Rank,
    Reason,
    Summary,
)
from strategihalsa.render import words, words_time
from strategihalsa.vocabulary import Level, ReasonCode, Status

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "options", "expected"), [
    (85.61, {}, "85,6"),
    (85.65, {}, "85,7"),  # half up, as Excel shows it (not banker's rounding)
    (0.05, {}, "0,1"),
    (-1.25, {}, "−1,3"),  # a real minus sign
    (1106.8, {}, f"1{NBSP}106,8"),  # a no-break space between thousands
    (-1106.8, {"signed": True}, f"−1{NBSP}106,8"),
    (2.0, {"signed": True}, "+2,0"),
    (1234567.0, {"decimals": 0}, f"1{NBSP}234{NBSP}567"),
    (0.125, {"decimals": 2}, "0,13"),
    (None, {}, "–"),
])
def test_number(value, options, expected):
    assert words.number(value, **options) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (2, "2"), (2.5, "2,5"), (1000, f"1{NBSP}000"), (0.125, "0,125"), (1 / 3, "0,333")])
def test_amount_has_no_needless_decimals(value, expected):
    assert words.amount(value) == expected


def indicator(direction: str = "increase", target: float = 2.0,
              unit: str = "procentenheter") -> Indicator:
    return Indicator("x", "Fler ska …", "God kvalitet", "N15428", direction, target, unit, 2017,
                     goal=3)


def result(figures: Figures, **extra) -> IndicatorResult:
    return IndicatorResult(indicator(**extra.pop("indicator", {})), None, Level.KOMMUN, False,
                           "0680", figures, **extra)


MET = Figures(Point(2017, 82.0), Point(2022, 85.5), 3.5, 3.5, 1.75, Status.MET, None, 84.0)


def test_points_targets_and_changes():
    assert words.point(Point(2017, 85.61)) == "2017: 85,6"
    assert words.point(None) == "–"
    assert words.target(result(MET)) == "+2 pe"
    assert words.change_against_target(result(MET)) == "+3,5 av +2 pe"


def test_status_rank_reaches_and_coverage():
    assert words.status_label(MET) == "✔ uppnått"
    assert words.status_label(None) == "– saknar data"
    only_2022 = Figures(None, Point(2022, 80.5), None, None, None, Status.NOT_JUDGED,
                        Reason(ReasonCode.LATEST_NOT_AFTER_BASELINE, wanted=2022, latest=2022))
    assert words.status_label(only_2022) == "○ kan inte bedömas"
    assert words.rank(result(MET, rank=Rank(114, 290))) == "114 av 290"
    assert words.reaches(result(MET)) == "nått"
    improving = Figures(Point(2017, 82.0), Point(2022, 83.0), 1.0, 1.0, 0.5, Status.IMPROVING,
                        None)
    assert words.reaches(result(improving, projection=Projection(0.2, 2027, 4, True))) == "2027?"
    assert words.reaches(result(improving, projection=Projection(-0.1, None, 6, False))) == \
        "ej i takt"
    assert words.coverage(Coverage(5, 7)) == "5 av 7"


def test_summary_line_and_column_labels():
    summary = Summary.of([Status.MET] * 7 + [Status.IMPROVING] * 3
                               + [Status.NOT_IMPROVING] * 4 + [Status.NO_DATA] * 9)
    assert words.summary_line(summary) == ("7 av 14 bedömda indikatorer är uppnådda, 3 på väg, "
                                           "4 utan förbättring; 9 saknar data")
    some_unjudged = Summary.of([Status.MET] * 3 + [Status.NOT_IMPROVING] * 10
                               + [Status.IMPROVING] + [Status.NOT_JUDGED] * 3
                               + [Status.NO_DATA] * 6)  # Upplands Väsby, real data
    assert words.summary_line(some_unjudged) == (
        "3 av 14 bedömda indikatorer är uppnådda, 1 på väg, 10 utan förbättring; "
        "3 kan inte bedömas, 6 saknar data")
    assert words.column_label(indicator(), 0, 1) == "3"
    assert words.column_label(indicator(), 1, 2) == "3b"


def test_publication_day_says_when_the_date_has_passed():
    assert words_time.publication_day("2026-09-25", "2026-12-05") == "2026-09-25 (passerat)"
    assert words_time.publication_day("2026-12-05", "2026-12-05") == "2026-12-05"
    assert words_time.publication_day("2027-03-01", "2026-12-05") == "2027-03-01"
    assert words_time.publication_day("", "2026-12-05") == "–"


def test_counted_nouns_agree_with_the_number():
    assert words.counted(1, "värde", "värden") == "1 värde"
    assert words.counted(0, "enhet", "enheter") == "0 enheter"
    assert words.counted(12, "enhet", "enheter") == "12 enheter"


@pytest.mark.parametrize(("women", "men", "expected"), [
    ((84.0, 85.0), (80.0, 81.5), "4,0 → 3,5 år (minskar ✔)"),
    ((None, 85.0), (None, 81.5), "senaste 3,5 år (kan inte bedömas)"),
    ((84.0, None), (80.0, None), "utgångsläge 4,0 år (kan inte bedömas)"),
    ((None, None), (None, 81.5), "saknar data"),
])
def test_a_gap_with_one_year_is_said_and_not_judged(women, men, expected):
    """Women − men 85,0 − 81,5 = 3,5 in the latest year alone: a value, not 'saknar data'."""
    def figures(values: tuple[float | None, float | None]) -> Figures:
        baseline, latest = (Point(year, v) if v is not None else None
                            for year, v in zip((2017, 2022), values, strict=True))
        return Figures(baseline, latest, None, None, None, Status.NOT_JUDGED, None)

    life = {"indicator": {"unit": "år"}}
    gap = GoalGap(19, result(figures(women), **life), result(figures(men), **life))
    assert words.gap_line(gap) == f"Mål 19, skillnad kvinnor–män: {expected}"
