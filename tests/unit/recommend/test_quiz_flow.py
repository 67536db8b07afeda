"""The shorter quiz: it stops only when the rest cannot change the answer; asks what separates."""

from __future__ import annotations

import itertools
import random

import pytest
from conftest import BUNDLED_CATALOG

from fwpick.catalog import load_catalog
from fwpick.recommend import quiz_flow
from fwpick.recommend.best_fit import clear_lead, scored_rows, standings
from fwpick.recommend.quiz import QUESTIONS, Answers
from fwpick.recommend.ranking import rank

PYTHON = (3, 11)


@pytest.fixture(scope="module")
def rows():
    catalog = load_catalog(BUNDLED_CATALOG)
    return catalog, scored_rows(catalog, PYTHON)


def _every_completion(answered: dict[str, str]):
    open_questions = [q for q in QUESTIONS if q.id not in answered]
    for choices in itertools.product(*(q.choices for q in open_questions)):
        filled = {**answered, **{q.id: a for q, a in zip(open_questions, choices, strict=True)}}
        yield tuple(filled[q.id] for q in QUESTIONS)


def test_a_settled_quiz_has_the_same_clear_leader_under_every_answer_to_the_rest(rows) -> None:
    _, scored = rows
    randomness = random.Random(11)
    settled_seen = 0
    for _ in range(2_000):
        # Answer all but three questions at random; the rest are what could still change.
        asked = randomness.sample(QUESTIONS, len(QUESTIONS) - 3)
        answered = {q.id: randomness.choice(q.choices) for q in asked}
        leader = quiz_flow.settled(scored, answered)
        if leader is None:
            continue
        settled_seen += 1
        for combo in _every_completion(answered):
            standing = standings(scored, combo)
            assert standing[0][1] == leader, (answered, combo)
            assert clear_lead(standing, combo) is not None, (answered, combo)
    assert settled_seen > 20  # not vacuous


def test_the_settled_leader_is_what_recommend_ranks_first_with_the_defaults_for_the_rest(
    rows,
) -> None:
    catalog, scored = rows
    answered = {"must_have": "spec_first", "server": "indifferent", "single_file": "preferred"}
    leader = quiz_flow.settled(scored, answered)

    assert leader == "connexion"
    ranking = rank(catalog, Answers.from_mapping({**Answers.defaults().as_dict(), **answered}))
    assert ranking.entries[0].framework.id == leader and not ranking.close_call


def test_a_question_that_could_exclude_the_leader_keeps_the_quiz_going(rows) -> None:
    _, scored = rows
    # Django leads with an admin built in, but "--async no" or "--server
    # required" would exclude or outscore it, and neither is answered yet.
    answered = {"must_have": "admin"}
    assert quiz_flow.settled(scored, answered) is None


def test_the_defaults_alone_are_not_settled_and_all_answered_is_nothing_to_skip(rows) -> None:
    _, scored = rows
    assert quiz_flow.settled(scored, {}) is None
    everything = Answers.defaults().as_dict()
    assert quiz_flow.settled(scored, everything) is None


def test_the_first_question_asked_is_the_one_whose_answers_put_the_most_frameworks_first(
    rows,
) -> None:
    _, scored = rows
    first = quiz_flow.next_question(scored, {})
    assert first is not None

    def leaders(question_id: str) -> int:
        question = next(q for q in QUESTIONS if q.id == question_id)
        found = set()
        for answer in question.choices:
            combo = tuple(answer if q.id == question_id else q.default for q in QUESTIONS)
            found.add(standings(scored, combo)[0][1])
        return len(found)

    assert leaders(first.id) == max(leaders(q.id) for q in QUESTIONS)
    assert quiz_flow.next_question(scored, Answers.defaults().as_dict()) is None
