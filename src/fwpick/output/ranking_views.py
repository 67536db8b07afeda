"""The outputs of ``fwpick recommend``: a Rich table, JSON and Markdown of one Ranking.

Catalogue text goes into :class:`rich.text.Text` objects (never markup
strings) and has control characters removed, so a catalogue cannot style or
rewrite the terminal.  JSON and Markdown never touch Rich.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from fwpick.catalog import bundled_catalog_path
from fwpick.output.catalog_text import md_cell, md_line
from fwpick.recommend.quiz import BY_ID
from fwpick.recommend.ranking import Ranking
from fwpick.text import clean_text, shell_join

JSON_FORMAT_VERSION = 1
BAR_WIDTH = 10
# Content widths the table keeps for its other columns, whatever the names.
_MIN_WHY, _MIN_NOTES, _MIN_NAME = 20, 16, len("Framework")
# Borders (6) and cell padding (2 x 5) of the five-column table, plus the
# narrowest "#" (2) and score (BAR_WIDTH) columns.
_FIXED = 6 + 10 + 2 + BAR_WIDTH


def own_catalog(ranking: Ranking) -> str | None:
    """The absolute path of the catalogue the ranking was read from; None for the bundled one.

    Absolute, so a command or record that names it still works from another folder.
    """
    path = ranking.catalog.path
    if not path or Path(path).resolve() == bundled_catalog_path().resolve():
        return None
    return os.path.abspath(path)


def rerun_command(ranking: Ranking) -> str:
    """The command that gives the same answers, from the same catalogue, without the quiz.

    Every word is quoted for the shell, a path with control characters
    included, so the printed command names the very file that was read.
    """
    words = ["fwpick", "recommend", *ranking.answers.as_flags()]
    catalog = own_catalog(ranking)
    if catalog is not None:
        words += ["--catalog", catalog]
    return shell_join(words)


def md_code(text: str) -> str:
    """``text`` as a Markdown code span, fenced so that backticks inside cannot end it."""
    runs = [len(run) for run in re.findall("`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def ranking_data(ranking: Ranking) -> dict[str, Any]:
    """The ranking as JSON-ready data; the keys are documented in the README."""
    what_if = ranking.what_if
    return {
        "format_version": JSON_FORMAT_VERSION,
        "catalog": {
            "schema_version": ranking.catalog.schema_version,
            "checked": ranking.catalog.checked.isoformat(),
        },
        "answers": ranking.answers.as_dict(),
        "hard_constraints": list(ranking.answers.required()),
        "max_score": ranking.max_score,
        "ranking": [
            {
                "rank": entry.rank,
                "id": entry.framework.id,
                "name": entry.framework.name,
                "score": entry.score,
                "breakdown": [
                    {
                        "criterion": c.criterion,
                        "label": c.label,
                        "answer": c.answer,
                        "weight": c.weight,
                        "value": c.value,
                        "points": c.points,
                        "evidence": c.evidence,
                    }
                    for c in entry.contributions
                ],
                "reasons": list(entry.reasons()),
                "comparison_notes": entry.framework.comparison_notes,
            }
            for entry in ranking.entries
        ],
        "excluded": [
            {
                "id": ex.framework.id,
                "name": ex.framework.name,
                "reason": ex.reason,
                "failed": list(ex.failed),
            }
            for ex in ranking.excluded
        ],
        "verdict": ranking.verdict(),
        "close_call": ranking.close_call,
        "what_would_change": {
            "text": ranking.what_if_text(),
            "leader": what_if.leader.id if what_if else None,
            "changes": [
                {"question": c.question, "flag": BY_ID[c.question].flag, "from": c.old, "to": c.new}
                for c in what_if.changes
            ]
            if what_if
            else [],
        },
    }


def ranking_json(ranking: Ranking) -> str:
    """``fwpick recommend --format json``."""
    import json  # only this format needs it

    return json.dumps(ranking_data(ranking), indent=2, ensure_ascii=False)


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

    def __init__(self, ranking: Ranking) -> None:
        self.ranking = ranking

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        spare = options.max_width - _FIXED
        # At most a third of what is left, and never into the other columns' minimums.
        name_width = max(_MIN_NAME, min(spare - _MIN_WHY - _MIN_NOTES, spare // 3))
        yield _table(self.ranking, name_width)


def _table(ranking: Ranking, name_width: int) -> Table:
    table = Table(
        title=f"Ranking for your answers ({len(ranking.entries)} of"
        f" {len(ranking.catalog.frameworks)} frameworks)",
        show_lines=True,
        expand=True,
    )
    table.add_column("#", justify="right", no_wrap=True, min_width=2)
    table.add_column("Framework", overflow="fold", min_width=_MIN_NAME, max_width=name_width)
    table.add_column("Score", no_wrap=True, min_width=BAR_WIDTH)
    table.add_column("Why (points)", ratio=1, min_width=_MIN_WHY)
    table.add_column("Comparison notes", ratio=1, min_width=_MIN_NOTES)
    contenders = {e.framework.id for e in ranking.contenders()} if ranking.close_call else set()
    for entry in ranking.entries:
        fw = entry.framework
        name = Text(clean_text(fw.name), style="bold")
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
STACKED_BELOW = 80


def _stacked(ranking: Ranking) -> RenderableType:
    contenders = {e.framework.id for e in ranking.contenders()} if ranking.close_call else set()
    blocks: list[RenderableType] = [
        Text(
            f"Ranking for your answers ({len(ranking.entries)} of"
            f" {len(ranking.catalog.frameworks)} frameworks)",
            style="bold",
        )
    ]
    for entry in ranking.entries:
        fw = entry.framework
        block = Text(f"{entry.rank}. ", style="bold")
        block.append(clean_text(fw.name), style="bold")
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


def ranking_table(ranking: Ranking, width: int = STACKED_BELOW) -> RenderableType:
    """``fwpick recommend``: the ranking, the exclusions, the verdict and what would change it.

    A table from :data:`STACKED_BELOW` columns, one block per framework below.
    The command to re-run is :func:`rerun_line`, printed apart so that it is
    never wrapped.
    """
    parts: list[RenderableType] = []
    if ranking.entries:
        parts.append(_RankedTable(ranking) if width >= STACKED_BELOW else _stacked(ranking))
    if ranking.excluded:
        # Plain lines, not a grid: a grid's unwrapped name column can take the whole width.
        excluded = Text("Excluded by your hard constraints:", style="bold")
        for ex in ranking.excluded:
            excluded.append("\n")
            excluded.append(clean_text(ex.framework.name), style="bold")
            excluded.append(f" {clean_text(ex.reason)}")
        parts.append(excluded)
    verdict = Text(
        clean_text(ranking.verdict()), style="bold yellow" if ranking.close_call else "bold"
    )
    parts.append(verdict)
    change = Text("What would change the answer: ", style="bold")
    change.append(clean_text(ranking.what_if_text()))
    parts.append(change)
    return Group(*_spaced(parts), Text(""))


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


def ranking_markdown(ranking: Ranking) -> str:
    """``fwpick recommend --format markdown``: the same content as the table, ready to paste."""
    out = ["## Recommendation", ""]
    if ranking.entries:
        out += [
            "| # | Framework | Score | Why (points) | Comparison notes |",
            "|---:|---|---|---|---|",
        ]
        for entry in ranking.entries:
            fw = entry.framework
            why = "<br>".join(md_cell(r) for r in entry.reasons())
            out.append(
                f"| {entry.rank} | {md_cell(fw.name)} | {entry.score:.2f} / {ranking.max_score:.0f}"
                f" | {why} | {md_cell(fw.comparison_notes)} |"
            )
        out.append("")
    if ranking.excluded:
        out += ["Excluded by your hard constraints:", ""]
        out += [
            f"- **{md_line(ex.framework.name)}**: {md_line(ex.reason)}" for ex in ranking.excluded
        ]
        out.append("")
    out += [f"**{md_line(ranking.verdict())}**", ""]
    out += [f"What would change the answer: {md_line(ranking.what_if_text())}", ""]
    out += [f"Same answers without the quiz: {md_code(clean_text(rerun_command(ranking)))}"]
    return "\n".join(out) + "\n"
