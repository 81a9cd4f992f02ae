"""The indicator catalogue: indicators.toml → validated, frozen dataclasses.

The built-in catalogue ships inside the package; a user's own copy (with local targets and
baseline years) is selected with --catalogue / SFH_CATALOGUE. Every validation problem is
reported at once, naming the file, the indicator and the key.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from strategihalsa.errors import CatalogueError, UsageError, argument
from strategihalsa.text import clean

AREAS = ("God och jämlik hälsa", "God kvalitet", "Hållbart och uthålligt")
DIRECTIONS = ("increase", "decrease")
GOALS = range(1, 23)
FIRST_YEAR = 1990
YEARS = range(FIRST_YEAR, 2101)
HISTORY_YEARS = 5  # years before the baseline fetched and drawn, for the trend
KPI_ID = re.compile(r"^[A-Z]\d{5}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

STRATEGY_KEYS = {"name": str, "baseline_year": int, "target_year": int}
REQUIRED_KEYS: dict[str, type | tuple[type, ...]] = {
    "id": str, "title": str, "area": str, "kpi": str,
    "direction": str, "target": (int, float), "unit": str,
}
OPTIONAL_KEYS = {"goal": int, "baseline_year": int, "note": str, "measure": str,
                 "survey": bool}
MAX_TARGET = 1e9
MAX_CATALOGUE_BYTES = 1024 * 1024

Direction = Literal["increase", "decrease"]


@dataclass(frozen=True)
class Indicator:
    """One followed Kolada key figure and its goal."""

    id: str
    title: str
    area: str
    kpi: str
    direction: Direction
    target: float
    unit: str
    baseline_year: int
    goal: int | None = None
    note: str | None = None
    measure: str | None = None
    survey: bool = False

    @property
    def local(self) -> bool:
        """A local indicator, not one of the strategy's 22 goals."""
        return self.goal is None


@dataclass(frozen=True)
class Catalogue:
    """The strategy's settings and its indicators, in file order."""

    name: str
    baseline_year: int
    target_year: int
    indicators: tuple[Indicator, ...]
    source: str
    digest: str = ""

    @property
    def kpis(self) -> list[str]:
        """Distinct KPI ids in file order."""
        return list(dict.fromkeys(i.kpi for i in self.indicators))

    @property
    def missing_goals(self) -> list[int]:
        """Strategy goals this catalogue does not follow (a local choice, not an error)."""
        return sorted(set(GOALS) - {i.goal for i in self.indicators})


def parse_goals(text: str | None) -> set[int] | None:
    """'3,4,13' → {3, 4, 13}; None → every goal."""
    if text is None:
        return None
    try:
        goals = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise UsageError(f"{argument('goals')} takes goal numbers like 3,4,13, "
                         f"not {text!r}") from None
    if not goals or not goals <= set(GOALS):
        raise UsageError(f"{argument('goals')}: goal numbers are "
                         f"{GOALS.start}..{GOALS.stop - 1}, got {text!r}")
    return goals


def builtin_path() -> Path:
    """Path of the catalogue shipped with the package (beside this module: a plain path is
    cheaper than `importlib.resources`, and the package is never run from a zip)."""
    return Path(__file__).with_name("indicators.toml")


def read_catalogue_text(path: Path) -> bytes:
    """The bytes of a regular file of at most `MAX_CATALOGUE_BYTES`; a CatalogueError for
    anything else (a folder, a device such as /dev/zero, a FIFO that would block)."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not wait for a writer
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise CatalogueError(f"{path}: the catalogue must be a regular file, not "
                                 f"{_file_kind(info.st_mode)}")
        with os.fdopen(os.dup(handle), "rb") as file:
            data = file.read(MAX_CATALOGUE_BYTES + 1)
    finally:
        os.close(handle)
    if len(data) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(f"{path}: the catalogue is larger than "
                             f"{MAX_CATALOGUE_BYTES // 1024 // 1024} MiB; is it the right file?")
    return data


def _file_kind(mode: int) -> str:
    kinds = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a FIFO", stat.S_ISCHR: "a device",
             stat.S_ISBLK: "a device", stat.S_ISSOCK: "a socket"}
    return next((name for test, name in kinds.items() if test(mode)), "a special file")


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and validate a catalogue; the built-in one when `path` is None."""
    path = path or builtin_path()
    try:
        text = read_catalogue_text(path).decode("utf-8-sig")
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read the catalogue: {exc.strerror or exc}"
                             ) from None
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path}: cannot read the catalogue: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: TOML syntax error: {exc}") from exc
    except RecursionError:
        raise CatalogueError(f"{path}: TOML nested too deeply") from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return parse_catalogue(data, str(path), digest)


