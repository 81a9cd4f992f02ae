"""The HTML pages behind `--format html` and `--format pdf` (not a format itself): a report
per unit like SKR's kommunrapport, several units side by side (the comparison, then each
unit's report), the index of a batch (units × goals, the spread per
indicator) and the overview of all kommuner.

Jinja2 templates with autoescape on, so text from Kolada or a catalogue always stays text;
CSS and SVG charts inline, nothing fetched from the network, no scripts. The environment
is built once per process.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from strategihalsa.catalogue import Indicator
from strategihalsa.model import Figures, IndicatorResult, Summary, UnitReport
from strategihalsa.model_overview import Overview, Spread
from strategihalsa.model_side import SideBySide
from strategihalsa.naming import file_name
from strategihalsa.render import (
    Options,
    boxplot,
    charts,
    lan,
    words,
    words_picture,
    words_reason,
    words_side,
    words_time,
)
from strategihalsa.render.page_maps import index_maps, kommun_changes, overview_maps
from strategihalsa.render.side_notes import mark, side_notes
from strategihalsa.units import Unit, lan_name
from strategihalsa.vocabulary import Role, Status

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescape, words and helpers global."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("strategihalsa.render", "templates"),
                      autoescape=True, trim_blocks=True, lstrip_blocks=True,
                      undefined=StrictUndefined)
    env.globals.update(words=words, words_picture=words_picture, words_side=words_side,
                       words_time=words_time, words_reason=words_reason, Status=Status,
                       Role=Role, gender=gender_figures, compared_figures=compared_figures)
    return env


def render(template: str, **context: Any) -> str:
    """A template rendered with `context`."""
    return environment().get_template(template).render(**context)


def page_numbers(count: int) -> str:
    """`count` blank pages with only the footer's page number on a white ground: printed
    over a joined document's pages, it counts them through the whole document."""
    return render("page_numbers.html", count=count)


@dataclass(frozen=True)
class Figure:
    """An indicator's chart with its caption and notes."""

    result: IndicatorResult
    chart: charts.Chart
    caption: list[str]
    notes: list[str]


@dataclass(frozen=True)
class Area:
    """One målområde of a unit page: its summary, table rows, charts and data gaps."""

    name: str
    summary: Summary
    results: list[IndicatorResult]
    figures: list[Figure]
    missing: list[tuple[IndicatorResult, list[str]]]
    gaps: list[str]


def unit_page(reports: Sequence[UnitReport], index: str | None = None,
              batch: Sequence[SpreadRow] = ()) -> str:
    """One HTML document with the report of each unit (normally one); a page of a site
    links back to its `index`; with a län's `batch` spreads, each report ends with its own
    change among the län's kommuner."""
    first = reports[0]
    title = words.title(first) if len(reports) == 1 else first.run.catalogue.name
    return render("unit.html", title=title, run=first.run, index=index,
                  reports=[(report, areas(report)) for report in reports],
                  own_spreads={r.unit.id: own_spreads(r, batch) for r in reports})


def compare_page(view: SideBySide) -> str:
    """Several units side by side: the comparison table first, then each unit's report."""
    marks, notes = side_notes(view)
    return render("compare.html", title=words_side.side_by_side_title(view), run=view.run,
                  view=view, marks=marks, notes=notes, mark=mark, index=None,
                  reports=[(report, areas(report)) for report in view.reports])


def areas(report: UnitReport) -> list[Area]:
    """The målområden of a report, in catalogue order."""
    return [area(report, name) for name in report.areas]


def area(report: UnitReport, name: str) -> Area:
    """Table rows, a chart per indicator with data, a line per indicator without."""
    results = report.in_area(name)
    goals = {r.indicator.goal for r in results}
    return Area(
        name=name, summary=Summary.of_results(results), results=results,
        figures=[figure(report, r) for r in results if r.has_data],
        missing=[(r, notes(report, r)) for r in results if not r.has_data],
        gaps=[words.gap_line(g) for g in report.goal_gaps if g.goal in goals])


def figure(report: UnitReport, result: IndicatorResult) -> Figure:
    """The chart of one indicator, its caption and notes."""
    compared = {c.role: c.unit for c in report.compared}
    salt = f"{report.unit.id}-{result.indicator.id}"
    chart = charts.indicator_chart(result, report.unit, compared, report.run.target_year,
                                   salt)
    return Figure(result, chart, caption(report, result), notes(report, result))


