"""Om rapporten: what the statuses and the columns mean, the comparisons, where the data and
the catalogue come from, and each key figure's Kolada title and description (a long
description runs on over several rows, none taller than Excel allows)."""

from __future__ import annotations

from strategihalsa.groups import family_of
from strategihalsa.model import UnitReport
from strategihalsa.render import words, words_time
from strategihalsa.render.words import STATUS_SYMBOLS
from strategihalsa.render.xlsx.cells import (
    BOLD_TEXT,
    HEADER,
    STATUS,
    TEXT,
    TITLE,
    Sheet,
    chunks,
)
from strategihalsa.render.xlsx.paper import Paper
from strategihalsa.units import Unit, normalise
from strategihalsa.vocabulary import Role, Status

WIDTHS = (22, 42, 83)
ALIKE_IN = {"socioekonomi": "socioekonomisk struktur"}  # a similar-units family, in words
MEANINGS = {
    Status.MET: "Förbättringen är minst lika stor som målet.",
    Status.IMPROVING: "Förbättring, men mindre än målet.",
    Status.NOT_IMPROVING: "Ingen förbättring (oförändrat eller sämre).",
    Status.NO_DATA: "Utgångsläge eller senaste värde saknas, eller nyckeltalet finns inte "
                    "längre i Kolada.",
    Status.NOT_JUDGED: "Det finns värden, men inget senare år än utgångsläget att jämföra "
                       "med (t.ex. bara utgångsåret), så förändringen kan inte bedömas.",
}


SHEETS = {  # the sheets that need saying, with what they hold
    "Jämförelse": "Enheterna sida vid sida, en rad per indikator med varje enhets status och "
                  "förändring som i enhetens egen Sammanfattning; varje enhets egna blad "
                  "följer, med enhetens kod först i bladets namn.",
    words.PICTURE_TITLE: "Bara i en regions rapport: för nyckeltal som Kolada bara redovisar "
                         "för kommuner, länets kommuner – hur många som nått målet i sina "
                         "egna rapporter, deras medel och spridning. Inte regionens egna "
                         "värden.",
}


def sheets(report: UnitReport, side_by_side: bool) -> list[tuple[str, str]]:
    """The sheets that need saying: Jämförelse (side by side), Kommunernas bild (a region
    with kommun-only key figures)."""
    shown = {"Jämförelse": side_by_side,
             words.PICTURE_TITLE: any(r.picture for r in report.results)}
    return [(f"Bladet {name}", meaning) for name, meaning in SHEETS.items() if shown[name]]


def concepts(report: UnitReport) -> list[tuple[str, str]]:
    """The words of the workbook's columns and what they mean."""
    run = report.run
    group = next((c.unit for c in report.compared if c.role is Role.SIMILAR), None)
    similar = words.role_header(Role.SIMILAR, group)
    return [
        ("Utgångsläge", f"Värdet år {run.baseline_year} (eller indikatorns eget basår). Saknas "
                        "det används första senare år med värde, aldrig uppföljningsåret."),
        ("Förändring", "Senaste värde minus utgångsläge. För mål där en minskning är en "
                       f"förbättring räknas förbättringen som minus förändringen. "
                       f"{words.UNROUNDED}"),
        ("Andel av målet", "Förbättringen delad med målet (saknas när målet bara är att öka "
                           "eller minska)."),
        ("Målnivå", "Utgångsläget plus målet: värdet som ska vara nått senast målåret "
                    f"{run.target_year}. Streckad linje i diagrammen."),
        ("Når målet", "Året då målnivån nås i nuvarande takt (linjär trend sedan "
                      "utgångsläget); 'nått' när målet är uppnått, 'ej i takt' när trenden "
                      "inte når dit. Ett '?' betyder att trenden bygger på få värden."),
        (f"Mot {run.target_year}", "i fas: målnivån nås senast målåret i nuvarande takt; "
                                   "ej i fas: den nås inte i tid; uppnått: redan nådd; ej "
                                   "nått: målåret har kommit utan att målnivån nåtts; ej "
                                   "tillämpligt: utgångsåret ligger inte före målåret."),
        (similar, "Ovägt medel av de kommuner (regioner) som Kolada räknar som lika"
                  f"{_alike_in(group)}. 'medel av 5 av 7' anger hur många av gruppens "
                  "medlemmar som har värden."),
        ("Nivå", f"'region': nyckeltalet finns bara för regionen, så kommunen visas med "
                 f"regionens värde {words.REGION_LEVEL}."),
        ("Urvalsundersökning", "Står under Notering för nyckeltal från "
                               "urvalsundersökningar: små förändringar kan bero på slumpen."),
        ("Kolada-markering", "Kolada kan markera ett värde (till exempel osäkert eller "
                             "preliminärt); markeringen står under Notering."),
    ]


