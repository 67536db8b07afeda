"""``fwpick recommend`` for people: the Rich ranking table (stacked on narrow terminals).

Catalogue text goes into :class:`rich.text.Text` objects (never markup
strings) and has control characters removed, so a catalogue cannot style or
rewrite the terminal.  JSON and Markdown are in :mod:`fwpick.output.ranking_text`.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from fwpick.output import TOP_ROWS, RankingView, Unwrapped
from fwpick.output.ranking_text import rerun_command
from fwpick.recommend.ranking import Ranked, Ranking
from fwpick.text import clean_text

BAR_WIDTH = 10
# Content widths the table keeps for its other columns, whatever the names.
_MIN_WHY, _MIN_NOTES, _MIN_NAME = 20, 16, len("Framework")
# Borders (6) and cell padding (2 x 5) of the five-column table, plus the
# narrowest "#" (2) and score (BAR_WIDTH) columns.
_FIXED = 6 + 10 + 2 + BAR_WIDTH


def _bar(score: float, max_score: float) -> str:
    filled = round(BAR_WIDTH * score / max_score) if max_score else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


class _RankedTable:
    """The ranking table, built when the width it is printed at is known.

    Rich shares out a table's width before it applies the ratio columns' minimum
    widths, so a framework column as wide as a long name would squeeze the
    others to nothing; capping the name's column to what the others leave over
    makes a long name fold instead.
    """

    def __init__(self, ranking: Ranking, shown: tuple[Ranked, ...]) -> None:
        self.ranking = ranking
        self.shown = shown

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        spare = options.max_width - _FIXED
        # At most a third of what is left, and never into the other columns' minimums.
        name_width = max(_MIN_NAME, min(spare - _MIN_WHY - _MIN_NOTES, spare // 3))
        yield _table(self.ranking, self.shown, name_width)


def _title(ranking: Ranking, shown: tuple[Ranked, ...]) -> str:
    ranked, total = len(ranking.entries), len(ranking.catalog.frameworks)
    if len(shown) < ranked:
        return (
            f"Ranking for your answers (the top {len(shown)} of {ranked:,} ranked,"
            f" {total:,} in all)"
        )
    return f"Ranking for your answers ({ranked} of {total} frameworks)"


def _table(ranking: Ranking, shown: tuple[Ranked, ...], name_width: int) -> Table:
    table = Table(title=_title(ranking, shown), show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True, min_width=2)
    table.add_column("Framework", overflow="fold", min_width=_MIN_NAME, max_width=name_width)
    table.add_column("Score", no_wrap=True, min_width=BAR_WIDTH)
    # As wide as the longest word, so that no word is split between lines
    # (its pieces would interleave with the other columns' text).
    why_words = [w for e in shown for r in e.reasons() for w in r.split()]
    note_words = [w for e in shown for w in e.framework.comparison_notes.split()]
    why_min = max([_MIN_WHY, *map(len, why_words)])
    notes_min = max([_MIN_NOTES, *map(len, note_words)])
    table.add_column("Why (points)", ratio=1, min_width=min(why_min, 30), overflow="fold")
    table.add_column("Comparison notes", ratio=1, min_width=min(notes_min, 30), overflow="fold")
    contenders = {e.framework.id for e in ranking.contenders()} if ranking.close_call else set()
    for entry in shown:
        fw = entry.framework
        name = Text(clean_text(fw.name), style="bold")
        name.append(f"\n{clean_text(entry.release.version)}", style="cyan")
        if entry.release.note:
            name.append(" (for this Python)", style="cyan")
        if fw.id in contenders:
            name.append("\nnear-tie", style="yellow")
        score = Text(f"{entry.score:.2f}", style="bold")
        score.append(f" / {ranking.max_score:.0f}\n")
        score.append(_bar(entry.score, ranking.max_score), style="cyan")
        why = Text("\n".join(clean_text(r) for r in entry.reasons()))
        table.add_row(
            Text(str(entry.rank)), name, score, why, Text(clean_text(fw.comparison_notes))
        )
    return table


# Below this width the five columns cannot all keep their minimum widths, so
# each framework gets a block of its own instead of a table row.
STACKED_BELOW = 100


def _stacked(ranking: Ranking, shown: tuple[Ranked, ...]) -> RenderableType:
    contenders = {e.framework.id for e in ranking.contenders()} if ranking.close_call else set()
    blocks: list[RenderableType] = [Text(_title(ranking, shown), style="bold")]
    for entry in shown:
        fw = entry.framework
        block = Text(f"{entry.rank}. ", style="bold")
        block.append(clean_text(fw.name), style="bold")
        block.append(f" {clean_text(entry.release.version)}", style="cyan")
        block.append(f"  {entry.score:.2f} / {ranking.max_score:.0f} ")
        block.append(_bar(entry.score, ranking.max_score), style="cyan")
        if fw.id in contenders:
            block.append("  near-tie", style="yellow")
        block.append("\nWhy (points): ", style="bold")
        block.append("; ".join(clean_text(r) for r in entry.reasons()))
        block.append("\nComparison notes: ", style="bold")
        block.append(clean_text(fw.comparison_notes))
        blocks.append(block)
    return Group(*_spaced(blocks))


def ranking_table(
    ranking: Ranking, width: int = STACKED_BELOW, every_row: bool = False
) -> RenderableType:
    """``fwpick recommend``: the ranking, the exclusions, the verdict and what would change it.

    A table from :data:`STACKED_BELOW` columns, one block per framework below;
    the top :data:`~fwpick.output.TOP_ROWS` frameworks and exclusions unless
    ``every_row``.  The command to re-run is :func:`rerun_line`, printed apart
    so that it is never wrapped.
    """
    limit = None if every_row else TOP_ROWS
    shown = ranking.entries[:limit]
    parts: list[RenderableType] = []
    if shown:
        table = _RankedTable(ranking, shown) if width >= STACKED_BELOW else _stacked(ranking, shown)
        parts.append(table)
    hidden = len(ranking.entries) - len(shown)
    if hidden:
        parts.append(_more(hidden, "ranked"))
    if ranking.excluded:
        # Plain lines, not a grid: a grid's unwrapped name column can take the whole width.
        excluded = Text("Excluded by your hard constraints:", style="bold")
        for ex in ranking.excluded[:limit]:
            excluded.append("\n")
            excluded.append(clean_text(ex.framework.name), style="bold")
            excluded.append(f" {clean_text(ex.reason)}")
        parts.append(excluded)
        hidden_out = len(ranking.excluded) - len(ranking.excluded[:limit])
        if hidden_out:
            parts.append(_more(hidden_out, "excluded"))
    verdict = Text(
        clean_text(ranking.verdict()), style="bold yellow" if ranking.close_call else "bold"
    )
    parts.append(verdict)
    change = Text("What would change the answer: ", style="bold")
    change.append(clean_text(ranking.what_if_text()))
    parts.append(change)
    if ranking.with_addons:
        addons = Text("With an add-on:", style="bold")
        for w in ranking.with_addons:
            addons.append(f"\n{clean_text(w.text())}")
        parts.append(addons)
    return Group(*_spaced(parts), Text(""))


def _more(count: int, what: str) -> Text:
    """E.g. "9,980 more frameworks ranked, not shown: --all prints every row"."""
    frameworks = "framework" if count == 1 else "frameworks"
    text = Text(f"{count:,} more {frameworks} {what}, not shown: ", style="dim")
    text.append("--all prints every row, --format json lists them all", style="dim")
    return text


def rerun_line(ranking: Ranking) -> Text:
    """The "Same answers without the quiz" line; print it with ``soft_wrap=True``."""
    again = Text("Same answers without the quiz: ", style="dim")
    again.append(clean_text(rerun_command(ranking)), style="dim")
    return again


def _spaced(parts: list[RenderableType]) -> list[RenderableType]:
    spaced: list[RenderableType] = []
    for part in parts:
        spaced += [part, Text("")]
    return spaced[:-1]


def ranking_view(view: RankingView, width: int) -> list[RenderableType | Unwrapped]:
    """``fwpick recommend``: the table, then the command to re-run on one unwrapped line."""
    ranking = view.ranking
    return [ranking_table(ranking, width, view.every_row), Unwrapped(rerun_line(ranking))]