def caption(report: UnitReport, result: IndicatorResult) -> list[str]:
    """What is measured, which way is better, the target and when it is reached."""
    target_year = report.run.target_year
    return [f"{words.measured(result)} ({result.indicator.kpi}); {words.better(result)}.",
            f"{words.target_sentence(result, target_year)}. "
            f"{words.reaches_sentence(result, target_year)}."]


def notes(report: UnitReport, result: IndicatorResult) -> list[str]:
    """Region level, series breaks, why data is missing, Kolada's flags, survey caveat."""
    found = []
    if result.region_level:
        region = next((c.unit.title for c in report.compared if c.role is Role.REGION),
                      result.data_unit)
        found.append(words.region_level_note(region))
    found += words.notes(result)
    return [note.rstrip(". ") for note in found]


def gender_figures(result: IndicatorResult, code: str) -> Any:
    """Women's ('K') or men's figures, or None."""
    return result.by_gender.get(code)


def compared_figures(result: IndicatorResult, role: Role) -> Any:
    """The figures of a comparison role, or None."""
    comparison = result.comparison(role)
    return comparison.figures if comparison else None


# --- the index of a batch and the overview ---------------------------------------------


@dataclass(frozen=True)
class Row:
    """One unit in the matrix: its statuses and where its page is (None: no page)."""

    unit: Unit
    statuses: tuple[Status, ...]
    link: str | None

    @property
    def summary(self) -> Summary:
        """How many goals the unit met, of those with data."""
        return Summary.of(self.statuses)


@dataclass(frozen=True)
class Group:
    """A län in the matrix: its name and rows (the region first)."""

    code: str
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class SpreadRow:
    """One indicator's change across the kommuner: counts per status and quartiles."""

    column: lan.Column
    level: str
    counts: dict[Status, int]
    spread: Spread | None
    chart: str
    riket: Figures | None = None


def index_page(reports: Sequence[UnitReport]) -> str:
    """The batch's index: units × goals linking to each unit's page, then the spread of
    each indicator's change across the kommuner and the maps."""
    return render("index.html", **index_context(reports, lambda r: file_name(r.unit, "html")))


PAGE_LINK = "sfh-page:"  # a contents line's link to a page of the joined document


def lan_front(reports: Sequence[UnitReport]) -> Callable[[Sequence[int]], str]:
    """The front of the whole-län document to print, as a function of the page each unit's
    report starts on: a table of contents (each unit's line linking to PAGE_LINK and its
    page), then the index (without links to other files)."""
    context = index_context(reports, lambda r: None)
    return lambda starts: render("lan.html", **context, index=None, page_link=PAGE_LINK,
                                 units=list(zip(reports, starts, strict=True)))


def batch_options(reports: Sequence[UnitReport], options: Options) -> Options:
    """A batch's options for each unit page: a län's spreads, for the own spread section."""
    return replace(options, spreads=batch_spreads(reports))


def batch_spreads(reports: Sequence[UnitReport]) -> tuple[SpreadRow, ...]:
    """What each unit's own spread section needs from a batch of one län with several
    kommuner: the change of each shown indicator across them, without charts (none for
    other batches)."""
    if lan.scope(reports) is None or sum(r.unit.kind == "kommun" for r in reports) < 2:
        return ()
    return tuple(spread_rows(reports, charted=False))


def spread_rows(reports: Sequence[UnitReport], charted: bool = True) -> list[SpreadRow]:
    """The spread row of each indicator with data for some unit, over the kommuner."""
    every = lan.columns([r.indicator for r in reports[0].results])
    kommuner = [r for r in reports if r.unit.kind == "kommun"] or list(reports)
    return [spread_row(every[n], [r.results[n] for r in kommuner], charted)
            for n in lan.shown(reports)]


