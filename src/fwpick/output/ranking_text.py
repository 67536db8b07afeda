"""``fwpick recommend`` as text: JSON (stable keys) and Markdown, and the re-run command.

Never imports Rich, so ``recommend --format json`` stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from fwpick.catalog import bundled_catalog_path
from fwpick.catalog.model import Framework
from fwpick.output import RankingView, enveloped, to_json
from fwpick.output.json_stream import (
    Runs,
    Template,
    document,
    dumps,
    hole,
    list_text,
    scalar,
)
from fwpick.output.markdown import md_cell, md_code, md_line
from fwpick.recommend.column_ranking import Entries, Exclusions
from fwpick.recommend.columns import notes_for
from fwpick.recommend.python_version import Release
from fwpick.recommend.quiz import BY_ID
from fwpick.recommend.ranking import Contribution, Ranked, Ranking
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
    from fwpick.catalog.cache import CachedFrameworks

    if isinstance(ranking.catalog.frameworks, CachedFrameworks):
        return None  # as the file has it: bench results are applied to a copy
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
    return _data(
        ranking,
        [
            entry_data(
                entry.rank,
                entry.framework.id,
                entry.framework.name,
                entry.score,
                entry.contributions,
                entry.reasons(),
                entry.release.version,
                entry.release.note,
                entry.framework.comparison_notes,
            )
            for entry in ranking.entries
        ],
        [
            excluded_data(ex.framework.id, ex.framework.name, ex.reason, ex.failed)
            for ex in ranking.excluded
        ],
    )


def entry_data(
    rank: Any,
    ident: Any,
    name: Any,
    score: Any,
    contributions: tuple[Contribution, ...],
    reasons: tuple[str, ...],
    version: Any,
    note: Any,
    notes: Any,
) -> dict[str, Any]:
    """One ranked framework as JSON-ready data (scalars may be holes, see json_stream)."""
    return {
        "rank": rank,
        "id": ident,
        "name": name,
        "score": score,
        "breakdown": [contribution_data(c) for c in contributions],
        "reasons": list(reasons),
        "version": version,
        "release_note": note,
        "comparison_notes": notes,
    }


def contribution_data(c: Contribution) -> dict[str, Any]:
    """One criterion of a ranked framework's breakdown, as JSON-ready data."""
    return {
        "criterion": c.criterion,
        "label": c.label,
        "answer": c.answer,
        "weight": c.weight,
        "value": c.value,
        "points": c.points,
        "evidence": c.evidence,
        "judgement": c.judgement,
    }


def excluded_data(ident: Any, name: Any, reason: Any, failed: tuple[str, ...]) -> dict[str, Any]:
    """One excluded framework as JSON-ready data (scalars may be holes, see json_stream)."""
    return {"id": ident, "name": name, "reason": reason, "failed": list(failed)}


