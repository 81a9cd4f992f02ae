"""JSON output, schema `sfh.report/1` (documented in README.md). Values are unrounded."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from strategihalsa.overview import OVERVIEW_SCHEMA, Overview
from strategihalsa.report import SCHEMA, Figures, Gap, IndicatorResult, UnitReport

COMPARISON_FIELDS = ("baseline", "latest", "change", "improvement", "status")


def figures_dict(figures: Figures) -> dict[str, Any]:
    """Baseline, latest, change, improvement, progress, status and reason."""
    return asdict(figures)


def gap_dict(gap: Gap) -> dict[str, Any]:
    """Women − men at baseline and follow-up, the change, and whether it narrowed."""
    return {"baseline": gap.baseline, "latest": gap.latest, "change": gap.change,
            "narrowed": gap.narrowed}


def indicator_dict(result: IndicatorResult) -> dict[str, Any]:
    """One entry of `indicators`."""
    ind = result.indicator
    main = figures_dict(result.figures)
    by_gender: dict[str, Any] = {g: figures_dict(f) for g, f in result.by_gender.items()}
    if result.gender_gap:
        by_gender["gap"] = gap_dict(result.gender_gap)
    return {
        "id": ind.id, "goal": ind.goal, "title": ind.title, "area": ind.area, "kpi": ind.kpi,
        "kpi_title": result.kpi_title, "direction": ind.direction, "target": ind.target,
        "unit": ind.unit, "level": result.level, **main,
        "projection": asdict(result.projection) if result.projection else None,
        "rank": asdict(result.rank) if result.rank else None,
        "by_gender": by_gender,
        "comparisons": {
            unit_id: {k: v for k, v in figures_dict(f).items() if k in COMPARISON_FIELDS}
            for unit_id, f in result.comparisons.items()
        },
    }


def header(schema: str, generated_at: str, api_url: str) -> dict[str, Any]:
    """The keys every JSON output starts with."""
    return {"schema": schema, "generated_at": generated_at, "source": "Kolada",
            "api_url": api_url}


def report_dict(report: UnitReport) -> dict[str, Any]:
    """The whole report as plain data."""
    unit = report.unit
    return {
        **header(SCHEMA, report.generated_at, report.api_url),
        "unit": {"id": unit.id, "title": unit.title, "type": unit.type},
        "baseline_year": report.baseline_year,
        "target_year": report.target_year,
        "comparison_units": [{"id": u.id, "title": u.title, "kind": u.kind}
                             for u in report.comparison_units],
        "indicators": [indicator_dict(r) for r in report.results],
        "gaps": [{"goal": g.goal, "women": g.women.indicator.id, "men": g.men.indicator.id,
                  **gap_dict(g.gap), "status": g.gap.status} for g in report.goal_gaps],
        "summary": report.summary,
    }


def render(report: UnitReport) -> str:
    """The report as pretty-printed UTF-8 JSON text."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


def overview_dict(overview: Overview) -> dict[str, Any]:
    """The overview as plain data (schema `sfh.overview/1`)."""
    ctx = overview.context
    return {
        **header(OVERVIEW_SCHEMA, ctx.generated_at, ctx.api_url),
        "scope": {"title": overview.scope, "kommuner": overview.unit_count},
        "baseline_year": ctx.baseline_year,
        "target_year": ctx.catalogue.target_year,
        "indicators": [
            {"id": s.indicator.id, "goal": s.indicator.goal, "title": s.indicator.title,
             "kpi": s.indicator.kpi, "kpi_title": s.kpi_title,
             "direction": s.indicator.direction, "target": s.indicator.target,
             "level": s.level, "riket": s.riket, "units": s.counts, "change": s.change}
            for s in overview.indicators
        ],
    }


def render_overview(overview: Overview) -> str:
    """The overview as pretty-printed UTF-8 JSON text."""
    return json.dumps(overview_dict(overview), ensure_ascii=False, indent=2) + "\n"
