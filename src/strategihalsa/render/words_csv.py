"""The Swedish column headers of `--csv-dialect excel`."""

from __future__ import annotations

from strategihalsa.render.words import PICTURE_TITLE

# Column headers of `--csv-dialect excel` (the columns' names in Swedish); a prefix names
# whose figures a column holds.
CSV_HEADERS = {
    "unit_id": "Enhetskod", "unit_title": "Enhet", "id": "Indikator-id", "goal": "Mål nr",
    "title": "Indikator", "area": "Målområde", "kpi": "KPI", "kpi_title": "Kolada-titel",
    "direction": "Riktning", "target": "Mål (ändring)", "unit": "Måttenhet", "level": "Nivå",
    "baseline_year": "Basår", "baseline_value": "Utgångsläge", "latest_year": "Senaste år",
    "latest_value": "Senaste värde", "change": "Förändring", "improvement": "Förbättring",
    "progress": "Andel av målet", "status": "Status", "reason": "Notering",
    "slope_per_year": "Trend per år", "reaches_target_year": "Når målet", "rank": "Rang",
    "ranked": "Rangordnade", "gap_baseline": "Skillnad kvinnor–män, utgångsläge",
    "gap_latest": "Skillnad kvinnor–män, senaste", "gap_change": "Skillnad kvinnor–män, "
    "förändring", "target_level": "Målnivå", "outlook": "Mot målåret",
    "projection_uncertain": "Osäker trend", "with_data": "Med data", "members": "Medlemmar",
    "measure": "Mäts som", "survey": "Urvalsundersökning", "flags": "Koladas markering",
    "reason_code": "Orsakskod", "missing_status": "Koladas status på saknat värde",
    "outlook_reason": "Mot målåret, varför", "better": "Bättre", "met": "Uppnått",
    "improving": "På väg",
    "not_improving": "Ingen förbättring", "no_data": "Saknar data",
    "not_judged": "Kan inte bedömas", "change_min": "Min",
    "change_q1": "Q1", "change_median": "Median", "change_q3": "Q3", "change_max": "Max",
    "data_fetched_at": "Data hämtade", "data_source": "Datakälla",
    "count": "Kommuner i länet", "averaged": "Kommuner i medlet", "weighting": "Vägning",
    "with_value": "Kommuner med senaste värde", "lowest_value": "Lägst", "lowest":
    "Lägst, kommuner", "highest_value": "Högst", "highest": "Högst, kommuner",
    "met_count": "Uppnått, antal kommuner", "judged": "Bedömda kommuner",
    "spread_year": "Spridning, år",
}


CSV_PREFIXES = {"riket_": "Riket", "region_": "Region", "similar_": "Liknande",
                "women_": "Kvinnor", "men_": "Män", "kommuner_": PICTURE_TITLE}


BETTER_WORDS = {"higher": "högre", "lower": "lägre"}


def csv_header(column: str) -> str:
    """A CSV column's Swedish header: 'Status', 'Riket: förändring', 'Liknande: id'."""
    if column in CSV_HEADERS:
        return CSV_HEADERS[column]
    prefix = next((p for p in CSV_PREFIXES if column.startswith(p)), None)
    if prefix is None:
        return column
    rest = column.removeprefix(prefix)
    header = "id" if rest == "id" else CSV_HEADERS.get(rest, rest)
    return f"{CSV_PREFIXES[prefix]}: {header if header.startswith('Kolada') else header.lower()}"
