"""Trender: per målområde, one block per indicator with values for the unit — the goal's
words, the key figure and what it measures, the figures in one line, the yearly series of
the unit, its region, Riket, the similar kommuner's mean and the target level, and beside
them a line chart of the same rows (as SKR's kommunrapporter show them). Indicators without
values for the unit get no empty chart; the sheet names them at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from strategihalsa.catalogue import HISTORY_YEARS
from strategihalsa.model import IndicatorResult, Series, UnitReport
from strategihalsa.render import words, words_reason
from strategihalsa.render.xlsx.cells import (
    BOLD_TEXT,
    DEFAULT_ROW,
    HEADING,
    INTEGER,
    LINE,
    NOTE_TEXT,
    NUMBER,
    PLAIN,
    TEXT,
    Sheet,
)
from strategihalsa.render.xlsx.charts import WIDTH_CM, Line, Span, line_chart
from strategihalsa.render.xlsx.paper import Paper
from strategihalsa.vocabulary import Role

BLOCK = 14  # rows per indicator; the chart is as tall
PER_PAGE = 3  # blocks on one printed page
MAX_YEARS = 14  # year columns that still print legibly beside the chart
LABEL_WIDTH, YEAR_WIDTH, GAP_WIDTH = 28, 6, 1.5
ORDER = (Role.UNIT, Role.REGION, Role.RIKET, Role.SIMILAR)  # as SKR's charts list them
TARGET = "Målnivå"
POINTS_PER_CM = 72 / 2.54


def trend_years(report: UnitReport) -> list[int]:
    """From a few years before the baseline to the latest year with a value (or the target
    year, when it is later); at most MAX_YEARS columns unless the baselines need more."""
    run = report.run
    seen = [y for r in report.results for s in r.series.values() for y in s]
    baselines = [run.baseline_year, *(i.baseline_year for i in run.catalogue.indicators)]
    last = max([*seen, run.target_year])
    first = min(baselines) - HISTORY_YEARS
    if last - first + 1 > MAX_YEARS:  # less history, but never less than from the baseline
        first = min(min(baselines), last - MAX_YEARS + 1)
    return list(range(first, last + 1))


def charted(result: IndicatorResult) -> bool:
    """An indicator with values for the unit gets a chart."""
    return bool(result.series.get(Role.UNIT))


HEADING_ROW = 20.0  # points: a målområde's heading (12 pt bold) and room above it


def trends_sheet(sheet: Sheet, report: UnitReport, years: list[int]) -> None:
    """Header of years, then the blocks by målområde, a page break every few blocks."""
    sheet.header(1, ["Serie", *map(str, years)])
    paper = Paper("1:1", beside=WIDTH_CM * POINTS_PER_CM, header=words.title(report),
                  tall=(PER_PAGE * BLOCK + 3) * DEFAULT_ROW)
    per_page = max(1, int((paper.height(sheet.widths) - 3 * LINE) // (BLOCK * DEFAULT_ROW)))
    row, breaks = 2, list[int]()
    for area in report.areas:
        row = area_blocks(sheet, report, area, years, row, per_page, breaks)
    _missing(sheet, report, row)
    sheet.freeze(2, 2)
    sheet.finish()
    replace(paper, breaks_after=tuple(breaks[:-1])).apply(sheet)


def area_blocks(sheet: Sheet, report: UnitReport, area: str, years: list[int], row: int,
                per_page: int, breaks: list[int]) -> int:
    """The målområde's heading and blocks from `row`, page breaks noted; the next row."""
    blocks = [r for r in report.in_area(area) if charted(r)]
    for n, result in enumerate(blocks):
        if n == 0:
            sheet.put(row, 1, area, HEADING)
            sheet.tall(row, HEADING_ROW)  # a default row cuts 12 pt text into the title band
            row += 1
        elif n % per_page == 0:
            breaks.append(row - 1)
        row += block(sheet, report, result, row, years)
    breaks += [row - 1] if blocks else []
    return row


def chart_title(result: IndicatorResult) -> str:
    """'Mål 3: Fler elever i åk 9 ska vara behöriga till gymnasiet'."""
    goal = result.indicator.goal
    return result.indicator.title if goal is None else f"Mål {goal}: {result.indicator.title}"


