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

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from fwpick.catalog.model import Catalog, Framework, framework_keys
from fwpick.recommend import ranking
from fwpick.recommend.column_ranking import releases_for
from fwpick.recommend.column_what_if import signature_rows
from fwpick.recommend.columns import columns_for
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


def best_fits(
    catalog: Catalog,
    python: tuple[int, int] | None = None,
    today: date | None = None,
    only: Sequence[str] | None = None,
) -> dict[str, BestFit]:
    """The best fit of every framework (or of those in ``only``), by framework id."""
    wanted = [
        number
        for number, (ident, _, _) in enumerate(framework_keys(catalog.frameworks))
        if only is None or ident in only
    ]
    rows = scored_rows(catalog, python, today, also=wanted)
    by_id = _Frameworks(catalog)
    found: dict[str, BestFit] = {}
    targets = {row.id: row for row in rows}
    for number in wanted:
        fw = catalog.frameworks[number]
        target = targets.get(fw.id)
        if target is None:  # no release for this Python: it cannot lead anything
            found[fw.id] = BestFit(fw, None, 0.0, None, ())
            continue
        found[fw.id] = _best_fit(target, rows, by_id)
    return found


class _Frameworks:
    """Frameworks by id, each loaded from the catalogue only when a best fit names it."""

    def __init__(self, catalog: Catalog) -> None:
        self._frameworks = catalog.frameworks
        keys = framework_keys(catalog.frameworks)
        self._numbers = {ident: number for number, (ident, _, _) in enumerate(keys)}

    def __getitem__(self, ident: str) -> Framework:
        return self._frameworks[self._numbers[ident]]

    def get(self, ident: str) -> Framework | None:
        number = self._numbers.get(ident)
        return None if number is None else self._frameworks[number]


def scored_rows(
    catalog: Catalog,
    python: tuple[int, int] | None,
    today: date | None = None,
    also: Sequence[int] = (),
) -> list[ranking._Row]:
    """Every framework with a release for ``python`` that can be first or second under
    some answers, with its points for every answer; and those numbered in ``also``.

    Frameworks with one score signature score alike whatever the answers and
    are ordered by id, so only the first two of each can ever be first or
    second: of 10,000 frameworks a few thousand rows, read from the columns
    kept with the catalogue rather than measured again.
    """
    when = today or catalog.checked
    columns = columns_for(catalog, when)
    ids = [ident for ident, _, _ in framework_keys(catalog.frameworks)]
    releases = releases_for(columns, python)
    return signature_rows(columns, ids, releases, also)


def standings(rows: Sequence[ranking._Row], combo: tuple[str, ...]) -> list[tuple[float, str]]:
    """(score, id) of every framework meeting the answers' hard constraints, in rank order."""
    required = ranking.hard_mask(combo)
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


# The search below works in whole units of 1/80 point: every value is a
# multiple of 1/4 and every weight a whole number, so "a lead of more than
# CLOSE_SHARE (1/20) of the highest possible score" is the integer test
# 80 x lead - 4 x weight > 0, summed over the questions, with no rounding.
UNITS = 80
SHARE_UNITS = round(ranking.CLOSE_SHARE * UNITS)


class _Plan(NamedTuple):
    """What the search needs of one target framework, in the order questions are tried."""

    order: tuple[int, ...]  # question indexes, those with hard answers first
    choices: tuple[tuple[str, ...], ...]  # by position: answers the target passes, default first
    rivals: tuple[ranking._Row, ...]
    # by position, rival, answer: the target's points less the rival's, in units
    gain: tuple[tuple[dict[str, int], ...], ...]
    # by position, rival, answer: the same less the near-tie margin's share of the weight
    lead: tuple[tuple[dict[str, int], ...], ...]
    # by position: the answers that exclude each rival (a hard constraint it fails)
    drops: tuple[tuple[frozenset[str], ...], ...]


def _plan(target: ranking._Row, rows: Sequence[ranking._Row]) -> _Plan:
    order = tuple(
        sorted(
            range(len(QUESTIONS)),
            key=lambda i: (not ranking.HARD_BITS[i], -len(QUESTIONS[i].choices), i),
        )
    )
    rivals = tuple(row for row in rows if row.id != target.id)
    choices = []
    gain = []
    lead = []
    drops = []
    for i in order:
        q, bits = QUESTIONS[i], ranking.HARD_BITS[i]
        allowed = [a for a in q.choices if not target.fails & bits.get(a, 0)]
        allowed.sort(key=lambda a: (q.steps(q.default, a), q.choices.index(a)))
        choices.append(tuple(allowed))
        mine = target.points[i]
        gain.append(
            tuple({a: round(UNITS * (mine[a] - r.points[i][a])) for a in allowed} for r in rivals)
        )
        lead.append(
            tuple({a: g - SHARE_UNITS * q.weights[a] for a, g in by.items()} for by in gain[-1])
        )
        drops.append(
            tuple(frozenset(a for a in allowed if r.fails & bits.get(a, 0)) for r in rivals)
        )
    return _Plan(order, tuple(choices), rivals, tuple(gain), tuple(lead), tuple(drops))