def _data(ranking: Ranking, entries: Any, excluded: Any) -> dict[str, Any]:
    what_if = ranking.what_if
    return {
        "answers": ranking.answers.as_dict(),
        "python": None if ranking.python is None else "{}.{}".format(*ranking.python),
        "hard_constraints": list(ranking.answers.hard()),
        "max_score": ranking.max_score,
        "ranking": entries,
        "excluded": excluded,
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


def ranking_json(view: RankingView, width: int = 0) -> str | Iterator[str | bytes]:
    """``fwpick recommend --format json``: every framework, whatever ``--all`` says.

    A ranking from the catalogue's columns is written a piece at a time from
    them (:func:`ranking_json_pieces`): the same text, without loading or
    explaining each framework separately.
    """
    ranking = view.ranking
    if isinstance(ranking.entries, Entries) and isinstance(ranking.excluded, Exclusions):
        return ranking_json_pieces(ranking, ranking.entries, ranking.excluded)
    return to_json("recommend", ranking.catalog, ranking_data(ranking))


def ranking_json_pieces(
    ranking: Ranking, entries: Entries, excluded: Exclusions
) -> Iterator[str | bytes]:
    """The text of :func:`ranking_json`, a piece at a time, from a ranking's lines.

    One template for every entry; each contribution's text is made once (a
    few hundred serve 10,000 frameworks) and each profile's lists once.
    """
    holes = ("rank", "id", "name", "score", "breakdown", "reasons", "version", "note", "notes")
    rank, ident, name, score, _, _, version, note, notes = map(hole, holes)
    value = entry_data(rank, ident, name, score, (), (), version, note, notes)
    value["breakdown"], value["reasons"] = hole("breakdown"), hole("reasons")
    entry = Template(value, 2, holes)
    # By question and row: its text in a breakdown, and the key Ranked.reasons
    # sorts its reason by, or None when it weighs nothing.  A few hundred
    # serve 10,000 frameworks, so all are made up front.
    Key = tuple[float, int, str, str]
    made: list[list[tuple[str, Key | None]]] = []
    for i, count in enumerate(entries.row_counts()):
        made.append([])
        for r in range(count):
            c = entries.contribution(i, r)
            key = [(-c.points, -c.weight, c.criterion, text) for text in reasons_of((c,))]
            made[-1].append((dumps(contribution_data(c), 4), key[0] if key else None))
    # Each reason's place in that order, worked out once, then sorts a profile's few.
    keys = sorted({key for row in made for _, key in row if key is not None})
    place = {key: (n, encode_basestring(key[-1])) for n, key in enumerate(keys)}
    texts = [[text for text, _ in row] for row in made]
    # Only the questions that weigh something give reasons.
    weighed = [i for i, row in enumerate(made) if any(key is not None for _, key in row)]
    reasons = [[key and place[key] for _, key in made[i]] for i in weighed]
    pick = list.__getitem__  # a C function: map() then picks each question's row without a loop
    excluded_templates: dict[tuple[str, ...], Template] = {}

    def blocks(profiles: list[int]) -> dict[int, tuple[str, str]]:
        """Each profile's breakdown and reasons: comprehensions over them all, with the
        rows picked by map() in C, since at 10,000 frameworks there are thousands."""
        rows = [entries.rows(profile) for profile in profiles]
        breakdowns = [list_text(list(map(pick, texts, some)), 3) for some in rows]
        # The reasons depend only on the rows of the questions that weigh, which
        # far fewer profiles differ in: each set of those is sorted once.
        if len(weighed) > 1:
            keys = list(map(itemgetter(*weighed), rows))
        else:
            keys = [tuple(some[i] for i in weighed) for some in rows]
        listed = {}
        for key in dict.fromkeys(keys):
            given = sorted(filter(None, map(pick, reasons, key)))
            listed[key] = list_text([text for _, text in given], 3)
        return {p: (b, listed[k]) for p, b, k in zip(profiles, breakdowns, keys, strict=True)}

    def entry_texts() -> Runs:
        # Field by field, then every entry filled in by joins in C: at 10,000
        # frameworks a loop over them costs more than all the rest.  Text goes
        # through the encoder's own string function, numbers as it writes them
        # (see json_stream.scalar).
        lines = entries.lines(notes_for(ranking.catalog))
        made = blocks(list(dict.fromkeys(lines.profiles)))
        # A few release lines serve thousands.
        shared = {id(r): r for r in lines.releases}
        release = {
            k: (encode_basestring(r.version), encode_basestring(r.note)) for k, r in shared.items()
        }
        columns = [
            list(map(str, range(1, len(lines.ids) + 1))),
            list(map(encode_basestring, lines.ids)),
            list(map(encode_basestring, lines.names)),
            list(map(scalar, lines.scores)),
            [made[profile][0] for profile in lines.profiles],
            [made[profile][1] for profile in lines.profiles],
            [release[id(r)][0] for r in lines.releases],
            [release[id(r)][1] for r in lines.releases],
            list(map(encode_basestring, lines.comparison_notes)),
        ]
        return entry.fill_all(columns, 1)

    def excluded_texts() -> Iterator[str]:
        for ident, name, failed, reason in excluded.lines():
            template = excluded_templates.get(failed)
            if template is None:
                value = excluded_data(hole("id"), hole("name"), hole("reason"), failed)
                template = excluded_templates[failed] = Template(value, 2, ("id", "name", "reason"))
            yield template.fill(scalar(ident), scalar(name), scalar(reason))

    top = enveloped("recommend", ranking.catalog, _data(ranking, hole("ranking"), hole("excluded")))
    yield from document(top, {"ranking": entry_texts(), "excluded": excluded_texts()})


def reasons_of(contributions: tuple[Contribution, ...]) -> tuple[str, ...]:
    """:meth:`Ranked.reasons` of any framework with these contributions (it reads nothing else)."""
    return Ranked(0, cast(Framework, None), 0.0, contributions, cast(Release, None)).reasons()


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
