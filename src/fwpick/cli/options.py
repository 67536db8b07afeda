"""What every fwpick command shares: the Typer app, its options and error handling.

The commands themselves live in ``catalog_commands.py`` and ``recommend.py``; both stay
thin shells over the core modules.
"""

# No "from __future__ import annotations" here: Typer evaluates every string
# annotation of every command on each start, which costs more than the rest of
# --version.  Names imported only for type checking are quoted instead.

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from fwpick import __version__
from fwpick.errors import FwpickError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from fwpick.catalog.model import Catalog, Framework

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="fwpick",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

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


def _version(value: bool) -> None:
    if value:
        print(f"fwpick {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Choose a Python web framework from checked facts.

    Start with: fwpick compare, then fwpick recommend, then fwpick show NAME.
    """


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="table (for people), json or markdown.", case_sensitive=False
    ),
]


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a FwpickError into a one-line message on stderr and its exit code.

    A reader that goes away (``fwpick compare | head -1``) ends the command
    quietly with 141, the shell's code for SIGPIPE; stdout is flushed here so
    that a closed pipe is noticed inside the command, not at interpreter exit.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
        except FwpickError as exc:
            from fwpick.catalog.schema import clean_text

            sys.stderr.write(f"fwpick: error: {clean_text(str(exc))}\n")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def read_catalog(catalog: Path | None) -> "Catalog":
    from fwpick.catalog.cache import load_catalog  # skips PyYAML while the file is unchanged

    return load_catalog(catalog)


def make_console(stderr: bool = False) -> "Console":
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, emoji=False)
    # Rich would exit 1 on a closed pipe; hand it to handle_errors instead, so
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
    return [fw.id for fw in catalog.frameworks if fw.id.startswith(incomplete.casefold())]


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

    names = {key.casefold(): f.id for f in cat.frameworks for key in (f.id, f.name, f.pypi)}
    close = difflib.get_close_matches(name.casefold(), list(names), n=1, cutoff=0.6)
    hint = f" Did you mean {names[close[0]]!r}?" if close else ""
    known = cat.names()
    shown = ", ".join(known[:MAX_NAMES_SHOWN])
    if len(known) > MAX_NAMES_SHOWN:
        shown += f" and {len(known) - MAX_NAMES_SHOWN} more (fwpick compare lists them all)"
    raise UsageError(f"no framework called {name!r} in the catalogue.{hint} Known: {shown}")
