"""Terminal output (rich): one table grouped by målområde, notes, and a summary line.

Every table comes in layouts from the widest to the most compact, and the first that fits
the console's real width is drawn (`layout.first_fitting`): all columns with status words,
the same with status symbols, and a compact one with one block of text per indicator.
Numbers are never cut or split in any of them. Status is shown with a symbol and a word as
well as a colour, so it reads without colour (NO_COLOR, pipes, files). All words and numbers
come from `words`; all text from Kolada or a catalogue is printed as `Text`, never as markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from strategihalsa.model import IndicatorResult, KommunPicture, UnitReport
from strategihalsa.model_side import SideBySide
from strategihalsa.render import Renderer, words, words_picture, words_time
from strategihalsa.render.layout import (
    GOAL_WIDTH,
    MIN_BLOCK,
    STATUS_STYLES,
    first_fitting,
    flow,
    last_column_width,
    words_of,
)
from strategihalsa.render.table_overview import draw_overview
from strategihalsa.render.terminal import (
    CENTER,
    LEFT,
    RIGHT,
    Column,
    status,
    two_lines,
)
from strategihalsa.vocabulary import Status

# beside a dozen figure columns the text needs more room, or it wraps every few words
WIDE_TITLE: Column = {"min_width": 36, "ratio": 1}
MAX_BLOCK = 110  # a block of text wider than this reads badly


def build_table(report: UnitReport, width: int = 160) -> tuple[Table, list[str]]:
    """The widest layout that fits `width`, and the numbered notes it refers to."""
    notes: list[str] = []
    titles = {r.indicator.id: _titled(r, notes) for area in report.areas
              for r in report.in_area(area)}
    layouts = [lambda: _wide(report, titles, short=False, changes=True),
               lambda: _wide(report, titles, short=True, changes=True),
               lambda: _wide(report, titles, short=True, changes=False),
               lambda: _medium(report, titles),
               lambda: _compact(report, titles, width)]
    return first_fitting(layouts, width), notes


def _frame(report: UnitReport) -> Table:
    return Table(title=Text(words.title(report)), caption=Text(_caption(report)),
                 title_justify="left", caption_justify="left", expand=False)


def _wide(report: UnitReport, titles: dict[str, str], short: bool, changes: bool) -> Table:
    """All columns: goal, text, KPI, figures, status, outlook, rank, comparisons (with
    their change when `changes`)."""
    table = _frame(report)
    for name, options in _wide_columns(report):
        table.add_column(name, **options)
    for area in report.areas:
        if table.row_count:
            table.add_section()
        table.add_row("", Text(area, style="bold underline"))
        for result in report.in_area(area):
            table.add_row(*_wide_cells(result, report, titles[result.indicator.id], short,
                                       changes))
    return table


def _wide_columns(report: UnitReport) -> list[tuple[str, Column]]:
    columns = [("Mål", RIGHT), ("Indikator", WIDE_TITLE), ("KPI", LEFT), ("Utgångsläge", RIGHT),
               ("Senaste", RIGHT), ("Förändring", RIGHT), ("Målvärde", RIGHT),
               ("Målnivå", RIGHT), ("Status", LEFT), ("Når målet", RIGHT),
               (f"Mot {report.run.target_year}", LEFT)]
    if _ranked(report):
        columns.append(("Rang", RIGHT))
    return columns + [(words.ROLE_HEADERS[c.role], CENTER) for c in report.compared]


def _ranked(report: UnitReport) -> bool:
    return any(r.rank for r in report.results)


def _wide_cells(result: IndicatorResult, report: UnitReport, title: str, short: bool,
                changes: bool) -> list[Any]:
    fig = result.figures
    cells: list[Any] = [words.goal_number(result.indicator), Text(title), result.indicator.kpi,
                        words.point(fig.baseline), words.point(fig.latest),
                        words.change(fig.change), words.target(result),
                        words.number(fig.target_level), status(fig, short),
                        words.reaches(result), words.outlook(result)]
    if _ranked(report):
        cells.append(words.rank(result))
    cells += [_compared_status(result, c.role, changes) for c in report.compared]
    return [cell if isinstance(cell, Text) else Text(cell) for cell in cells]


def _compared_status(result: IndicatorResult, role: Any, change: bool = False) -> Text:
    """A comparison's symbol, coloured, and with `change` its change: '✘ −0,9'."""
    comparison = result.comparison(role)
    figures = comparison.figures if comparison else None
    if not change:
        return status(figures, short=True)
    return Text(words.compared(figures), style=STATUS_STYLES[
        figures.status if figures else Status.NO_DATA])


