"""``fwpick show`` for the catalogue's other entries: add-ons, servers, and frameworks to avoid.

One model of rows (label, text) serves the table, JSON and Markdown, so the
three say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fwpick.catalog import model
from fwpick.output import EntryView, to_json
from fwpick.output.markdown import md_cell, md_line, md_url
from fwpick.output.words import fact_text

_KINDS = {model.Addon: "add-on", model.Server: "server", model.Avoided: "to avoid"}


def kind_of(entry: Any) -> str:
    return _KINDS.get(type(entry), "entry")


def _rows(view: EntryView) -> list[tuple[str, str]]:
    entry = view.entry
    rows: list[tuple[str, str]] = []
    if isinstance(entry, model.Avoided):
        rows.append(("Status", entry.status))
        rows.append(("Last release", fact_text(entry.last_release)))
        rows += [("Evidence", fact_text(fact)) for fact in entry.evidence]
        names = [
            (view.catalog.get(ident).name if view.catalog.get(ident) else ident)  # type: ignore[union-attr]
            for ident in entry.instead
        ]
        rows.append(("Use instead", ", ".join(names)))
        return rows
    rows.append(("Latest version", fact_text(entry.version)))
    rows.append(("Released", fact_text(entry.released)))
    if isinstance(entry, model.Addon):
        base = view.catalog.get(entry.base)
        rows.append(("Extends", base.name if base else entry.base))
        rows.append(("Adds", fact_text(entry.adds)))
    for name, fact in entry.facts.items():
        rows.append((name.replace("_", " ").capitalize(), fact_text(fact, "none")))
    if isinstance(entry, model.Server):
        if entry.run is not None:
            rows.append(("Run", fact_text(entry.run)))
        starters = [name for name, server in _starter_servers(view.catalog) if server == entry.id]
        if starters:
            rows.append(("Serves the starters of", ", ".join(starters)))
    if entry.release_history is not None:
        history = entry.release_history
        rows.append(("First release", fact_text(history.first_release)))
        rows.append(("Releases, last 12 months", fact_text(history.releases_last_12_months)))
    rows.append(("Home", entry.links.homepage))
    rows.append(("Docs", entry.links.docs))
    return rows


def _starter_servers(catalog: model.Catalog) -> Sequence[tuple[str, str | None]]:
    """Each framework's name and the id of the server its starter runs on (None: none).

    Kept with a cached catalogue, so that naming a server's starters loads
    none of its 10,000 frameworks.
    """
    from fwpick.catalog.cache import CachedFrameworks

    frameworks = catalog.frameworks

    def build() -> tuple[tuple[str, str | None], ...]:
        return tuple(
            (fw.name, fw.starter.server.id if fw.starter and fw.starter.server else None)
            for fw in frameworks
        )

    if isinstance(frameworks, CachedFrameworks):
        kept: Sequence[tuple[str, str | None]] = frameworks.derived("starters", _MODULES, build)
        return kept
    return build()


# The modules whose code decides what _starter_servers keeps.
_MODULES = ("output/entry_views.py",)


def _title(entry: Any) -> str:
    return f"{entry.name} ({kind_of(entry)})"


def _summary(entry: Any) -> str:
    if isinstance(entry, model.Avoided):
        return entry.note
    text = entry.description
    if isinstance(entry, model.Addon):
        text += " " + entry.comparison_notes
    return text


def entry_table(view: EntryView, width: int) -> Any:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=width >= 60)
    table.add_column(overflow="fold")
    for label, text in _rows(view):
        table.add_row(Text(label), Text(text))
    from rich.console import Group

    body = Group(Text(_summary(view.entry)), Text(""), table)
    return Panel(body, title=Text(_title(view.entry), style="bold"), title_align="left")


def entry_json(view: EntryView, width: int) -> str:
    return to_json("show", view.catalog, entry_dict(view.catalog, view.entry))


def entry_markdown(view: EntryView, width: int) -> str:
    out = [f"# {md_line(_title(view.entry))}", "", md_line(_summary(view.entry)), ""]
    out += ["| | |", "|---|---|"]
    for label, text in _rows(view):
        shown = f"<{md_url(text)}>" if text.startswith(("http://", "https://")) else md_cell(text)
        out.append(f"| {md_cell(label)} | {shown} |")
    return "\n".join(out) + "\n"


def entry_dict(catalog: model.Catalog, entry: Any) -> dict[str, Any]:
    """An add-on, server or avoided framework as JSON-ready data."""
    view = EntryView(catalog, entry)
    data: dict[str, Any] = {
        "id": entry.id,
        "name": entry.name,
        "pypi": entry.pypi,
        "kind": kind_of(entry),
        "summary": _summary(entry),
        "rows": [{"label": label, "text": text} for label, text in _rows(view)],
    }
    if isinstance(entry, model.Avoided):
        data["instead"] = list(entry.instead)
    if isinstance(entry, model.Addon):
        data["base"] = entry.base
    return data
