"""JSON output, schemas `sfh.report/1`, `sfh.overview/1` and `sfh.side_by_side/1`
(documented in README.md). Values are unrounded; comparisons are keyed by unit id and say
their role."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from strategihalsa.model import (
    REPORT_SCHEMA,
    Comparison,
    Extreme,
    Figures,
    Gap,
    IndicatorResult,
    KommunPicture,
    RunInfo,
    Summary,
    UnitReport,
)
from strategihalsa.model_overview import OVERVIEW_SCHEMA, Overview
from strategihalsa.model_side import SIDE_BY_SIDE_SCHEMA, GoalRow, SideBySide
from strategihalsa.render import Options, Renderer, words, words_reason
from strategihalsa.units import Unit

BETTER = {"increase": "higher", "decrease": "lower"}  # which way the key figure improves
COMPARISON_FIELDS = ("baseline", "latest", "change", "improvement", "status", "reason",
                     "reason_code", "missing_status")
MEAN_FIELDS = ("baseline", "latest", "change", "improvement", "progress", "status",
               "target_level")
KOMMUN_FIELDS = ("baseline", "latest", "change", "improvement", "status", "reason_code")


def figures_dict(figures: Figures) -> dict[str, Any]:
    """Baseline, latest, change, improvement, progress, status, reason (words, its code and
    Kolada's status on the missing value), target level, flags."""
    data = asdict(figures)
    data["flags"] = list(figures.flags)
    data["reason"] = words_reason.reason(figures.reason)
    data["reason_code"] = figures.reason.code if figures.reason else None
    data["missing_status"] = figures.reason.kolada if figures.reason else None
    return data


def gap_dict(gap: Gap) -> dict[str, Any]:
    """Women − men at baseline and follow-up, the change, and whether it narrowed."""
    return {"baseline": gap.baseline, "latest": gap.latest, "change": gap.change,
            "narrowed": gap.narrowed}


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """A comparison's main figures, its role and (for a group) its coverage."""
    figures = figures_dict(comparison.figures)
    data = {k: figures[k] for k in COMPARISON_FIELDS}
    data["role"] = comparison.role
    data["years"] = ({"baseline": comparison.years[0], "latest": comparison.years[1]}
                     if comparison.years else None)
    if comparison.coverage:
        data["coverage"] = asdict(comparison.coverage)
    return data


def picture_dict(picture: KommunPicture) -> dict[str, Any]:
    """A region report's "kommunernas bild" of a kommun-only key figure: the kommuner's
    mean (population-weighted or unweighted, judged like a unit), spread, who met the goal,
    and every kommun."""
    mean = figures_dict(picture.mean) if picture.mean else None
    return {
        "label": words.PICTURE_TITLE.lower(), "weighting": picture.weighting,
        "kommuner": len(picture.kommuner), "averaged": picture.averaged,
        "mean": {k: mean[k] for k in MEAN_FIELDS} if mean else None,
        "spread": {"year": picture.year, "with_value": len(picture.in_year),
                   "lowest": _extreme(picture.lowest), "highest": _extreme(picture.highest)}
        if picture.lowest else None,
        "met": {"count": len(picture.met), "judged": picture.judged,
                "units": [_unit(u) for u in picture.met]},
        "units": [{**_unit(k.unit), **{f: figures_dict(k.figures)[f] for f in KOMMUN_FIELDS}}
                  for k in picture.kommuner],
    }


def _unit(unit: Unit) -> dict[str, str]:
    return {"id": unit.id, "title": unit.title}


def _extreme(extreme: Extreme | None) -> dict[str, Any] | None:
    return {"value": extreme.value, "units": [_unit(u) for u in extreme.units]} \
        if extreme else None


def indicator_dict(result: IndicatorResult) -> dict[str, Any]:
    """One entry of `indicators`; a region's kommun-only key figures also `kommuner`."""
    ind = result.indicator
    by_gender: dict[str, Any] = {g: figures_dict(f) for g, f in result.by_gender.items()}
    if result.gender_gap:
        by_gender["gap"] = gap_dict(result.gender_gap)
    return {
        "id": ind.id, "goal": ind.goal, "title": ind.title, "area": ind.area, "kpi": ind.kpi,
        "kpi_title": result.kpi.title if result.kpi else None,
        "next_publication": result.kpi.publication_date or None if result.kpi else None,
        "direction": ind.direction,
        "target": ind.target, "unit": ind.unit, "level": result.level,
        "measure": ind.measure, "survey": ind.survey, **figures_dict(result.figures),
        "outlook": result.outlook, "outlook_reason": words_reason.outlook_reason(result),
        "better": BETTER[ind.direction],
        "projection": asdict(result.projection) if result.projection else None,
        "rank": asdict(result.rank) if result.rank else None,
        "by_gender": by_gender,
        "comparisons": {c.unit.id: comparison_dict(c) for c in result.comparisons},
        **({"kommuner": picture_dict(result.picture)} if result.picture else {}),
    }


def header(schema: str, run: RunInfo) -> dict[str, Any]:
    """The keys every JSON output starts with."""
    return {"schema": schema, "generated_at": run.generated_at, "source": "Kolada",
            "api_url": run.api_url, "data_fetched_at": run.data_fetched_at,
            "data_source": run.data_source}


def summary_dict(summary: Summary) -> dict[str, int]:
    """Counts per status and how many indicators had data."""
    return {**{str(s): n for s, n in summary.counts.items()}, "with_data": summary.with_data}


def report_dict(report: UnitReport) -> dict[str, Any]:
    """The whole report as plain data."""
    unit, run = report.unit, report.run
    return {
        **header(REPORT_SCHEMA, run),
        "unit": {"id": unit.id, "title": unit.title, "type": unit.type},
        "baseline_year": run.baseline_year,
        "follow_up_year": run.follow_up_year,
        "target_year": run.target_year,
        "comparison_units": [{"id": c.unit.id, "title": c.unit.title, "kind": c.unit.kind,
                              "role": c.role} for c in report.compared],
        "indicators": [indicator_dict(r) for r in report.results],
        "gaps": [{"goal": g.goal, "women": g.women.indicator.id, "men": g.men.indicator.id,
                  **gap_dict(g.gap), "status": g.gap.status} for g in report.goal_gaps],
        "summary": summary_dict(report.summary),
    }


def overview_dict(overview: Overview) -> dict[str, Any]:
    """The overview as plain data (schema `sfh.overview/1`)."""
    run = overview.run
    return {
        **header(OVERVIEW_SCHEMA, run),
        "scope": {"title": overview.scope, "kommuner": overview.unit_count},
        "baseline_year": run.baseline_year,
        "follow_up_year": run.follow_up_year,
        "target_year": run.target_year,
        "indicators": [
            {"id": s.indicator.id, "goal": s.indicator.goal, "title": s.indicator.title,
             "kpi": s.indicator.kpi, "kpi_title": s.kpi.title if s.kpi else None,
             "direction": s.indicator.direction, "better": BETTER[s.indicator.direction],
             "target": s.indicator.target,
             "level": s.level, "riket": _riket(s.riket),
             "units": {str(k): n for k, n in s.counts.items()},
             "change": asdict(s.change) if s.change else None}
            for s in overview.indicators
        ],
    }


def side_by_side_dict(view: SideBySide) -> dict[str, Any]:
    """Several units compared (schema `sfh.side_by_side/1`): per goal each unit's main
    figures, then each unit's whole report as `sfh.report/1` has it."""
    run = view.run
    return {
        **header(SIDE_BY_SIDE_SCHEMA, run),
        "units": [{"id": u.id, "title": u.title, "type": u.type} for u in view.units],
        "baseline_year": run.baseline_year,
        "follow_up_year": run.follow_up_year,
        "target_year": run.target_year,
        "goals": [goal_row_dict(row, view) for row in view.rows],
        "reports": [report_dict(report) for report in view.reports],
    }


def goal_row_dict(row: GoalRow, view: SideBySide) -> dict[str, Any]:
    """One goal: what it asks for, and each unit's figures keyed by unit id."""
    ind = row.indicator
    return {"id": ind.id, "goal": ind.goal, "title": ind.title, "kpi": ind.kpi,
            "direction": ind.direction, "better": BETTER[ind.direction],
            "target": ind.target, "unit": ind.unit,
            "units": {unit.id: _side_figures(result)
                      for unit, result in zip(view.units, row.results, strict=True)}}


def _side_figures(result: IndicatorResult) -> dict[str, Any]:
    figures = figures_dict(result.figures)
    return {**{k: figures[k] for k in COMPARISON_FIELDS}, "level": result.level,
            "outlook": result.outlook}


def _riket(figures: Figures) -> dict[str, Any]:
    data = figures_dict(figures)
    return {k: data[k] for k in ("status", "baseline", "latest", "change")}


def dumps(data: Any) -> bytes:
    """Pretty-printed UTF-8 JSON with a final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_reports(reports: Sequence[UnitReport], options: Options) -> bytes:
    """One report as an object; several as an array of them."""
    if len(reports) == 1:
        return dumps(report_dict(reports[0]))
    return dumps([report_dict(r) for r in reports])


RENDERER = Renderer(
    binary=False,
    many=False,
    reports=render_reports,
    overview=lambda overview, options: dumps(overview_dict(overview)),
    side_by_side=lambda view, options: dumps(side_by_side_dict(view)),
)
