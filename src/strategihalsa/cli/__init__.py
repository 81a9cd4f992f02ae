"""The `sfh` command line: `app` (the Typer app, shared options, errors → exit codes),
`reports` (report, overview) and `inspection` (indicators, kommuner, kpi, check, init-catalogue,
schema, cache). Commands parse, call the library, print, and map errors to exit codes."""

from strategihalsa.cli import inspection, reports, store  # noqa: F401  (registers the commands)
from strategihalsa.cli.app import app, expand_goal_shorthand, main

__all__ = ["app", "expand_goal_shorthand", "main"]
