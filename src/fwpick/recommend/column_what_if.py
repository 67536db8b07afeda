"""What would change the answer, searched over score signatures instead of frameworks.

The plain search (:func:`fwpick.recommend.ranking._what_if`) tries up to a
few hundred changes of one or two answers, and for each works out every
framework's score to find the first and second.  Here the same changes are
tried in the same order with the same test, on one framework per *score
signature* (frameworks that score alike for any answers), and the first and
second of each changed ranking are found by reading the candidates from the
best down only until none left could change them.  A test checks that both
give the same answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import cast

from fwpick.catalog.model import Framework
from fwpick.recommend import ranking
from fwpick.recommend.columns import Columns, MeasureRow
from fwpick.recommend.python_version import Release
from fwpick.recommend.quiz import QUESTIONS, Answers
from fwpick.recommend.ranking import CLOSE_SHARE, HARD_BITS, WhatIf, weight


def search(
    columns: Columns,
    ids: list[str],
    releases: list[Release | None],
    answers: Answers,
    leader: str | None,
) -> WhatIf | None:
    """The plain ranking's what-if, searched over one framework per score signature.

    The same changes in the same order, the same sums and the same test of a
    clear lead as :func:`fwpick.recommend.ranking._what_if`; the first and
    second of each changed ranking are found with a bound, reading the
    candidates from the highest score down until none left could reach the
    second place.  The leader returned carries the framework's number, not
    the framework, so that none is loaded; the caller swaps it back.
    """
    candidates = _candidates(columns, ids, releases)
    given = answers.as_dict()
    total = sum(weight(q, given[q.id]) for q in QUESTIONS)
    required_now = ranking.hard_mask([given[q.id] for q in QUESTIONS])
    base = [sum(p[i][given[q.id]] for i, q in enumerate(QUESTIONS)) for _, _, p, _, _ in candidates]
    order = sorted(range(len(candidates)), key=lambda k: (-base[k], candidates[k][0]))
    ranked = [candidates[k] for k in order]
    base = [base[k] for k in order]
    # The places of the candidates that meet a set of hard constraints, best
    # first; and for each change of one answer, from each place down, the
    # most any candidate scores with it and the most it adds to any: what
    # those not read yet could still reach.
    meeting: dict[int, list[int]] = {}
    reaches: dict[tuple[int, str, str], tuple[list[float], list[float]]] = {}
    for changes in ranking._candidate_changes(answers):
        required, changed, max_score = ranking.apply_changes(changes, required_now, total)
        if required not in meeting:
            meeting[required] = [k for k, c in enumerate(ranked) if not c[3] & required]
        places = meeting[required]
        for step in changed:
            if step not in reaches:
                i, old, new = step
                deltas = [p[i][new] - p[i][old] for _, _, p, _, _ in ranked]
                scores = [b + d for b, d in zip(base, deltas, strict=True)]
                reaches[step] = (_suffix_max(scores), _suffix_max(deltas))
        # With two changes, what the first lets a candidate reach plus the most
        # the second adds: never less than what any candidate reaches with both.
        first_reach = reaches[changed[0]][0]
        other_gain = reaches[changed[1]][1] if len(changed) > 1 else None
        margin = CLOSE_SHARE * max_score
        best: tuple[float, str, int] | None = None
        second: tuple[float, str] | None = None
        settled = False  # decided before every candidate was read
        for k in places:
            if best is not None:
                # The most any candidate from here on can score.
                reach = first_reach[k] + other_gain[k] if other_gain is not None else first_reach[k]
                if second is not None and reach < second[0]:
                    break  # none can reach the second place: first and second are known
                if reach < best[0]:
                    # None can reach the first place: it is known, and so is whether
                    # the plain search below would take it.
                    if best[1] == leader or (second is not None and best[0] - second[0] <= margin):
                        settled = True  # the second can only come closer: not clear
                        break
                    if best[0] - reach > margin:
                        break  # none can come within the margin: a clear lead
            ident, number, points, _, twin = ranked[k]
            score = base[k]
            for i, old, new in changed:
                score += points[i][new] - points[i][old]
            if best is None or score > best[0] or (score == best[0] and ident < best[1]):
                if best is not None:
                    second = (best[0], best[1])
                best = (score, ident, number)
                # Its twin scores the same and comes next by id: it may be second.
                if twin is not None and (
                    second is None or score > second[0] or (score == second[0] and twin < second[1])
                ):
                    second = (score, twin)
            elif second is None or score > second[0] or (score == second[0] and ident < second[1]):
                second = (score, ident)
        if settled or best is None or best[1] == leader:
            continue
        # The same sum and margin as Ranking.contenders, so the two always agree.
        if second is not None and best[0] - second[0] <= margin:
            continue
        return WhatIf(changes, cast(Framework, best[2]))
    return None


def _suffix_max(values: list[float]) -> list[float]:
    """At each place, the largest of the values from there to the end."""
    return list(itertools.accumulate(reversed(values), max))[::-1]


def _candidates(
    columns: Columns, ids: list[str], releases: list[Release | None]
) -> list[tuple[str, int, tuple[dict[str, float], ...], int, str | None]]:
    """For each score signature, the framework with a release with the smallest id: its id,
    number, points by question and answer and failed hard answers, and the id of its
    *twin*, the next of the signature (None when it is alone).

    The first and second of any changed ranking are among these and their twins:
    frameworks with one signature score alike and are ordered by id.
    """
    points_of = _points_of(columns)
    found = []
    for pair in _first_two(columns, releases):
        number = pair[0]
        points, fails = points_of(number)
        twin = ids[pair[1]] if len(pair) > 1 else None
        found.append((ids[number], number, points, fails, twin))
    return found


def signature_rows(
    columns: Columns, ids: list[str], releases: list[Release | None], also: Iterable[int] = ()
) -> list[ranking._Row]:
    """The plain ranking's rows (:func:`fwpick.recommend.ranking._rows`) of the frameworks
    that can be first or second under any answers, in catalogue order: the first two
    of each score signature by id (see :func:`_candidates`), and the frameworks
    numbered in ``also``.  A few thousand rows instead of 10,000, for the best fits."""
    chosen = {number for pair in _first_two(columns, releases) for number in pair}
    chosen.update(number for number in also if releases[number] is not None)
    points_of = _points_of(columns)
    return [ranking._Row(ids[number], *points_of(number)) for number in sorted(chosen)]


def _first_two(columns: Columns, releases: list[Release | None]) -> Iterator[list[int]]:
    """Each score signature's first two frameworks by id with a release (one when alone)."""
    for members in columns.members:  # by id
        pair = [number for number in members if releases[number] is not None][:2]
        if pair:
            yield pair


def _points_of(columns: Columns) -> Callable[[int], tuple[tuple[dict[str, float], ...], int]]:
    """A framework's points by question and answer and its failed hard answers, by number;
    each question's rows are worked out once, for all the frameworks that share them."""
    scored: list[dict[int, tuple[dict[str, float], int]]] = [{} for _ in QUESTIONS]

    def points_of(number: int) -> tuple[tuple[dict[str, float], ...], int]:
        points = []
        fails = 0
        for i, r in enumerate(columns.profiles[columns.profile_of[number]]):
            if r not in scored[i]:
                scored[i][r] = _scored(i, columns.measures[i][r])
            mine, failed = scored[i][r]
            points.append(mine)
            fails |= failed
        return tuple(points), fails

    return points_of


def _scored(i: int, row: MeasureRow) -> tuple[dict[str, float], int]:
    """A row's points for every answer to question ``i``, and its failed hard answers."""
    q = QUESTIONS[i]
    points = {a: weight(q, a) * m[0] for a, m in zip(q.choices, row, strict=True)}
    fails = 0
    for answer, bit in HARD_BITS[i].items():
        if not row[q.choices.index(answer)][2]:
            fails |= bit
    return points, fails
