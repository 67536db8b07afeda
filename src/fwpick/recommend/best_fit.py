"""For each framework, the answers under which it is the clear recommendation.

"Clear" is what :func:`~fwpick.recommend.ranking.rank` itself would say: the
framework is first and the ranking is not a near-tie.  Answer sets are tried
in order of how far they are from the quiz's defaults (fewest answers
changed first, then the smallest moves on the answers' scales), so the
answers shown are the smallest departure from a default run that makes the
framework the answer.  A framework no answers can make the clear leader is
*dominated*: the framework that leads where it comes closest is named.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import date
from typing import NamedTuple

from fwpick.catalog.model import Catalog, Framework
from fwpick.recommend import ranking
from fwpick.recommend.criteria import measure
from fwpick.recommend.quiz import QUESTIONS, Answers


class BestFit(NamedTuple):
    """The answers under which a framework leads clearly, or who beats it where it comes closest."""

    framework: Framework
    answers: Answers | None  # None: dominated, no answers make it the clear leader
    margin: float  # its lead over the runner-up (or, when dominated, how far it trails)
    runner_up: Framework | None  # second place there (or, when dominated, who leads)
    changed: tuple[str, ...]  # question ids answered differently from the defaults

    @property
    def dominated(self) -> bool:
        return self.answers is None

    def text(self) -> str:
        """'Best fit when --kind api --core small', or who dominates it."""
        if self.answers is None:
            who = self.runner_up.name if self.runner_up else "another framework"
            return f"No answers make it the clear choice: {who} leads wherever it comes closest."
        if not self.changed:
            flags = "the default answers"
        else:
            by_id = {q.id: q for q in QUESTIONS}
            flags = " ".join(f"{by_id[q].flag} {self.answers[q]}" for q in self.changed)
        second = (
            f", {self.margin:g} points ahead of {self.runner_up.name}" if self.runner_up else ""
        )
        return f"Best fit with {flags}{second}."


def _answer_sets() -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """Every answer set as (answers changed, scale steps, answers), nearest the defaults first."""
    defaults = tuple(q.default for q in QUESTIONS)
    for count in range(len(QUESTIONS) + 1):
        batch = []
        for changed in itertools.combinations(range(len(QUESTIONS)), count):
            options = [
                [a for a in QUESTIONS[i].choices if a != defaults[i]]
                if i in changed
                else [defaults[i]]
                for i in range(len(QUESTIONS))
            ]
            for combo in itertools.product(*options):
                steps = sum(
                    QUESTIONS[i].steps(defaults[i], combo[i]) for i in range(len(QUESTIONS))
                )
                batch.append((count, steps, combo))
        batch.sort(key=lambda item: (item[1], item[2]))
        yield from batch


def best_fits(
    catalog: Catalog,
    python: tuple[int, int] | None = None,
    today: date | None = None,
    only: Sequence[str] | None = None,
) -> dict[str, BestFit]:
    """The best fit of every framework (or of those in ``only``), by framework id.

    Answer sets a few changes from the defaults are tried first, nearest first;
    a framework not found among them is looked for over the whole answer space
    in one pass, which also shows which frameworks no answers can make the
    clear leader.
    """
    when = today or catalog.checked
    rows = scored_rows(catalog, python, when)
    by_id = {fw.id: fw for fw in catalog.frameworks}
    wanted = {fw.id for fw in catalog.frameworks if only is None or fw.id in only}
    found: dict[str, BestFit] = {}
    defaults = tuple(q.default for q in QUESTIONS)
    for count, _, combo in _answer_sets():
        if count > NEAR or not wanted - set(found):
            break
        leader = _clear_leader(rows, combo)
        if leader is not None and leader[0] in wanted and leader[0] not in found:
            found[leader[0]] = _fit(by_id, leader, combo, defaults)
    rest = wanted - set(found)
    if rest:
        # The whole space costs about half a second; a process that asks
        # again (shell completion does not, tests do) reuses the answer.
        key = (catalog.digest or id(catalog), python, when)
        if key not in _WHOLE_SPACE:
            _WHOLE_SPACE.clear()
            everyone = {fw.id for fw in catalog.frameworks}
            _WHOLE_SPACE[key] = _whole_space(rows, by_id, everyone, defaults)
        for ident in rest:
            found[ident] = _WHOLE_SPACE[key][ident]
    return found


_WHOLE_SPACE: dict[tuple[object, ...], dict[str, BestFit]] = {}


# Answer sets up to this many changes from the defaults are tried nearest first.
NEAR = 2


def scored_rows(
    catalog: Catalog, python: tuple[int, int] | None, today: date | None = None
) -> list[ranking._Row]:
    """Every framework with a release for ``python``, with its points for every answer."""
    when = today or catalog.checked
    frameworks = [fw for fw in catalog.frameworks if ranking.release_for(fw, python) is not None]
    return ranking._rows(frameworks, {fw.id: measure(fw, when) for fw in frameworks})


def standings(rows: Sequence[ranking._Row], combo: tuple[str, ...]) -> list[tuple[float, str]]:
    """(score, id) of every framework meeting the answers' hard constraints, in rank order."""
    required = sum(1 << i for i, a in enumerate(combo) if a == "required")
    # Sorted as (-score, id), the ranking's order, without a key function: this
    # runs once per answer set over the whole space.
    order = sorted(
        (-sum(row.points[i][a] for i, a in enumerate(combo)), row.id)
        for row in rows
        if not row.fails & required
    )
    return [(-score, ident) for score, ident in order]


