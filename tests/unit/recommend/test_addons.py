"""Framework + add-on: "Django + Django Ninja" is scored, not assumed, and said where it helps."""

from __future__ import annotations

import pytest
from conftest import BUNDLED_CATALOG

from fwpick.catalog import load_catalog
from fwpick.catalog.model import Catalog
from fwpick.recommend.addons import combined
from fwpick.recommend.criteria import measure
from fwpick.recommend.quiz import Answers
from fwpick.recommend.ranking import points_for, rank

PYTHON = (3, 11)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(BUNDLED_CATALOG)


def _answers(**changes: str) -> Answers:
    return Answers.defaults().replace(changes)


def test_an_api_add_on_is_scored_as_its_base_with_the_features_it_adds(catalog: Catalog) -> None:
    ranking = rank(catalog, _answers(kind="api", core="batteries"), python=PYTHON)
    ninja = next(w for w in ranking.with_addons if w.addon.id == "django-ninja")
    django = next(e for e in ranking.entries if e.framework.id == "django")

    assert ninja.base_score == django.score
    assert set(ninja.adds) == {"validation", "openapi"}
    expected = points_for(
        measure(combined(django.framework, ninja.addon), ranking.today), ranking.answers
    )
    assert ninja.score == expected > django.score
    better = [e for e in ranking.entries if e.framework.id != "django" and e.score > ninja.score]
    assert ninja.rank == len(better) + 1
    assert ninja.text().startswith("With the add-on Django Ninja (adds validation, openapi),")


def test_a_must_have_the_base_lacks_but_the_add_on_brings_is_met_by_the_combination(
    catalog: Catalog,
) -> None:
    ranking = rank(catalog, _answers(must_have="openapi"), python=PYTHON)

    assert "django" in {x.framework.id for x in ranking.excluded}
    ninja = next(w for w in ranking.with_addons if w.addon.id == "django-ninja")
    assert ninja.base_score is None
    assert "Django + Django Ninja meets your hard constraints" in ninja.text()


def test_no_add_on_is_suggested_where_it_adds_nothing_the_answers_weigh(catalog: Catalog) -> None:
    # A website that must have an ORM: request validation and OpenAPI weigh
    # nothing there, so neither add-on can lift its base.
    ranking = rank(catalog, _answers(kind="website", must_have="orm"), python=PYTHON)
    assert ranking.with_addons == ()


def test_the_combination_adds_the_add_ons_dependencies_to_its_base(catalog: Catalog) -> None:
    django = catalog.get("django")
    ninja = next(a for a in catalog.addons if a.id == "django-ninja")
    assert django is not None
    both = combined(django, ninja)

    assert "pydantic" in both.facts.dependencies.value  # type: ignore[operator]
    assert both.name == "Django + Django Ninja"
    assert both.features is not None and both.features["openapi"].value == "yes"
