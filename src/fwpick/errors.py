"""The one exception type the core raises for problems a user can fix."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """fwpick's exit codes, as the README's table documents them."""

    OK = 0
    PROBLEM = 1  # a problem with a file or the catalogue, or a failed write
    # fwpick review: a recorded decision no longer stands (review's own problems exit 2).
    MOVED = 1
    USAGE = 2  # a bad command line: unknown name, bad choice, nothing to ask with
    INTERRUPTED = 130  # Ctrl-C
    READER_GONE = 141  # the reader of stdout went away (SIGPIPE)
    TERMINATED = 143  # SIGTERM


class Problem(NamedTuple):
    """One thing wrong with an input, located as precisely as we know."""

    path: str
    message: str
    line: int | None = None
    framework: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.framework:
            parts.append(f"framework {self.framework!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ": ".join(parts) + f": {self.message}"


class FwpickError(Exception):
    """A problem the user can fix; the CLI prints it and exits non-zero, no traceback."""

    exit_code: int = ExitCode.PROBLEM

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems
        self.total = len(problems)  # of which ``problems`` may list only the first

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join([self.message, *(f"  {p}" for p in self.problems)])


class CatalogError(FwpickError):
    """The catalogue cannot be read or does not follow the schema."""


class UsageError(FwpickError):
    """Bad command-line input (unknown name, bad choice); exits 2 like Click."""

    exit_code: int = ExitCode.USAGE


class RecordError(FwpickError):
    """A decision record ``fwpick review`` cannot read: no fwpick block, or a damaged one.

    Exits 2, so that for review 1 means only "the decision moved".
    """

    exit_code: int = ExitCode.USAGE
