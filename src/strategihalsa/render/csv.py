"""CSV output: one row per indicator and unit (reports, also several side by side: the long
form, one row per goal × unit) or per indicator (overview).

Two dialects: `rfc` for programs (RFC 4180 quoting, comma, dot decimals, UTF-8, LF line
ends: the columns and bytes earlier versions wrote) and `excel` for Swedish Excel opened by
double-click (semicolon, decimal comma, UTF-8 with a byte-order mark, CRLF). In both, text
cells that a spreadsheet would take for a formula (leading =, +, -, @, tab, CR) are
prefixed with an apostrophe (titles come from Kolada and user catalogues, and are data),
control characters such as NUL are dropped, and a field holding a line break is quoted, so
it never splits a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache, cached_property
from typing import Any

from strategihalsa.catalogue import Indicator
from strategihalsa.model import Figures, IndicatorResult, KommunPicture, RunInfo, UnitReport
from strategihalsa.model_overview import Overview
from strategihalsa.model_side import SideBySide
from strategihalsa.render import (
    CsvDialect,
    Options,
    Renderer,
    words,
    words_csv,
    words_picture,
    words_reason,
    words_time,
)
from strategihalsa.render.json import BETTER
from strategihalsa.units import Unit
from strategihalsa.vocabulary import MEN, WOMEN, Outlook, Role, Status

# a region report's "kommunernas bild" of a kommun-only key figure (see json.picture_dict)
PICTURE_COLUMNS = tuple(f"kommuner_{name}" for name in (
    "count", "averaged", "weighting", "baseline_year", "baseline_value", "latest_year",
    "latest_value", "change", "improvement", "status", "with_value", "lowest_value", "lowest",
    "highest_value", "highest", "met_count", "judged", "met", "spread_year"))
COLUMNS = ("unit_id", "unit_title", "id", "goal", "title", "area", "kpi", "kpi_title",
           "direction", "target", "unit", "level", "baseline_year", "baseline_value",
           "latest_year", "latest_value", "change", "improvement", "progress", "status",
           "reason", "slope_per_year", "reaches_target_year", "rank", "ranked",
           "women_change", "women_status", "men_change", "men_status",
           "gap_baseline", "gap_latest", "gap_change",
           "riket_latest_value", "riket_change", "riket_status",
           "region_latest_value", "region_change", "region_status",
           "similar_id", "similar_latest_value", "similar_change", "similar_status",
           "target_level", "outlook", "projection_uncertain", "similar_with_data",
           "similar_members", "measure", "survey", "flags",
           "reason_code", "missing_status", "outlook_reason", "better",
           *(f"{role}_{name}" for role in (Role.RIKET, Role.REGION, Role.SIMILAR)
             for name in ("baseline_year", "baseline_value", "latest_year", "reason",
                          "reason_code", "missing_status")),
           "data_fetched_at", "data_source", *PICTURE_COLUMNS)
# a status added later (not_judged) comes last: new columns are only ever added at the end
OVERVIEW_COLUMNS = ("id", "goal", "title", "kpi", "direction", "target", "level",
                    "riket_status", "riket_change", Status.MET, Status.IMPROVING,
                    Status.NOT_IMPROVING, Status.NO_DATA, "change_min", "change_q1",
                    "change_median", "change_q3", "change_max", "better",
                    "data_fetched_at", "data_source", Status.NOT_JUDGED)
OVERVIEW_PLACES = 1  # the overview's changes and quartiles in Swedish Excel
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab, LF and CR


@dataclass(frozen=True)
class Dialect:
    """How a CSV file separates, writes decimals, ends lines and begins."""

    separator: str
    decimal: str
    line_end: str
    start: str = ""

    @cached_property
    def needs_quotes(self) -> re.Pattern[str]:
        """What makes a field quoted: the separator, a quote or a line break."""
        return re.compile(f'[{re.escape(self.separator)}"\r\n]')


DIALECTS = {CsvDialect.rfc: Dialect(",", ".", "\n"),
            CsvDialect.excel: Dialect(";", ",", "\r\n", "\ufeff")}


def safe_text(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula."""
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def value_field(value: Any, dialect: Dialect) -> str:
    """A field that is not text: a number with the dialect's decimal mark (a number never
    holds a separator, a quote or a line break), else the value as str."""
    if isinstance(value, float):
        return repr(value).replace(".", dialect.decimal)
    return str(value)


