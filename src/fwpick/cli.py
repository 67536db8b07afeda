"""The command-line shell: parse options, call the core, render, map errors to exit codes.

Heavy imports (yaml, rich.table, the scoring) happen inside the commands that
need them so that ``fwpick --version`` and shell completion stay fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from fwpick import __version__
from fwpick.errors import FwpickError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from fwpick.model import Catalog, Framework

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="fwpick",
    help="Choose a Python web framework from checked facts.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        envvar="FWPICK_CATALOG",
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
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Choose a Python web framework from checked facts."""


# --- compare / show / validate (issue 2) ---


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table (for people), json or markdown.", case_sensitive=False),
]


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a FwpickError into a one-line message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except FwpickError as exc:
            from fwpick.catalog import clean_text

            sys.stderr.write(f"fwpick: error: {clean_text(str(exc))}\n")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def _load(catalog: Path | None) -> Catalog:
    from fwpick.catalog import load_catalog

    return load_catalog(catalog)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def _complete_name(incomplete: str) -> list[str]:
    try:
        catalog = _load(Path(os.environ["FWPICK_CATALOG"]) if "FWPICK_CATALOG" in os.environ else None)
    except FwpickError:
        return []
    return [fw.id for fw in catalog.frameworks if fw.id.startswith(incomplete.casefold())]


@app.command()
@handle_errors
def compare(
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Comma-separated frameworks to compare, e.g. flask,sanic.",
            show_default=False,
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
    catalog: CatalogOption = None,
) -> None:
    """Compare every framework side by side.

    Example: fwpick compare --only flask,bottle,sanic
    """
    from fwpick.installed import installed_versions

    cat = _load(catalog)
    frameworks = _select(cat, only)
    installed = installed_versions(frameworks)
    today = date.today()
    if output is OutputFormat.json:
        from fwpick.export import catalog_json

        print(catalog_json(cat, frameworks, today, installed))
    elif output is OutputFormat.markdown:
        from fwpick.export import compare_markdown

        sys.stdout.write(compare_markdown(cat, frameworks, today))
    else:
        from fwpick.render import compare_table

        console = _console()
        console.print(compare_table(cat, frameworks, today, installed, console.width))


def _select(cat: Catalog, only: str | None) -> list[Framework]:
    if only is None:
        return list(cat.frameworks)
    chosen: list[Framework] = []
    for name in filter(None, (part.strip() for part in only.split(","))):
        fw = _find(cat, name)
        if fw not in chosen:
            chosen.append(fw)
    if not chosen:
        raise UsageError("--only needs at least one framework name, e.g. --only flask,sanic")
    return chosen


def _find(cat: Catalog, name: str) -> Framework:
    fw = cat.get(name)
    if fw is not None:
        return fw
    import difflib

    names = {key.casefold(): f.id for f in cat.frameworks for key in (f.id, f.name, f.pypi)}
    close = difflib.get_close_matches(name.casefold(), list(names), n=1, cutoff=0.6)
    hint = f" Did you mean {names[close[0]]!r}?" if close else ""
    raise UsageError(
        f"no framework called {name!r} in the catalogue.{hint}"
        f" Known: {', '.join(cat.names())}"
    )


@app.command()
@handle_errors
def show(
    name: Annotated[
        str,
        typer.Argument(
            help="Framework id, name or PyPI name (any case).", autocompletion=_complete_name
        ),
    ],
    sources: Annotated[
        bool, typer.Option("--sources", help="Show where and when each fact was checked.")
    ] = False,
    output: FormatOption = OutputFormat.table,
    catalog: CatalogOption = None,
) -> None:
    """Everything about one framework: facts, scores, links, a hello-world app.

    Example: fwpick show flask --sources
    """
    from fwpick.installed import installed_versions

    cat = _load(catalog)
    fw = _find(cat, name)
    installed = installed_versions([fw]).get(fw.id)
    today = date.today()
    if output is OutputFormat.json:
        from fwpick.export import framework_json

        print(framework_json(fw, today, installed))
    elif output is OutputFormat.markdown:
        from fwpick.export import framework_markdown

        sys.stdout.write(framework_markdown(fw, today, installed))
    else:
        from fwpick.render import framework_panel

        _console().print(framework_panel(fw, today, installed, sources))


@app.command()
@handle_errors
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue to check (default: --catalog, $FWPICK_CATALOG, or the bundled one).",
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Check a catalogue file and list every problem in it.

    Example: fwpick validate my-frameworks.yaml
    """
    from fwpick.render import validation_summary

    cat = _load(path or catalog)
    _console().print(validation_summary(cat))

# --- recommend (issue 3) ---

# --- new (issue 4) ---


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="The framework, by id or name (see `fwpick compare`).")],
    directory: Annotated[
        Path | None,
        typer.Argument(help="Where to write the starter. [default: ./NAME-starter]", show_default=False),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write into a non-empty directory, replacing the starter's files."),
    ] = False,
    catalog: CatalogOption = None,
) -> None:
    """Write a runnable hello-world app for a framework: app.py, requirements.txt, README.md.

    Example: fwpick new flask my-site
    """
    import difflib
    import shlex
    import sys

    from fwpick import starter
    from fwpick.catalog import clean_text, load_catalog
    from fwpick.errors import UsageError

    try:
        cat = load_catalog(catalog)
        fw = cat.get(name)
        if fw is None:
            close = difflib.get_close_matches(name.casefold(), cat.names(), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UsageError(
                f"unknown framework {clean_text(name)!r}.{hint} Known: {', '.join(cat.names())}"
            )
        done = starter.write_starter(fw, directory or starter.default_directory(fw), force=force)
    except FwpickError as exc:
        print(f"fwpick: {exc}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None

    lines = [f"Created a {clean_text(fw.name)} starter in {done.directory}{os.sep}:"]
    lines += [
        f"  {path.name}{' (replaced)' if path in done.replaced else ''}" for path in done.files
    ]
    lines += [
        "Run it:",
        f"  cd {shlex.quote(str(done.directory))}",
        f"  {done.install}",
        f"  {clean_text(done.run)}",
        f"Then open {done.url} (set PORT to use another port).",
    ]
    print("\n".join(lines))


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="fwpick")
    except BrokenPipeError:
        # The reader went away (fwpick compare | head -1): stop quietly, and
        # point stdout at /dev/null so the interpreter's final flush is silent.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(141) from None
