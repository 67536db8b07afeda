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

from fwpick.cli_common import (
    CatalogOption,
    FormatOption,
    NameArgument,
    OutputFormat,
    app,
    find_framework,
    handle_errors,
    make_console,
    read_catalog,
)
from fwpick.errors import UsageError

if TYPE_CHECKING:
    from fwpick.model import Catalog, Framework


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

    cat = read_catalog(catalog)
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

        console = make_console()
        console.print(compare_table(cat, frameworks, today, installed, console.width))


def _select(cat: "Catalog", only: str | None) -> "list[Framework]":
    if only is None:
        return list(cat.frameworks)
    chosen: list[Framework] = []
    for name in filter(None, (part.strip() for part in only.split(","))):
        fw = find_framework(cat, name)
        if fw not in chosen:
            chosen.append(fw)
    if not chosen:
        raise UsageError("--only needs at least one framework name, e.g. --only flask,sanic")
    return chosen


@app.command()
@handle_errors
def show(
    name: NameArgument,
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

    cat = read_catalog(catalog)
    fw = find_framework(cat, name)
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

        make_console().print(framework_panel(fw, today, installed, sources))


@app.command()
@handle_errors
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue to check (default: --catalog, $FWPICK_CATALOG, or the bundled one).",
            readable=False,
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Check a catalogue file and list every problem in it.

    Example: fwpick validate my-frameworks.yaml
    """
    from fwpick.render import validation_summary

    cat = read_catalog(path or catalog)
    make_console().print(validation_summary(cat))


# Registered here so that --help lists the commands in the order a user
# needs them: compare, show, validate, recommend, new, then bench.
from fwpick import cli_recommend  # noqa: E402, F401

# --- starters: new ---


@app.command()
@handle_errors
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
    import shlex

    from fwpick import starter
    from fwpick.catalog import clean_text

    fw = find_framework(read_catalog(catalog), name)
    done = starter.write_starter(fw, directory or starter.default_directory(fw), force=force)
    where = clean_text(str(done.directory))
    lines = [f"Created a starter for {clean_text(fw.name)} in {where}{os.sep}:"]
    for path in done.files:
        lines.append(f"  {path.name}" + (" (replaced)" if path in done.replaced else ""))
    lines += [
        "Run it:",
        f"  cd {shlex.quote(where)}",
        f"  {done.install}",
        f"  {clean_text(done.run)}",
        f"Then open {done.url} (set PORT to use another port).",
    ]
    print("\n".join(lines))


# Last in --help: measuring is for the catalogue's maintainers and the curious.
from fwpick import cli_bench  # noqa: E402, F401


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="fwpick")
    finally:
        # The process is about to end and the OS will reclaim everything at
        # once; freezing the heap spares the interpreter's final collection
        # over every object Typer and Rich made, about 13 ms of each run (an
        # eighth of ``fwpick compare``), which shell completion pays per Tab.
        # Files are all closed by now and the standard streams are still
        # flushed at exit, so nothing is lost.
        import gc

        gc.freeze()
