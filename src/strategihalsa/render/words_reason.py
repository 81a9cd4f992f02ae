"""The Swedish words of why figures are missing or how a baseline was chosen: the reason
codes, Kolada's status on a missing value ('sekretess'), why the outlook does not apply
(a sibling of words.py, for one subject)."""

from __future__ import annotations

from strategihalsa.model import IndicatorResult, Reason
from strategihalsa.vocabulary import Outlook, ReasonCode

REASONS = {
    ReasonCode.KPI_RETIRED: "nyckeltalet {kpi} finns inte längre i Kolada",
    ReasonCode.KOMMUN_ONLY: "nyckeltalet redovisas bara för kommuner",
    ReasonCode.NO_VALUES: "Kolada har inga värden{until}",
    ReasonCode.LATEST_NOT_AFTER_BASELINE:
        "inget utgångsvärde: senaste värdet ({latest}) är inte efter indikatorns basår {wanted}",
    ReasonCode.NO_BASELINE: "inget utgångsvärde: inget värde {searched}",
    ReasonCode.BASELINE_MOVED: "utgångsläge {used} (inget värde för {wanted})",
    ReasonCode.NOT_IN_UNIT_YEARS: "jämförs över enhetens år {used}–{latest}: inget värde för "
                                  "{missing}",
}
# LATEST_NOT_AFTER_BASELINE where the latest value is the baseline year's own (goals 10–12)
ONLY_BASELINE_YEAR = "bara utgångsåret {wanted} har värde: inget senare år att jämföra med"
KOLADA_MISSING = {"missing": "saknas", "privacy": "sekretess",
                  "not applicable": "ej tillämpligt"}  # Kolada's status on a null value


def missing_word(reason: Reason | None) -> str | None:
    """Kolada's status on a missing value in Swedish ('sekretess', 'ej tillämpligt'), or
    None (Kolada's own word, lower-cased, when it is not one of the known)."""
    if reason is None or not reason.kolada:
        return None
    return KOLADA_MISSING.get(reason.kolada.casefold(), reason.kolada.casefold())


def reason(value: Reason | None) -> str | None:
    """Why figures are missing or how the baseline was chosen, in Swedish, with Kolada's
    status on the missing value: 'utgångsläge 2018 (inget värde för 2017); Kolada anger
    sekretess för 2017'."""
    if value is None:
        return None
    text = reason_template(value).format(
        kpi=value.kpi, wanted=value.wanted, used=value.used, latest=value.latest,
        until=f" till och med {value.until}" if value.until else "",
        missing=" och ".join(map(str, value.missing)), searched=searched(value))
    word = missing_word(value)
    return f"{text}; Kolada anger {word} för {value.kolada_year}" if word else text


def reason_template(value: Reason) -> str:
    """The words of a reason code; 'bara utgångsåret 2022 har värde …' where the latest
    value is the baseline year's own."""
    if value.code is ReasonCode.LATEST_NOT_AFTER_BASELINE and value.latest == value.wanted:
        return ONLY_BASELINE_YEAR
    return REASONS[value.code]


def searched(value: Reason) -> str:
    """The years a baseline was looked for, before the latest: '2017–2021', or '2017'."""
    last = value.latest - 1 if value.latest else value.wanted
    return f"{value.wanted}–{last}" if last and value.wanted and last > value.wanted else \
        str(value.wanted)


def outlook_reason(result: IndicatorResult) -> str | None:
    """Why the outlook does not apply: the target year is not after the baseline."""
    if result.outlook is not Outlook.NOT_APPLICABLE:
        return None
    fig = result.figures
    first = fig.baseline.year if fig.baseline else (
        fig.reason.wanted if fig.reason and fig.reason.wanted else
        result.indicator.baseline_year)
    return f"ingen prognos: målåret ligger inte efter utgångsåret {first}"
