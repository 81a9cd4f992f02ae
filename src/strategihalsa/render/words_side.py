"""Swedish words of several units side by side: the title, the units' names, the target as
a change, each unit's cell."""

from __future__ import annotations

from strategihalsa.model import Figures, IndicatorResult
from strategihalsa.model_side import SideBySide
from strategihalsa.render.words import (
    PICTURE_LINK,
    STATUS_SYMBOLS,
    change,
    joined,
    number,
    short_unit,
    target,
)
from strategihalsa.render.words_reason import missing_word

SIDE_BY_SIDE_NOTE = ("Varje enhet bedöms som i sin egen rapport: förändringen från enhetens "
                     "utgångsläge till dess senaste värde (båda åren och det värdet står vid "
                     "förändringen), mot målets förändring")


TARGET_CHANGE = "Mål (förändring)"  # the target as a change from the baseline


SIDE_MET = "Uppnådda av indikatorerna med data"


SIDE_PICTURE_SEE = PICTURE_LINK  # where the regions' reports follow the comparison


SIDE_PICTURE_ELSEWHERE = "kommunernas bild visas i regionens egen rapport"  # the terminal


KIND_NOUNS = {"region": "regioner", "kommun": "kommuner"}


def side_by_side_title(view: SideBySide) -> str:
    """'Strategi för hälsa – jämförelse: Jönköping, Värnamo och Gislaved'."""
    return f"{view.run.catalogue.name} – jämförelse: {joined(side_names(view))}"


def side_names(view: SideBySide) -> list[str]:
    """The units' names, a kommun's with its code where a region's name in the same view
    begins with it: 'Region Jönköpings län' beside 'Jönköping (0680)'."""
    regions = [word for u in view.units if u.is_region for word in u.title.split()]
    return [f"{u.title} ({u.id})" if u.kind == "kommun" and any(
        word.startswith(u.title) for word in regions) else u.title for u in view.units]


def side_units_header(view: SideBySide) -> str:
    """'Indikator och kommuner', 'Indikator, regioner och kommuner': what a block holds."""
    kinds = dict.fromkeys(KIND_NOUNS.get(u.kind, "enheter") for u in view.units)
    return joined(["Indikator", *kinds])


def side_target(result: IndicatorResult) -> str:
    """The target change with its unit: '+2 pe', '−1\u00a0000 per 100\u00a0000'."""
    return target(result, phrase=True)


def side_span(figures: Figures) -> str:
    """The years a change is over and the latest value: '2017–2022 · 5\u00a0083,2'."""
    years = span(figures)
    return f"{years} · {number(figures.latest.value)}" if years and figures.latest else years


def side_cell(result: IndicatorResult) -> str:
    """One unit's goal beside the others': '✔ +2,1 pe', '✘ −1\u00a0106,8', or for missing
    data the symbol and Kolada's reason if it gave one ('– sekretess')."""
    fig = result.figures
    if fig.change is None:
        word = missing_word(fig.reason)
        return f"{STATUS_SYMBOLS[fig.status]} {word}" if word else STATUS_SYMBOLS[fig.status]
    return f"{STATUS_SYMBOLS[fig.status]} {change(fig.change)} {short_unit(result)}".rstrip()


def span(figures: Figures) -> str:
    """The years a change is over, '2017–2023'; empty without both."""
    if figures.baseline is None or figures.latest is None:
        return ""
    return f"{figures.baseline.year}–{figures.latest.year}"