def text_field(value: str, dialect: Dialect) -> str:
    """A text field: control characters dropped, a formula guarded, quoted when needed."""
    text = safe_text(CONTROLS.sub("", value))
    if dialect.needs_quotes.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def figures_columns(figures: Figures | None, prefix: str = "") -> dict[str, Any]:
    """Flat columns of a set of figures (points split into year and value)."""
    if figures is None:
        return {}
    flat = {k: getattr(figures, k) for k in ("change", "improvement", "progress", "status",
                                            "target_level")}
    flat |= {"reason": words_reason.reason(figures.reason),
             "reason_code": figures.reason.code if figures.reason else None,
             "missing_status": figures.reason.kolada if figures.reason else None}
    for name in ("baseline", "latest"):
        point = getattr(figures, name)
        flat[f"{name}_year"] = point.year if point else None
        flat[f"{name}_value"] = point.value if point else None
    return {prefix + k: v for k, v in flat.items()}


def provenance_columns(run: RunInfo) -> dict[str, str]:
    """When the run's Kolada data was fetched, and from where (`store` or `network`)."""
    return {"data_fetched_at": run.data_fetched_at, "data_source": run.data_source}


@cache
def indicator_columns(indicator: Indicator) -> dict[str, Any]:
    """An indicator's own columns (the same in every unit's row: made once)."""
    return asdict(indicator)


def row(report: UnitReport, result: IndicatorResult) -> dict[str, Any]:
    """The flat row of one indicator in one report."""
    ind = result.indicator
    cells = {"unit_id": report.unit.id, "unit_title": report.unit.title,
             **indicator_columns(ind),
             "kpi_title": result.kpi.title if result.kpi else None, "level": result.level,
             "outlook": result.outlook, "flags": " ".join(result.figures.flags) or None,
             "outlook_reason": words_reason.outlook_reason(result),
             "better": BETTER[ind.direction],
             **figures_columns(result.figures)}
    if result.projection:
        cells |= {"slope_per_year": result.projection.slope_per_year,
                  "reaches_target_year": result.projection.reaches_target_year,
                  "projection_uncertain": result.projection.uncertain}
    if result.rank:
        cells |= {"rank": result.rank.position, "ranked": result.rank.of}
    for code, name in ((WOMEN, "women"), (MEN, "men")):
        cells |= figures_columns(result.by_gender.get(code), f"{name}_")
    if result.gender_gap:
        gap = result.gender_gap
        cells |= {"gap_baseline": gap.baseline, "gap_latest": gap.latest,
                  "gap_change": gap.change}
    return (cells | _comparison_columns(result) | provenance_columns(report.run)
            | _picture_columns(result.picture))


def _picture_columns(picture: KommunPicture | None) -> dict[str, Any]:
    """The kommuner's mean, spread (values and names) and who met the goal."""
    if picture is None:
        return {}
    extremes = {name: getattr(picture, name) for name in ("lowest", "highest")}
    cells: dict[str, Any] = {
        "count": len(picture.kommuner), "averaged": picture.averaged,
        "weighting": picture.weighting, "with_value": len(picture.in_year),
        "met_count": len(picture.met), "judged": picture.judged, "met": _names(picture.met),
        "spread_year": picture.year,
        **{f"{name}_value": e.value if e else None for name, e in extremes.items()},
        **{name: _names(e.units) if e else None for name, e in extremes.items()}}
    return figures_columns(picture.mean, "kommuner_") | {
        f"kommuner_{name}": value for name, value in cells.items()}


def _names(units: Iterable[Unit]) -> str:
    return ", ".join(unit.title for unit in units)


def _comparison_columns(result: IndicatorResult) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for comparison in result.comparisons:
        cells |= figures_columns(comparison.figures, f"{comparison.role}_")
        if comparison.years:  # the years it is judged over, also where it lacks a value
            cells |= {f"{comparison.role}_baseline_year": comparison.years[0],
                      f"{comparison.role}_latest_year": comparison.years[1]}
    similar = result.comparison(Role.SIMILAR)
    if similar:
        cells["similar_id"] = similar.unit.id
        if similar.coverage:
            cells |= {"similar_with_data": similar.coverage.with_data,
                      "similar_members": similar.coverage.members}
    return cells


