"""The report model: what every renderer receives, as typed, frozen records.

A `UnitReport` holds one `IndicatorResult` per catalogue indicator; each result carries the
unit's `Figures`, its women and men, and one `Comparison` per role (Riket, the region, the
similar kommuner), each with the unit it stands for. The national overview's records are in
model_overview.py, the side-by-side report's in model_side.py. Nothing here computes
statistics: `assemble` fills these from the evaluated frame.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from strategihalsa.catalogue import Catalogue, Indicator
from strategihalsa.kolada.records import Kpi
from strategihalsa.units import Unit
from strategihalsa.vocabulary import MEN, WOMEN, Level, Outlook, ReasonCode, Role, Status

REPORT_SCHEMA = "sfh.report/1"
WOMEN_TITLE = re.compile(r"\(kvinnor\)\s*$")
MEN_TITLE = re.compile(r"\(män\)\s*$")
Series = dict[int, float]


@dataclass(frozen=True)
class Point:
    """A value in a year."""

    year: int
    value: float


@dataclass(frozen=True)
class Reason:
    """Why figures are missing, or how a baseline was chosen: a code and the years and key
    figure it refers to; `kolada` is Kolada's status on the missing value ("Privacy", …)
    in `kolada_year`."""

    code: ReasonCode
    wanted: int | None = None  # the baseline year asked for
    used: int | None = None  # the baseline year used (a comparator's: the unit's)
    latest: int | None = None  # the follow-up year (a comparator's: the unit's)
    until: int | None = None  # the --year asked for
    kpi: str | None = None
    kolada: str | None = None
    kolada_year: int | None = None
    missing: tuple[int, ...] = ()  # the unit's years a comparator has no value for


@dataclass(frozen=True)
class Figures:
    """Baseline, follow-up and judgement for one unit (or gender) and indicator."""

    baseline: Point | None
    latest: Point | None
    change: float | None
    improvement: float | None
    progress: float | None
    status: Status
    reason: Reason | None
    target_level: float | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """How many members of a group contributed to its mean (Kolada's `count`)."""

    with_data: int
    members: int

    @property
    def thin(self) -> bool:
        """Fewer than half of the members contributed."""
        return self.with_data * 2 < self.members


@dataclass(frozen=True)
class Comparison:
    """The same indicator for another unit, in a role: Riket, the region, similar kommuner."""

    role: Role
    unit: Unit
    figures: Figures
    coverage: Coverage | None = None
    years: tuple[int, int] | None = None  # baseline and follow-up year it is judged over


@dataclass(frozen=True)
class Compared:
    """A comparison unit of a report and its role."""

    role: Role
    unit: Unit


@dataclass(frozen=True)
class Projection:
    """The linear trend since the baseline and when the target is reached at that pace."""

    slope_per_year: float
    reaches_target_year: int | None
    points: int
    uncertain: bool


@dataclass(frozen=True)
class Rank:
    """Position by improvement among all units of the same kind (1 = most improved)."""

    position: int
    of: int


@dataclass(frozen=True)
class Gap:
    """A difference women − men at baseline and follow-up, and whether it narrowed."""

    baseline: float | None
    latest: float | None

    @property
    def change(self) -> float | None:
        """latest − baseline."""
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline

    @property
    def narrowed(self) -> bool | None:
        """Whether the gap is smaller (in absolute terms) than at baseline."""
        if self.baseline is None or self.latest is None:
            return None
        return abs(self.latest) < abs(self.baseline)

    @property
    def status(self) -> Status:
        """met when the gap narrowed, not_improving when it did not; not_judged with one
        of the two gaps (a value, but nothing to compare it with), else no_data."""
        if self.narrowed is None:
            one = self.baseline is not None or self.latest is not None
            return Status.NOT_JUDGED if one else Status.NO_DATA
        return Status.MET if self.narrowed else Status.NOT_IMPROVING


def gap_between(women: Figures | None, men: Figures | None) -> Gap:
    """Women − men at baseline and at follow-up."""
    def difference(point: str) -> float | None:
        w = getattr(women, point) if women else None
        m = getattr(men, point) if men else None
        return w.value - m.value if w and m else None

    return Gap(difference("baseline"), difference("latest"))


@dataclass(frozen=True)
class KommunFigures:
    """One kommun's figures for a key figure, exactly as its own report has them."""

    unit: Unit
    figures: Figures


@dataclass(frozen=True)
class Extreme:
    """The lowest or highest follow-up value among kommuner, and which kommuner have it."""

    value: float
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class KommunPicture:
    """A region report's "kommunernas bild" of a key figure Kolada publishes only for
    kommuner: every kommun of the län as judged in its own report (in Swedish alphabetical
    order), and `mean`, their mean (population-weighted or unweighted: `weighting`) over the
    pair of years most of them have values in (`averaged` kommuner), judged like a unit
    unless `thin`. Not the region's own value."""

    kommuner: tuple[KommunFigures, ...]
    mean: Figures | None
    averaged: int
    weighting: str = "unweighted"  # or "population": weighted by the kommuner's population

    @property
    def thin(self) -> bool:
        """Fewer than half of the län's kommuner are behind the mean: it has no status."""
        return self.averaged * 2 < len(self.kommuner)

    @property
    def year(self) -> int | None:
        """The spread's year: the follow-up year most kommuner have (ties: the newest)."""
        years = Counter(k.figures.latest.year for k in self.kommuner if k.figures.latest)
        return max(years, key=lambda year: (years[year], year)) if years else None

    @property
    def in_year(self) -> list[KommunFigures]:
        """The kommuner with a follow-up value in `year` (the spread's kommuner)."""
        return [k for k in self.kommuner
                if k.figures.latest and k.figures.latest.year == self.year]

    @property
    def lowest(self) -> Extreme | None:
        """The lowest follow-up value in `year` and its kommuner."""
        return self._extreme(min)

    @property
    def highest(self) -> Extreme | None:
        """The highest follow-up value in `year` and its kommuner."""
        return self._extreme(max)

    def _extreme(self, pick: Callable[[Iterable[float]], float]) -> Extreme | None:
        values = {k.unit: k.figures.latest.value for k in self.in_year if k.figures.latest}
        if not values:
            return None
        value = pick(values.values())
        return Extreme(value, tuple(unit for unit, v in values.items() if v == value))

    @property
    def met(self) -> list[Unit]:
        """The kommuner whose own report says the goal is met."""
        return [k.unit for k in self.kommuner if k.figures.status is Status.MET]

    @property
    def judged(self) -> int:
        """How many kommuner have a status in their own report."""
        return sum(k.figures.status.judged for k in self.kommuner)


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator in one report: the unit's figures, by gender, comparisons, series."""

    indicator: Indicator
    kpi: Kpi | None
    level: Level
    region_level: bool
    data_unit: str
    figures: Figures
    outlook: Outlook = Outlook.UNKNOWN
    projection: Projection | None = None
    rank: Rank | None = None
    by_gender: dict[str, Figures] = field(default_factory=dict)
    comparisons: tuple[Comparison, ...] = ()
    series: dict[Role, Series] = field(default_factory=dict)
    gender_series: dict[str, Series] = field(default_factory=dict)
    picture: KommunPicture | None = None  # a region report's kommuner, kommun-only data

    @property
    def gender_gap(self) -> Gap | None:
        """Women − men for key figures divided by gender."""
        if not self.by_gender:
            return None
        return gap_between(self.by_gender.get(WOMEN), self.by_gender.get(MEN))

    def comparison(self, role: Role) -> Comparison | None:
        """The comparison in this role, if the report has one."""
        return next((c for c in self.comparisons if c.role is role), None)

    @property
    def has_data(self) -> bool:
        """The unit's own figures could be judged."""
        return self.figures.status.judged


@dataclass(frozen=True)
class GoalGap:
    """A goal followed by separate key figures for women and men (life expectancy): the gap
    between them is the goal's second half."""

    goal: int
    women: IndicatorResult
    men: IndicatorResult

    @property
    def gap(self) -> Gap:
        """Women − men at baseline and follow-up."""
        return gap_between(self.women.figures, self.men.figures)


@dataclass(frozen=True)
class RunInfo:
    """What every report of one run shares: years, catalogue, provenance."""

    catalogue: Catalogue
    baseline_year: int
    follow_up_year: int | None
    generated_at: str
    api_url: str
    version: str
    data_fetched_at: str = ""  # when the Kolada data was fetched (ISO 8601)
    data_source: str = ""  # "store" (sfh sync) or "network" (Kolada or its HTTP cache)

    @property
    def target_year(self) -> int:
        """The catalogue's target year."""
        return self.catalogue.target_year


@dataclass(frozen=True)
class Summary:
    """How many indicators have each status, how many could be judged, and how many of those
    without data the kommuner's picture shows (`pictured`: a region's kommun-only key
    figures)."""

    counts: dict[Status, int]
    pictured: int = 0

    @classmethod
    def of(cls, statuses: Iterable[Status]) -> Summary:
        """Count the statuses."""
        counts = Counter(statuses)
        return cls({status: counts.get(status, 0) for status in Status})

    @classmethod
    def of_results(cls, results: Iterable[IndicatorResult]) -> Summary:
        """Count the indicators' statuses and those without data that have a picture."""
        results = list(results)
        return replace(cls.of(r.figures.status for r in results), pictured=sum(
            r.picture is not None and r.figures.status is Status.NO_DATA for r in results))

    @property
    def total(self) -> int:
        """Every indicator."""
        return sum(self.counts.values())

    @property
    def with_data(self) -> int:
        """Indicators that could be judged."""
        return sum(n for status, n in self.counts.items() if status.judged)


@dataclass(frozen=True)
class UnitReport:
    """A whole report for one kommun or region."""

    unit: Unit
    compared: tuple[Compared, ...]
    results: tuple[IndicatorResult, ...]
    run: RunInfo

    @property
    def summary(self) -> Summary:
        """The statuses of the indicators."""
        return Summary.of_results(self.results)

    @property
    def areas(self) -> list[str]:
        """The målområden, in catalogue order."""
        return list(dict.fromkeys(r.indicator.area for r in self.results))

    def in_area(self, area: str) -> list[IndicatorResult]:
        """The indicators of one målområde."""
        return [r for r in self.results if r.indicator.area == area]

    @property
    def goal_gaps(self) -> list[GoalGap]:
        """Goals with one indicator for women and one for men, e.g. life expectancy."""
        found = []
        for goal in dict.fromkeys(r.indicator.goal for r in self.results if r.indicator.goal):
            pair = [r for r in self.results if r.indicator.goal == goal]
            women = [r for r in pair if WOMEN_TITLE.search(r.indicator.title)]
            men = [r for r in pair if MEN_TITLE.search(r.indicator.title)]
            if len(women) == 1 and len(men) == 1:
                found.append(GoalGap(goal, women[0], men[0]))
        return found

    def missed(self) -> list[IndicatorResult]:
        """Indicators with data that did not reach their target."""
        return [r for r in self.results if r.figures.status.missed]

    def only_goals(self, goals: set[int] | None) -> UnitReport:
        """The report restricted to these goal numbers (None: all)."""
        if goals is None:
            return self
        return replace(self, results=tuple(r for r in self.results if r.indicator.goal in goals))
