"""Exit codes and the exception family of `sfh`.

Every expected failure is an `SfhError` subclass carrying its exit code and a message meant
for the user; the CLI prints the message to stderr and exits with the code, no traceback.
A message names the arguments it is about with `argument(name)`: a Python caller reads the
argument's name (`timeout`), the command line its option (`--timeout`).
"""

from collections.abc import Callable
from enum import IntEnum

MARK = "\x00"  # around an argument's name inside a message (never in user or Kolada text)
PYTHON_SPELLING = {"no_cache": "cache=False"}


def argument(name: str) -> str:
    """An argument named in a message, by its Python name (e.g. 'api_url', 'all_units')."""
    return f"{MARK}{name}{MARK}"


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    GOALS_MISSED = 1
    USAGE = 2
    CATALOGUE = 3
    KOLADA = 4
    OUTPUT = 5
    CHANGED = 6  # sfh changes: something changed in Kolada
    INTERRUPTED = 130
    TERMINATED = 143


class SfhError(Exception):
    """An expected failure with a user-facing message."""

    exit_code: ExitCode = ExitCode.USAGE

    def __str__(self) -> str:
        return self.spelled(lambda name: PYTHON_SPELLING.get(name, name))

    def spelled(self, spell: Callable[[str], str]) -> str:
        """The message with each argument written by `spell` (the CLI: as its option)."""
        parts = super().__str__().split(MARK)
        return "".join(spell(part) if n % 2 else part for n, part in enumerate(parts))


class UsageError(SfhError):
    """Bad command-line input: unknown kommun, impossible years, ..."""

    exit_code = ExitCode.USAGE


class CatalogueError(SfhError):
    """The indicator catalogue cannot be read or is invalid."""

    exit_code = ExitCode.CATALOGUE


class KoladaError(SfhError):
    """Kolada could not be reached or answered wrongly after retries."""

    exit_code = ExitCode.KOLADA


class OutputError(SfhError):
    """The output could not be written."""

    exit_code = ExitCode.OUTPUT
