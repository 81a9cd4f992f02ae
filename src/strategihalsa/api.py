"""The Python API: evaluated goals as typed objects, DataFrames and files, for notebooks.

    import strategihalsa as sfh

    reports = sfh.report("0680")              # Jönköping; also region=, lan=, all_units=True
    neighbours = sfh.report(["0680", "0683"])  # several side by side (also "0680,0683")
    frame = reports.to_polars()               # one row per unit and indicator
    reports.write("jonkoping.xlsx")           # any format of the renderer registry
    national = sfh.overview(lan="06")
    sfh.sync()                                # a snapshot of Kolada into the local store
    found = sfh.changes()                     # what changed since the previous snapshot

Settings are keyword arguments with the command line's defaults and, like the command line,
the SFH_* environment variables (SFH_KOLADA_URL, SFH_CACHE_DIR, SFH_OFFLINE, SFH_CATALOGUE,
SFH_LIKNANDE, SFH_TIMEOUT, SFH_RETRIES, SFH_BACKOFF, SFH_MAX_AGE) when an argument is not
given. Data comes from the local store (`sfh sync`) when it is fresh, as on the command line.
Failures are the typed exceptions of `strategihalsa.errors` (`UsageError`,
`CatalogueError`, `KoladaError`, `OutputError`), whose messages name these arguments.
Every function here is a thin call of the library's front door (`run`), the same one the
command line uses.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from strategihalsa.errors import UsageError
from strategihalsa.settings import (
    DEFAULT_API_URL,
    DEFAULT_BACKOFF,
    DEFAULT_FAMILY,
    DEFAULT_MAX_AGE,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    ENVIRONMENT,
)
from strategihalsa.store import DEFAULT_KEEP, DEFAULT_TOLERANCE

if TYPE_CHECKING:
    import polars as pl

    from strategihalsa.catalogue import Catalogue
    from strategihalsa.model import UnitReport
    from strategihalsa.model_overview import Overview
    from strategihalsa.model_side import SideBySide
    from strategihalsa.render import Options
    from strategihalsa.run import Source
    from strategihalsa.settings import ClientSettings
    from strategihalsa.store.changes import Changes
    from strategihalsa.units import UnitNames


def _env(argument: str, default: Any, kind: Any = str) -> Any:
    """The argument's SFH_* environment variable (settings.ENVIRONMENT) as `kind`, or
    `default` when unset."""
    name = ENVIRONMENT[argument]
    value = os.environ.get(name)
    if value is None:
        return default
    if kind is bool:
        return value.strip().lower() in ("1", "true", "yes", "on")
    try:
        return kind(value)
    except ValueError:
        raise UsageError(f"{name}={value!r} is not a {kind.__name__}") from None


@dataclass(frozen=True)
class Connection:
    """How to reach Kolada: the command line's connection options as arguments."""

    api_url: str = field(default_factory=lambda: _env("api_url", DEFAULT_API_URL))
    timeout: float = field(default_factory=lambda: _env("timeout", DEFAULT_TIMEOUT, float))
    retries: int = field(default_factory=lambda: _env("retries", DEFAULT_RETRIES, int))
    backoff: float = field(default_factory=lambda: _env("backoff", DEFAULT_BACKOFF, float))
    cache: bool | str | Path = field(default_factory=lambda: _env("cache", True))
    refresh: bool = False
    offline: bool = field(default_factory=lambda: _env("offline", False, bool))

    max_age: str = field(default_factory=lambda: _env("max_age", DEFAULT_MAX_AGE))

    def settings(self) -> ClientSettings:
        """The checked client settings; `cache` True is the user cache folder."""
        from strategihalsa.settings import ClientSettings, default_cache_dir

        folder = None if self.cache is False else (
            default_cache_dir() if self.cache is True else Path(self.cache))
        return ClientSettings(
            api_url=self.api_url, timeout=self.timeout, retries=self.retries,
            backoff=self.backoff, cache_dir=folder, refresh=self.refresh,
            offline=self.offline)

    def source(self, catalogue: Catalogue, family: str | None) -> Source:
        """Where the data comes from: the local store when it serves the run, else Kolada
        (the same decision as the command line's)."""
        from strategihalsa.source import Need, choose, parse_age

        return choose(self.settings(), Need(catalogue, family, parse_age(self.max_age)))