def _medium(report: UnitReport, titles: dict[str, str]) -> Table:
    """Fewer, two-line columns: baseline over latest, change over target and target level,
    when the target is reached over the outlook; status (beside the goal) and comparisons as
    symbols."""
    table = _frame(report)
    columns: list[tuple[str, Column]]
    columns = [("Mål", RIGHT), ("", CENTER), ("Indikator", {"min_width": 20, "ratio": 1}),
               ("KPI", LEFT), ("Utgångsläge\nSenaste", RIGHT),
               ("Förändring\nMål (nivå)", RIGHT), (f"Når målet\nMot {report.run.target_year}",
                                                    RIGHT)]
    columns += [("Rang", RIGHT)] if _ranked(report) else []
    for name, options in columns + [(words.ROLE_HEADERS[c.role], CENTER)
                                    for c in report.compared]:
        table.add_column(name, **options)
    for area in report.areas:
        if table.row_count:
            table.add_section()
        table.add_row("", "", Text(area, style="bold underline"))
        for result in report.in_area(area):
            table.add_row(*_medium_cells(result, report, titles[result.indicator.id]))
    return table


def _medium_cells(result: IndicatorResult, report: UnitReport, title: str) -> list[Any]:
    fig = result.figures
    cells: list[Any] = [
        words.goal_number(result.indicator), status(fig, short=True), Text(title),
        result.indicator.kpi,
        two_lines(words.point(fig.baseline), words.point(fig.latest)),
        two_lines(words.change(fig.change), _target_and_level(result)),
        two_lines(words.reaches(result), words.outlook(result))]
    if _ranked(report):
        cells.append(words.rank(result))
    cells += [_compared_status(result, c.role) for c in report.compared]
    return [cell if isinstance(cell, Text) else Text(cell) for cell in cells]


def _target_and_level(result: IndicatorResult) -> str:
    """'+2 pe (87,6)': the target and the level it means for this unit."""
    level = result.figures.target_level
    return words.target(result) + ("" if level is None else f" ({words.number(level)})")


def _compact(report: UnitReport, titles: dict[str, str], width: int) -> Table:
    """Goal, status symbol, and one block of text per indicator, laid out for `width`."""
    block = max(last_column_width(width, [GOAL_WIDTH, 1]), MIN_BLOCK)
    table = _frame(report)
    table.add_column("Mål", justify="right", width=GOAL_WIDTH, no_wrap=True)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("Indikator och utfall", width=block)
    for area in report.areas:
        if table.row_count:
            table.add_section()
        table.add_row("", "", flow(words_of(area, "bold underline"), block))
        for result in report.in_area(area):
            text = _block(result, report, titles[result.indicator.id], block)
            table.add_row(Text(words.goal_number(result.indicator)),
                          status(result.figures, short=True), text)
    return table


def _block(result: IndicatorResult, report: UnitReport, title: str, width: int) -> Text:
    """Title (KPI), then the figures, then the comparisons: each phrase whole."""
    lines = [flow([*words_of(title), Text(f"({result.indicator.kpi})")], width),
             flow(_figure_phrases(result, report), width)]
    comparisons = [Text(f"{words.ROLE_HEADERS[c.role]} ")
                   + _compared_status(result, c.role, change=True) for c in report.compared]
    if comparisons:
        lines.append(flow(comparisons, width, gap="  "))
    return Text("\n").join(lines)


def _figure_phrases(result: IndicatorResult, report: UnitReport) -> list[Text]:
    fig = result.figures
    if not (fig.baseline and fig.latest):
        known = [f"utgångsläge {words.point(fig.baseline)};"] if fig.baseline else []
        known += [f"senaste {words.point(fig.latest)};"] if fig.latest else []
        return [Text(f"{words.status_word(fig)};", style="dim"), *map(Text, known),
                Text(f"målvärde {words.target(result)}")]
    phrases = [f"{words.point(fig.baseline)} →", f"{words.point(fig.latest)},",
               words.change_against_target(result),
               f"(målnivå {words.number(fig.target_level)});",
               f"når målet: {words.reaches(result)},",
               f"mot {report.run.target_year}: {words.outlook(result)}"]
    if result.rank:
        phrases[-1] += ";"
        phrases.append(f"rang {words.rank(result)}")
    return [Text(phrase) for phrase in phrases]


def _titled(result: IndicatorResult, notes: list[str]) -> str:
    """The goal text with what is measured, its level mark and the number of its note (all
    that is to say about the indicator, in one line)."""
    ind = result.indicator
    title = words.title_measured(ind)
    if result.region_level:
        title += f" {words.REGION_LEVEL}"
    if said := words.notes(result):
        notes.append(f"Mål {words.goal_number(ind)} ({ind.kpi}): "
                     + "; ".join(note.rstrip(". ") for note in said))
        title += f" [{len(notes)}]"
    return title