def for_reading(cells: dict[str, Any], places: int) -> dict[str, Any]:
    """The `excel` dialect's cells: status, outlook, direction and yes/no in Swedish,
    numbers rounded to `places` decimals (progress and trend to two more)."""
    out = {}
    for name, value in cells.items():
        if isinstance(value, bool):
            value = words.YES_NO[value]
        elif isinstance(value, float):
            value = round(value, places + 2 if name in ("progress", "slope_per_year")
                          else places) + 0.0
        elif name == "data_fetched_at" and value:
            value = words_time.generated(value)
        elif name == "data_source" and value:
            value = words_time.DATA_ORIGINS.get(value, value)
        elif name == "outlook" and value:
            value = words.OUTLOOK_LABELS[Outlook(value)]
        elif name.endswith("status") and not name.endswith("missing_status") and value:
            value = words.STATUS_LABELS[Status(value)]
        elif name == "kommuner_weighting" and value:
            value = words_picture.PICTURE_MEANS[value]
        elif name in ("direction", "better") and value:
            value = {**words.DIRECTION_LABELS, **words_csv.BETTER_WORDS}[value]
        out[name] = value
    return out


def excel_row(report: UnitReport, result: IndicatorResult) -> dict[str, Any]:
    """A row for Swedish Excel: words, rounded values, a decrease target as a decrease."""
    cells = for_reading(row(report, result), words.precision(result))
    return cells | {"target": words.signed_target(result) or words.target(result)}


def write(columns: Sequence[str], rows: Iterable[dict[str, Any]], options: Options) -> bytes:
    """CSV text in the chosen dialect: a header (Swedish for `excel`), then the rows'
    values of `columns`: empty for None, each distinct text made a field once (titles,
    statuses and reasons repeat in every unit's rows)."""
    dialect = DIALECTS[options.csv_dialect]
    texts: dict[str, str] = {}

    def cell(value: Any) -> str:
        if isinstance(value, str):
            made = texts.get(value)
            if made is None:
                made = texts[value] = text_field(value, dialect)
            return made
        return value_field(value, dialect)

    headers = map(words_csv.csv_header, columns) if dialect.start else columns
    lines = [dialect.separator.join(map(cell, headers))]
    lines += [dialect.separator.join(["" if (value := r.get(c)) is None else cell(value)
                                      for c in columns]) for r in rows]  # most cells are empty
    return (dialect.start + "".join(line + dialect.line_end for line in lines)).encode("utf-8")


def render_reports(reports: Sequence[UnitReport], options: Options) -> bytes:
    """One CSV with a header and the rows of every report."""
    make = excel_row if options.csv_dialect is CsvDialect.excel else row
    return write(COLUMNS, (make(rep, res) for rep in reports for res in rep.results), options)


def render_side_by_side(view: SideBySide, options: Options) -> bytes:
    """Several units in the long form: the single reports' rows, goal by goal and within a
    goal unit by unit."""
    make = excel_row if options.csv_dialect is CsvDialect.excel else row
    return write(COLUMNS, (make(report, result) for goal in view.rows
                           for report, result in zip(view.reports, goal.results, strict=True)),
                 options)


def render_overview(overview: Overview, options: Options) -> bytes:
    """One CSV row per indicator with Riket, the status counts and the change spread."""
    rows = []
    for s in overview.indicators:
        cells = {**asdict(s.indicator), "level": s.level, "riket_status": s.riket.status,
                 "better": BETTER[s.indicator.direction],
                 "riket_change": s.riket.change, **{str(k): n for k, n in s.counts.items()},
                 **provenance_columns(overview.run)}
        if s.change:
            cells |= {f"change_{k}": v for k, v in asdict(s.change).items()}
        excel = options.csv_dialect is CsvDialect.excel
        rows.append(for_reading(cells, OVERVIEW_PLACES) if excel else cells)
    return write(OVERVIEW_COLUMNS, rows, options)


RENDERER = Renderer(binary=False, many=True, reports=render_reports, overview=render_overview,
                    side_by_side=render_side_by_side)
