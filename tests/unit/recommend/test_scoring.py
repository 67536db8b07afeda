"""The ranking: hand-checked scores, hard constraints, tie-breaks and "what would change"."""

from __future__ import annotations

from datetime import date

import pytest
from builders import answers, make_catalog, make_framework
from conftest import BUNDLED_CATALOG, SEED_IDS

from fwpick.catalog.model import Catalog
from fwpick.recommend.quiz import QUESTIONS
from fwpick.recommend.ranking import WEIGHTS, rank

# Three frameworks whose scores are worked out by hand in the tests below.
ALPHA = make_framework(
    "alpha",
    async_handlers="yes",
    server="production",
    docs=3,
    community=2,
    maturity=4,
    performance=5,
    released=date(2025, 10, 15),  # 3 months before the check: no penalty
)
BETA = make_framework(
    "beta",
    async_handlers="no",
    async_detail="WSGI only",
    single_file=True,
    dependencies=(),
    templating="SimpleTemplate",
    docs=4,
    community=3,
    maturity=5,
    performance=2,
    released=date(2023, 7, 1),  # 30 months before the check: maturity less 2
)
GAMMA = make_framework(
    "gamma",
    async_handlers="partly",
    async_detail="each async view runs in its own event loop on a worker thread",
    dependencies=("b", "c"),
    templating="Jinja2",
    docs=5,
    community=5,
    maturity=5,
    performance=2,
    released=date(2025, 7, 1),
)
TRIO = make_catalog(ALPHA, BETA, GAMMA)


def scores_of(ranking) -> dict[str, float]:
    return {e.framework.id: e.score for e in ranking.entries}


def test_default_answers_give_the_hand_computed_scores_and_order() -> None:
    # Weights: async 2, single file 0, server 0, templating 1, docs/throughput/community/maturity 2.
    # alpha: async 2 + docs 1 + performance 2 + community 0.5 + maturity 1.5        = 7.0
    # beta:  templating 1 + docs 1.5 + performance 0.5 + community 1 + maturity 1.0 = 5.0
    # gamma: async 1 + templating 1 + docs 2 + performance 0.5 + community 2 + maturity 2 = 8.5
    ranking = rank(TRIO, answers())

    assert [e.framework.id for e in ranking.entries] == ["gamma", "alpha", "beta"]
    assert scores_of(ranking) == {"gamma": 8.5, "alpha": 7.0, "beta": 5.0}
    assert ranking.max_score == 11
    assert not ranking.excluded
    assert not ranking.close_call
    assert ranking.verdict() == "Gamma leads with 8.50 of 11 possible, 1.50 ahead of Alpha."


def test_every_contribution_is_weight_times_value_and_they_add_up_to_the_score() -> None:
    ranking = rank(TRIO, answers(docs="high"))

    for entry in ranking.entries:
        assert sum(c.points for c in entry.contributions) == entry.score
        for c in entry.contributions:
            assert c.points == c.weight * c.value
            assert 0 <= c.value <= 1
    gamma_docs = next(c for c in ranking.entries[0].contributions if c.criterion == "docs")
    assert (gamma_docs.weight, gamma_docs.value, gamma_docs.evidence) == (3, 1.0, "docs 5/5")


def test_a_long_gap_since_the_last_release_takes_points_off_maturity() -> None:
    ranking = rank(TRIO, answers())
    beta = next(e for e in ranking.entries if e.framework.id == "beta")
    maturity = next(c for c in beta.contributions if c.criterion == "maturity")

    assert maturity.value == 0.5  # (5 - 1 - 2 years) / 4
    assert maturity.evidence == "maturity 5/5, less 2 for 30 months since the last release"


def test_requiring_async_excludes_frameworks_without_it_and_says_why() -> None:
    ranking = rank(TRIO, answers(**{"async": "required"}))

    assert [e.framework.id for e in ranking.entries] == ["alpha"]
    reasons = {x.framework.id: x.reason for x in ranking.excluded}
    assert reasons["beta"] == (
        "native async is required, but it has no async/await handlers (WSGI only)"
    )
    assert all(x.failed == ("async",) for x in ranking.excluded)