def figures_line(report: UnitReport, result: IndicatorResult) -> str:
    """Baseline, latest, change against the target, målnivå, status and outlook."""
    fig = result.figures
    if fig.baseline is None or fig.latest is None:
        why = words_reason.reason(fig.reason) or "utgångsläge saknas"
        return f"{words.status_label(fig)}: {why}"
    return (f"Utgångsläge {words.point(fig.baseline)}, senaste {words.point(fig.latest)}, "
            f"förändring {words.change_against_target(result)}, målnivå "
            f"{words.number(fig.target_level)}: {words.status_label(fig)}; mot "
            f"{report.run.target_year}: {words.outlook(result)}")


def block(sheet: Sheet, report: UnitReport, result: IndicatorResult, top: int,
          years: list[int]) -> int:
    """One indicator: heading lines, its series and their chart beside them; the rows it
    takes (fewer when wrapped lines made some rows taller, so the chart fits the block)."""
    _heading(sheet, report, result, top, len(years) + 1)
    rows = list(series_rows(report, result))
    shown = [y for _, _, s in rows for y in s if y in years]
    first, end = 2 + years.index(min(shown)), 2 + years.index(max(shown))
    lines, plotted = [], []
    look = NUMBER if max(abs(v) for _, _, s in rows for v in s.values()) < 1000 else INTEGER
    for row, (role, name, values) in enumerate(rows, top + 3):
        plotted += [v for y, v in values.items() if y in years]
        sheet.row(row, [(name, TEXT), *((values.get(year), look) for year in years)])
        lines.append(Line(name, row, role))
    span = Span(sheet.title, 1, first, end)
    chart = line_chart(chart_title(result), span, lines, plotted)
    sheet.chart(chart, top, len(years) + 3)
    taller = sum(sheet.needed.get(row, 1) - 1 for row in range(top, top + 3 + len(rows)))
    return max(3 + len(rows) + 1, BLOCK - taller)


def _heading(sheet: Sheet, report: UnitReport, result: IndicatorResult, top: int,
             last: int) -> None:
    """The goal's words, the key figure (what it measures, its level), the figures."""
    ind = result.indicator
    kpi = ", ".join(filter(None, [f"Nyckeltal {ind.kpi}", words.measured_as(result),
                                  words.REGION_LEVEL.strip("()") if result.region_level
                                  else "", words.SURVEY_MARK if ind.survey else ""]))
    sheet.span(top, 1, last, chart_title(result), BOLD_TEXT)
    sheet.span(top + 1, 1, last, kpi, NOTE_TEXT)
    sheet.span(top + 2, 1, last, figures_line(report, result), NOTE_TEXT)


def series_rows(report: UnitReport, result: IndicatorResult
                ) -> Iterator[tuple[Role | None, str, Series]]:
    """(role, name, values by year) of each line with values, then the target level."""
    for role in ORDER:
        values = result.series.get(role)
        if not values or (role is Role.REGION and result.region_level):
            continue
        yield role, series_name(report, result, role), values
    fig = result.figures
    if fig.target_level is not None and fig.baseline is not None:
        last = max(y for s in result.series.values() for y in s)
        yield None, TARGET, dict.fromkeys(range(fig.baseline.year, max(
            last, report.run.target_year) + 1), fig.target_level)


def series_name(report: UnitReport, result: IndicatorResult, role: Role) -> str:
    """The unit's name (its region's, for region-level key figures), 'Riket', the region's
    name, 'Liknande kommuner' or 'Liknande regioner'."""
    comparison = result.comparison(role)
    if role is Role.UNIT:
        region = result.comparison(Role.REGION)
        return region.unit.title if result.region_level and region else report.unit.title
    if role is Role.SIMILAR:
        return words.role_header(role, comparison.unit if comparison else None)
    return comparison.unit.title if comparison else words.role_header(role)


def _missing(sheet: Sheet, report: UnitReport, row: int) -> None:
    left = [r for r in report.results if not charted(r)]
    if left:
        goals = ", ".join(str(r.indicator.goal or r.indicator.kpi) for r in left)
        sheet.put(row + 1, 1, f"Utan värden för {report.unit.title}, och därför utan "
                              f"diagram: mål {goals}.", PLAIN)
