"""Swedish words of a region report's "kommunernas bild": its heading, the kommuner's
mean, spread and who met the goal, each kommun's line."""

from __future__ import annotations

from strategihalsa.model import Extreme, KommunFigures, KommunPicture, UnitReport
from strategihalsa.render.words import PICTURE_TITLE, number, point
from strategihalsa.units import lan_name

PICTURE_MEANS = {"population": "befolkningsvägt medel", "unweighted": "ovägt medel"}


PICTURE_CAVEAT = "Kommunernas bild är inte regionens egna värden."


PICTURE_NOTE = (f"{PICTURE_CAVEAT} Varje kommun bedöms som i sin egen rapport. Medlet tas "
                "över de kommuner som har värden samma utgångsår och senaste år: det par av "
                "år som flest kommuner har (har ingen kommun båda, det senaste år flest har). "
                "Det bedöms mot målet som en enhet, men bara när minst hälften av länets "
                "kommuner ingår i det; annars får det ingen status. Spridningen gäller det "
                "senaste år flest kommuner har. Befolkningsvägt medel: varje kommun väger "
                "efter sitt totala invånarantal samma år (Kolada N01951), en ersättning för "
                "antalet elever, brukare eller nyanlända som nyckeltalet gäller. Ovägt medel "
                "(när Kolada-data saknar invånarantalet): varje kommun väger lika, oavsett "
                "folkmängd.")


PICTURE_MEAN_STATUS = "Medel"  # the header of the mean's status


def picture_heading(report: UnitReport) -> str:
    """'Kommunernas bild – Jönköpings läns kommuner, för nyckeltal som Kolada bara redovisar
    för kommuner'."""
    return (f"{PICTURE_TITLE} – {lan_name(report.unit.lan)}s kommuner, för nyckeltal som "
            "Kolada bara redovisar för kommuner")


def picture_mean(picture: KommunPicture) -> str:
    """'ovägt medel av 12 av 13 kommuner: 2017: 39,0 → 2022: 35,5', or why there is none."""
    mean = picture.mean
    if mean is None:
        return "ingen kommun har värden"
    points = " → ".join(point(p) for p in (mean.baseline, mean.latest) if p)
    return (f"{PICTURE_MEANS[picture.weighting]} av {picture.averaged} av "
            f"{len(picture.kommuner)} kommuner: {points}")


def picture_unjudged(picture: KommunPicture) -> str | None:
    """Why a mean with a change has no status: 'ingen status: bara 4 av 13 kommuner i
    medlet (minst hälften krävs)'; None when it has one or there is no change."""
    if not (picture.thin and picture.mean and picture.mean.change is not None):
        return None
    return (f"ingen status: bara {picture.averaged} av {len(picture.kommuner)} kommuner i "
            "medlet (minst hälften krävs)")


def picture_spread(picture: KommunPicture) -> str:
    """'lägst 14,3 (Nässjö) – högst 61,9 (Vaggeryd), 12 kommuner med värde 2022'."""
    low, high = picture.lowest, picture.highest
    if low is None or high is None:
        return "ingen spridning: inga värden"
    return (f"lägst {extreme(low)} – högst {extreme(high)}, {len(picture.in_year)} "
            f"kommuner med värde {picture.year}")


def extreme(value: Extreme) -> str:
    """'14,3 (Nässjö)'."""
    return f"{number(value.value)} ({', '.join(u.title for u in value.units)})"


def picture_met(picture: KommunPicture) -> str:
    """'uppnått i 4 av 13 bedömda kommuner: Habo, Jönköping, …' (each as its own report)."""
    if not picture.judged:
        return "ingen kommun kan bedömas"
    names = ", ".join(u.title for u in picture.met)
    return (f"uppnått i {len(picture.met)} av {picture.judged} bedömda kommuner"
            + (f": {names}" if names else ""))


def kommun_value(picture: KommunPicture, kommun: KommunFigures) -> str:
    """'Aneby 53,8', 'Tranås 69,0 (2016)' when not in the spread's year, 'Mullsjö –'."""
    latest = kommun.figures.latest
    if latest is None:
        return f"{kommun.unit.title} –"
    year = f" ({latest.year})" if latest.year != picture.year else ""
    return f"{kommun.unit.title} {number(latest.value)}{year}"
