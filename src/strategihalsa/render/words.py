"""The Swedish words and number formatting of every human-facing format (terminal, Excel,
HTML): status labels and symbols, role names, "+0,8 av +2 pe", "114 av 290", titles, the
legend, outlook words. Renderers use these; none spells them again. Their siblings hold
the words of one subject each: words_time (dates, publication), words_picture (a region's
"kommunernas bild"), words_side (units side by side), words_csv (Swedish CSV headers),
words_reason (why figures are missing)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from strategihalsa.catalogue import Indicator
from strategihalsa.model import (
    Coverage,
    Figures,
    GoalGap,
    IndicatorResult,
    Point,
    Summary,
    UnitReport,
)
from strategihalsa.model_overview import IndicatorOverview, Overview
from strategihalsa.render import words_reason
from strategihalsa.units import Unit
from strategihalsa.vocabulary import MEN, TOTAL, WOMEN, Outlook, ReasonCode, Role, Status

STATUS_LABELS = {
    Status.MET: "uppnått",
    Status.IMPROVING: "på väg",
    Status.NOT_IMPROVING: "ingen förbättring",
    Status.NO_DATA: "saknar data",
    Status.NOT_JUDGED: "kan inte bedömas",
}
STATUS_SYMBOLS = {Status.MET: "✔", Status.IMPROVING: "↗", Status.NOT_IMPROVING: "✘",
                  Status.NO_DATA: "–", Status.NOT_JUDGED: "○"}
OUTLOOK_LABELS = {Outlook.MET: "uppnått", Outlook.ON_TRACK: "i fas",
                  Outlook.OFF_TRACK: "ej i fas", Outlook.UNKNOWN: "–",
                  Outlook.NOT_APPLICABLE: "ej tillämpligt", Outlook.NOT_MET: "ej nått"}
ROLE_HEADERS = {Role.UNIT: "Enhet", Role.RIKET: "Riket", Role.REGION: "Region",
                Role.SIMILAR: "Liknande"}
SHORT_UNITS = {"procentenheter": "pe", "per 100 000 invånare 80+": "per 100\u00a0000"}
MINUS = "−"
THOUSANDS = "\u00a0"  # no-break space, as Swedish typesetting separates thousands
DIRECTION_LABELS = {"increase": "öka", "decrease": "minska"}
GENDER_LABELS = {TOTAL: "totalt", WOMEN: "kvinnor", MEN: "män"}
KPI_LEVELS = {"K": "kommuner", "L": "regioner", "A": "kommuner och regioner"}
SEVERITY_LABELS = {"error": "fel", "warning": "varning"}
YES_NO = {True: "ja", False: "nej"}
LEGEND = "  ".join(f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}" for s in Status)
REGION_LEVEL = "(regionnivå)"
SURVEY_MARK = "urvalsundersökning"  # by each such indicator; SURVEY_NOTE explains it once
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


def change(value: float | None) -> str:
    """A signed change with enough decimals (up to 3) that a change is never shown as
    '+0,0': '+0,04' for 0.04, '−1\u00a0106,8' for −1106.8."""
    decimals = 1
    while value and decimals < 3 and Decimal(repr(abs(float(value)))).quantize(
            Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) == 0:
        decimals += 1
    return number(value, signed=True, decimals=decimals)


def amount(value: float) -> str:
    """A catalogue figure without needless decimals: '2', '2,5', '1\u00a0000'."""
    decimals = 0 if float(value).is_integer() else min(len(repr(float(value)).split(".")[1]), 3)
    return number(value, decimals=decimals)


def point(p: Point | None) -> str:
    """'2017: 85,6' or a dash."""
    return f"{p.year}: {number(p.value)}" if p else "–"


def status_label(figures: Figures | None) -> str:
    """'✔ uppnått', '– saknar data', '– sekretess' (Kolada's reason for a missing value)…"""
    code = figures.status if figures else Status.NO_DATA
    return f"{STATUS_SYMBOLS[code]} {status_word(figures)}"


def status_word(figures: Figures | None) -> str:
    """'uppnått', 'på väg', …; for missing data Kolada's reason where it gave one."""
    code = figures.status if figures else Status.NO_DATA
    withheld = words_reason.missing_word(figures.reason) if figures and code is Status.NO_DATA \
        else None
    return withheld or STATUS_LABELS[code]


def short_unit(result: IndicatorResult, phrase: bool = False) -> str:
    """'pe' for procentenheter; in a phrase (not a table column) also 'per 100 000' for per
    100 000 invånare 80+; other units only when short."""
    unit = SHORT_UNITS.get(result.indicator.unit, result.indicator.unit)
    return unit if len(unit) <= 3 or (phrase and unit in SHORT_UNITS.values()) else ""


def target(result: IndicatorResult, phrase: bool = False) -> str:
    """'+2 pe', '−1000', 'öka': the unit only when it is short."""
    ind = result.indicator
    if ind.target == 0:
        return "öka" if ind.direction == "increase" else "minska"
    sign = "+" if ind.direction == "increase" else MINUS
    return f"{sign}{amount(ind.target)} {short_unit(result, phrase)}".rstrip()


def signed_target(result: IndicatorResult) -> float | None:
    """+2 for 'increase by 2', −1000 for 'decrease by 1000', None for 'any change'."""
    ind = result.indicator
    if ind.target == 0:
        return None
    return ind.target if ind.direction == "increase" else -ind.target


def change_against_target(result: IndicatorResult, figures: Figures | None = None) -> str:
    """'+0,8 av +2 pe', '−1\u00a0106,8 av −1\u00a0000 per 100 000', '+0,5 (målet: öka)',
    or a dash; of the unit's figures, or of `figures` (the kommuner's mean)."""
    value = (figures or result.figures).change
    if value is None:
        return "–"
    if result.indicator.target == 0:
        return f"{change(value)} (målet: {target(result)})"
    return f"{change(value)} av {target(result, phrase=True)}"


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
    """'i fas', 'ej i fas', 'uppnått', 'ej nått' or '–' against the target year."""
    return OUTLOOK_LABELS[result.outlook]


def role_header(role: Role, unit: Unit | None = None) -> str:
    """'Riket', 'Region', 'Liknande kommuner' / 'Liknande regioner'."""
    if role is Role.SIMILAR and unit is not None:
        return "Liknande regioner" if unit.of_regions else "Liknande kommuner"
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
    """'7 av 14 bedömda indikatorer är uppnådda, 3 på väg, 4 utan förbättring; 3 kan inte
    bedömas, 6 saknar data' (a region: '…; 13 saknar data, varav 8 redovisas bara för
    kommuner (se kommunernas bild)'); 'kan inte bedömas' only where there are such."""
    c = summary.counts
    pictured = (f", varav {summary.pictured} redovisas bara för kommuner ({PICTURE_LINK})"
                if summary.pictured else "")
    unjudged = (f"{c[Status.NOT_JUDGED]} {STATUS_LABELS[Status.NOT_JUDGED]}, "
                if c[Status.NOT_JUDGED] else "")
    return (f"{c[Status.MET]} av {summary.with_data} bedömda indikatorer är uppnådda, "
            f"{c[Status.IMPROVING]} på väg, {c[Status.NOT_IMPROVING]} utan förbättring; "
            f"{unjudged}{c[Status.NO_DATA]} saknar data{pictured}")


def gap_line(goal_gap: GoalGap) -> str:
    """'Mål 19, skillnad kvinnor–män: 4,0 → 3,5 år (minskar ✔)'; with one of the two gaps
    '…: senaste 3,5 år (kan inte bedömas)'."""
    gap, unit = goal_gap.gap, goal_gap.women.indicator.unit
    head = f"Mål {goal_gap.goal}, skillnad kvinnor–män:"
    if gap.narrowed is not None:
        verdict = "minskar ✔" if gap.narrowed else "minskar inte ✘"
        return f"{head} {number(gap.baseline)} → {number(gap.latest)} {unit} ({verdict})"
    if gap.status is Status.NO_DATA:
        return f"{head} {STATUS_LABELS[Status.NO_DATA]}"
    which, value = ("senaste", gap.latest) if gap.latest is not None else \
        (BASELINE, gap.baseline)
    return f"{head} {which} {number(value)} {unit} ({STATUS_LABELS[Status.NOT_JUDGED]})"


def notes(result: IndicatorResult) -> list[str]:
    """The catalogue's note (series breaks), why data is missing or how the baseline was
    chosen, Kolada's flags, survey caveats."""
    found = [result.indicator.note] if result.indicator.note else []
    found += [text] if (text := words_reason.reason(result.figures.reason)) else []
    found += [why] if (why := words_reason.outlook_reason(result)) else []
    found += [f"Kolada markerar värdet: {flag}" for flag in result.figures.flags]
    if result.indicator.survey:
        found.append(SURVEY_MARK)
    found += [f"{role_header(c.role, c.unit)}: {words_reason.reason(c.figures.reason)}"
              for c in result.comparisons if c.figures.reason
              and c.figures.reason.code is ReasonCode.NOT_IN_UNIT_YEARS]
    similar = result.comparison(Role.SIMILAR)
    if similar and similar.coverage and similar.coverage.thin:
        found.append(f"liknande kommuner: medel av bara {coverage(similar.coverage)}")
    return found + ([PICTURE_SEE] if result.picture else [])


def compared(figures: Figures | None) -> str:
    """A comparison's symbol and change: '✘ −0,9', or the symbol alone without a change."""
    code = figures.status if figures else Status.NO_DATA
    if figures is None or figures.change is None:
        return STATUS_SYMBOLS[code]
    return f"{STATUS_SYMBOLS[code]} {change(figures.change)}"


RANK_NOTE = ("Rang: plats bland alla kommuner (regioner bland regioner) efter förbättring, "
             "1 = störst")
SAME_YEARS = "över samma år som enhetens utgångsläge och senaste värde"


def compared_with(report: UnitReport) -> str:
    """'Jämförs med Riket, Region Jönköpings län och liknande kommuner (medel av 7)'."""
    names = [f"{role_header(c.role, c.unit).lower()} (medel av {c.unit.members})"
             if c.role is Role.SIMILAR and c.unit.members else
             role_header(c.role, c.unit).lower() if c.role is Role.SIMILAR else c.unit.title
             for c in report.compared]
    return f"Jämförs med {joined(names)}" if names else "Inga jämförelser"


KIND_NAMES = {"region": ("regionen", "regionerna"), "kommun": ("kommunen", "kommunerna")}


def empty_goals(labels: Sequence[str], one_lan: bool) -> str:
    """'Mål 1, 2 och 10 kan inte bedömas för någon enhet i länet' (or 'i urvalet', when
    the units are of several län): no data, or no year after the baseline."""
    where = "i länet" if one_lan else "i urvalet"
    return f"Mål {joined(labels)} kan inte bedömas för någon enhet {where}"


def joined(names: Sequence[str]) -> str:
    """'A', 'A och B', 'A, B och C'."""
    return ", ".join(names[:-1]) + (" och " if len(names) > 1 else "") + names[-1]


def coverage(value: Coverage) -> str:
    """'5 av 7' members behind a group mean."""
    return f"{value.with_data} av {value.members}"


TARGET_LEVEL = "målnivå"
BASELINE = "utgångsläge"
TREND = "trend i nuvarande takt"
PANEL_TITLES = ("Jämförelse", "Kvinnor och män")


def better(result: IndicatorResult) -> str:
    """Which way is good on the key figure itself (goal 22 measures lack of trust, so there
    a lower value is better although the goal says 'fler')."""
    return "högre värde är bättre" if result.indicator.direction == "increase" else \
        "lägre värde är bättre"


BETTER_MARKS = {"increase": "↑ högre är bättre", "decrease": "↓ lägre är bättre"}
BETTER_KEY = "Bättre: ↑ högre värde är bättre, ↓ lägre"  # the arrows of a 'Bättre' column


def better_mark(indicator: Indicator) -> str:
    """'↑ högre är bättre' or '↓ lägre är bättre': which way the key figure improves."""
    return BETTER_MARKS[indicator.direction]


def measured(result: IndicatorResult) -> str:
    """'Mäts som …' from the catalogue, else Kolada's title of the key figure."""
    if result.indicator.measure:
        return f"Mäts som {result.indicator.measure}"
    title = result.kpi.title if result.kpi else result.indicator.kpi
    return f"Nyckeltal: {title}"


def series_label(role: Role, unit: Unit, region_level: bool = False) -> str:
    """A line's name in a chart: the unit's title, 'Riket', 'Liknande kommuner (medel)'."""
    if role is Role.SIMILAR:
        return f"{role_header(role, unit)} (medel)"
    return f"{unit.title} {REGION_LEVEL}" if region_level else unit.title


LOCAL_LABEL = "Lokal indikator"  # an indicator outside the strategy's 22 goals
LOCAL_MARK = "L"  # its mark where a goal number stands


def goal_label(indicator: Indicator) -> str:
    """'Mål 3', or 'Lokal indikator' for one outside the strategy's 22 goals."""
    return LOCAL_LABEL if indicator.local else f"Mål {indicator.goal}"


def goal_number(indicator: Indicator) -> str:
    """'3', or 'L' for a local indicator."""
    return LOCAL_MARK if indicator.local else str(indicator.goal)


UNROUNDED = ("Förändringen räknas på Koladas oavrundade värden och kan därför skilja en "
             "tiondel från skillnaden mellan de avrundade värden som visas.")


def counted(count: int, one: str, many: str) -> str:
    """'1 värde', '3 värden': a count with its noun in the right number."""
    return f"{count} {one if count == 1 else many}"


def region_level_note(region: str) -> str:
    """Why a kommun report shows a region's values for a key figure."""
    return f"regionnivå: nyckeltalet finns bara för regioner, värdena avser {region}"


def target_sentence(result: IndicatorResult, target_year: int) -> str:
    """'Målet: +2 pe från utgångsläget till 2022 (målnivå 87,6)'."""
    level = result.figures.target_level
    text = f"Målet: {target(result, phrase=True)} från utgångsläget till {target_year}"
    return text + (f" (målnivå {number(level)})" if level is not None else "")


def reaches_sentence(result: IndicatorResult, target_year: int) -> str:
    """'Når målet i nuvarande takt: 2040 (mot 2022: ej i fas)'."""
    return (f"Når målet i nuvarande takt: {reaches(result)} (mot {target_year}: "
            f"{outlook(result)})")


def column_label(indicator: Indicator, index: int, siblings: int) -> str:
    """A goal's short column name: '3', or '19a', '19b' when a goal has several indicators."""
    suffix = "abcdefghijklmnopqrstuvwxyz"[index % 26] if siblings > 1 else ""
    return goal_number(indicator) + suffix


def counted_scope(overview: Overview) -> str:
    """The overview's scope with its number of kommuner said once: 'alla 290 kommuner',
    'Jönköpings läns 13 kommuner'."""
    counted = f"{overview.unit_count} kommuner"
    if overview.scope.endswith("kommuner"):
        return overview.scope.removesuffix("kommuner") + counted
    return f"{overview.scope} ({counted})"


def overview_title(overview: Overview) -> str:
    """'Strategi för hälsa – översikt: alla 290 kommuner'."""
    return f"{overview.run.catalogue.name} – översikt: {counted_scope(overview)}"


def measured_as(result: IndicatorResult | IndicatorOverview) -> str:
    """'mäts som andelen 3-åringar som är kariesfria (högre är bättre)', or '' when the key
    figure measures what the goal says."""
    return measure_of(result.indicator)


def title_measured(indicator: Indicator) -> str:
    """The goal text, with what its key figure measures where that is not what the goal
    says: 'Färre 3-åriga barn ska ha karies – mäts som …'."""
    return " – ".join(filter(None, [indicator.title, measure_of(indicator)]))


def measure_of(indicator: Indicator) -> str:
    """What an indicator's key figure measures, when that is not what the goal says
    ('mäts som …'), else ''."""
    return f"mäts som {indicator.measure}" if indicator.measure else ""


def similar_mean(result: IndicatorResult) -> str:
    """'medel av 5 av 7': how many of the similar group's members are behind its mean."""
    similar = result.comparison(Role.SIMILAR)
    return f"medel av {coverage(similar.coverage)}" if similar and similar.coverage else "–"


PICTURE_TITLE = "Kommunernas bild"
PICTURE_LINK = "se kommunernas bild"  # a link to the section in HTML
PICTURE_SEE = f"{PICTURE_LINK} (länets kommuner)"


MAP_BETTER = "bättre"
MAP_WORSE = "sämre"
MAP_CREDIT = ("Kommungränser: Valmyndighetens indelning via okfse/sweden-geojson "
              "(github.com/okfse/sweden-geojson), förenklade")


def precision(result: IndicatorResult) -> int:
    """The decimals of the key figure's own values (1 to 3): what a rounded value shows."""
    values = [*result.series.get(Role.UNIT, {}).values(),
              *result.series.get(Role.RIKET, {}).values()]  # Kolada's, not computed means
    places = [len(repr(float(v)).split(".")[1].rstrip("0")) for v in values
              if "e" not in repr(float(v))]
    return min(max([1, *places]) if places else 1, 3)
