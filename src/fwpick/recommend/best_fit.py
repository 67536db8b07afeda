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
    """The best fit of every framework (or of those in ``only``), by framework id."""
    when = today or catalog.checked
    frameworks = [fw for fw in catalog.frameworks if ranking.release_for(fw, python) is not None]
    rows = ranking._rows(frameworks, {fw.id: measure(fw, when) for fw in frameworks})
    wanted = {fw.id for fw in catalog.frameworks if only is None or fw.id in only}
    found: dict[str, BestFit] = {}
    closest: dict[str, tuple[float, Framework]] = {}
    by_id = {fw.id: fw for fw in catalog.frameworks}
    for _, _, combo in _answer_sets():
        if not wanted - set(found):
            break
        required = sum(1 << i for i, a in enumerate(combo) if a == "required")
        max_score = sum(q.weights[a] for q, a in zip(QUESTIONS, combo, strict=True))
        scores = sorted(
            (
                (-sum(row.points[i][a] for i, a in enumerate(combo)), row.id)
                for row in rows
                if not row.fails & required
            ),
        )
        if not scores:
            continue
        top, leader = -scores[0][0], scores[0][1]
        second = -scores[1][0] if len(scores) > 1 else None
        clear = second is None or top - second > ranking.CLOSE_SHARE * max_score
        if clear and leader in wanted and leader not in found:
            defaults = tuple(q.default for q in QUESTIONS)
            answers = Answers(tuple((q.id, a) for q, a in zip(QUESTIONS, combo, strict=True)))
            changed = tuple(
                q.id for q, a, d in zip(QUESTIONS, combo, defaults, strict=True) if a != d
            )
            runner = by_id[scores[1][1]] if len(scores) > 1 else None
            found[leader] = BestFit(by_id[leader], answers, top - (second or 0.0), runner, changed)
        for score, ident in scores[1:]:
            gap = top + score  # score is negated
            if ident in wanted and (ident not in closest or gap < closest[ident][0]):
                closest[ident] = (gap, by_id[leader])
    for ident in wanted - set(found):
        gap, leader_fw = closest.get(ident, (0.0, None))
        found[ident] = BestFit(by_id[ident], None, -gap, leader_fw, ())
    return found
