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
    FormatOption,
    NameArgument,
    OutputFormat,
    find_framework,
    make_console,
    read_catalog,
)
from fwpick.errors import UsageError

if TYPE_CHECKING:
    from fwpick.catalog.model import Catalog, Framework


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
    from fwpick.catalog.installed import installed_versions

    cat = read_catalog(catalog)
    frameworks = _select(cat, only)
    installed = installed_versions(frameworks)
    today = date.today()
    if output is OutputFormat.json:
        from fwpick.output.catalog_text import catalog_json

        print(catalog_json(cat, frameworks, today, installed))
    elif output is OutputFormat.markdown:
        from fwpick.output.catalog_text import compare_markdown

        sys.stdout.write(compare_markdown(cat, frameworks, today))
    else:
        from fwpick.output.catalog_table import compare_table

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
    from fwpick.catalog.installed import installed_versions

    cat = read_catalog(catalog)
    fw = find_framework(cat, name)
    installed = installed_versions([fw]).get(fw.id)
    today = date.today()
    if output is OutputFormat.json:
        from fwpick.output.catalog_text import framework_json

        print(framework_json(fw, today, installed))
    elif output is OutputFormat.markdown:
        from fwpick.output.catalog_text import framework_markdown

        sys.stdout.write(framework_markdown(fw, today, installed))
    else:
        from fwpick.output.catalog_table import framework_panel

        console = make_console()
        console.print(framework_panel(fw, today, installed, sources, console.width))


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
    from fwpick.output.catalog_table import validation_summary

    cat = read_catalog(path or catalog)
    make_console().print(validation_summary(cat))


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