def _bounds(
    plan: _Plan, table: tuple[tuple[dict[str, int], ...], ...]
) -> tuple[list[list[float]], list[list[bool]]]:
    """By position and rival: the most the remaining questions can add, and whether they can
    still exclude that rival (then it bounds nothing)."""
    count, positions = len(plan.rivals), len(plan.order)
    most = [[0.0] * count for _ in range(positions + 1)]
    escapes = [[False] * count for _ in range(positions + 1)]
    for pos in range(positions - 1, -1, -1):
        for r in range(count):
            most[pos][r] = most[pos + 1][r] + max(table[pos][r].values())
            escapes[pos][r] = escapes[pos + 1][r] or bool(plan.drops[pos][r])
    return most, escapes


def _best_fit(target: ranking._Row, rows: Sequence[ranking._Row], by_id: _Frameworks) -> BestFit:
    """The nearest answers to the defaults under which ``target`` leads clearly.

    A branch and bound over the answers: a branch is cut as soon as some rival
    that the remaining answers can no longer exclude cannot be out-scored by
    the near-tie margin whatever they are, or as soon as it is further from the
    defaults than the best answers found so far.  The answers found are the
    same as trying every answer set nearest first: fewest answers changed,
    then the smallest moves on the answers' scales, then the answers' order.
    """
    plan = _plan(target, rows)
    most, escapes = _bounds(plan, plan.lead)
    defaults = tuple(q.default for q in QUESTIONS)
    best: list[tuple[int, int, tuple[str, ...]] | None] = [None]
    combo = list(defaults)

    def visit(pos: int, alive: list[int], sums: list[int], count: int, steps: int) -> None:
        found = best[0]
        if found is not None and (count, steps) > found[:2]:
            return
        for r, total in zip(alive, sums, strict=True):
            if not escapes[pos][r] and total + most[pos][r] <= 0:
                return
        if pos == len(plan.order):
            key = (count, steps, tuple(combo))
            if found is None or key < found:
                best[0] = key
            return
        i = plan.order[pos]
        q = QUESTIONS[i]
        for answer in plan.choices[pos]:
            combo[i] = answer
            drops = plan.drops[pos]
            table = plan.lead[pos]
            kept = [
                (r, s + table[r][answer])
                for r, s in zip(alive, sums, strict=True)
                if answer not in drops[r]
            ]
            visit(
                pos + 1,
                [r for r, _ in kept],
                [s for _, s in kept],
                count + (answer != q.default),
                steps + q.steps(q.default, answer),
            )
        combo[i] = defaults[i]

    everyone = list(range(len(plan.rivals)))
    visit(0, everyone, [0] * len(everyone), 0, 0)
    if best[0] is None:
        return _closest(target, plan, by_id)
    answers = best[0][2]
    standing = standings(rows, answers)
    lead = clear_lead(standing, answers)
    assert lead is not None and standing[0][1] == target.id  # the bound is exact
    runner = by_id[standing[1][1]] if len(standing) > 1 else None
    changed = tuple(q.id for q, a, d in zip(QUESTIONS, answers, defaults, strict=True) if a != d)
    fit = Answers(tuple((q.id, a) for q, a in zip(QUESTIONS, answers, strict=True)))
    return BestFit(by_id[target.id], fit, lead, runner, changed)


def _closest(target: ranking._Row, plan: _Plan, by_id: _Frameworks) -> BestFit:
    """A framework no answers make the clear leader: where it comes closest, who leads there.

    "Closest" is the answers that maximise its score less the best rival's
    (a branch and bound like the one above, over the points alone).
    """
    most, escapes = _bounds(plan, plan.gain)
    best: list[tuple[int, tuple[str, ...]] | None] = [None]
    combo = [q.default for q in QUESTIONS]

    def visit(pos: int, alive: list[int], sums: list[int]) -> None:
        found = best[0]
        if not alive:  # a rival once excluded stays excluded
            return
        fixed = [
            total + most[pos][r]
            for r, total in zip(alive, sums, strict=True)
            if not escapes[pos][r]
        ]
        if found is not None and fixed and min(fixed) <= found[0]:
            return
        if pos == len(plan.order):
            if alive:
                margin = min(sums)
                if found is None or margin > found[0]:
                    best[0] = (margin, tuple(combo))
            return
        i = plan.order[pos]
        for answer in plan.choices[pos]:
            combo[i] = answer
            drops, table = plan.drops[pos], plan.gain[pos]
            kept = [
                (r, s + table[r][answer])
                for r, s in zip(alive, sums, strict=True)
                if answer not in drops[r]
            ]
            visit(pos + 1, [r for r, _ in kept], [s for _, s in kept])
        combo[i] = QUESTIONS[i].default

    everyone = list(range(len(plan.rivals)))
    visit(0, everyone, [0] * len(everyone))
    fw = by_id[target.id]
    if best[0] is None:
        return BestFit(fw, None, 0.0, None, ())
    margin, answers = best[0]
    leader = next(
        (ident for _, ident in standings([target, *plan.rivals], answers) if ident != target.id),
        None,
    )
    return BestFit(fw, None, margin / UNITS, by_id.get(leader) if leader else None, ())
