"""Exit codes and the exception family of `sfh`.

Every expected failure is an `SfhError` subclass carrying its exit code and a message meant
for the user; the CLI prints the message to stderr and exits with the code, no traceback.
"""

from enum import IntEnum


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
