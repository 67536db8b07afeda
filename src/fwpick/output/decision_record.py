"""``--report``: the ranking as an architecture decision record in the MADR layout.

The record is meant to be committed next to a team's other decisions (often
``docs/decisions/``), so it states the catalogue's schema version and check
date and the exact command that re-creates the ranking, for re-checking later,
and ends with the block ``fwpick review`` reads (:mod:`fwpick.recommend.record`).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from fwpick import __version__
from fwpick.catalog.model import Framework
from fwpick.output.markdown import md_code, md_line
from fwpick.output.ranking_text import own_catalog, rerun_command
from fwpick.recommend.quiz import QUESTIONS
from fwpick.recommend.ranking import Ranked, Ranking, and_list, weight
from fwpick.recommend.record import record_block
from fwpick.text import shell_quote


class _Point(NamedTuple):
    """One pro or con; ``aspect`` and ``value`` say when two frameworks share it."""

    aspect: str
    value: object
    verdict: str  # "Good", "Neutral" or "Bad"
    because: str


def _points(fw: Framework) -> list[_Point]:
    facts = fw.facts
    items: list[_Point] = []
    async_value = facts.async_handlers.value
    detail = f": {facts.async_handlers.detail}" if facts.async_handlers.detail else ""
    if async_value == "yes":
        items.append(_Point("async", "yes", "Good", f"it has native async/await handlers{detail}"))
    elif async_value == "partly":
        items.append(_Point("async", "partly", "Neutral", f"its async support is partial{detail}"))
    else:
        items.append(_Point("async", "no", "Bad", f"it has no async/await handlers{detail}"))
    deps: tuple[str, ...] = facts.dependencies.value  # type: ignore[assignment]
    if facts.single_file.value is True and not deps:
        items.append(_Point("deps", (), "Good", "it is a single file with no dependencies"))
    elif deps:
        items.append(_Point("deps", deps, "Neutral", f"it depends on {', '.join(deps)}"))
    server = facts.server.value
    server_detail = f": {facts.server.detail}" if facts.server.detail else ""
    if server == "production":
        because = f"a production-grade server is built in{server_detail}"
        items.append(_Point("server", server, "Good", because))
    elif server == "development":
        because = f"its built-in server is for development only{server_detail}"
        items.append(_Point("server", server, "Neutral", because))
    else:
        because = "it has no built-in server; it needs a separate server"
        items.append(_Point("server", server, "Neutral", because))
    engine = facts.templating.value
    if engine:
        items.append(_Point("templating", engine, "Good", f"templating is built in ({engine})"))
    else:
        items.append(_Point("templating", "", "Neutral", "no templating is built in"))
    for name, score in fw.scores.items():
        verdict = "Good" if score.value >= 4 else "Bad" if score.value <= 2 else "Neutral"
        because = f"{name} {score.value}/5: {score.rationale}"
        items.append(_Point(name, score.value, verdict, because))
    return items


def pros_and_cons(fw: Framework) -> list[tuple[str, str]]:
    """("Good" | "Neutral" | "Bad", because-clause) pairs, read from the catalogue alone."""
    return [(point.verdict, point.because) for point in _points(fw)]


def _differences(frameworks: list[Framework]) -> list[list[tuple[str, str]]]:
    """Each framework's pros and cons, less those every one of them shares."""
    points = [_points(fw) for fw in frameworks]
    values = [{p.aspect: p.value for p in mine} for mine in points]

    def shared(point: _Point) -> bool:
        return all(point.aspect in v and v[point.aspect] == point.value for v in values)

    return [[(p.verdict, p.because) for p in mine if not shared(p)] for mine in points]