def _caption(report: UnitReport) -> str:
    rank = f"\n{words.RANK_NOTE}." if _ranked(report) else ""
    return (f"{words.years(report)}. {words.compared_with(report)}, {words.SAME_YEARS} "
            f"(symbol och förändring). 'Når målet': året målet nås i "
            f"nuvarande takt (linjär trend sedan utgångsläget; 'ej i takt' = inte inom 100 år; "
            f"? = få värden). {words.UNROUNDED} "
            f"Källa: Kolada. {words_time.data_as_of(report.run)} "
            f"{words_time.next_publications(report)}"
            f"{rank}\n{words.LEGEND}")


def draw(reports: Sequence[UnitReport], console: Console) -> None:
    """Print the reports: table, notes, gaps, summary, then a region's kommuner's picture."""
    for report in reports:
        table, notes = build_table(report, console.width)
        console.print(table)
        for n, note in enumerate(notes, 1):
            console.print(Text(f"[{n}] {note}", style="dim"))
        if any(r.indicator.survey for r in report.results):
            console.print(Text(f"{words.SURVEY_NOTE[0].upper()}{words.SURVEY_NOTE[1:]}.",
                               style="dim"))
        for goal_gap in report.goal_gaps:
            console.print(Text(words.gap_line(goal_gap)))
        console.print(Text(words.summary_line(report.summary), style="bold"))
        if any(r.picture for r in report.results):
            console.print(_pictures(report, console.width))


def _pictures(report: UnitReport, width: int) -> Table:
    """The kommuner's picture of each kommun-only key figure: the status of their mean (a
    symbol under 'Medel'), then a block: title, kommuner that met the goal, mean and change,
    spread."""
    mark = len(words_picture.PICTURE_MEAN_STATUS)
    block = min(max(last_column_width(width, [GOAL_WIDTH, mark]), MIN_BLOCK), MAX_BLOCK)
    table = Table(title=Text(words_picture.picture_heading(report)),
                  caption=Text(words_picture.PICTURE_NOTE), title_justify="left",
                  caption_justify="left")
    table.add_column("Mål", justify="right", width=GOAL_WIDTH, no_wrap=True)
    table.add_column(words_picture.PICTURE_MEAN_STATUS, justify="center", width=mark, no_wrap=True)
    table.add_column(f"Indikator och {words.PICTURE_TITLE.lower()}", width=block)
    for result in report.results:
        if result.picture:
            table.add_row(Text(words.goal_number(result.indicator)),
                          status(result.picture.mean, short=True),
                          _picture_block(result, result.picture, block))
    return table


def _picture_block(result: IndicatorResult, picture: KommunPicture, width: int) -> Text:
    """Title (KPI); who met the goal; the mean, its change and status (or why it has none);
    the spread (the mean alone, saying there are no values, when no kommun has one)."""
    title = flow([*words_of(words.title_measured(result.indicator)),
                  Text(f"({result.indicator.kpi})")], width)
    if not picture.mean:
        return Text("\n").join([title, flow(words_of(words_picture.picture_mean(picture)), width)])
    return Text("\n").join([title, flow(words_of(words_picture.picture_met(picture)), width),
                             flow(_mean_words(result, picture), width),
                             flow(words_of(words_picture.picture_spread(picture)), width)])


def _mean_words(result: IndicatorResult, picture: KommunPicture) -> list[Text]:
    """'ovägt medel av 12 av 13 kommuner: 2017: 39,0 → 2022: 35,5; −3,5 av +7 pe; ✘ ingen
    förbättring', or with why it has no status instead of the status."""
    mean = picture.mean
    if mean is None or mean.change is None:
        return words_of(words_picture.picture_mean(picture))
    unjudged = words_picture.picture_unjudged(picture)
    return [*words_of(words_picture.picture_mean(picture) + ";"),
            Text(words.change_against_target(result, mean) + ";"),
            *(words_of(unjudged) if unjudged else [status(mean)])]


def record(paint: Callable[[Console], None], width: int) -> bytes:
    """What `paint` prints, as plain UTF-8 text (for files and pipes)."""
    console = Console(record=True, width=width, no_color=True, highlight=False,
                      file=io.StringIO())
    paint(console)
    return console.export_text().encode("utf-8")


def draw_side_by_side(view: SideBySide, console: Console) -> None:
    """Print several units compared goal by goal (`side_table`)."""
    from strategihalsa.render import side_table

    side_table.draw(view, console)


RENDERER = Renderer(
    binary=False,
    many=True,
    reports=lambda reports, options: record(lambda c: draw(reports, c), options.width),
    overview=lambda overview, options: record(lambda c: draw_overview(overview, c),
                                              options.width),
    draw=draw,
    draw_overview=draw_overview,
    side_by_side=lambda view, options: record(lambda c: draw_side_by_side(view, c),
                                              options.width),
    draw_side_by_side=draw_side_by_side,
)
