"""The Swedish words and number formatting of every human-facing format (terminal, Excel,
HTML): status labels and symbols, role names, "+0,8 av +2 pe", "114 av 290", titles, the
legend, outlook words. Renderers use these; none spells them again."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from strategihalsa.model import (
    Figures,
    GoalGap,
    IndicatorOverview,
    IndicatorResult,
    Point,
    Summary,
    UnitReport,
)
from strategihalsa.units import Unit
from strategihalsa.vocabulary import Outlook, Role, Status

STATUS_LABELS = {
    Status.MET: "uppnått",
    Status.IMPROVING: "på väg",
    Status.NOT_IMPROVING: "ingen förbättring",
    Status.NO_DATA: "saknar data",
}
STATUS_SYMBOLS = {Status.MET: "✔", Status.IMPROVING: "↗", Status.NOT_IMPROVING: "✘",
                  Status.NO_DATA: "–"}
OUTLOOK_LABELS = {Outlook.MET: "uppnått", Outlook.ON_TRACK: "i fas",
                  Outlook.OFF_TRACK: "ej i fas", Outlook.UNKNOWN: "–"}
ROLE_HEADERS = {Role.UNIT: "Enhet", Role.RIKET: "Riket", Role.REGION: "Region",
                Role.SIMILAR: "Liknande"}
SHORT_UNITS = {"procentenheter": "pe"}
MINUS = "−"
THOUSANDS = "\u00a0"  # no-break space, as Swedish typesetting separates thousands
LEGEND = "  ".join(f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}" for s in Status)
REGION_LEVEL = "(regionnivå)"
SURVEY_NOTE = "urvalsundersökning: små förändringar kan bero på slumpen"


def number(value: float | None, signed: bool = False, decimals: int = 1) -> str:
    """Rounded half up (as Excel shows it), decimal comma, thousands separated, a real minus
    sign; a dash for no value."""
    if value is None:
        return "–"
    step = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{rounded:+,.{decimals}f}" if signed else f"{rounded:,.{decimals}f}"
    return text.replace(",", THOUSANDS).replace(".", ",").replace("-", MINUS)


def point(p: Point | None) -> str:
    """'2017: 85,6' or a dash."""
    return f"{p.year}: {number(p.value)}" if p else "–"


def status_label(figures: Figures | None) -> str:
    """'✔ uppnått', '– saknar data', …"""
    code = figures.status if figures else Status.NO_DATA
    return f"{STATUS_SYMBOLS[code]} {STATUS_LABELS[code]}"


def short_unit(result: IndicatorResult) -> str:
    """'pe' for procentenheter; other units only when short."""
    unit = SHORT_UNITS.get(result.indicator.unit, result.indicator.unit)
    return unit if len(unit) <= 3 else ""


def target(result: IndicatorResult) -> str:
    """'+2 pe', '−1000', 'öka': the unit only when it is short."""
    ind = result.indicator
    if ind.target == 0:
        return "öka" if ind.direction == "increase" else "minska"
    sign = "+" if ind.direction == "increase" else MINUS
    text = f"{sign}{ind.target:g}".replace(".", ",")
    return f"{text} {short_unit(result)}".rstrip()


def signed_target(result: IndicatorResult) -> float | None:
    """+2 for 'increase by 2', −1000 for 'decrease by 1000', None for 'any change'."""
    ind = result.indicator
    if ind.target == 0:
        return None
    return ind.target if ind.direction == "increase" else -ind.target


def change_against_target(result: IndicatorResult) -> str:
    """'+0,8 av +2 pe' or a dash."""
    if result.figures.change is None:
        return "–"
    return f"{number(result.figures.change, signed=True)} av {target(result)}"


def rank(result: IndicatorResult) -> str:
    """'114 av 290' or a dash."""
    return f"{result.rank.position} av {result.rank.of}" if result.rank else "–"


def reaches(result: IndicatorResult) -> str:
    """When the target is reached at the current pace: a year, 'nått', 'ej i takt' or '–'
    ('?' marks a projection from few values)."""
    if result.figures.status is Status.MET:
        return "nått"
    if result.projection is None:
        return "–"
    text = str(result.projection.reaches_target_year or "ej i takt")
    return text + ("?" if result.projection.uncertain else "")


def outlook(result: IndicatorResult) -> str:
    """'i fas', 'ej i fas', 'uppnått' or '–' against the target year."""
    return OUTLOOK_LABELS[result.outlook]


def role_header(role: Role, unit: Unit | None = None) -> str:
    """'Riket', 'Region', 'Liknande kommuner' / 'Liknande regioner'."""
    if role is Role.SIMILAR and unit is not None:
        return "Liknande regioner" if "regioner" in unit.title.casefold() else "Liknande kommuner"
    return ROLE_HEADERS[role]


def title(report: UnitReport) -> str:
    """'Strategi för hälsa – Jönköping (0680)'."""
    return f"{report.run.catalogue.name} – {report.unit.title} ({report.unit.id})"


def years(report: UnitReport) -> str:
    """'Utgångsläge 2017, uppföljning senaste år, målår 2022'."""
    run = report.run
    follow = f"uppföljning {run.follow_up_year}" if run.follow_up_year else \
        "uppföljning senaste år med värde"
    return f"Utgångsläge {run.baseline_year}, {follow}, målår {run.target_year}"


def summary_line(summary: Summary) -> str:
    """'7 av 14 indikatorer med data är uppnådda, 3 på väg, 4 utan förbättring; 9 saknar data'."""
    c = summary.counts
    return (f"{c[Status.MET]} av {summary.with_data} indikatorer med data är uppnådda, "
            f"{c[Status.IMPROVING]} på väg, {c[Status.NOT_IMPROVING]} utan förbättring; "
            f"{c[Status.NO_DATA]} saknar data")


def gap_line(goal_gap: GoalGap) -> str:
    """'Mål 19, skillnad kvinnor–män: 4,0 → 3,5 år (minskar ✔)'."""
    gap = goal_gap.gap
    if gap.narrowed is None:
        return f"Mål {goal_gap.goal}, skillnad kvinnor–män: saknar data"
    verdict = "minskar ✔" if gap.narrowed else "minskar inte ✘"
    return (f"Mål {goal_gap.goal}, skillnad kvinnor–män: {number(gap.baseline)} → "
            f"{number(gap.latest)} {goal_gap.women.indicator.unit} ({verdict})")


def notes(result: IndicatorResult) -> list[str]:
    """Why data is missing or how the baseline was chosen, Kolada's flags, survey caveats."""
    found = [result.figures.reason] if result.figures.reason else []
    found += [f"Kolada markerar värdet: {flag}" for flag in result.figures.flags]
    if result.indicator.survey:
        found.append(SURVEY_NOTE)
    similar = result.comparison(Role.SIMILAR)
    if similar and similar.coverage and similar.coverage.thin:
        found.append(f"liknande kommuner: medel av bara {coverage(similar.coverage)}")
    return found


def coverage(value) -> str:
    """'5 av 7' members behind a group mean."""
    return f"{value.with_data} av {value.members}"


def measured(result: IndicatorResult | IndicatorOverview) -> str:
    """'mäts som andelen 3-åringar som är kariesfria (högre är bättre)', or '' when the key
    figure measures what the goal says."""
    return f"mäts som {result.indicator.measure}" if result.indicator.measure else ""


def similar_mean(result: IndicatorResult) -> str:
    """'medel av 5 av 7': how many of the similar group's members are behind its mean."""
    similar = result.comparison(Role.SIMILAR)
    return f"medel av {coverage(similar.coverage)}" if similar and similar.coverage else "–"
