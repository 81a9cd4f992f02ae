"""The words of the domain, as enums: a goal's status, a comparison's role, the outlook
against the target year. Every other module asks these; none spells the values again.
(The JSON Schemas in schemas/ list the same values for outside readers.)"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """How far an indicator has come against its target."""

    MET = "met"
    IMPROVING = "improving"
    NOT_IMPROVING = "not_improving"
    NO_DATA = "no_data"
    NOT_JUDGED = "not_judged"  # values, but no baseline and follow-up to judge a change over

    @property
    def missed(self) -> bool:
        """Judged and short of the target: what `--fail-on-missed` fails on."""
        return self in (Status.IMPROVING, Status.NOT_IMPROVING)

    @property
    def judged(self) -> bool:
        """A change was judged against the target (not no_data or not_judged)."""
        return self is Status.MET or self.missed


class Role(StrEnum):
    """What a set of figures in a report stands for."""

    UNIT = "unit"
    RIKET = "riket"
    REGION = "region"
    SIMILAR = "similar"


class Outlook(StrEnum):
    """Whether the target is reached by the target year at the current pace."""

    MET = "met"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NOT_MET = "not_met"  # the latest value is from the target year on, and short of the target
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"  # the first value comes after the target year


class ReasonCode(StrEnum):
    """Why figures are missing, or how a baseline was chosen (the words are in
    render/words.py)."""

    KPI_RETIRED = "kpi_retired"
    KOMMUN_ONLY = "kommun_only"
    NO_VALUES = "no_values"
    LATEST_NOT_AFTER_BASELINE = "latest_not_after_baseline"
    NO_BASELINE = "no_baseline"
    BASELINE_MOVED = "baseline_moved"
    NOT_IN_UNIT_YEARS = "not_in_unit_years"  # a comparator lacks the unit's years


class Level(StrEnum):
    """Whose values answer an indicator: the unit's own (kommun or region data)."""

    KOMMUN = "kommun"
    REGION = "region"


# members by value, for code that turns many frame values into members: a dict lookup costs
# a fifth of calling the enum
STATUSES = {status.value: status for status in Status}
ROLES = {role.value: role for role in Role}
LEVELS = {level.value: level for level in Level}

TOTAL = "T"  # Kolada's gender code for everyone together
WOMEN = "K"
MEN = "M"
GENDERS = (WOMEN, MEN)
ALL_GENDERS = (TOTAL, *GENDERS)
