"""CSV output: one row per indicator with the flat fields of the JSON report.

Text cells that a spreadsheet would take for a formula (leading =, +, -, @, tab, CR) are
prefixed with an apostrophe: titles come from Kolada and user catalogues, and are data.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from strategihalsa.overview import Overview
from strategihalsa.render.json import indicator_dict, overview_dict
from strategihalsa.report import UnitReport

FIGURES = ("baseline_year", "baseline_value", "latest_year", "latest_value", "change",
           "improvement", "progress", "status", "reason")
COLUMNS = ("unit_id", "unit_title", "id", "goal", "title", "area", "kpi", "kpi_title",
           "direction", "target", "unit", "level", *FIGURES,
           "slope_per_year", "reaches_target_year", "rank", "ranked",
           "women_change", "women_status", "men_change", "men_status",
           "gap_baseline", "gap_latest", "gap_change",
           "riket_latest_value", "riket_change", "riket_status",
           "region_latest_value", "region_change", "region_status",
           "similar_id", "similar_latest_value", "similar_change", "similar_status")
PREFIXES = {"riket": "riket_", "region": "region_", "group": "similar_"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def flat_figures(figures: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Figures dict → flat columns (baseline/latest points split into year and value)."""
    flat = {k: v for k, v in figures.items() if k not in ("baseline", "latest")}
    for point in ("baseline", "latest"):
        data = figures.get(point) or {}
        flat[f"{point}_year"], flat[f"{point}_value"] = data.get("year"), data.get("value")
    return {prefix + k: v for k, v in flat.items()}


def rows(report: UnitReport) -> list[dict[str, Any]]:
    """The flat rows of one report."""
    kinds = {u.id: u.kind for u in report.comparison_units}
    out = []
    for result in report.results:
        entry = indicator_dict(result)
        row = {"unit_id": report.unit.id, "unit_title": report.unit.title, **entry,
               **flat_figures(entry), **(entry["projection"] or {})}
        if entry["rank"]:
            row |= {"rank": entry["rank"]["position"], "ranked": entry["rank"]["of"]}
        for code, name in (("K", "women"), ("M", "men")):
            row |= flat_figures(entry["by_gender"].get(code, {}), f"{name}_")
        gap = entry["by_gender"].get("gap") or {}
        row |= {f"gap_{k}": v for k, v in gap.items()}
        for unit_id, fig in entry["comparisons"].items():
            row |= flat_figures(fig, PREFIXES[kinds[unit_id]])
            if kinds[unit_id] == "group":
                row["similar_id"] = unit_id
        out.append({column: safe_text(row.get(column)) for column in COLUMNS})
    return out


def render(reports: list[UnitReport]) -> str:
    """One CSV text with a header and the rows of every report."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for report in reports:
        writer.writerows(rows(report))
    return buffer.getvalue()


OVERVIEW_COLUMNS = ("id", "goal", "title", "kpi", "direction", "target", "level",
                    "riket_status", "riket_change", "met", "improving", "not_improving",
                    "no_data", "change_min", "change_q1", "change_median", "change_q3",
                    "change_max")


def render_overview(overview: Overview) -> str:
    """One CSV row per indicator with Riket, the status counts and the change spread."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OVERVIEW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in overview_dict(overview)["indicators"]:
        row = {**entry, **entry["units"],
               "riket_status": entry["riket"]["status"], "riket_change": entry["riket"]["change"],
               **{f"change_{k}": v for k, v in (entry["change"] or {}).items()}}
        writer.writerow({column: safe_text(row.get(column)) for column in OVERVIEW_COLUMNS})
    return buffer.getvalue()