def build_report(ranking: Ranking, today: date) -> str:
    """The MADR document for ``ranking``, dated ``today``."""
    catalog = ranking.catalog
    leader = ranking.leader
    contenders = ranking.contenders() if ranking.close_call else ()
    if contenders:
        names = and_list([e.framework.name for e in contenders])
        title = f"Choose between {names} (too close to call)"
    elif leader:
        title = f"Use {leader.framework.name} as our Python web framework"
    else:
        title = "Choose a Python web framework (no option meets every hard constraint)"
    path = own_catalog(ranking)
    shown = None if path is None else md_code(_path_text(path))
    source = "fwpick's catalogue" if shown is None else f"the catalogue {shown}"
    out = [
        "---",
        "status: proposed",
        f"date: {today.isoformat()}",
        "---",
        "",
        f"# {md_line(title)}",
        "",
        "## Context and Problem Statement",
        "",
        "We need a Python web framework for this project and want a choice we can"
        " explain and re-check. The options are the"
        f" {len(catalog.frameworks)} frameworks in {source}, ranked by"
        " `fwpick recommend` from the answers below: each answer weights one"
        " criterion read from the catalogue's checked facts and 1-5 scores, and"
        " required needs exclude the frameworks that cannot meet them.",
        "",
        "## Decision Drivers",
        "",
    ]
    for q in QUESTIONS:
        answer = ranking.answers[q.id]
        mark = " **(hard constraint)**" if answer in q.hard else ""
        out.append(f"* {q.prompt} **{answer}** (weight {weight(q, answer)}){mark}")
    out += ["", "## Considered Options", ""]
    for entry in ranking.entries:
        out.append(
            f"* {md_line(entry.framework.name)} {md_line(entry.release.version)}"
            + (f" ({md_line(entry.release.note)})" if entry.release.note else "")
            + f" (score {entry.score:.2f} of {ranking.max_score:.0f})"
        )
    for ex in ranking.excluded:
        out.append(
            f"* {md_line(ex.framework.name)} {md_line(str(ex.framework.version.value))}"
            f" (excluded: {md_line(ex.reason)})"
        )
    out += ["", "## Decision Outcome", ""]
    if contenders:
        out += _undecided(ranking, contenders)
    elif leader:
        reasons = "; ".join(leader.reasons())
        out.append(
            f'Chosen option: "{md_line(leader.framework.name)}", because it scores highest'
            f" for our answers ({leader.score:.2f} of {ranking.max_score:.0f}): {md_line(reasons)}."
        )
        out += ["", md_line(ranking.verdict())]
    else:
        out.append("No option is chosen yet: no framework meets every hard constraint.")
        out += ["", md_line(ranking.verdict())]
    out += ["", f"What would change the answer: {md_line(ranking.what_if_text())}", ""]
    if leader and not contenders:
        out += ["### Consequences", ""]
        out += [
            f"* {kind}, because {md_line(text)}"
            for kind, text in pros_and_cons(leader.framework)
            if kind != "Neutral"
        ]
        out.append("")
    out += ["## Pros and Cons of the Options", ""]
    for fw in [e.framework for e in ranking.entries] + [x.framework for x in ranking.excluded]:
        out += [f"### {md_line(fw.name)}", "", md_line(fw.description), ""]
        out += [f"Comparison notes: {md_line(fw.comparison_notes)}", ""]
        out.append(f"<{md_line(fw.links.homepage)}>")
        out.append("")
        out += [f"* {kind}, because {md_line(text)}" for kind, text in pros_and_cons(fw)]
        out.append("")
    which = "the one bundled with fwpick" if shown is None else shown
    digest = f", SHA-256 {md_code(catalog.digest)}" if catalog.digest else ""
    out += [
        "## More Information",
        "",
        f"* Catalogue: {which}, schema version {catalog.schema_version}, facts checked"
        f" {catalog.checked.isoformat()}{digest}, read by fwpick {__version__}. Release ages"
        f" are measured at {ranking.today.isoformat()}.",
        "* Versions compared: "
        + ", ".join(
            f"{md_line(fw.name)} {md_line(str(fw.version.value))} (released {fw.released.value})"
            for fw in catalog.frameworks
        )
        + ".",
        f"* Re-check this decision with: {md_code(rerun_command(ranking))}"
        " (add --report FILE to write a new record)."
        + (
            " It gives this ranking again as long as fwpick's version and the catalogue's"
            " SHA-256 are the ones above."
            if catalog.digest
            else ""
        ),
        "* Check whether it still stands against a newer catalogue with `fwpick review`"
        " and this file's name; it reads the block below, which Markdown does not show.",
        "",
        *record_block(ranking, today, path),
        "",
    ]
    return "\n".join(out)


def _path_text(path: str) -> str:
    """A path as the record shows it: as typed, or shell-quoted if it cannot be shown as is.

    A control character would reach the reader's terminal, and a newline would
    even end the Markdown line.
    """
    return path if path.isprintable() else shell_quote(path)


def _undecided(ranking: Ranking, contenders: tuple[Ranked, ...]) -> list[str]:
    """The outcome of a near-tie: no verdict, only what the team has to weigh."""
    out_of = f"{ranking.max_score:.0f}"
    names = md_line(and_list([e.framework.name for e in contenders]))
    lines = [
        f"No option is chosen yet. {md_line(ranking.verdict())}",
        "",
        "The contenders, and where the catalogue tells them apart (the pros and cons"
        " they share are left out):",
        "",
    ]
    frameworks = [e.framework for e in contenders]
    for entry, points in zip(contenders, _differences(frameworks), strict=True):
        reasons = md_line("; ".join(entry.reasons()))
        lines.append(
            f"* **{md_line(entry.framework.name)}**, {entry.score:.2f} of {out_of}: {reasons}"
        )
        lines += [f"  * {kind}, because {md_line(text)}" for kind, text in points]
        if not points:
            lines.append("  * the catalogue records the same facts and scores as for the others")
    lines += [
        "",
        f"Decide between {names} as a team, weighing these differences and the comparison"
        " notes below against this project's needs; then record the chosen option here"
        " and set the status to accepted.",
    ]
    return lines
