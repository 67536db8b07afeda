"""A shorter quiz: which question to ask next, and when the rest cannot change the answer.

Both work on the scored rows of :mod:`fwpick.recommend.best_fit` (every
framework's points for every answer), so they agree with
:func:`~fwpick.recommend.ranking.rank` exactly:

* :func:`settled` is a proof, not a guess: the leader is clear now, passes
  every hard constraint the unanswered questions could add, and stays clear
  (ahead by more than the near-tie margin) against every rival under the
  worst answers for it to every unanswered question;
* :func:`next_question` asks first the question whose answers, with the
  rest at their defaults, put the most different frameworks first: the one
  that best separates the frameworks still in contention.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fwpick.recommend import ranking

# In units of 1/80 point the near-tie test is exact integer arithmetic (see best_fit).
from fwpick.recommend.best_fit import SHARE_UNITS, UNITS, clear_lead, standings
from fwpick.recommend.quiz import QUESTIONS, Question

Rows = Sequence[ranking._Row]


def _combo(answered: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(answered.get(q.id, q.default) for q in QUESTIONS)


def settled(rows: Rows, answered: Mapping[str, str]) -> str | None:
    """The framework (id) that leads clearly whatever the unanswered questions get, else None."""
    if all(q.id in answered for q in QUESTIONS):
        return None  # nothing left to skip
    combo = _combo(answered)
    standing = standings(rows, combo)
    if clear_lead(standing, combo) is None:
        return None
    leader_id = standing[0][1]
    leader = next(row for row in rows if row.id == leader_id)
    open_questions = [i for i, q in enumerate(QUESTIONS) if q.id not in answered]
    for i in open_questions:
        if any(leader.fails & bit for bit in ranking.HARD_BITS[i].values()):
            return None  # some answer to it would exclude the leader
    fixed = [i for i, q in enumerate(QUESTIONS) if q.id in answered]
    # No default is a hard constraint, so these are the answered ones.
    mask = ranking.hard_mask(combo)
    for row in rows:
        if row.id == leader_id or row.fails & mask:
            continue
        worst = 0
        for i in fixed:
            worst += _lead_units(leader, row, i, combo[i])
        for i in open_questions:
            bits = ranking.HARD_BITS[i]
            # An answer that excludes this rival is the best case, not the worst.
            staying = [a for a in QUESTIONS[i].choices if not row.fails & bits.get(a, 0)]
            worst += min(_lead_units(leader, row, i, a) for a in staying)
        if worst <= 0:
            return None
    return leader_id


def _lead_units(leader: ranking._Row, rival: ranking._Row, i: int, answer: str) -> int:
    """The leader's points less the rival's on question i, less the near-tie share of its weight."""
    gain = round(UNITS * (leader.points[i][answer] - rival.points[i][answer]))
    return gain - SHARE_UNITS * QUESTIONS[i].weights[answer]


def next_question(rows: Rows, answered: Mapping[str, str]) -> Question | None:
    """The unanswered question that best separates the frameworks, or None when all are answered.

    For each, the ranking is worked out once per answer (the other unanswered
    questions at their defaults); the question whose answers put the most
    different frameworks first (or none) is asked next.  Ties keep the quiz's
    order.
    """
    best: tuple[int, int] | None = None
    chosen: Question | None = None
    for index, q in enumerate(QUESTIONS):
        if q.id in answered:
            continue
        # "No framework left" is an outcome of its own: a question one of
        # whose answers would exclude every framework still separates them.
        leaders = set()
        for answer in q.choices:
            standing = standings(rows, _combo({**answered, q.id: answer}))
            leaders.add(standing[0][1] if standing else None)
        key = (len(leaders), -index)
        if best is None or key > best:
            best, chosen = key, q
    return chosen
