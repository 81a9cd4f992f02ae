"""The inspection commands: what the catalogue holds, which units and KPIs Kolada has, a
catalogue check, a local copy of the catalogue, the JSON Schemas, and the cache."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import click

from strategihalsa.cli.app import (
    CACHE_DIR,
    CATALOGUE,
    Connection,
    connected,
    error,
    exit_codes,
    say,
)
from strategihalsa.cli.process import out, stdout_console, writing_stdout
from strategihalsa.errors import ExitCode, UsageError


class ListFormat(StrEnum):
    """Output formats of the inspection commands."""

    table = "table"
    json = "json"


LIST_FORMAT = click.option("--format", "-f", "output_format", type=click.Choice(ListFormat),
                           default=ListFormat.table, help="Output format.")


def show(output_format: ListFormat, title: str, columns: list[str], rows: list[dict[str, Any]],
         table_rows: list[list[Any]] | None = None) -> None:
    """Rows as a JSON array (raw values), or as a table in words (`table_rows`, default the
    rows' values) laid out for the terminal's width."""
    if output_format is ListFormat.json:
        out(json_text(rows))
        return
    from strategihalsa.render.layout import listing

    console = stdout_console()
    cells = table_rows if table_rows is not None else [list(r.values()) for r in rows]
    with writing_stdout():
        console.print(listing(title, columns, cells, console.width))


def json_text(data: Any) -> str:
    """Pretty JSON, UTF-8 as is."""
    return json.dumps(data, ensure_ascii=False, indent=2)


@click.command()
@CATALOGUE
@LIST_FORMAT
def indicators(catalogue: Path | None, output_format: ListFormat) -> None:
    """List the catalogue as loaded: goal, id, KPI, direction, target, baseline year, area.

    \b
    Examples:
      sfh indicators
      sfh indicators --catalogue min-kommun.toml --format json
    """
    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.render import words

    with exit_codes():
        loaded = load_catalogue(catalogue)
        rows = [{"goal": i.goal, "id": i.id, "kpi": i.kpi, "direction": i.direction,
                 "target": i.target, "unit": i.unit, "baseline_year": i.baseline_year,
                 "area": i.area, "title": i.title} for i in loaded.indicators]
        table = [[words.goal_number(i), i.id, i.kpi, words.DIRECTION_LABELS[i.direction],
                  words.amount(i.target), i.unit, i.baseline_year, i.area]
                 for i in loaded.indicators]
        show(output_format, f"{loaded.name} – {loaded.source}",
             ["Mål", "Id", "KPI", "Riktning", "Målvärde", "Enhet", "Basår", "Målområde"], rows,
             table)


@click.command()
@click.argument("search", required=False)
@LIST_FORMAT
@connected
def kommuner(connection: Connection, search: str | None, output_format: ListFormat) -> None:
    """List kommuner and regions with their codes, län and type.

    SEARCH, if given, is part of a name or code; case and accents are ignored.

    \b
    Examples:
      sfh kommuner
      sfh kommuner jönk
      sfh kommuner 06 --format json
    """
    from strategihalsa.units import Units

    with exit_codes():
        client = connection.client()
        units = Units(client.municipalities())
        rows = [{"id": u.id, "title": u.title, "type": u.kind, "lan": u.lan}
                for u in units.search(search)]
        if not rows:
            raise UsageError(f"no kommun or region matches {search!r}")
        show(output_format, "Kommuner och regioner", ["Kod", "Namn", "Typ", "Län"], rows)


@click.command()
@click.argument("kpi_id", metavar="KPI")
@LIST_FORMAT
@connected
def kpi(connection: Connection, kpi_id: str, output_format: ListFormat) -> None:
    """Show Kolada's metadata for a KPI and Riket's values in its five latest years.

    KPI is a Kolada KPI id, e.g. N15428.

    \b
    Example:
      sfh kpi N15428
    """
    from dataclasses import asdict

    from strategihalsa.catalogue import KPI_ID

    with exit_codes():
        client = connection.client()
        kpi_id = kpi_id.strip().upper()
        if not KPI_ID.match(kpi_id):
            raise UsageError(f"{kpi_id!r} is not a Kolada KPI id (a letter and five digits)")
        found = client.kpis([kpi_id])
        if not found:
            raise UsageError(f"Kolada has no KPI {kpi_id} (retired or mistyped)")
        from strategihalsa.run import riket_values

        meta, riket = asdict(found[0]), riket_values(client, kpi_id)
        if output_format is ListFormat.json:
            out(json_text({**meta, "riket": riket}))
            return
        show_kpi(found[0], riket)


def show_kpi(meta: Any, riket: list[dict[str, Any]]) -> None:
    """A KPI's metadata and Riket's values, in words."""
    from datetime import date

    from strategihalsa.render import words, words_time

    today = date.today().isoformat()
    fields = [["Beskrivning", meta.description or "–"],
              ["Redovisas för", words.KPI_LEVELS.get(meta.municipality_type,
                                                     meta.municipality_type or "–")],
              ["Uppdelat på kön", words.YES_NO[meta.is_divided_by_gender]],
              ["Nästa publicering", words_time.publication_day(meta.publication_date, today)]]
    show(ListFormat.table, f"{meta.id}: {meta.title}", ["Uppgift", "Värde"], [], fields)
    if not riket:
        out(f"Riket: Kolada har inga värden för {meta.id}.")
        return
    show(ListFormat.table, "Riket, senaste åren", ["År", "Kön", "Värde"], [],
         [[r["year"], words.GENDER_LABELS.get(r["gender"], r["gender"]),
           words.number(r["value"])] for r in riket])


@click.command()
@CATALOGUE
@click.option("--strict", is_flag=True, help="Fail (exit 3) on warnings too.")
@LIST_FORMAT
@connected
def check(connection: Connection, catalogue: Path | None, strict: bool,
          output_format: ListFormat) -> None:
    """Check a catalogue against Kolada: KPIs exist, are not retired, have the right level.

    Exit 0 when clean (warnings allowed unless --strict), 3 on errors.

    \b
    Examples:
      sfh check
      sfh check --catalogue min-kommun.toml --strict
    """
    from dataclasses import asdict

    from strategihalsa.catalogue import load_catalogue
    from strategihalsa.check import check_catalogue
    from strategihalsa.render import words

    with exit_codes():
        client = connection.client()
        loaded = load_catalogue(catalogue)
        findings = check_catalogue(loaded, client.kpis(loaded.kpis))
        show(output_format, f"Kontroll av {loaded.source}",
             ["Nivå", "Indikator", "KPI", "Problem"], [asdict(f) for f in findings],
             [[words.SEVERITY_LABELS[f.severity], f.indicator, f.kpi, f.message]
              for f in findings])
        errors = sum(f.severity == "error" for f in findings)
        warnings = len(findings) - errors
        if loaded.missing_goals:
            say("the catalogue leaves out strategy goal(s) "
                + ", ".join(map(str, loaded.missing_goals)) + " (information, not an error)")
        error(f"{errors} error(s), {warnings} warning(s) in {len(loaded.indicators)} indicators")
        if errors or (strict and warnings):
            raise click.exceptions.Exit(ExitCode.CATALOGUE)


@click.command("init-catalogue")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init_catalogue(path: Path, force: bool) -> None:
    """Write a copy of the built-in catalogue to adapt targets and baselines locally.

    PATH is where to write the copy.

    \b
    Example:
      sfh init-catalogue min-kommun.toml
      sfh report --kommun 0680 --catalogue min-kommun.toml
    """
    from strategihalsa.catalogue import builtin_path
    from strategihalsa.delivery import write_file

    with exit_codes():
        if path.exists() and not force:
            raise UsageError(f"{path} exists; add --force to overwrite it")
        write_file(path, builtin_path().read_bytes())
        say(f"wrote {path}; use it with --catalogue {path} or SFH_CATALOGUE={path}")


class SchemaName(StrEnum):
    """The JSON outputs that have a schema."""

    report = "report"
    overview = "overview"
    side_by_side = "side_by_side"
    changes = "changes"


@click.command()
@click.argument("name", type=click.Choice(SchemaName))
def schema(name: SchemaName) -> None:
    """Print the JSON Schema of a JSON output.

    \b
    Example:
      sfh schema report > sfh-report.schema.json
    """
    from importlib import resources

    with exit_codes():
        out(resources.files("strategihalsa").joinpath(f"schemas/{name}.schema.json")
            .read_text(encoding="utf-8").rstrip("\n"))


@click.group("cache", no_args_is_help=True)
def cache_group() -> None:
    """Inspect or empty the cache of Kolada answers."""


@cache_group.command("info")
@CACHE_DIR
def cache_info(cache_dir: Path | None) -> None:
    """Show where the cache is, its size, entries and age.

    \b
    Example:
      sfh cache info
    """
    from strategihalsa.kolada import cache
    from strategihalsa.settings import default_cache_dir

    with exit_codes():
        details = cache.info(cache_dir or default_cache_dir())
        out(f"location: {details.path}")
        if not details.exists:
            out("empty (no cache file yet)")
            return
        out(f"size:     {details.size_bytes / 1e6:.1f} MB")
        out(f"entries:  {details.entries}")
        if details.oldest and details.newest:
            out(f"oldest:   {details.oldest.isoformat(timespec='seconds')}")
            out(f"newest:   {details.newest.isoformat(timespec='seconds')}")


@cache_group.command("clear")
@CACHE_DIR
def cache_clear(cache_dir: Path | None) -> None:
    """Delete every cached Kolada answer.

    \b
    Example:
      sfh cache clear
    """
    from strategihalsa.kolada import cache
    from strategihalsa.settings import default_cache_dir

    with exit_codes():
        folder = cache_dir or default_cache_dir()
        freed = cache.clear(folder)
        out(f"cleared {folder} ({freed / 1e6:.1f} MB freed)")
