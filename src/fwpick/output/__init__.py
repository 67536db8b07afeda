"""Renderers: a model in, a Rich renderable or a string out.

Every command's output goes through :func:`render`.  :data:`RENDERERS` maps
each view (``compare``, ``show``, ``validate``, ``recommend``, ``review``) and format to
the function that renders it, named as ``"module:function"`` so that only the
chosen format's module is imported: JSON never imports Rich, and neither
does a table made of plain text (:data:`TEXT_MODULES`).  Every renderer
takes the view's model and the width to lay out for, and returns text or Rich
renderables; a new format is one renderer and one line per view here.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from fwpick.catalog.model import Catalog, Framework
    from fwpick.errors import Problem
    from fwpick.recommend.ranking import Ranking

# Bumped when a key of any command's JSON changes meaning or goes; keys are
# only ever added within a version.
JSON_FORMAT_VERSION = 2

RENDERERS: dict[str, dict[str, str]] = {
    "compare": {
        "table": "catalog_table:compare_view",
        "json": "catalog_text:compare_json",
        "markdown": "catalog_text:compare_markdown",
    },
    "show": {
        "table": "catalog_table:show_view",
        "json": "catalog_text:show_json",
        "markdown": "catalog_text:show_markdown",
    },
    "entry": {
        "table": "entry_views:entry_table",
        "json": "entry_views:entry_json",
        "markdown": "entry_views:entry_markdown",
    },
    "validate": {
        "table": "catalog_text:validate_text",
        "json": "catalog_text:validate_json",
    },
    "recommend": {
        "table": "ranking_table:ranking_view",
        "json": "ranking_text:ranking_json",
        "markdown": "ranking_text:ranking_markdown",
    },
    "explain": {
        "table": "explain_views:explain_table",
        "json": "explain_views:explain_json",
        "markdown": "explain_views:explain_markdown",
    },
    "review": {
        "text": "review_text:review_text",
        "json": "review_text:review_json",
        "markdown": "review_text:review_markdown",
    },
}

# Modules whose renderers return plain strings in every format and never import
# Rich: a command rendered by one of them makes no Rich console.
TEXT_MODULES = frozenset({"catalog_text", "ranking_text"})

# The ranking table lists this many frameworks (and this many exclusions)
# unless asked for every row: nobody reads thousands of rows in a terminal,
# and laying them out would take seconds.  JSON and Markdown list them all.
TOP_ROWS = 20
# Above this many frameworks the compare table says how to narrow the list
# instead of printing it.  JSON and Markdown list them all.
COMPARE_MAX_ROWS = 50


class CatalogView(NamedTuple):
    """What ``compare`` shows: some frameworks of a catalogue, on a day."""

    catalog: Catalog
    frameworks: Sequence[Framework]  # a tuple, or a catalog.filters.Selection
    today: date
    installed: dict[str, str]  # framework id -> version installed where fwpick looked
    avoided: bool = False  # list the frameworks to avoid too
    installed_in: str = ""  # which environment "installed" was read from, in words
    every_row: bool = False  # print the table however many frameworks there are


class RankingView(NamedTuple):
    """What ``recommend`` shows: a ranking, with every row or the top :data:`TOP_ROWS`."""

    ranking: Ranking
    every_row: bool = False


class FrameworkView(NamedTuple):
    """What ``show`` shows: one framework, with or without the source of each fact."""

    catalog: Catalog
    framework: Framework
    today: date
    installed: str | None
    sources: bool
    best_fit: Any = None  # a fwpick.recommend.best_fit.BestFit, when worked out
    installed_in: str = ""  # which environment "installed" was read from, in words


class EntryView(NamedTuple):
    """What ``show`` shows for an add-on, a server or a framework to avoid."""

    catalog: Catalog
    entry: Any  # a catalog.model Addon, Server or Avoided


class ValidationView(NamedTuple):
    """What ``validate`` found: the catalogue when it is valid, else its problems."""

    path: str
    catalog: Catalog | None
    problems: tuple[Problem, ...]
    total: int  # problems in all, of which ``problems`` lists the first


class ReviewView(NamedTuple):
    """What ``review`` found: each record re-checked against one catalogue."""

    catalog: Catalog
    reviews: tuple[Any, ...]  # fwpick.recommend.review.Review, one per record

    @property
    def stands(self) -> bool:
        return all(r.stands for r in self.reviews)


class Unwrapped(NamedTuple):
    """A line to print whole, never wrapped at the width: a command to copy and run."""

    text: Any


def formats(view: str) -> tuple[str, ...]:
    """The formats a view can be rendered in, the default first."""
    return tuple(RENDERERS[view])


def needs_console(view: str, fmt: str) -> bool:
    """Whether ``view`` in ``fmt`` renders Rich objects, for which the CLI needs a console."""
    module = RENDERERS[view][fmt].partition(":")[0]
    return fmt == "table" and module not in TEXT_MODULES


def render(view: str, fmt: str, model: Any, width: int) -> Any:
    """Render ``model`` as ``view`` in ``fmt``: a string, a Rich renderable, or a list of them."""
    module, _, function = RENDERERS[view][fmt].partition(":")
    renderer = getattr(importlib.import_module(f"fwpick.output.{module}"), function)
    return renderer(model, width)


def catalog_summary(catalog: Catalog) -> dict[str, Any]:
    """The catalogue a JSON output was made from, so that it can be told apart later."""
    return {
        "schema_version": catalog.schema_version,
        "checked": catalog.checked.isoformat(),
        "path": catalog.path,
        "sha256": catalog.digest,
    }


def enveloped(command: str, catalog: Catalog | None, data: dict[str, Any]) -> dict[str, Any]:
    """A command's data in the envelope every command's JSON shares."""
    envelope: dict[str, Any] = {
        "format_version": JSON_FORMAT_VERSION,
        "command": command,
        # null when the catalogue could not be read (validate of a broken file).
        "catalog": None if catalog is None else catalog_summary(catalog),
    }
    return {**envelope, **data}


def to_json(command: str, catalog: Catalog | None, data: dict[str, Any]) -> str:
    """One JSON document in the envelope every command shares."""
    import json  # only the JSON formats need it

    return json.dumps(enveloped(command, catalog, data), indent=2, ensure_ascii=False) + "\n"
