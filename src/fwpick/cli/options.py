"""What the commands share: their common options, the console, the catalogue and name look-up."""

# No "from __future__ import annotations" here: Typer evaluates every string
# annotation of every command on each start, which costs more than the rest of
# --version.  Names imported only for type checking are quoted instead.

from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from fwpick.errors import FwpickError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from fwpick.catalog.model import Catalog, Framework

# The path options say readable=False: fwpick reads the files itself and
# explains every failure as a problem with the file (exit 1), where Click's
# own check would turn an unreadable file into a usage error.
CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        envvar="FWPICK_CATALOG",
        readable=False,
        help="Read this catalogue instead of the bundled one.",
        show_default=False,
    ),
]


def format_option(view: str) -> Any:
    """The ``--format`` option of a command, offering the formats its view has renderers for."""
    from fwpick.output import formats

    choices = formats(view)
    kind = StrEnum(f"{view.title()}Format", {name: name for name in choices})  # type: ignore[misc]
    words = ", ".join(choices[1:])
    return Annotated[
        kind,
        typer.Option(
            "--format", "-f", help=f"{choices[0]} (for people), or {words}.", case_sensitive=False
        ),
    ]


# The --format option of each command (a type checker sees plain text).
if TYPE_CHECKING:
    CompareFormat = str
    ShowFormat = str
    ValidateFormat = str
    RecommendFormat = str
    ReviewFormat = str
else:
    CompareFormat = format_option("compare")
    ShowFormat = format_option("show")
    ValidateFormat = format_option("validate")
    RecommendFormat = format_option("recommend")
    ReviewFormat = format_option("review")


def emit(view: str, fmt: str, model: Any) -> None:
    """Render ``model`` as ``view`` in ``fmt`` and write it to stdout.

    Only a renderer of Rich objects gets a Rich console, so JSON, Markdown
    and plain-text tables never import Rich.
    """
    import sys

    from fwpick.cli.streams import write_utf8
    from fwpick.heap import no_collection
    from fwpick.output import Unwrapped, needs_console, render

    console = make_console() if needs_console(view, fmt) else None
    # The output is the command's last work, and what it makes (strings, and
    # Rich's segments) holds no cycles for a collection to find: at 10,000
    # frameworks the collector's passes over the heap cost tens of ms.
    with no_collection():
        out = render(view, fmt, model, console.width if console else terminal_width())
        # A renderer gives one part, a list, or for a big document an iterator of parts.
        for part in out if isinstance(out, list | Iterator) else [out]:
            if isinstance(part, str):
                sys.stdout.write(part)
            elif isinstance(part, bytes):  # UTF-8 text kept with a cached catalogue
                write_utf8(part)
            elif isinstance(part, Unwrapped):
                assert console is not None
                # Whole, whatever the width: a command the user copies and runs.
                console.print(part.text, soft_wrap=True)
            else:
                assert console is not None
                console.print(part)


def python_version(given: str | None) -> "tuple[int, int] | None":
    """The Python version to rank for: X.Y as given, the running one by default, None for any."""
    import re
    import sys

    if given is None:
        return (sys.version_info.major, sys.version_info.minor)
    if given.strip().casefold() == "any":
        return None
    found = re.fullmatch(r"\s*(\d)\.(\d{1,2})\s*", given)
    if found is None:
        raise UsageError(f"--python: {given[:20]!r} is not a Python version; write it as 3.11")
    return (int(found[1]), int(found[2]))


PythonEnvOption = Annotated[
    Path | None,
    typer.Option(
        "--python-env",
        metavar="PATH",
        help=(
            "Report what is installed in this environment (a venv folder or a python)."
            "  [default: $VIRTUAL_ENV, else the python on PATH]"
        ),
        show_default=False,
    ),
]


def print_error(error: FwpickError) -> None:
    """The one line every fwpick error is: ``fwpick: error: …`` on stderr, made safe to show."""
    import sys

    from fwpick.text import clean_text

    sys.stderr.write(f"fwpick: error: {clean_text(str(error))}\n")