def clear_lead(standing: list[tuple[float, str]], combo: tuple[str, ...]) -> float | None:
    """The leader's lead over the runner-up when it is clear (not a near-tie), else None."""
    if not standing:
        return None
    if len(standing) == 1:
        return standing[0][0]
    lead = standing[0][0] - standing[1][0]
    max_score = sum(q.weights[a] for q, a in zip(QUESTIONS, combo, strict=True))
    return lead if lead > ranking.CLOSE_SHARE * max_score else None


def _clear_leader(
    rows: Sequence[ranking._Row], combo: tuple[str, ...]
) -> tuple[str, float, str | None] | None:
    """(leader id, its lead, runner-up id) when one framework is clearly first, else None."""
    standing = standings(rows, combo)
    lead = clear_lead(standing, combo)
    if lead is None:
        return None
    return standing[0][1], lead, standing[1][1] if len(standing) > 1 else None


def _fit(
    by_id: dict[str, Framework],
    leader: tuple[str, float, str | None],
    combo: tuple[str, ...],
    defaults: tuple[str, ...],
) -> BestFit:
    ident, lead, runner = leader
    answers = Answers(tuple((q.id, a) for q, a in zip(QUESTIONS, combo, strict=True)))
    pairs = zip(QUESTIONS, combo, defaults, strict=True)
    changed = tuple(q.id for q, a, d in pairs if a != d)
    return BestFit(by_id[ident], answers, lead, by_id[runner] if runner else None, changed)


def _whole_space(
    rows: Sequence[ranking._Row],
    by_id: dict[str, Framework],
    wanted: set[str],
    defaults: tuple[str, ...],
) -> dict[str, BestFit]:
    """Every answer set once: for each wanted framework its nearest clear lead, or, if it
    has none, where it comes closest to first and who leads there."""
    nearest: dict[str, tuple[tuple[int, int], BestFit]] = {}
    closest: dict[str, tuple[float, str]] = {}
    for combo in itertools.product(*(q.choices for q in QUESTIONS)):
        standing = standings(rows, combo)
        if not standing:
            continue
        top, leader = standing[0]
        lead = clear_lead(standing, combo)
        if leader in wanted and lead is not None:
            distance = (
                sum(a != d for a, d in zip(combo, defaults, strict=True)),
                sum(q.steps(d, a) for q, a, d in zip(QUESTIONS, combo, defaults, strict=True)),
            )
            if leader not in nearest or distance < nearest[leader][0]:
                runner = standing[1][1] if len(standing) > 1 else None
                nearest[leader] = (distance, _fit(by_id, (leader, lead, runner), combo, defaults))
        for score, ident in standing[1:]:
            gap = top - score  # how far behind the leader
            if ident in wanted and (ident not in closest or gap < closest[ident][0]):
                closest[ident] = (gap, leader)
    result = {ident: fit for ident, (_, fit) in nearest.items()}
    for ident in wanted - set(result):
        gap, leader_id = closest.get(ident, (0.0, ""))
        result[ident] = BestFit(by_id[ident], None, -gap, by_id.get(leader_id), ())
    return result
