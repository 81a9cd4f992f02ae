"""Output formats. Each module renders `UnitReport`s one way: table (rich), json, csv, xlsx."""

from enum import StrEnum


class Format(StrEnum):
    """The output formats of `sfh report`."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


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