@dataclass(frozen=True)
class Reports(Sequence["UnitReport"]):
    """The reports of one run (one per unit), with the conversions a notebook wants; for
    several units named side by side, `side_by_side` is their comparison, which `render`
    and `write` give as one file in every format."""

    units: tuple[UnitReport, ...]
    side_by_side: SideBySide | None = None

    @overload
    def __getitem__(self, index: int) -> UnitReport: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[UnitReport]: ...

    def __getitem__(self, index: int | slice) -> UnitReport | Sequence[UnitReport]:
        return self.units[index]

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[UnitReport]:
        return iter(self.units)

    def to_dicts(self) -> list[dict[str, Any]]:
        """Each report as the plain data of `--format json` (schema sfh.report/1)."""
        from strategihalsa.render.json import report_dict

        return [report_dict(report) for report in self.units]

    def to_polars(self) -> pl.DataFrame:
        """One row per unit and indicator, the columns of `--format csv`."""
        import polars as pl

        from strategihalsa.render.csv import COLUMNS, row

        rows = [row(report, result) for report in self.units for result in report.results]
        return pl.DataFrame([{c: r.get(c) for c in COLUMNS} for r in rows],
                            infer_schema_length=None)

    def render(self, output_format: str, options: Options | None = None) -> bytes:
        """The bytes of one file in a format of the renderer registry (json, csv, html,
        xlsx, pdf, table): several units side by side in one, else a format holding one
        unit per file needs a single report."""
        from strategihalsa.render import Options, renderer

        chosen = renderer(output_format)
        if self.side_by_side and chosen.side_by_side:
            return chosen.side_by_side(self.side_by_side, options or Options())
        if not chosen.many and len(self.units) != 1:
            raise UsageError(f"output_format {output_format!r} holds one unit per file: "
                             "write() the reports to a folder instead")
        return chosen.reports(self.units, options or Options())

    def to_html(self) -> str:
        """The HTML report page (a single report, or several side by side)."""
        return self.render("html").decode("utf-8")

    def to_xlsx(self, path: str | Path) -> Path:
        """Write the workbook of a single report (or several side by side) to `path`
        (atomically)."""
        return self.write(path, "xlsx")

    def write(self, path: str | Path, output_format: str | None = None) -> Path:
        """Write to a file (the format from `output_format` or the file's extension) or, for
        several reports of a one-unit-per-file format, one file per unit into the folder
        `path`; returns the path written."""
        from strategihalsa.delivery import write_batch, write_file
        from strategihalsa.render import Options, format_of, renderer

        target = Path(path)
        chosen = output_format or format_of(target)
        if chosen is None:
            raise UsageError(f"cannot tell the format of {target.name!r}: give output_format")
        if len(self.units) > 1 and not renderer(chosen).many and not self.side_by_side:
            write_batch(self.units, chosen, Options(), target)
        else:
            write_file(target, self.render(chosen))
        return target


@dataclass(frozen=True)
class OverviewResult:
    """`sfh overview` as an object: the typed model and its conversions."""

    model: Overview

    def to_dicts(self) -> list[dict[str, Any]]:
        """One dict per indicator, as in `--format json` (schema sfh.overview/1)."""
        from strategihalsa.render.json import overview_dict

        return list(overview_dict(self.model)["indicators"])

    def to_polars(self) -> pl.DataFrame:
        """The kommun × indicator statuses (one row per kommun and indicator) with each
        kommun's change."""
        import polars as pl

        rows = [{"unit_id": r.unit.id, "unit_title": r.unit.title, "indicator": r.indicator.id,
                 "goal": r.indicator.goal, "kpi": r.indicator.kpi, "rank": r.rank,
                 "change": r.change, "improvement": r.improvement, "status": str(r.status)}
                for r in self.model.ranking]
        return pl.DataFrame(rows, infer_schema_length=None)

    def render(self, output_format: str) -> bytes:
        """The overview in a format of the renderer registry that has one."""
        from strategihalsa.render import Options, renderer

        chosen = renderer(output_format)
        if chosen.overview is None:
            raise UsageError(f"output_format {output_format!r} has no overview")
        return chosen.overview(self.model, Options())

    def write(self, path: str | Path, output_format: str | None = None) -> Path:
        """Write the overview to a file (format from the extension unless given)."""
        from strategihalsa.delivery import write_file
        from strategihalsa.render import format_of

        target = Path(path)
        write_file(target, self.render(output_format or format_of(target) or "json"))
        return target


