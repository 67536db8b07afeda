"""Ranking from columns gives exactly what the plain ranking gives.

``column_ranking.rank`` (what ``fwpick recommend`` runs) scores profiles,
builds entries when read and searches "what would change the answer" over
score signatures with a bound; ``ranking.rank`` does everything for every
framework.  Both must agree on every entry, score, explanation, exclusion and
what-if, and their JSON must be the same text: on generated catalogues, on
catalogues read through the cache (columns kept, and built on a miss), and
in the worst case for the search, where one framework wins on every
criterion so that no change of answers can put another first.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from builders import CHECKED, answer_sets, make_catalog, make_framework
from conftest import varied_catalog_yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fwpick.catalog import cache as catalog_cache
from fwpick.catalog.model import FEATURES, Catalog, Framework, OtherRelease
from fwpick.output import RankingView
from fwpick.output.ranking_text import ranking_json
from fwpick.recommend import column_ranking, ranking
from fwpick.recommend.quiz import QUESTIONS, Answers
from fwpick.recommend.ranking import weight

PYTHONS = (None, (3, 11), (3, 8))


def assert_same(catalog: Catalog, answers: Answers, python: tuple[int, int] | None) -> None:
    plain = ranking.rank(catalog, answers, python=python)
    fast = column_ranking.rank(catalog, answers, python=python)

    def entries(r: ranking.Ranking) -> list[object]:
        return [(e.rank, e.framework.id, e.score, e.contributions, e.release) for e in r.entries]

    def excluded(r: ranking.Ranking) -> list[object]:
        return [(x.framework.id, x.failed, x.reason) for x in r.excluded]

    assert entries(fast) == entries(plain)
    assert excluded(fast) == excluded(plain)
    assert fast.max_score == plain.max_score
    assert [e.framework.id for e in fast.contenders()] == [
        e.framework.id for e in plain.contenders()
    ]
    if plain.what_if is None:
        assert fast.what_if is None
    else:
        assert fast.what_if is not None
        assert fast.what_if.changes == plain.what_if.changes
        assert fast.what_if.leader == plain.what_if.leader
    assert (fast.verdict(), fast.what_if_text()) == (plain.verdict(), plain.what_if_text())
    assert fast.with_addons == plain.with_addons
    fast_json = ranking_json(RankingView(fast))
    assert not isinstance(fast_json, str)  # written a piece at a time
    assert "".join(fast_json) == ranking_json(RankingView(plain))


# --- generated catalogues, in memory ----------------------------------------


@st.composite
def varied_frameworks(draw: st.DrawFn, ident: str) -> Framework:
    """A framework whose every criterion can differ, Python versions and features included."""
    needs = draw(st.sampled_from((">=3.9", ">=3.12", ">=3.13")))
    older = (OtherRelease("0.9", ">=3.8", "the line for older Pythons"),)
    return make_framework(
        ident,
        async_handlers=draw(st.sampled_from(("yes", "partly", "no"))),
        single_file=draw(st.booleans()),
        dependencies=draw(st.sampled_from(((), ("dep",), ("a", "b", "c")))),
        server=draw(st.sampled_from(("none", "development", "production"))),
        templating=draw(st.sampled_from(("", "Jinja2"))),
        docs=draw(st.integers(1, 5)),
        community=draw(st.integers(1, 5)),
        maturity=draw(st.integers(1, 5)),
        performance=draw(st.integers(1, 5)),
        released=draw(st.dates(min_value=date(2019, 1, 1), max_value=CHECKED)),
        built_in=tuple(draw(st.sets(st.sampled_from(FEATURES)))),
        interface=draw(st.sampled_from((("wsgi",), ("asgi",), ("wsgi", "asgi")))),
        requires_python=needs,
        other_releases=older if draw(st.booleans()) else (),
        distributions=draw(st.none() | st.integers(1, 20)),
    )


@st.composite
def varied_catalogs(draw: st.DrawFn) -> Catalog:
    count = draw(st.integers(1, 25))
    # Some frameworks are copies under another id: they share a profile, so
    # that ties (and the twins of the what-if search) are common.
    made: list[Framework] = []
    for number in range(count):
        ident = f"fw{number:02d}"
        if made and draw(st.booleans()):
            made.append(draw(st.sampled_from(made))._replace(id=ident, name=ident.upper()))
        else:
            made.append(draw(varied_frameworks(ident)))
    return make_catalog(*draw(st.permutations(made)))


@settings(max_examples=200, deadline=None)
@given(varied_catalogs(), answer_sets, st.sampled_from(PYTHONS))
def test_any_catalogue_and_answers_rank_the_same_from_columns(
    catalog: Catalog, answers: Answers, python: tuple[int, int] | None
) -> None:
    assert_same(catalog, answers, python)


def champion(ident: str = "best") -> Framework:
    """Top marks on every criterion, whatever the answers."""
    return make_framework(
        ident,
        async_handlers="yes",
        single_file=True,
        dependencies=(),
        server="production",
        templating="Jinja2",
        docs=5,
        community=5,
        maturity=5,
        performance=5,
        built_in=FEATURES,
        interface=("wsgi", "asgi"),
        distributions=1,
        installed_mb=0.5,
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(varied_frameworks("x"), min_size=1, max_size=30),
    answer_sets,
    st.sampled_from(PYTHONS),
)
def test_the_worst_case_for_the_search_one_framework_best_on_everything(
    others: list[Framework], answers: Answers, python: tuple[int, int] | None
) -> None:
    # No change of answers puts anyone else first: every variation is tried.
    field = [fw._replace(id=f"fw{n:02d}", name=f"Fw{n:02d}") for n, fw in enumerate(others)]
    catalog = make_catalog(*field, champion())

    assert_same(catalog, answers, python)


def random_framework(rng: random.Random, ident: str) -> Framework:
    """Like :func:`varied_frameworks`, drawn from a seeded generator."""
    return make_framework(
        ident,
        async_handlers=rng.choice(("yes", "partly", "no")),
        single_file=rng.random() < 0.2,
        dependencies=rng.choice(((), ("dep",), ("a", "b", "c"))),
        server=rng.choice(("none", "development", "production")),
        templating=rng.choice(("", "Jinja2")),
        docs=rng.randint(1, 5),
        community=rng.randint(1, 5),
        maturity=rng.randint(1, 5),
        performance=rng.randint(1, 5),
        released=date(2020 + rng.randint(0, 5), rng.randint(1, 12), 1),
        built_in=tuple(f for f in FEATURES if rng.random() < 0.3),
        interface=rng.choice((("wsgi",), ("asgi",), ("wsgi", "asgi"))),
        requires_python=rng.choice((">=3.9", ">=3.12")),
        distributions=rng.choice((None, 1, 4, 12)),
    )


def test_every_single_change_from_the_defaults_ranks_alike_on_400_frameworks() -> None:
    # Seeded and bigger than hypothesis makes, with many frameworks sharing a
    # profile: every question's every answer in turn.
    rng = random.Random(13)
    kinds = [random_framework(rng, f"k{n:02d}") for n in range(60)]
    field = [rng.choice(kinds)._replace(id=f"g{n:03d}", name=f"G{n:03d}") for n in range(400)]
    catalog = make_catalog(*field, champion("zzz"))
    for q in QUESTIONS:
        for answer in q.choices:
            assert_same(catalog, Answers.defaults().replace({q.id: answer}), (3, 11))


def test_answers_where_only_one_question_weighs_rank_alike() -> None:
    # The JSON's reasons are grouped by the rows of the questions that weigh:
    # one such question is its own case.
    rng = random.Random(17)
    field = [random_framework(rng, f"f{n:03d}") for n in range(120)]
    nothing = {q.id: next(c for c in q.choices if weight(q, c) == 0) for q in QUESTIONS[1:]}
    for kind in QUESTIONS[0].choices:
        answers = Answers.defaults().replace({**nothing, QUESTIONS[0].id: kind})
        assert [q.id for q in QUESTIONS if weight(q, answers[q.id])] == [QUESTIONS[0].id]
        assert_same(make_catalog(*field), answers, (3, 11))


# --- catalogues read through the cache ---------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("FWPICK_NO_CACHE", raising=False)
    return tmp_path / "xdg-cache" / "fwpick"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_cached_catalogue_ranks_the_same_whether_its_columns_are_built_or_kept(
    cache: Path, write_catalog: Callable[..., Path], seed: int
) -> None:
    path = write_catalog(varied_catalog_yaml(120, seed))
    rng = random.Random(seed)
    sets = [Answers.defaults()] + [
        Answers(tuple((q.id, rng.choice(q.choices)) for q in QUESTIONS)) for _ in range(8)
    ]

    first = catalog_cache.load_catalog(path)  # a miss: columns built and kept
    assert isinstance(first.frameworks, catalog_cache.CachedFrameworks)
    for answers in sets:
        assert_same(first, answers, (3, 11))
    assert sorted(p.name.split(".")[1] for p in cache.glob("*.derived")) == ["notes", "ranking"]

    again = catalog_cache.load_catalog(path)  # a hit: columns read back
    for answers in sets:
        for python in PYTHONS:
            assert_same(again, answers, python)


def test_the_count_of_frameworks_a_hard_answer_excludes_is_counted_from_the_columns() -> None:
    from fwpick.recommend.columns import build, failing
    from fwpick.recommend.criteria import measure
    from fwpick.recommend.ranking import HARD_BITS

    rng = random.Random(23)
    field = [random_framework(rng, f"f{n:03d}") for n in range(80)]
    columns = build(field, CHECKED)
    counts = []
    for q, bits in zip(QUESTIONS, HARD_BITS, strict=True):
        for answer in bits:
            plain = sum(not measure(fw, CHECKED)[q.id][answer].passes for fw in field)
            assert failing(columns, q.id, answer) == plain, (q.id, answer)
            counts.append(plain)
    assert any(0 < count < len(field) for count in counts)
