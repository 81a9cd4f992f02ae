"""The SVG charts of the HTML report, drawn from hand-built models.

Expected positions are computed by hand from the figure's layout: a figure of
charts.SIZE inches (72 points each), panels at the fractions in charts.PANELS, and a y
axis spanning the data ± 12 % of its range (matplotlib's margins, as configured).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from strategihalsa.catalogue import Indicator
from strategihalsa.model import Figures, IndicatorResult, Point, Projection
from strategihalsa.model_overview import Spread
from strategihalsa.render import boxplot, chart_svg, charts, svg
from strategihalsa.units import Unit
from strategihalsa.vocabulary import Level, Role, Status

UNIT = Unit("0680", "Jönköping", "K")
HEIGHT = charts.SIZE[1] * 72  # points
WIDTH = charts.SIZE[0] * 72
HORIZONTAL = re.compile(r'<path d="M ([\d.]+) ([\d.]+) L ([\d.]+) \2"[^>]*stroke="(#\w+)"')
Y_LABEL = re.compile(r'<text x="([\d.]+)" y="[\d.]+"[^>]*text-anchor="end">([^<]*)</text>')


def figures(baseline: float, latest: float, level: float) -> Figures:
    """Figures of an increase goal judged 2017 → 2022."""
    change = latest - baseline
    return Figures(Point(2017, baseline), Point(2022, latest), change, change, change / 5,
                   Status.MET if latest >= level else Status.IMPROVING, None, level)


def gendered_result() -> IndicatorResult:
    """Total 50 → 56 (target level 55), women 40 → 44 (level 45), men 60 → 62 (level 65)."""
    indicator = Indicator("test", "Fler ska", "Område", "N00000", "increase", 5.0, "%", 2017,
                          goal=3)
    return IndicatorResult(
        indicator=indicator, kpi=None, level=Level.KOMMUN, region_level=False,
        data_unit=UNIT.id, figures=figures(50.0, 56.0, 55.0),
        by_gender={"K": figures(40.0, 44.0, 45.0), "M": figures(60.0, 62.0, 65.0)},
        series={Role.UNIT: {2017: 50.0, 2022: 56.0}},
        gender_series={"K": {2017: 40.0, 2022: 44.0}, "M": {2017: 60.0, 2022: 62.0}})


def svg_y(value: float, low: float, high: float) -> float:
    """A value's y in the SVG (points from the top) on a two-panel chart's y axis."""
    _, bottom, _, height = charts.PANELS[2][1]
    return HEIGHT * (1 - bottom - height * (value - low) / (high - low))


@pytest.fixture(scope="module")
def gendered() -> charts.Chart:
    return charts.indicator_chart(gendered_result(), UNIT, {}, 2022, "t")


def test_gender_panel_draws_each_genders_own_target_level(gendered):
    # Data and target levels span 40 (women 2017) to 65 (men's level): range 25, so
    # the shared y axis runs from 40 − 3 = 37 to 65 + 3 = 68.
    right = charts.PANELS[2][1][0] * WIDTH
    levels = {(colour, float(y)) for x, y, _, colour in HORIZONTAL.findall(gendered.svg)
              if float(x) >= right - 0.2}
    women = charts.GENDER_STYLES["K"].colour
    men = charts.GENDER_STYLES["M"].colour
    assert any(c == women and abs(y - svg_y(45, 37, 68)) < 0.15 for c, y in levels)
    assert any(c == men and abs(y - svg_y(65, 37, 68)) < 0.15 for c, y in levels)
    assert not any(abs(y - svg_y(55, 37, 68)) < 1 for _, y in levels)  # not the total's


def test_the_total_target_level_stays_in_the_comparison_panel(gendered):
    right = charts.PANELS[2][1][0] * WIDTH
    total = [(float(x), float(y)) for x, y, _, colour in HORIZONTAL.findall(gendered.svg)
             if colour == charts.TARGET_COLOUR]
    assert len(total) == 1 and total[0][0] < right
    assert abs(total[0][1] - svg_y(55, 37, 68)) < 0.15


def test_legend_names_each_target_level_with_its_number(gendered):
    labels = [k.label for k in gendered.keys]
    assert labels == ["Jönköping", "Utgångsläge 2017", "Målnivå 55,0", "Kvinnor", "Män",
                      "Målnivå kvinnor 45,0", "Målnivå män 65,0"]
    samples = {k.label: k.sample for k in gendered.keys}
    assert samples["Målnivå kvinnor 45,0"] != samples["Målnivå män 65,0"]  # not colour alone
    assert "▼" in samples["Målnivå kvinnor 45,0"] and "✚" in samples["Målnivå män 65,0"]


def test_gender_panel_has_y_axis_numbers(gendered):
    right = charts.PANELS[2][1][0] * WIDTH
    labels = Y_LABEL.findall(gendered.svg)
    left = [text for x, text in labels if float(x) < right / 2]
    beside = [text for x, text in labels if float(x) > right / 2]
    assert left and beside == left  # one shared scale, numbered on both panels


IDS = re.compile(r'(id="|#)m[0-9a-f]{10}')
DEFS = re.compile(r"<defs>.*?</defs>")


def canonical(markup: str) -> str:
    """Markup with marker ids blanked and the <defs> first (matplotlib leaves a lone
    <defs> where its marker is first used; chart_svg always puts it first)."""
    found = DEFS.search(markup)
    if found:
        head, rest = markup.replace(found[0], "", 1).split(">", 1)
        markup = f"{head}>{found[0]}{rest}"
    return IDS.sub("ID", markup)


def compared_result() -> IndicatorResult:
    """One panel: the unit 50 → 53 (short of its level 55, so a projection at +0.6 a year),
    its region, Riket and the similar kommuner 2015–2022."""
    indicator = Indicator("test", "Fler ska", "Område", "N00000", "increase", 5.0, "%", 2017,
                          goal=3)
    years = range(2015, 2023)
    return IndicatorResult(
        indicator=indicator, kpi=None, level=Level.KOMMUN, region_level=False,
        data_unit=UNIT.id, projection=Projection(0.6, 2026, 6, False),
        figures=replace(figures(50.0, 53.0, 55.0), status=Status.IMPROVING),
        series={Role.UNIT: {y: 50.0 + (y - 2017) * 0.6 for y in years},
                Role.REGION: {y: 48.0 + (y % 3) for y in years},
                Role.RIKET: {y: 51.5 for y in years},
                Role.SIMILAR: {y: 47.25 + y % 2 for y in years}})


def signed_result() -> IndicatorResult:
    """One panel around zero: −1.5 → 0.5, so the y numbers mix '−1,0', '0,0' and '0,5'
    (words of different heights and descents)."""
    result = compared_result()
    return replace(result, series={Role.UNIT: {2017: -1.5, 2019: -0.25, 2022: 0.5}},
                   projection=None, figures=figures(-1.5, 0.5, 0.0))


@pytest.mark.parametrize("result", [compared_result(), gendered_result(), signed_result()],
                         ids=["one panel", "two panels", "signed"])
def test_chart_markup_is_matplotlibs_own_drawing_of_the_figure(result):
    # chart_svg writes what matplotlib's SVG backend (through svg.markup) makes of the
    # same figure, element for element; only the ids of marker definitions differ (and
    # where a lone <defs> stands).
    compared = {Role.REGION: Unit("0006", "Region Jönköpings län", "L"),
                Role.RIKET: Unit("0000", "Riket", "L"),
                Role.SIMILAR: Unit("G1", "Liknande kommuner", "G")}
    chart = charts.indicator_chart(result, UNIT, compared, 2030, "t")
    figure = charts._canvas(2 if result.gender_series else 1)[0]
    drawn = svg.markup(figure, "t")
    assert canonical(chart.svg) == canonical(drawn)
    assert chart.svg.count("<use ") == drawn.count("<use ") >= 3 and "<text" in chart.svg


def test_texts_of_one_style_stand_where_matplotlib_puts_each():
    # A baseline is learnt per style and size of the words: 'Åg' reaches above and below
    # the font's usual line, so matplotlib's layout centres it otherwise than '80'.
    figure = charts.figure_class()(figsize=(2, 1), dpi=72)
    axes = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    for hidden in (axes.xaxis, axes.yaxis, axes.patch, figure.patch):
        hidden.set_visible(False)
    for x, words in ((0.1, "80"), (0.4, "Åg"), (0.7, "80")):
        axes.text(x, 0.5, words, va="center_baseline")
    written = chart_svg.markup(figure, "t")
    assert canonical(written) == canonical(svg.markup(figure, "t"))
    assert len(set(re.findall(r'<text x="[\d.]+" y="([\d.]+)"', written))) == 2


@pytest.mark.parametrize("draw", [
    lambda axes: axes.bar([1], [1]),
    lambda axes: axes.text(0.5, 0.5, "lodrät", rotation=90),
    lambda axes: axes.hlines([0.2, 0.8], 0, 1, colors=["red", "blue"]),
], ids=["bar", "rotated text", "lines in two colours"])
def test_chart_markup_refuses_what_it_cannot_write(draw):
    # Anything beyond the charts' lines, grid, spines and level texts is an error rather
    # than an element silently missing or misplaced.
    figure = charts.figure_class()(figsize=(1, 1))
    axes = figure.add_axes((0, 0, 1, 1))
    for hidden in (axes.xaxis, axes.yaxis, axes.patch, figure.patch):
        hidden.set_visible(False)
    draw(axes)
    with pytest.raises(TypeError, match="cannot write"):
        chart_svg.markup(figure, "t")


BOX_FILL = 'fill="#cfe0f1"'  # the box between the quartiles
USE = re.compile(r'<use [^>]*x="([\d.]+)"[^>]*fill="(#\w+)"')


def test_spread_marks_the_units_own_change_with_its_name():
    # Whiskers −2 … 6 with zero and the target (+2) inside: x runs from −2 − 0.4 to
    # 6 + 0.4 (5 % margins), so +1.5 lies (1.5 + 2.4) / 8.8 of the way along an axes that
    # starts 4 % into the figure and spans 92 % of it.
    spread = Spread(-2.0, 0.0, 1.0, 3.0, 6.0, 9)
    marked = boxplot.spread_chart(spread, 2.0, "t", own=("Jönköping", 1.5))
    expected = boxplot.SPREAD_SIZE[0] * 72 * (0.04 + 0.92 * 3.9 / 8.8)
    assert any(colour == boxplot.OWN_MARKER["color"] and abs(float(x) - expected) < 0.15
               for x, colour in USE.findall(marked))
    assert ">Jönköping +1,5</text>" in marked


def test_spread_without_a_unit_is_unchanged():
    plain = boxplot.spread_chart(Spread(-2.0, 0.0, 1.0, 3.0, 6.0, 9), 2.0, "t")
    height = boxplot.SPREAD_SIZE[1] * 72
    assert f'viewBox="0 0 {boxplot.SPREAD_SIZE[0] * 72:g} {height:g}"' in plain
    assert boxplot.OWN_MARKER["color"] not in plain and "Jönköping" not in plain


def test_a_spread_of_fewer_than_three_values_is_a_dot_per_value_without_a_box():
    # −2 … +2 with 5 % margins: x runs from −2,2 to +2,2 along an axes starting 4 % into
    # the figure and spanning 92 % of it: −2 at 0,04 + 0,92 × 0,2 / 4,4 of the width, +2
    # at 0,04 + 0,92 × 4,2 / 4,4.
    spread = Spread(-2.0, -1.0, 0.0, 1.0, 2.0, 3)
    assert BOX_FILL in boxplot.spread_chart(spread, None, "t")
    dots = boxplot.spread_chart(replace(spread, count=2), None, "t")
    width = boxplot.SPREAD_SIZE[0] * 72
    expected = [width * (0.04 + 0.92 * 0.2 / 4.4), width * (0.04 + 0.92 * 4.2 / 4.4)]
    drawn = [float(x) for x, colour in USE.findall(dots) if colour == "#0b4f8a"]
    assert BOX_FILL not in dots and drawn == pytest.approx(expected, abs=0.15)


@pytest.mark.parametrize("name", ["Jönköping", "Habo", "Region Jönköpings län"])
def test_a_units_name_stands_where_matplotlib_puts_it(name):
    # The name's baseline is learnt once per font and size of the words (descenders
    # differ: 'g' and 'p' in Jönköping, none in Habo): each lands where matplotlib's own
    # drawing of the same text puts it.
    marked = boxplot.spread_chart(Spread(-2.0, 0.0, 1.0, 3.0, 6.0, 9), 2.0, "t", own=(name, 1.5))
    label = boxplot._canvas(True).label
    drawn = svg.serialise(svg.drawn(label.figure, "t", [label]))
    place = re.compile(rf'<text x="([\d.]+)" y="([\d.]+)"[^>]*>{name} \+1,5</text>')
    assert place.search(marked).groups() == place.search(drawn).groups()