def test_partial_async_does_not_meet_required_native_async_and_the_reason_says_how() -> None:
    ranking = rank(TRIO, answers(**{"async": "required"}))
    gamma = next(x for x in ranking.excluded if x.framework.id == "gamma")

    assert gamma.reason == (
        "native async is required, but its async support is only partial"
        " (each async view runs in its own event loop on a worker thread)"
    )


def test_partial_async_earns_half_the_points_when_async_is_preferred() -> None:
    ranking = rank(TRIO, answers(**{"async": "preferred"}))
    gamma = next(e for e in ranking.entries if e.framework.id == "gamma")
    contribution = next(c for c in gamma.contributions if c.criterion == "async")

    assert (contribution.weight, contribution.value, contribution.points) == (2, 0.5, 1.0)
    assert contribution.evidence == "async handlers: partly"


def test_requiring_a_single_file_with_no_dependencies_leaves_only_such_frameworks() -> None:
    ranking = rank(TRIO, answers(single_file="required"))

    assert [e.framework.id for e in ranking.entries] == ["beta"]
    reasons = {x.framework.id: x.reason for x in ranking.excluded}
    assert reasons["gamma"] == (
        "a single file with no dependencies is required, but it is not a single file"
        " and it depends on b, c"
    )
    assert ranking.verdict().startswith("Beta is the only framework that meets the hard")


def test_two_requirements_name_both_failures() -> None:
    ranking = rank(TRIO, answers(single_file="required", server="required"))

    assert ranking.entries == ()
    alpha = next(x for x in ranking.excluded if x.framework.id == "alpha")
    assert alpha.failed == ("single_file",)
    beta = next(x for x in ranking.excluded if x.framework.id == "beta")
    assert beta.failed == ("server",)
    assert "development only" in beta.reason
    assert ranking.verdict() == "No framework meets every hard constraint."


def test_when_nothing_survives_the_smallest_relaxation_is_suggested() -> None:
    ranking = rank(TRIO, answers(single_file="required", server="required"))

    assert ranking.what_if is not None
    assert ranking.what_if.text == (
        "If a single file with no dependencies were preferred"
        " (--single-file preferred instead of required), Alpha would lead."
    )


def test_equal_scores_are_ordered_by_id_and_reported_as_too_close_to_call() -> None:
    twin_b = make_framework("bravo")
    twin_a = make_framework("able")
    ranking = rank(make_catalog(twin_b, twin_a), answers())

    assert [e.framework.id for e in ranking.entries] == ["able", "bravo"]
    assert ranking.close_call
    assert ranking.verdict().startswith(
        "Too close to call: Able and Bravo score the same (4.00 of 11 possible);"
    )


def test_the_order_does_not_depend_on_the_order_of_the_catalogue() -> None:
    forward = rank(TRIO, answers())
    backward = rank(make_catalog(GAMMA, BETA, ALPHA), answers())

    assert [e.framework.id for e in forward.entries] == [e.framework.id for e in backward.entries]


def test_what_would_change_names_the_smallest_change_that_brings_a_new_leader() -> None:
    # Under the defaults the first one-step change that flips the lead, in quiz
    # order, is requiring native async: gamma's partial async no longer counts,
    # and alpha, the only one with native async, is left.
    ranking = rank(TRIO, answers())

    assert ranking.what_if is not None
    assert ranking.what_if.leader.id == "alpha"
    assert ranking.what_if.text == (
        "If native async were required (--async required instead of preferred), Alpha would lead."
    )
    changed = rank(TRIO, answers(**{"async": "required"}))
    assert changed.entries[0].framework.id == "alpha"


def test_importance_changes_are_described_as_mattering_more_or_less() -> None:
    # docs high: wordy 3 + 0 = 3.0, speedy 0.75 + 2 = 2.75.  docs medium would
    # give 2.0 against 2.5, a near-tie (0.55 of 11); throughput high gives
    # 3.0 against 3.75, clear of the 0.65 margin (of 13).
    wordy = make_framework("wordy", docs=5, performance=1)
    speedy = make_framework("speedy", docs=2, performance=5)
    ranking = rank(make_catalog(wordy, speedy), answers(docs="high"))

    assert ranking.entries[0].framework.id == "wordy"
    assert ranking.what_if is not None
    assert ranking.what_if.text == (
        "If raw throughput mattered more (--throughput high instead of medium), Speedy would lead."
    )