def _alike_in(group: Unit | None) -> str:
    """' i socioekonomisk struktur', ' i familjen ”övergripande”': the family of the group
    the report compares with ('' when none)."""
    family = family_of(group.title) if group else None
    if family is None:
        return ""
    return " i " + ALIKE_IN.get(normalise(family), f"familjen ”{family}”")


def provenance(report: UnitReport) -> list[tuple[str, str]]:
    """The comparisons, the catalogue (by its title and checksum: never a local file path,
    which would tell a reader about the sender's machine), the tool and the data source."""
    run, catalogue = report.run, report.run.catalogue
    return [*((words.role_header(c.role, c.unit), c.unit.title) for c in report.compared),
            ("Katalog", f"{catalogue.name}, sha256 {catalogue.digest or '–'}"),
            ("Verktyg", f"sfh {run.version}"), ("Skapad", words_time.generated(run.generated_at)),
            ("Data hämtade", words_time.data_fetched(run)),
            ("Källa", f"Kolada ({run.api_url})")]


def about_sheet(sheet: Sheet, report: UnitReport, side_by_side: bool = False) -> None:
    """Statuses, concepts (and the sheets that need saying), provenance, then the key
    figures (header row bold)."""
    sheet.put(1, 1, "Om rapporten", TITLE)
    row = meanings(sheet, report, 3, sheets(report, side_by_side))
    sheet.header(row + 1, ("Nyckeltal", "Kolada-titel", "Beskrivning"))
    key_figures(sheet, report, row + 2)
    sheet.finish()
    Paper(header=words.title(report)).apply(sheet)


def meanings(sheet: Sheet, report: UnitReport, row: int,
             sheet_lines: list[tuple[str, str]]) -> int:
    """The statuses, the concepts, the sheets and the provenance from `row`; the next free
    row."""
    sheet.put(row, 1, "Begrepp", HEADER)
    sheet.span(row, 2, 3, "Betydelse", HEADER)
    for code, meaning in MEANINGS.items():
        row += 1
        sheet.put(row, 1, f"{STATUS_SYMBOLS[code]} {words.STATUS_LABELS[code]}", STATUS[code])
        sheet.span(row, 2, 3, meaning)
    for name, meaning in [*concepts(report), *sheet_lines, ("", ""), *provenance(report)]:
        row += 1
        sheet.put(row, 1, name or None, BOLD_TEXT)
        sheet.span(row, 2, 3, meaning or None)
    return row + 1


def key_figures(sheet: Sheet, report: UnitReport, row: int) -> None:
    """Each KPI once: id, Kolada title, description (over several rows when long)."""
    done = set()
    for result in report.results:
        if result.indicator.kpi in done:
            continue
        done.add(result.indicator.kpi)
        kpi = result.kpi
        sheet.put(row, 1, result.indicator.kpi, TEXT)
        sheet.put(row, 2, kpi.title if kpi else "finns inte längre i Kolada", TEXT)
        for piece in chunks(kpi.description if kpi else "", WIDTHS[2]):
            sheet.put(row, 3, piece or None, TEXT)
            row += 1
