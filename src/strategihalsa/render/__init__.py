"""Output formats. Each module renders `UnitReport`s one way: table (rich), json, csv, xlsx."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from strategihalsa.overview import Overview
    from strategihalsa.report import UnitReport


class Format(StrEnum):
    """The output formats of `sfh report`."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


EXTENSIONS = {Format.table: "txt", Format.json: "json", Format.csv: "csv", Format.xlsx: "xlsx"}
STATUS_LABELS = {
    "met": "uppnått",
    "improving": "på väg",
    "not_improving": "ingen förbättring",
    "no_data": "saknar data",
}
STATUS_SYMBOLS = {"met": "✔", "improving": "↗", "not_improving": "✘", "no_data": "–"}


def summary_line(summary: dict[str, int]) -> str:
    """'7 av 23 indikatorer uppnådda, 5 på väg, ...' in Swedish."""
    total = sum(summary.values())
    return (f"{summary['met']} av {total} indikatorer uppnådda, {summary['improving']} på väg, "
            f"{summary['not_improving']} utan förbättring, {summary['no_data']} saknar data")


def render_file(reports: list[UnitReport], output_format: Format) -> bytes:
    """The content of one output file holding these reports (xlsx and json: one report)."""
    if output_format is Format.xlsx:
        from strategihalsa.render import xlsx

        return xlsx.render(reports[0])
    if output_format is Format.json:
        from strategihalsa.render import json

        text = json.render(reports[0])
    elif output_format is Format.csv:
        from strategihalsa.render import csv

        text = csv.render(reports)
    else:
        from strategihalsa.render import table

        text = table.plain_text(reports)
    return text.encode("utf-8")


def render_overview_file(overview: Overview, output_format: Format) -> bytes:
    """The content of an overview file in the given format."""
    if output_format is Format.xlsx:
        from strategihalsa.render import xlsx

        return xlsx.render_overview(overview)
    if output_format is Format.json:
        from strategihalsa.render import json

        return json.render_overview(overview).encode("utf-8")
    if output_format is Format.csv:
        from strategihalsa.render import csv

        return csv.render_overview(overview).encode("utf-8")
    from strategihalsa.render import table

    return table.record(lambda console: table.render_overview(overview, console)).encode()
