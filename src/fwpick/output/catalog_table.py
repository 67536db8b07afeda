"""Rich renderings of the catalogue: the compare table and the show panel.

Catalogue text is always wrapped in :class:`rich.text.Text`, never passed as a
markup string, so ``[bold]`` or ``[link=...]`` in a user's catalogue is shown
as typed.  Control characters were already removed when the catalogue loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.panel import Panel

from fwpick.catalog import model
from fwpick.catalog.filters import FILTERS, Selection, counts
from fwpick.output import COMPARE_MAX_ROWS, CatalogView, FrameworkView
from fwpick.output.words import (
    fact_rows,
    footprint_brief,
    interface_label,
    maintenance_level,
    maintenance_signal,
    python_requirement,
    throughput_brief,
    yes_no,
)

# Below this width the facts share one column so that every framework still
# gets a readable description; above it each fact has its own column.
WIDE = 200
# Below this width no table can keep every column readable: compare prints one
# block per framework, and show prints its facts and scores as "Label: value"
# paragraphs, so that every word is printed (long words fold, none is cut).
COMPARE_STACKED_BELOW = 120
SHOW_STACKED_BELOW = 100
SHOW_SOURCES_STACKED_BELOW = 160

# Header and widest width of each fact column of the wide layout.
_FACT_COLUMNS = (
    ("Async", 6),
    ("Single\nfile", 6),
    ("Interface", 10),
    ("Server", 11),
    ("Licence", 13),
    ("Python", 16),
)
_LEVEL_STYLE = {"active": "green", "quiet": "yellow", "stale": "red"}
_ASYNC_STYLE = {"yes": "green", "partly": "yellow", "no": "red"}


def _maintenance(fw: model.Framework, today: date) -> Text:
    return Text(maintenance_signal(fw, today), style=_LEVEL_STYLE[maintenance_level(fw, today)])


def _name_cell(fw: model.Framework, installed: str | None) -> Text:
    cell = Text(fw.name, style="bold")
    cell.append(f"\n{fw.version.value}", style="cyan")
    if installed == fw.version.value:
        cell.append("\ninstalled", style="green")
    elif installed:
        # Say which version is here: it may be an older line (see other_releases).
        cell.append(f"\ninstalled:\n{installed}", style="green")
    return cell


def _description_cell(fw: model.Framework) -> Text:
    cell = Text(fw.description)
    for claim in fw.seed_claims:
        cell.append("\nNow: ", style="bold yellow")
        cell.append(claim.current, style="yellow")
    return cell


def _async_cell(fw: model.Framework) -> Text:
    value = str(fw.facts.async_handlers.value)
    return Text(value, style=_ASYNC_STYLE.get(value, ""))


def _measured_cell(measured: model.Measured | None) -> str:
    """One figure a line: the throughput ratios, then the footprint; "-" before any bench run."""
    figures = [throughput_brief(measured), footprint_brief(measured)]
    return "\n".join(part for text in figures for part in text.split(", ") if part) or "-"


def _docs(fw: model.Framework) -> str:
    score = fw.scores.get("docs")
    return f"{score.value}/5" if score else "-"


def compare_table(
    catalog: model.Catalog,
    frameworks: list[model.Framework],
    today: date,
    installed: dict[str, str],
    width: int,
) -> RenderableType:
    """Every framework side by side; compact below :data:`WIDE` columns, stacked below
    :data:`COMPARE_STACKED_BELOW`."""
    title = f"Python web frameworks: {len(frameworks)} of {len(catalog.frameworks)}"
    caption = (
        f"Catalogue schema {catalog.schema_version}, facts checked {catalog.checked.isoformat()}."
        " Sources: fwpick show NAME --sources"
    )
    if width < COMPARE_STACKED_BELOW:
        return _compare_stacked(title, caption, frameworks, today, installed)
    table = Table(title=title, caption=caption, show_lines=True, expand=True)
    # Every column folds rather than cutting words with an ellipsis: nothing a
    # framework's entry says may be lost to a narrow terminal.
    table.add_column("Framework", overflow="fold", min_width=9, max_width=20)
    table.add_column("Description", ratio=3, min_width=20, overflow="fold")
    table.add_column("Comparison notes", ratio=2, min_width=12, overflow="fold")
    if width >= WIDE:
        # The facts get narrow fixed columns so that the prose keeps the room.
        for header, most in _FACT_COLUMNS:
            table.add_column(header, overflow="fold", max_width=most)
        table.add_column("Docs", justify="right", no_wrap=True)
        table.add_column("Measured", min_width=9, max_width=15, overflow="fold")
        table.add_column("Releases", min_width=9, max_width=12, overflow="fold")
        wide_rows: list[tuple[Text, ...]] = []
        for fw in frameworks:
            f = fw.facts
            wide_rows.append(
                (
                    _name_cell(fw, installed.get(fw.id)),
                    _description_cell(fw),
                    Text(fw.comparison_notes),
                    _async_cell(fw),
                    Text(yes_no(f.single_file.value)),
                    Text(interface_label(f.interface.value)),
                    Text(str(f.server.value)),
                    Text(str(f.licence.value)),
                    Text(python_requirement(fw, "\n")),
                    Text(_docs(fw)),
                    Text(_measured_cell(fw.measured)),
                    _maintenance(fw, today),
                )
            )
        table.caption = (
            f"{caption}. Measured (fwpick bench): requests per second as a multiple of a bare"
            " app's on the same server, and the installed footprint"
        )
        return _with_rows(table, wide_rows)
    table.add_column("Facts", width=max(18, min(28, width // 5)), overflow="fold")
    rows: list[tuple[Text, ...]] = [
        (
            _name_cell(fw, installed.get(fw.id)),
            _description_cell(fw),
            Text(fw.comparison_notes),
            _facts_cell(fw, today),
        )
        for fw in frameworks
    ]
    return _with_rows(table, rows)


def _with_rows(table: Table, rows: list[tuple[Text, ...]]) -> Table:
    """Add the rows, and widen each column to its longest word.

    Rich folds a word longer than its column into pieces on separate lines of
    the table, between the other columns' text; a column as wide as its
    longest word keeps every word whole.  (The stacked layout takes over
    where the words cannot all fit.)
    """
    for row in rows:
        table.add_row(*row)
    for index, column in enumerate(table.columns):
        longest = max((len(word) for row in rows for word in row[index].plain.split()), default=0)
        column.min_width = max(column.min_width or 0, longest)
        if column.max_width is not None:
            column.max_width = max(column.max_width, longest)
        if column.width is not None:
            column.width = max(column.width, longest)
    return table


def _compare_stacked(
    title: str,
    caption: str,
    frameworks: list[model.Framework],
    today: date,
    installed: dict[str, str],
) -> Group:
    blocks: list[RenderableType] = [Text(title, style="bold")]
    for fw in frameworks:
        block = Text(fw.name, style="bold")
        block.append(f" {fw.version.value}", style="cyan")
        here = installed.get(fw.id)
        if here:
            block.append(" (installed)" if here == fw.version.value else f" (installed: {here})")
        block.append("\n")
        block.append_text(_description_cell(fw))
        block.append("\nComparison notes: ", style="bold")
        block.append(fw.comparison_notes)
        block.append("\nFacts: ", style="bold")
        block.append_text(_facts_cell(fw, today, sep="; "))
        blocks.append(block)
    blocks.append(Text(caption, style="dim"))
    spaced: list[RenderableType] = []
    for part in blocks:
        spaced += [part, Text("")]
    return Group(*spaced[:-1])


def _facts_cell(fw: model.Framework, today: date, sep: str = "\n") -> Text:
    f = fw.facts
    cell = Text("async: ")
    cell.append_text(_async_cell(fw))
    cell.append(f"{sep}single file: {yes_no(f.single_file.value)}")
    cell.append(f"{sep}{interface_label(f.interface.value)}")
    cell.append(f"{sep}server: {f.server.value}")
    cell.append(f"{sep}{f.licence.value}")
    cell.append(f"{sep}Python " + python_requirement(fw, "\n" if sep == "\n" else ", "))
    cell.append(f"{sep}docs {_docs(fw)}")
    throughput, footprint = throughput_brief(fw.measured), footprint_brief(fw.measured)
    if throughput:
        cell.append(f"{sep}throughput {throughput} of a bare app")
    if footprint:
        cell.append(f"{sep}{footprint}")
    cell.append(sep)
    cell.append_text(_maintenance(fw, today))
    return cell


def framework_panel(
    fw: model.Framework, today: date, installed: str | None, sources: bool, width: int = 200
) -> Panel:
    """Everything about one framework; facts and scores as paragraphs when narrow."""
    from rich.panel import Panel  # only show needs it, not compare

    parts: list[RenderableType] = [Text(fw.description)]
    for claim in fw.seed_claims:
        note = Text("Seed text says: ", style="yellow")
        note.append(claim.claim)
        note.append("\nNow: ", style="bold yellow")
        note.append(claim.current)
        parts.append(note)
    notes = Text("Comparison notes: ", style="bold")
    notes.append(fw.comparison_notes)
    parts.append(notes)

    stacked = width < (SHOW_SOURCES_STACKED_BELOW if sources else SHOW_STACKED_BELOW)
    rows = [(label, value, fact) for label, value, fact in fact_rows(fw)]
    extra = [("Maintenance", _maintenance(fw, today)), ("Installed here", Text(installed or "no"))]
    extra += [
        ("Also", Text(f"{r.version} (Python {r.requires_python}): {r.note}"))
        for r in fw.other_releases
    ]
    if stacked:
        facts_text = Text()
        for label, value, fact in rows:
            facts_text.append(f"{label}: ", style="bold")
            facts_text.append(value)
            if sources:
                facts_text.append(
                    f"\n  Checked in: {fact.source} ({fact.checked.isoformat()})", style="dim"
                )
            facts_text.append("\n")
        for label, cell in extra:
            facts_text.append(f"{label}: ", style="bold")
            facts_text.append_text(cell)
            facts_text.append("\n")
        facts_text.rstrip()
        parts.append(facts_text)
    else:
        facts = Table(box=None, show_header=sources, pad_edge=False, expand=False)
        facts.add_column("Fact", style="bold", no_wrap=True)
        facts.add_column("Value", overflow="fold")
        if sources:
            facts.add_column("Checked in", style="dim", overflow="fold")
            facts.add_column("When", style="dim", no_wrap=True)
        for label, value, fact in rows:
            row = [Text(label), Text(value)]
            if sources:
                row += [Text(fact.source), Text(fact.checked.isoformat())]
            facts.add_row(*row)
        for label, cell in extra:
            facts.add_row(Text(label), cell)
        parts.append(facts)

    if stacked:
        scores_text = Text()
        for name, score in fw.scores.items():
            bar = "●" * score.value + "○" * (model.SCORE_MAX - score.value)
            scores_text.append(f"{name} ", style="bold")
            scores_text.append(bar, style="cyan")
            scores_text.append(f" {score.rationale}\n")
        scores_text.rstrip()
        parts += [Text("Scores", style="bold underline"), scores_text]
    else:
        scores = Table(box=None, show_header=False, pad_edge=False)
        scores.add_column(style="bold", no_wrap=True)
        scores.add_column(no_wrap=True)
        scores.add_column(overflow="fold")
        for name, score in fw.scores.items():
            bar = "●" * score.value + "○" * (model.SCORE_MAX - score.value)
            scores.add_row(Text(name), Text(bar, style="cyan"), Text(score.rationale))
        parts += [Text("Scores", style="bold underline"), scores]

    links = Text()
    for label, url in (("Home", fw.links.homepage), ("Docs", fw.links.docs)):
        links.append(f"{label}: ", style="bold")
        links.append(url + "\n")
    links.append("Source: ", style="bold")
    links.append(fw.links.source)
    parts.append(links)
    parts.append(_install_text(fw))
    if fw.starter:
        parts += _starter_parts(fw.id, fw.starter)
    if not sources:
        parts.append(Text("Where each fact was checked: add --sources", style="dim"))
    title = Text(f"{fw.name} {fw.version.value}", style="bold")
    spaced: list[RenderableType] = []
    for part in parts:
        spaced += [part, Text("")]
    return Panel(Group(*spaced[:-1]), title=title, title_align="left", padding=(0, 1))


def _install_text(fw: model.Framework) -> Text:
    text = Text("Install: ", style="bold")
    text.append(f"pip install {fw.pypi}")
    return text


def _starter_parts(ident: str, starter: model.Starter) -> list[RenderableType]:
    run = Text("Run: ", style="bold")
    run.append(starter.run)
    if starter.preferred_run:
        run.append("   or: ", style="bold")
        run.append(starter.preferred_run)
    requirements = Text("Starter needs: ", style="bold")
    requirements.append(" ".join(starter.requirements))
    if starter.server is not None:
        run.append(
            f"\nServe with {starter.server.name} {starter.server.version.value}: ", style="bold"
        )
        run.append(starter.serve)
    run.append("\nWrite it to a folder: ", style="bold")
    run.append(f"fwpick new {ident}")
    return [
        Text("Hello world (app.py)", style="bold underline"),
        # Plain, not highlighted: colouring a 15-line hello world is not worth
        # Pygments' ~35 ms, nor a hand-written tokenizer's upkeep.
        Text(starter.app.rstrip(), style="cyan"),
        requirements,
        run,
    ]


# --- the registry's renderers (see fwpick.output.RENDERERS) -------------------


def compare_view(view: CatalogView, width: int) -> RenderableType:
    """``fwpick compare``: the table, or how to narrow a list too long for one."""
    if len(view.frameworks) > COMPARE_MAX_ROWS and not view.every_row:
        return too_many(view.frameworks)
    return compare_table(view.catalog, list(view.frameworks), view.today, view.installed, width)


def too_many(frameworks: Sequence[model.Framework]) -> Text:
    """What compare prints instead of a table of more than :data:`COMPARE_MAX_ROWS` rows.

    The counts of each filter's values show which filter narrows the list most.
    """
    if not isinstance(frameworks, Selection):
        frameworks = Selection(frameworks, range(len(frameworks)))
    text = Text(f"{len(frameworks):,} frameworks match: too many for one table.", style="bold")
    text.append(
        f"\nNarrow the list to at most {COMPARE_MAX_ROWS} with --only NAME,NAME or a filter:"
    )
    found = counts(frameworks)
    for name, spec in FILTERS.items():
        listed = ", ".join(f"{value} {n:,}" for value, n in found[name].items())
        text.append(f"\n  {spec.flag} LIST", style="bold")
        text.append(f"  ({spec.about}: {listed})")
    text.append("\nOr print the table anyway with --all; --format json lists every framework.")
    return text


def show_view(view: FrameworkView, width: int) -> list[RenderableType]:
    """``fwpick show NAME``, then the answers under which ``recommend`` picks it."""
    parts: list[RenderableType] = [
        framework_panel(view.framework, view.today, view.installed, view.sources, width)
    ]
    if view.installed_in:
        parts.append(Text(f"Installed here: looked in {view.installed_in}.", style="dim"))
    if view.best_fit is not None:
        line = Text("Recommended: ", style="bold")
        line.append(view.best_fit.text())
        parts.append(line)
    return parts
