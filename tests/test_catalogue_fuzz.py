"""Property: any catalogue text either loads or fails with a CatalogueError (exit 3)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategihalsa.catalogue import AREAS, GOALS, builtin_path, load_catalogue
from strategihalsa.cli import app
from strategihalsa.errors import CatalogueError

BUILTIN = builtin_path().read_text(encoding="utf-8")
LINES = BUILTIN.splitlines()

scalars = st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.text(max_size=12), st.lists(st.integers(), max_size=3),
)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


@st.composite
def mutated_catalogues(draw) -> str:
    """The built-in catalogue with some lines replaced, deleted or garbled."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "garble", "key"]))
        if action == "value" and " = " in lines[n]:
            lines[n] = lines[n].split(" = ")[0] + " = " + toml_value(draw(scalars))
        elif action == "delete":
            del lines[n]
        elif action == "garble":
            lines[n] = draw(st.text(max_size=20))
        else:
            lines.insert(n, f"{draw(st.from_regex(r'[a-z_]{1,8}', fullmatch=True))} = 1")
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_catalogues())
def test_random_catalogues_load_or_fail_cleanly(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("cat") / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        assert str(path) in str(exc)
    else:  # strategy goals keep their areas; only a local indicator names its own
        for indicator in catalogue.indicators:
            assert indicator.goal in GOALS or (indicator.goal is None and indicator.area)
            assert indicator.goal is None or indicator.area in AREAS


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_catalogues())
def test_cli_exits_3_without_traceback_on_bad_catalogues(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("cli") / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "--kommun", "0680", "--offline",
                                      "--cache-dir", str(path.parent / "empty-cache"),
                                      "--catalogue", str(path)], catch_exceptions=False)
    assert result.exit_code in (3, 4)  # 4: the valid ones stop at the empty offline cache