def test_a_change_that_only_ties_the_leader_does_not_count_as_a_new_leader() -> None:
    # docs high: 3.0 against 2.0; docs medium would make it 2.0 against 2.0, a draw.
    wordy = make_framework("wordy", docs=5, performance=1)
    able = make_framework("able", docs=1, performance=5)
    ranking = rank(make_catalog(wordy, able), answers(docs="high"))

    assert ranking.what_if is not None
    assert ranking.what_if.text.startswith("If documentation mattered less (--docs low")


def test_a_leader_no_small_change_can_unseat_is_reported_as_such() -> None:
    strong = make_framework(
        "strong",
        async_handlers="yes",
        single_file=True,
        dependencies=(),
        server="production",
        templating="Own",
        docs=5,
        community=5,
        maturity=5,
        performance=5,
    )
    ranking = rank(make_catalog(strong, make_framework("weak")), answers())

    assert ranking.what_if is None
    assert ranking.what_if_text() == (
        "No change to one or two answers would put another framework clearly first:"
        " Strong stays ahead."
    )


def test_reasons_show_the_two_biggest_gains_and_the_weakest_point() -> None:
    gamma = rank(TRIO, answers()).entries[0]

    assert gamma.reasons() == (
        "docs 5/5 (+2 of 2)",
        "community 5/5 (+2 of 2)",
        "weakest: performance 2/5 (+0.5 of 2)",
    )


def test_every_question_has_a_weight_for_every_choice() -> None:
    for question in QUESTIONS:
        assert set(WEIGHTS[question.choices]) == set(question.choices)
        ordered = [WEIGHTS[question.choices][c] for c in question.scale]
        assert ordered == sorted(ordered), f"{question.id}: scale and weights disagree"


# --- the real catalogue (the seed four: Flask, Bottle, CherryPy, Sanic) ---


@pytest.fixture(scope="module")
def real_catalog() -> Catalog:
    from fwpick.catalog import load_catalog

    catalog = load_catalog(BUNDLED_CATALOG)
    missing = [name for name in SEED_IDS if catalog.get(name) is None]
    if missing:
        pytest.skip(f"the bundled catalogue lacks {', '.join(missing)}")
    return catalog


def test_real_catalogue_async_required_excludes_bottle_cherrypy_pyramid_and_flask(
    real_catalog: Catalog,
) -> None:
    ranking = rank(real_catalog, answers(**{"async": "required"}))
    excluded = {x.framework.id: x.reason for x in ranking.excluded}
    ranked = {e.framework.id for e in ranking.entries}

    # Flask's async views each get their own event loop on a worker thread and
    # the app stays WSGI: partial support, not native async.
    assert {"bottle", "cherrypy", "pyramid", "flask"} <= set(excluded)
    assert "sanic" in ranked
    assert excluded["flask"].startswith(
        "native async is required, but its async support is only partial ("
    )
    assert "the app stays WSGI" in excluded["flask"]
    assert {e.framework.facts.async_handlers.value for e in ranking.entries} == {"yes"}


def test_real_catalogue_single_file_required_leaves_only_bottle_of_the_seed_four(
    real_catalog: Catalog,
) -> None:
    ranking = rank(real_catalog, answers(single_file="required"))
    ranked = {e.framework.id for e in ranking.entries}

    assert ranked & set(SEED_IDS) == {"bottle"}


def test_real_catalogue_what_would_change_is_true_when_applied(real_catalog: Catalog) -> None:
    for given in (answers(), answers(docs="high", throughput="low"), answers(kind="api")):
        ranking = rank(real_catalog, given)
        if ranking.what_if is None:
            continue
        changed = given.replace({c.question: c.new for c in ranking.what_if.changes})
        assert rank(real_catalog, changed).entries[0].framework == ranking.what_if.leader
