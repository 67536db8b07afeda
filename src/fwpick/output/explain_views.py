"""``fwpick recommend --explain NAME``: one framework's whole score, criterion by criterion.

The model is the ranking itself and the framework's id: every figure shown is
one the ranking already holds, so the breakdown always adds up to the score
in the ranking table.  The JSON and Markdown renderers import no Rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from fwpick.recommend.quiz import BY_ID
from fwpick.recommend.ranking import Ranked, Ranking
from fwpick.text import clean_text

if TYPE_CHECKING:
    from rich.console import RenderableType


class ExplainView(NamedTuple):
    ranking: Ranking
    framework_id: str


def _entry(view: ExplainView) -> Ranked | None:
    return next((e for e in view.ranking.entries if e.framework.id == view.framework_id), None)


def _headline(view: ExplainView) -> str:
    """ "Flask is 3rd of 21: 12.25 of 20 possible, 1.50 behind Django." or why it is out."""
    ranking = view.ranking
    entry = _entry(view)
    if entry is None:
        excluded = next(x for x in ranking.excluded if x.framework.id == view.framework_id)
        name = clean_text(excluded.framework.name)
        return f"{name} is not ranked for these answers: {clean_text(excluded.reason)}."
    name = clean_text(entry.framework.name)
    place = f"{name} is number {entry.rank} of {len(ranking.entries)}"
    score = f"{entry.score:.2f} of {ranking.max_score:.0f} possible"
    leader = ranking.entries[0]
    if entry.rank == 1:
        second = ranking.entries[1] if len(ranking.entries) > 1 else None
        ahead = (
            f", {entry.score - second.score:.2f} ahead of {clean_text(second.framework.name)}"
            if second is not None
            else ""
        )
        return f"{place}: {score}{ahead}."
    return (
        f"{place}: {score}, {leader.score - entry.score:.2f} behind"
        f" {clean_text(leader.framework.name)}."
    )


def explain_data(view: ExplainView) -> dict[str, Any]:
    """The breakdown as JSON-ready data; the keys are documented in the README."""
    from fwpick.output.ranking_text import contribution_data

    entry = _entry(view)
    ranking = view.ranking
    excluded = next((x for x in ranking.excluded if x.framework.id == view.framework_id), None)
    return {
        "id": view.framework_id,
        "summary": _headline(view),
        "rank": entry.rank if entry else None,
        "score": entry.score if entry else None,
        "max_score": ranking.max_score,
        "excluded": clean_text(excluded.reason) if excluded else None,
        "breakdown": [
            {**contribution_data(c), "evidence": clean_text(c.evidence)}
            for c in (entry.contributions if entry else ())
        ],
    }


def explain_json(view: ExplainView, width: int) -> str:
    from fwpick.output import to_json

    return to_json("recommend", view.ranking.catalog, {"explain": explain_data(view)})


def explain_markdown(view: ExplainView, width: int) -> str:
    from fwpick.output.markdown import md_cell, md_line

    lines = [f"# {md_line(_headline(view))}", ""]
    entry = _entry(view)
    if entry is not None:
        lines += [
            "| Criterion | Your answer | Weight | Points | Evidence |",
            "|---|---|---:|---:|---|",
        ]
        for c in entry.contributions:
            flag = BY_ID[c.criterion].flag
            evidence = clean_text(c.evidence) + (" (judgement)" if c.judgement else "")
            lines.append(
                f"| {md_cell(c.label)} | `{flag} {c.answer}` | {c.weight} | {c.points:g}"
                f" | {md_cell(evidence)} |"
            )
    return "\n".join(lines) + "\n"


def explain_table(view: ExplainView, width: int) -> list[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = [Text(_headline(view), style="bold")]
    entry = _entry(view)
    if entry is None:
        return parts
    table = Table(show_lines=False, expand=width < 100)
    table.add_column("Criterion", overflow="fold")
    table.add_column("Your answer", overflow="fold")
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("Evidence", ratio=1, overflow="fold")
    for c in entry.contributions:
        points = Text(f"{c.points:g} of {c.weight}", style="bold" if c.points else "dim")
        evidence = Text(clean_text(c.evidence))
        if c.judgement:
            evidence.append(" (judgement)", style="yellow")
        answer = Text(c.answer, style="cyan")
        table.add_row(Text(c.label), answer, points, evidence)
    table.add_row(Text("Total", style="bold"), Text(""), Text(f"{entry.score:g}"), Text(""))
    parts.append(table)
    return parts
