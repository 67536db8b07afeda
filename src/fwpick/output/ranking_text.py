"""``fwpick recommend`` as text: JSON (stable keys) and Markdown, and the re-run command.

Never imports Rich, so ``recommend --format json`` stays cheap.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fwpick.catalog import bundled_catalog_path
from fwpick.output import RankingView, to_json
from fwpick.output.markdown import md_cell, md_code, md_line
from fwpick.recommend.quiz import BY_ID
from fwpick.recommend.ranking import Ranking
from fwpick.text import clean_text, shell_join


def own_catalog(ranking: Ranking) -> str | None:
    """The absolute path of the catalogue the ranking was read from; None for the bundled one.

    Absolute, so a command or record that names it still works from another folder.
    """
    path = ranking.catalog.path
    if not path or Path(path).resolve() == bundled_catalog_path().resolve():
        return None
    return os.path.abspath(path)


def bench_results(ranking: Ranking) -> str | None:
    """The absolute path of the bench results the ranking's throughput was read from, if any."""
    for fw in ranking.catalog.frameworks:
        if fw.measured is not None and fw.measured.origin:
            return os.path.abspath(fw.measured.origin)
    return None


def rerun_command(ranking: Ranking) -> str:
    """The command that gives the same answers, from the same catalogue and bench results.

    Every word is quoted for the shell, a path with control characters
    included, so the printed command names the very file that was read.
    """
    words = ["fwpick", "recommend", *ranking.answers.as_flags()]
    catalog = own_catalog(ranking)
    if catalog is not None:
        words += ["--catalog", catalog]
    bench = bench_results(ranking)
    if bench is not None:
        words += ["--bench", bench]
    return shell_join(words)


def ranking_data(ranking: Ranking) -> dict[str, Any]:
    """The ranking as JSON-ready data; the keys are documented in the README."""
    what_if = ranking.what_if
    return {
        "answers": ranking.answers.as_dict(),
        "python": None if ranking.python is None else "{}.{}".format(*ranking.python),
        "hard_constraints": list(ranking.answers.hard()),
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
                        "judgement": c.judgement,
                    }
                    for c in entry.contributions
                ],
                "reasons": list(entry.reasons()),
                "version": entry.release.version,
                "release_note": entry.release.note,
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
        "with_addons": [
            {
                "addon": w.addon.id,
                "base": w.base.id,
                "name": f"{w.base.name} + {w.addon.name}",
                "adds": list(w.adds),
                "score": w.score,
                "base_score": w.base_score,
                "rank": w.rank,
                "text": w.text(),
            }
            for w in ranking.with_addons
        ],
    }


def ranking_json(view: RankingView, width: int = 0) -> str:
    """``fwpick recommend --format json``: every framework, whatever ``--all`` says."""
    return to_json("recommend", view.ranking.catalog, ranking_data(view.ranking))


def ranking_markdown(view: RankingView, width: int = 0) -> str:
    """``fwpick recommend --format markdown``: the same content as the table, ready to paste.

    Every framework, whatever ``--all`` says: a document is read, not scrolled past.
    """
    ranking = view.ranking
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
    out += [f"- {md_line(w.text())}" for w in ranking.with_addons]
    out += [""] if ranking.with_addons else []
    out += [f"Same answers without the quiz: {md_code(clean_text(rerun_command(ranking)))}"]
    return "\n".join(out) + "\n"
