"""Properties of the ranking that must hold for any catalogue and any answers."""

from __future__ import annotations

from builders import answer_sets, catalogs, make_catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from fwpick.catalog.model import Catalog
from fwpick.recommend.quiz import QUESTIONS, Answers
from fwpick.recommend.ranking import rank


@settings(max_examples=150, deadline=None)
@given(catalogs(), answer_sets, st.randoms(use_true_random=False))
def test_the_same_answers_always_give_the_same_order(
    catalog: Catalog, answers: Answers, random
) -> None:
    shuffled = list(catalog.frameworks)
    random.shuffle(shuffled)

    first = rank(catalog, answers)
    again = rank(catalog, answers)
    reordered = rank(make_catalog(*shuffled), answers)

    order = [(e.framework.id, e.score) for e in first.entries]
    assert order == [(e.framework.id, e.score) for e in again.entries]
    assert order == [(e.framework.id, e.score) for e in reordered.entries]
    assert first.what_if_text() == reordered.what_if_text()


@settings(max_examples=150, deadline=None)
@given(catalogs(), answer_sets)
def test_every_required_constraint_is_honoured(catalog: Catalog, answers: Answers) -> None:
    ranking = rank(catalog, answers)
    required = answers.hard()

    ranked = {e.framework.id for e in ranking.entries}
    excluded = {x.framework.id for x in ranking.excluded}
    assert ranked | excluded == {fw.id for fw in catalog.frameworks}
    assert not ranked & excluded
    for entry in ranking.entries:
        facts = entry.framework.facts
        if "async" in required:
            assert facts.async_handlers.value == "yes"
        if "single_file" in required:
            assert facts.single_file.value is True and not facts.dependencies.value
        if "server" in required:
            assert facts.server.value == "production"
        if "must_have" in required:
            features = entry.framework.features or {}
            assert features[answers["must_have"]].value in ("yes", "extra")
    for exclusion in ranking.excluded:
        assert exclusion.failed and set(exclusion.failed) <= set(required)
        assert exclusion.reason


# Questions whose answers all weigh one criterion (what you build and the size
# of the core pick a different criterion per answer, so "raising" means nothing).
ONE_CRITERION = [q for q in QUESTIONS if q.id not in ("kind", "core")]


@settings(max_examples=200, deadline=None)
@given(catalogs(), answer_sets, st.sampled_from(ONE_CRITERION))
def test_raising_a_criterion_never_sets_back_the_framework_best_on_it(
    catalog: Catalog, answers: Answers, question
) -> None:
    current = answers[question.id]
    position = question.scale.index(current)
    if position == len(question.scale) - 1:
        return  # already at the top of its scale
    new = question.scale[position + 1]
    if "no" in (current, new):
        return  # "no" async weighs sync code, another criterion
    raised = answers.replace({question.id: new})

    before = rank(catalog, answers)
    after = rank(catalog, raised)
    if not after.entries:
        return

    def value(entry) -> float:
        return next(c.value for c in entry.contributions if c.criterion == question.id)

    best_value = max(value(e) for e in after.entries)
    for best in (e for e in after.entries if value(e) == best_value):
        old = next(e for e in before.entries if e.framework.id == best.framework.id)
        assert best.rank <= old.rank
        for other in after.entries:
            was = next(e for e in before.entries if e.framework.id == other.framework.id)
            assert best.score - other.score >= old.score - was.score


@settings(max_examples=150, deadline=None)
@given(catalogs(), answer_sets)
def test_the_explanation_adds_up_to_the_score(catalog: Catalog, answers: Answers) -> None:
    ranking = rank(catalog, answers)

    for entry in ranking.entries:
        assert sum(c.points for c in entry.contributions) == entry.score
        assert [c.criterion for c in entry.contributions] == [q.id for q in QUESTIONS]
        assert 0 <= entry.score <= ranking.max_score
    scores = [e.score for e in ranking.entries]
    assert scores == sorted(scores, reverse=True)


@settings(max_examples=100, deadline=None)
@given(catalogs(), answer_sets)
def test_what_would_change_the_answer_is_true_when_applied(
    catalog: Catalog, answers: Answers
) -> None:
    ranking = rank(catalog, answers)
    if ranking.what_if is None:
        return

    changed = answers.replace({c.question: c.new for c in ranking.what_if.changes})
    new = rank(catalog, changed)

    assert 1 <= len(ranking.what_if.changes) <= 2
    assert new.entries[0].framework == ranking.what_if.leader
    if ranking.entries:
        assert ranking.what_if.leader != ranking.entries[0].framework
