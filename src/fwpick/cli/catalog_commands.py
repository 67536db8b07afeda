"""The command-line shell: parse options, call the core, render, map errors to exit codes.

Heavy imports (yaml, rich.table, the scoring) happen inside the commands that
need them so that ``fwpick --version`` and shell completion stay fast.
"""

# No "from __future__ import annotations" here: Typer evaluates every string
# annotation of every command on each start, which costs more than the rest of
# --version.  Names imported only for type checking are quoted instead.

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fwpick.cli.options import (
    CatalogOption,
    CompareFormat,
    NameArgument,
    PythonEnvOption,
    ShowFormat,
    ValidateFormat,
    complete_filter,
    complete_name_list,
    emit,
    find_framework,
    print_error,
    read_catalog,
)
from fwpick.errors import UsageError
from fwpick.output import (
    COMPARE_MAX_ROWS,
    CatalogView,
    EntryView,
    FrameworkView,
    ValidationView,
)

if TYPE_CHECKING:
    from fwpick.catalog.model import Catalog


def compare(
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Comma-separated frameworks to compare, e.g. flask,sanic.",
            show_default=False,
            autocompletion=complete_name_list,
        ),
    ] = None,
    avoided: Annotated[
        bool,
        typer.Option(
            "--avoided",
            help="Also list the frameworks to avoid (abandoned, renamed, inactive); JSON only.",
        ),
    ] = False,
    interface: Annotated[
        str | None,
        typer.Option(
            "--interface",
            metavar="LIST",
            help="Only frameworks that speak one of these interfaces, e.g. asgi or wsgi,asgi.",
            show_default=False,
            autocompletion=complete_filter("interface"),
        ),
    ] = None,
    async_handlers: Annotated[
        str | None,
        typer.Option(
            "--async",
            metavar="LIST",
            help="Only frameworks whose async handlers are one of these, e.g. yes or yes,partly.",
            show_default=False,
            autocompletion=complete_filter("async"),
        ),
    ] = None,
    every_row: Annotated[
        bool,
        typer.Option(
            "--all",
            help=f"Print the table even for more than {COMPARE_MAX_ROWS} frameworks.",
        ),
    ] = False,
    output: CompareFormat = "table",
    python_env: PythonEnvOption = None,
    catalog: CatalogOption = None,
) -> None:
    """Compare every framework side by side.

    For more frameworks than one table can usefully hold, the table format says
    how to narrow the list (--only, --interface, --async) or print it anyway
    (--all); JSON and Markdown list every framework.

    Example: fwpick compare --only flask,bottle,sanic
    """
    from fwpick.catalog.filters import Selection, matching, parse_filters
    from fwpick.catalog.installed import installed_versions, project_environment

    wanted = parse_filters({"interface": interface, "async": async_handlers})
    cat = read_catalog(catalog)
    chosen = Selection(cat.frameworks, matching(cat.frameworks, _select(cat, only), wanted))
    environment = project_environment(str(python_env) if python_env else None)
    installed = installed_versions(chosen, environment.paths)
    view = CatalogView(cat, chosen, date.today(), installed, avoided, environment.label, every_row)
    emit("compare", output, view)


def _select(cat: "Catalog", only: str | None) -> list[int]:
    """The places in the catalogue of the frameworks ``--only`` names, in its order."""
    if only is None:
        return list(range(len(cat.frameworks)))
    chosen: list[int] = []
    for name in filter(None, (part.strip() for part in only.split(","))):
        number = cat.number(name)
        if number is None:
            find_framework(cat, name)  # explains the name it does not know
        elif number not in chosen:
            chosen.append(number)
    if not chosen:
        raise UsageError("--only needs at least one framework name, e.g. --only flask,sanic")
    return chosen


def show(
    name: NameArgument,
    sources: Annotated[
        bool, typer.Option("--sources", help="Show where and when each fact was checked.")
    ] = False,
    output: ShowFormat = "table",
    python_env: PythonEnvOption = None,
    catalog: CatalogOption = None,
) -> None:
    """Everything about one framework: facts, scores, links, a hello-world app.

    Example: fwpick show flask --sources
    """

    from fwpick.catalog.installed import installed_versions, project_environment
    from fwpick.recommend.best_fit import best_fits

    cat = read_catalog(catalog)
    other = cat.find(name) if cat.get(name) is None else None
    if other is not None:
        # An add-on, a server or a framework to avoid: what it is, and why or why not.
        emit("entry", output, EntryView(cat, other))
        return
    fw = find_framework(cat, name)
    environment = project_environment(str(python_env) if python_env else None)
    installed = installed_versions([fw], environment.paths).get(fw.id)
    fit = best_fits(cat, (sys.version_info.major, sys.version_info.minor), only=[fw.id])[fw.id]
    view = FrameworkView(cat, fw, date.today(), installed, sources, fit, environment.label)
    emit("show", output, view)


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Catalogues to check (default: --catalog, $FWPICK_CATALOG, or the bundled one).",
            readable=False,
            show_default=False,
        ),
    ] = None,
    output: ValidateFormat = "table",
    catalog: CatalogOption = None,
) -> None:
    """Check catalogue files and list every problem in them.

    With --format json every problem is an object with its file, line,
    framework, field and message, for CI; the exit code is 1 when there are
    any. Several files (as a pre-commit hook passes them) are checked in turn.

    Example: fwpick validate my-frameworks.yaml
    """
    from fwpick.catalog import bundled_catalog_path
    from fwpick.errors import CatalogError, ExitCode, Problem

    files: list[Path | None] = list(paths) if paths else [catalog]
    if output == "json" and len(files) > 1:
        raise UsageError("--format json checks one catalogue at a time; give one PATH")
    failed = False
    for path in files:
        where = str(path or bundled_catalog_path())
        try:
            cat = read_catalog(path)
        except CatalogError as exc:
            failed = True
            if output == "json":
                problems = exc.problems or (Problem(where, exc.message),)
                view = ValidationView(where, None, problems, max(exc.total, 1))
                emit("validate", output, view)
                continue
            if len(files) == 1:
                raise
            print_error(exc)
            continue
        emit("validate", output, ValidationView(where, cat, (), 0))
    if failed:
        raise typer.Exit(ExitCode.PROBLEM)


# --- starters: new ---


def new(
    name: NameArgument,
    directory: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIR]",
            help="Where to write the starter. [default: ./NAME-starter]",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write into a non-empty directory, replacing starter files."),
    ] = False,
    catalog: CatalogOption = None,
) -> None:
    """Write a runnable hello-world app for a framework: app.py, requirements.txt, README.md.

    Example: fwpick new flask my-site
    """
    from fwpick import starter
    from fwpick.text import clean_text, shell_quote

    fw = find_framework(read_catalog(catalog), name)
    done = starter.write_starter(fw, directory or starter.default_directory(fw), force=force)
    where = clean_text(str(done.directory))
    lines = [f"Created a starter for {clean_text(fw.name)} in {where}{os.sep}:"]
    for path in done.files:
        lines.append(f"  {path.name}" + (" (replaced)" if path in done.replaced else ""))
    lines += [
        "Run it:",
        # Quoted from the real path, so that the line stays exact and printable.
        f"  cd {shell_quote(str(done.directory))}",
        f"  {done.install}",
        f"  {clean_text(done.run)}",
        f"Then open {done.url} (set PORT to use another port).",
    ]
    print("\n".join(lines))