def index_context(reports: Sequence[UnitReport], link: Callable[[UnitReport], str | None]
                  ) -> dict[str, Any]:
    """What the index shows: the goals with data for some unit as columns (the others in one
    note), the units by län, the spread and the maps of each shown goal."""
    run = reports[0].run
    kept = lan.shown(reports)
    every = lan.columns([r.indicator for r in reports[0].results])
    groups = lan_groups(reports, link, kept)
    regions = [r.unit.title for r in reports if r.unit.kind == "region"]
    scope = "Sverige" if len(groups) > 1 else regions[0] if regions else groups[0].title
    return {"title": f"{run.catalogue.name} – {scope}", "run": run,
            "columns": [every[n] for n in kept], "groups": groups, "grouped": len(groups) > 1,
            "spreads": spread_rows(reports),
            "kommuner": sum(r.unit.kind == "kommun" for r in reports),
            "maps": index_maps(every, kept, reports), "empty": lan.empty_note(reports),
            "linked": any(link(r) for r in reports)}


def lan_groups(reports: Sequence[UnitReport], link: Callable[[UnitReport], str | None],
               kept: Sequence[int]) -> list[Group]:
    """The reports by län (county code order), each region before its kommuner; the
    statuses of the indicators at the `kept` positions."""
    by_lan: dict[str, list[UnitReport]] = {}
    for report in reports:
        by_lan.setdefault(report.unit.lan, []).append(report)
    return [Group(code, lan_name(code), [
        Row(r.unit, tuple(r.results[n].figures.status for n in kept), link(r))
        for r in sorted(members, key=lambda r: (r.unit.kind != "region", r.unit.id))])
        for code, members in sorted(by_lan.items())]


def spread_row(column: lan.Column, results: Sequence[IndicatorResult], charted: bool = True
               ) -> SpreadRow:
    """An indicator across the kommuner of a batch; each data unit once, so a region-level
    key figure counts each region once; its box plot unless not `charted`."""
    distinct = list({r.data_unit: r for r in results}.values())
    spread = quartiles([r.figures.change for r in distinct])
    first = results[0]
    chart = spread_svg(spread, first.indicator, column) if charted else ""
    return SpreadRow(column, str(first.level),
                     dict(Summary.of(r.figures.status for r in distinct).counts), spread,
                     chart)


def quartiles(values: Iterable[float | None]) -> Spread | None:
    """Min, quartiles (linear interpolation), max and count; None without values."""
    found = sorted(v for v in values if v is not None)
    if not found:
        return None
    q1, median, q3 = statistics.quantiles(found, n=4, method="inclusive") \
        if len(found) > 1 else found * 3
    return Spread(found[0], q1, median, q3, found[-1], len(found))


def spread_svg(spread: Spread | None, indicator: Indicator, column: lan.Column,
               unit: Unit | None = None, change: float | None = None) -> str:
    """The box plot of a spread, with the target drawn and the `change` of `unit` marked
    where it has one (empty without a spread)."""
    if spread is None:
        return ""
    target = None if indicator.target == 0 else \
        indicator.target if indicator.direction == "increase" else -indicator.target
    marked = (unit.title, change) if unit and change is not None else None
    return boxplot.spread_chart(spread, target, f"spread-{column.label}", marked)


def own_spreads(report: UnitReport, spreads: Sequence[SpreadRow]) -> list[SpreadRow]:
    """The batch's spread rows with the report unit's own change marked in each chart."""
    results = {r.indicator.id: r for r in report.results}
    return [replace(s, chart=spread_svg(s.spread, results[s.column.id].indicator,
                                        s.column, report.unit,
                                        results[s.column.id].figures.change))
            for s in spreads]


def overview_page(overview: Overview) -> str:
    """`sfh overview` as a page: the spread per indicator, then kommuner × goals by län;
    the chosen kommun marked in each spread and outlined on each map."""
    run, chosen = overview.run, overview.chosen
    groups = [Group(code, lan_name(code), rows)
              for code, rows in _rows_by_lan(overview).items()]
    cols = lan.columns([s.indicator for s in overview.indicators])
    changes = kommun_changes(overview)
    spreads = [SpreadRow(col, str(s.level), s.counts, s.change, spread_svg(
        s.change, s.indicator, col, chosen, changes[col.id][chosen.id] if chosen else None),
        s.riket) for col, s in zip(cols, overview.indicators, strict=True)]
    return render("overview.html", title=words.overview_title(overview),
                  run=run, overview=overview, columns=cols, groups=groups, spreads=spreads,
                  maps=overview_maps(cols, overview, changes), chosen=chosen)


def _rows_by_lan(overview: Overview) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {}
    for row in sorted(overview.matrix, key=lambda r: r.unit.id):
        found.setdefault(row.unit.lan, []).append(Row(row.unit, row.statuses, None))
    return found
