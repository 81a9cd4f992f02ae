"""Shared test fixtures: the fake Kolada server, clients and a CLI runner."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
from collections.abc import Callable, Generator, Iterator
from importlib import resources
from pathlib import Path
from typing import IO, NoReturn

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from fake_kolada import FakeKolada, KoladaData
from fixture_data import fixture_data

from strategihalsa.kolada import KoladaClient
from strategihalsa.settings import ClientSettings


def shipped_schema(name: str) -> dict:
    """A JSON Schema shipped in the package."""
    path = resources.files("strategihalsa").joinpath(f"schemas/{name}.schema.json")
    return json.loads(path.read_text("utf-8"))


REPORT_SCHEMA = shipped_schema("report")
OVERVIEW_SCHEMA = shipped_schema("overview")


def parse_report(text: str) -> dict:
    """Parse a `report --format json` output and validate it against the shipped schema."""
    data = json.loads(text)
    jsonschema.validate(data, REPORT_SCHEMA)
    return data


def parse_overview(text: str) -> dict:
    """Parse an `overview --format json` output and validate it against the shipped schema."""
    data = json.loads(text)
    jsonschema.validate(data, OVERVIEW_SCHEMA)
    return data


SHARED_KOLADA = Path(__file__).resolve().parents[1].parent / "shared" / "kolada"


def unavailable(reason: str) -> NoReturn:
    """Something a test needs is missing (a tool .ci/run installs, an extra, ../shared):
    the test skips on a contributor's machine and fails in CI (`CI` set, as .ci/run and CI
    services do), which provides it all, so that nothing is left out there unseen."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI provides it (.ci/run)")
    pytest.skip(reason)


def needs_tools(*names: str) -> None:
    """Each program on the PATH, or `unavailable`."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        unavailable(f"{', '.join(missing)} not installed")


def needs_weasyprint() -> None:
    """WeasyPrint (and the Pango it loads) importable, or `unavailable`; asked when a test
    runs, so that collecting the suite does not import it."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        unavailable("WeasyPrint is not installed (pip install -e '.[pdf]')")


@pytest.fixture
def fake() -> Iterator[FakeKolada]:
    """A fake Kolada serving the small hand-made dataset."""
    with FakeKolada(fixture_data()) as server:
        yield server


def quick_settings(url: str, **overrides) -> ClientSettings:
    """Client settings with short timeouts and near-zero backoff for tests."""
    return ClientSettings(**{"api_url": url, "timeout": 2.0, "retries": 3, "backoff": 0.0,
                             **overrides})


@pytest.fixture
def client(fake: FakeKolada) -> KoladaClient:
    """An uncached client of the fake server."""
    return KoladaClient(quick_settings(fake.url))


@pytest.fixture(scope="session")
def shared_data() -> KoladaData:
    """The real Kolada data in ../shared/kolada; tests using it skip when it is absent."""
    if not (SHARED_KOLADA / "kpi.json").exists():
        unavailable("../shared/kolada is not present")
    return KoladaData.from_dir(SHARED_KOLADA)


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
               ) -> Path:
    """A folder of expensive artefacts (a batch of files, printed pages) made once per run:
    with pytest-xdist the workers share it, the first to ask builds it and the others wait
    for it, so it is made once wherever the tests using it run. Tests only read it."""
    base = factory.getbasetemp()
    root = base.parent if "PYTEST_XDIST_WORKER" in os.environ else base  # xdist: the run's
    folder, done = root / name, root / f"{name}.built"
    with open(root / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed in another worker
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through Playwright, launched once per worker process (each test
    opens its own page); skips when either is missing."""
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        unavailable("chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def cli_env(fake: FakeKolada, tmp_path: Path) -> dict[str, str]:
    """Environment pointing `sfh` at the fake server with a private cache."""
    return {"SFH_KOLADA_URL": fake.url, "SFH_CACHE_DIR": str(tmp_path / "cache"),
            "SFH_TIMEOUT": "2", "NO_COLOR": "1", "COLUMNS": "200"}


RUN_LOCK = pytest.StashKey[IO[str]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None
                            ) -> Generator[None, object, object]:
    """With pytest-xdist (`-n 2`), every test holds a shared lock on a file of the run from
    its fixtures to its teardown, which `alone` makes exclusive; without xdist there is no
    one to wait for."""
    if "PYTEST_XDIST_WORKER" not in os.environ or not item.config.option.basetemp:
        return (yield)
    run_folder = Path(item.config.option.basetemp).parent  # xdist: shared by the run's workers
    with open(run_folder / "alone.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        item.stash[RUN_LOCK] = lock
        return (yield)


@pytest.fixture
def alone(request: pytest.FixtureRequest) -> Callable[[], None]:
    """Call it to have the machine to yourself from then to the end of the test, for an
    upper time bound on CPU-heavy work (a batch's worker processes stopped within 2 s)
    measured as in one process: it waits until the tests running in the other workers have
    ended and keeps their next ones waiting. Only the timed part waits, not the work that
    sets it up."""
    def wait() -> None:
        lock = request.node.stash.get(RUN_LOCK, None)
        if lock is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # from shared: ours is let go, then waited for
    return wait
