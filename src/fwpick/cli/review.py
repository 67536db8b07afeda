"""``fwpick review``: whether the decisions recorded by ``recommend --report`` still stand."""

# No "from __future__ import annotations": see cli/app.py.

from pathlib import Path
from typing import Annotated

import typer

from fwpick.cli.options import CatalogOption, ReviewFormat, emit, python_version, read_catalog
from fwpick.errors import ExitCode, FwpickError


def review(
    records: Annotated[
        list[Path],
        typer.Argument(
            metavar="RECORD.md...",
            help="Decision records written by fwpick recommend --report.",
            readable=False,
            show_default=False,
        ),
    ],
    python: Annotated[
        str | None,
        typer.Option(
            "--python",
            metavar="X.Y",
            help=(
                "Rank for this Python when a record does not say which it was ranked for;"
                " 'any' for every release.  [default: the Python running fwpick]"
            ),
            show_default=False,
        ),
    ] = None,
    output: ReviewFormat = "text",
    catalog: CatalogOption = None,
) -> None:
    """Re-check recorded decisions against the current catalogue and say what moved.

    Each record's answers are ranked again, for the Python it was ranked for.
    Exit status 0: every decision stands; 1: in some record the leader changed
    or was removed, or the verdict became a near-tie; 2: a record (or the
    catalogue) cannot be read.

    Example: fwpick review docs/decisions/0001-web-framework.md
    """
    from fwpick.errors import RecordError
    from fwpick.files import read_regular_file
    from fwpick.output import ReviewView
    from fwpick.recommend.record import read_record
    from fwpick.recommend.review import review as review_record
    from fwpick.textfile import decode

    try:
        # Every record is read before any is reviewed: a damaged one stops the
        # run with its file and line, before a partial report is printed.
        recorded = []
        for path in records:
            shown = str(path)
            text = decode(read_regular_file(path, RecordError), shown, RecordError)
            recorded.append(read_record(text, shown))
        cat = read_catalog(catalog)
        target = python_version(python)
    except FwpickError as exc:
        # For review, 1 means "a decision moved": any problem reading is 2.
        exc.exit_code = ExitCode.USAGE
        raise
    reviews = tuple(review_record(r, cat, target, python is not None) for r in recorded)
    view = ReviewView(cat, reviews)
    emit("review", output, view)
    if not view.stands:
        raise typer.Exit(ExitCode.MOVED)
