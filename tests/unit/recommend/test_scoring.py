"""The ranking: hand-checked scores, hard constraints, tie-breaks and "what would change"."""

from __future__ import annotations

from datetime import date

import pytest
from builders import answers, make_catalog, make_framework
from conftest import BUNDLED_CATALOG, SEED_IDS

from fwpick.catalog.model import Catalog, OtherRelease
from fwpick.recommend.quiz import QUESTIONS
from fwpick.recommend.ranking import rank

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


def test_the_order_does_not_depend_on_the_order_of_the_catalogue() -> None:
    forward = rank(TRIO, answers())
    backward = rank(make_catalog(GAMMA, BETA, ALPHA), answers())

    assert [e.framework.id for e in forward.entries] == [e.framework.id for e in backward.entries]


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


# --- the v2 criteria, worked out by hand --------------------------------------


def test_every_question_has_a_weight_for_every_choice_growing_along_its_scale() -> None:
    for question in QUESTIONS:
        assert set(question.weights) == set(question.choices)
    for qid in ("server", "single_file", "throughput", "docs", "community", "maturity"):
        question = next(q for q in QUESTIONS if q.id == qid)
        ordered = [question.weights[c] for c in question.scale]
        assert ordered == sorted(ordered), f"{qid}: scale and weights disagree"


def test_an_api_is_scored_on_validation_and_openapi_and_a_website_on_templates_forms_sessions() -> (
    None
):
    api = make_framework("api", built_in=("validation", "openapi"))
    site = make_framework("site", templating="Jinja2", built_in=("forms", "sessions"))
    catalog = make_catalog(api, site)

    for_api = rank(catalog, answers(kind="api"))
    for_site = rank(catalog, answers(kind="website"))

    assert scores_of(for_api)["api"] - scores_of(for_api)["site"] == 3.0  # weight 3 x 1.0
    assert scores_of(for_site)["site"] - scores_of(for_site)["api"] == 3.0
    fit = next(c for c in for_api.entries[0].contributions if c.criterion == "kind")
    assert fit.evidence == "API tooling: validation, openapi"


def test_a_small_core_is_read_from_the_measured_install_and_batteries_from_what_is_built_in() -> (
    None
):
    tiny = make_framework("tiny", distributions=1, installed_mb=0.5)
    heavy = make_framework(
        "heavy",
        distributions=20,
        installed_mb=40.0,
        built_in=("orm", "migrations", "admin", "auth", "forms", "sessions", "websockets"),
        templating="own",
    )
    catalog = make_catalog(tiny, heavy)

    small = rank(catalog, answers(core="small"))
    batteries = rank(catalog, answers(core="batteries"))

    assert small.entries[0].framework.id == "tiny"
    assert batteries.entries[0].framework.id == "heavy"
    core = next(c for c in small.entries[0].contributions if c.criterion == "core")
    assert (core.value, core.evidence) == (1.0, "installs 1 distribution (measured), 0.5 MB")


def test_plain_sync_code_favours_frameworks_built_on_sync_handlers() -> None:
    sync = make_framework("sync", async_handlers="no")
    both = make_framework("both", async_handlers="yes", interface=("wsgi", "asgi"))
    only_async = make_framework("asyncy", async_handlers="yes", interface=("asgi",))
    ranking = rank(make_catalog(sync, both, only_async), answers(**{"async": "no"}))

    values = {
        e.framework.id: next(c.value for c in e.contributions if c.criterion == "async")
        for e in ranking.entries
    }
    assert values == {"sync": 1.0, "both": 0.5, "asyncy": 0.0}


def test_the_python_version_excludes_a_framework_or_ranks_its_line_for_that_python() -> None:
    new_only = make_framework("newonly", requires_python=">=3.13")
    with_line = make_framework(
        "lined",
        requires_python=">=3.12",
        other_releases=(OtherRelease("0.9", ">=3.9", "for older Pythons"),),
    )
    ranking = rank(make_catalog(new_only, with_line), answers(), python=(3, 11))

    assert [e.framework.id for e in ranking.entries] == ["lined"]
    assert ranking.entries[0].release.version == "0.9"
    assert "needs Python >=3.12" in ranking.entries[0].release.note
    (excluded,) = ranking.excluded
    assert excluded.failed == ("python",)
    assert excluded.reason == "it needs Python >=3.13"
    assert [e.framework.id for e in rank(make_catalog(new_only), answers()).entries] == ["newonly"]


def test_what_would_change_names_the_smallest_change_that_brings_a_clear_new_leader() -> None:
    wordy = make_framework("wordy", docs=5, performance=1)
    speedy = make_framework("speedy", docs=1, performance=5)
    ranking = rank(make_catalog(wordy, speedy), answers(docs="high", throughput="low"))

    assert ranking.entries[0].framework.id == "wordy"
    assert ranking.what_if is not None
    assert ranking.what_if.leader.id == "speedy"
    given = {"docs": "high", "throughput": "low"}
    given.update({c.question: c.new for c in ranking.what_if.changes})
    again = rank(make_catalog(wordy, speedy), answers(**given))
    assert again.entries[0].framework.id == "speedy"
    assert not again.close_call


def test_every_weighed_criterion_is_shown_and_judgements_say_so() -> None:
    gamma = rank(TRIO, answers(docs="high")).entries[0]
    reasons = gamma.reasons()

    weighed = [c for c in gamma.contributions if c.weight]
    assert len(reasons) == len(weighed)
    assert any(r.startswith("docs 5/5 (judgement)") for r in reasons)