def report(kommun: UnitNames = None, *, region: UnitNames = None, lan: str | None = None,
           all_units: bool = False, baseline: int | None = None, year: int | None = None,
           goals: Sequence[int] | None = None, liknande: str | None = None,
           rank: bool = False, catalogue: str | Path | None = None,
           **connection: Any) -> Reports:
    """Evaluate the catalogue for a kommun (code or name), a region, a län or all units;
    several kommuner and regions (a list, or codes separated by commas) are compared side
    by side (at most 12).

    `liknande` names the family of similar kommuner ('ingen' for none); `goals` keeps only
    these goal numbers; `connection` takes api_url, timeout, retries, backoff, cache (True,
    False or a folder), refresh and offline."""
    from strategihalsa.catalogue import load_catalogue, parse_goals
    from strategihalsa.run import build_reports, side_by_side
    from strategihalsa.settings import Comparisons, Period, similar_family
    from strategihalsa.units import Selection

    chosen = parse_goals(",".join(map(str, goals))) if goals is not None else None
    selection = Selection(kommun, region, lan, all_units)
    period, loaded = Period(baseline, year), load_catalogue(_path(catalogue))
    period.check_follow_up(min(i.baseline_year for i in loaded.indicators))
    family = similar_family(liknande or _env("liknande", DEFAULT_FAMILY))
    comparisons = Comparisons(family, rank or all_units)
    built = build_reports(Connection(**connection).source(loaded, family), loaded, selection,
                          period, comparisons)
    reports = tuple(r.only_goals(chosen) for r in built)
    return Reports(reports, side_by_side(selection, reports))


def overview(lan: str | None = None, *, kommun: str | None = None, baseline: int | None = None,
             year: int | None = None, catalogue: str | Path | None = None, **connection: Any
             ) -> OverviewResult:
    """The national picture per indicator (or one län's kommuner), as `sfh overview`;
    `kommun` is marked on the maps and spread charts of its HTML and PDF."""
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.run import build_overview
    from strategihalsa.settings import Period

    period, loaded = Period(baseline, year), load_catalogue(_path(catalogue))
    period.check_follow_up(min(i.baseline_year for i in loaded.indicators))
    source = Connection(**connection).source(loaded, None)
    return OverviewResult(build_overview(source, loaded, lan, period, kommun))


def sync(*, catalogue: str | Path | None = None, liknande: str | None = None,
         keep: int = DEFAULT_KEEP, **connection: Any) -> Path:
    """Fetch the catalogue's key figures for every unit (and the similar kommuner of the
    families in `liknande`, comma-separated, 'ingen' for none) into the local store of the
    cache folder, as `sfh sync`; returns the new snapshot's folder."""
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.store import jobs

    client = jobs.sync_client(Connection(**connection).settings())
    chosen = jobs.families(liknande or _env("liknande", DEFAULT_FAMILY))
    return jobs.sync(client, load_catalogue(_path(catalogue)), chosen, keep)[0]


@dataclass(frozen=True)
class ChangesResult:
    """`sfh changes` as an object: the typed changes and their conversions."""

    model: Changes

    @property
    def changed(self) -> bool:
        """Whether anything changed (the command line's exit 6)."""
        return self.model.any

    def to_dict(self) -> dict[str, Any]:
        """The plain data of `sfh changes --format json` (schema sfh.changes/1)."""
        from strategihalsa.store.describe import as_data

        return as_data(self.model)

    def to_text(self) -> str:
        """The Swedish text of `sfh changes`."""
        from strategihalsa.store.describe import as_text

        return as_text(self.model)


def changes(*, since: str | date | None = None, tolerance: float = DEFAULT_TOLERANCE,
            kommun: str | None = None, lan: str | None = None,
            catalogue: str | Path | None = None, cache: str | Path | None = None
            ) -> ChangesResult | None:
    """What changed in Kolada between the newest snapshot of the store and the previous one
    (or the newest fetched before the day `since`), with the goals of one kommun, one län or
    every unit; None when the store holds a single snapshot. `cache` is the cache folder
    holding the store (default: SFH_CACHE_DIR, else the user cache folder)."""
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.store import jobs
    from strategihalsa.units import Selection

    folder = (Connection() if cache is None else Connection(cache=cache)).settings().cache_dir
    if folder is None:
        raise UsageError("changes reads the store in the cache folder: it cannot be off")
    selection = Selection(kommun=kommun, lan=lan, all_units=not (kommun or lan))
    found = jobs.changes(folder, load_catalogue(_path(catalogue)), selection,
                         jobs.since_date(since), tolerance)
    return None if found is None else ChangesResult(found)


def _path(catalogue: str | Path | None) -> Path | None:
    """The catalogue given, else SFH_CATALOGUE, else None (the built-in one)."""
    chosen = catalogue if catalogue is not None else _env("catalogue", None)
    return None if chosen is None else Path(chosen)