def parse_catalogue(data: dict[str, Any], source: str, digest: str = "") -> Catalogue:
    """Validate parsed TOML; raise one CatalogueError listing every problem."""
    problems: list[str] = []
    strategy = _table(data.get("strategy"), "[strategy]", STRATEGY_KEYS, {}, problems)
    problems += [f"unknown top-level key '{k}'" for k in data if k not in ("strategy", "indicator")]
    raw = data.get("indicator")
    if not isinstance(raw, list) or not raw:
        problems.append("no [[indicator]] tables")
        raw = []
    default_year = strategy.get("baseline_year", 2017)
    indicators = [_indicator(entry, n, default_year, problems) for n, entry in enumerate(raw, 1)]
    _check_collection([i for i in indicators if i], problems)
    _check_years(strategy, problems)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise CatalogueError(f"{source}: invalid catalogue:\n{listed}")
    return Catalogue(
        name=strategy["name"],
        baseline_year=strategy["baseline_year"],
        target_year=strategy["target_year"],
        indicators=tuple(i for i in indicators if i),
        source=source,
        digest=digest,
    )


def _table(raw: Any, where: str, required: Mapping[str, type | tuple[type, ...]],
           optional: Mapping[str, type | tuple[type, ...]], problems: list[str]) -> dict[str, Any]:
    """Type-check one TOML table; return its valid keys."""
    if not isinstance(raw, dict):
        problems.append(f"{where}: missing table")
        return {}
    valid: dict[str, Any] = {}
    for key, value in raw.items():
        expected = required.get(key) or optional.get(key)
        if expected is None:
            problems.append(f"{where}: unknown key '{key}'")
        elif isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
            problems.append(f"{where}: key '{key}' has the wrong type ({type(value).__name__})")
        else:
            valid[key] = clean(value) if isinstance(value, str) else value
    problems += [f"{where}: missing key '{k}'" for k in required if k not in raw]
    return valid


def _indicator(raw: Any, number: int, default_year: int, problems: list[str]) -> Indicator | None:
    """Validate one [[indicator]] table."""
    name = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    where = f"indicator '{name}'" if name else f"indicator #{number}"
    before = len(problems)
    fields = _table(raw, where, REQUIRED_KEYS, OPTIONAL_KEYS, problems)
    checks: list[tuple[str, Callable[[Any], object], str]] = [
        ("id", lambda v: SLUG.match(v), "must be a lower-case slug (a-z, 0-9, -, _)"),
        ("goal", lambda v: v in GOALS, f"must be a goal number {GOALS.start}..{GOALS.stop - 1}"),
        ("area", lambda v: v.strip() and (v in AREAS or "goal" not in fields),
         f"must be one of {', '.join(AREAS)} (a local indicator without 'goal' may name "
         "its own area)"),
        ("kpi", lambda v: KPI_ID.match(v), "must be a Kolada KPI id like N15428"),
        ("direction", lambda v: v in DIRECTIONS, "must be 'increase' or 'decrease'"),
        ("target", lambda v: 0 <= v <= MAX_TARGET, f"must be a number 0..{MAX_TARGET:g}"),
        ("baseline_year", lambda v: v in YEARS, "must be a year 1990..2100"),
    ]
    for key, ok, message in checks:
        if key in fields and not ok(fields[key]):
            problems.append(f"{where}: key '{key}' {message} (got {fields[key]!r})")
    if len(problems) > before:
        return None
    fields["target"] = float(fields["target"])
    fields.setdefault("baseline_year", default_year)
    return Indicator(**fields)


def _check_collection(indicators: list[Indicator], problems: list[str]) -> None:
    """Cross-indicator rules: unique ids (a catalogue may follow a subset of the goals)."""
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.id in seen:
            problems.append(f"indicator '{indicator.id}': key 'id' is a duplicate")
        seen.add(indicator.id)


def _check_years(strategy: dict[str, Any], problems: list[str]) -> None:
    """The strategy's years must be plausible and in order."""
    base, target = strategy.get("baseline_year"), strategy.get("target_year")
    for key, year in (("baseline_year", base), ("target_year", target)):
        if year is not None and year not in YEARS:
            problems.append(f"[strategy]: key '{key}' must be a year 1990..2100 (got {year})")
    if base is not None and target is not None and target <= base:
        problems.append("[strategy]: key 'target_year' must be after 'baseline_year'")