def read_catalog(catalog: Path | None) -> "Catalog":
    from fwpick.catalog.cache import load_catalog  # skips PyYAML while the file is unchanged

    return load_catalog(catalog)


# Narrowest width fwpick lays its output out for.  A terminal narrower than
# this gets the 20-column layout (the terminal wraps its lines); COLUMNS=0,
# which some CI systems set, means the width is not known and gives 80.
MIN_WIDTH = 20
UNKNOWN_WIDTH = 80


def _usable(width: int) -> int:
    if width <= 0:
        return UNKNOWN_WIDTH
    return max(width, MIN_WIDTH)


def terminal_width() -> int:
    """The width to lay plain text out for, found as Rich finds it, without importing Rich.

    ``COLUMNS`` when it is a number, else the size of the first standard stream
    that is a terminal, else :data:`UNKNOWN_WIDTH`.
    """
    import os

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return _usable(int(columns))
    for fd in (0, 1, 2):
        try:
            return _usable(os.get_terminal_size(fd).columns)
        except (OSError, ValueError):  # not a terminal
            continue
    return UNKNOWN_WIDTH


def make_console(stderr: bool = False) -> "Console":
    """A Rich console on stdout (or stderr), at a width fwpick can lay out."""
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, emoji=False)
    width = console.width
    if width != _usable(width):
        console.width = _usable(width)
    # Rich would exit 1 on a closed pipe; hand it to the app instead, so
    # that every format ends the same quiet way.
    console.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
    return console


def _reader_gone() -> None:
    raise BrokenPipeError


def complete_name(ctx: typer.Context, incomplete: str) -> list[str]:
    """Framework ids for shell completion, from the catalogue the command would read."""
    try:
        catalog = read_catalog(ctx.params.get("catalog"))
    except FwpickError:
        return []
    return complete_any_case(catalog.names(), incomplete)


def complete_name_list(ctx: typer.Context, incomplete: str) -> list[str]:
    """Completion for ``--only a,b,c``: framework ids for the part after the last comma."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [prefix + name for name in complete_name(ctx, last)]


def complete_filter(name: str) -> "Callable[[str], list[str]]":
    """Completion for a compare filter's comma-separated values, from the schema's choices."""

    def complete(incomplete: str) -> list[str]:
        from fwpick.catalog.filters import FILTERS

        done, _, last = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        return [prefix + v for v in complete_any_case(FILTERS[name].choices, last)]

    return complete


def complete_any_case(words: "Sequence[str]", incomplete: str) -> list[str]:
    """The words that start with ``incomplete`` in any case, spelt to start as typed.

    The shell (and Typer) keep only completions that start with exactly what
    was typed, so ``FL`` completes to ``FLask``: fwpick reads names and
    answers in any case, so that is the same word.
    """
    wanted = incomplete.casefold()
    return [incomplete + w[len(incomplete) :] for w in words if w.casefold().startswith(wanted)]


NameArgument = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        help="Framework id, name or PyPI name (any case).",
        autocompletion=complete_name,
    ),
]


MAX_NAMES_SHOWN = 15


def find_framework(cat: "Catalog", name: str) -> "Framework":
    fw = cat.get(name)
    if fw is not None:
        return fw
    import difflib

    from fwpick.catalog.model import framework_keys

    names = {key.casefold(): keys[0] for keys in framework_keys(cat.frameworks) for key in keys}
    close = difflib.get_close_matches(name.casefold(), list(names), n=1, cutoff=0.6)
    hint = f" Did you mean {names[close[0]]!r}?" if close else ""
    known = cat.names()
    shown = ", ".join(known[:MAX_NAMES_SHOWN])
    if len(known) > MAX_NAMES_SHOWN:
        shown += f" and {len(known) - MAX_NAMES_SHOWN} more (fwpick compare lists them all)"
    raise UsageError(f"no framework called {name!r} in the catalogue.{hint} Known: {shown}")
