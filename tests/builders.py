"""Catalogues and answers built in code, for the tests of the ranking and the renderers.

Importable from any test folder (pytest puts this folder on the path for
conftest.py).  Hypothesis strategies are here too, so that one definition of
"any catalogue" and "any answers" serves every property test.
"""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from fwpick.catalog.model import (
    FEATURES,
    Catalog,
    Fact,
    Facts,
    Framework,
    Links,
    Measured,
    OtherRelease,
    Score,
)
from fwpick.recommend.quiz import QUESTIONS, Answers

CHECKED = date(2026, 1, 15)


def _fact(value: object, detail: str = "") -> Fact:
    return Fact(value, "test", CHECKED, detail)


def make_framework(
    id: str,
    *,
    async_handlers: str = "no",
    single_file: bool = False,
    dependencies: tuple[str, ...] = ("dep",),
    server: str = "development",
    templating: str = "",
    docs: int = 3,
    community: int = 3,
    maturity: int = 3,
    performance: int = 3,
    released: date = date(2025, 12, 1),
    async_detail: str = "",
    built_in: tuple[str, ...] = (),
    interface: tuple[str, ...] = ("wsgi",),
    requires_python: str = ">=3.9",
    other_releases: tuple[OtherRelease, ...] = (),
    distributions: int | None = None,
    installed_mb: float | None = None,
) -> Framework:
    """A framework with only the facts the ranking reads; the rest are placeholders."""
    facts = Facts(
        licence=_fact("MIT"),
        requires_python=_fact(requires_python),
        dependencies=_fact(dependencies),
        conditional_dependencies=_fact(()),
        interface=_fact(interface),
        async_handlers=_fact(async_handlers, async_detail),
        single_file=_fact(single_file),
        server=_fact(server),
        templating=_fact(templating),
    )
    scores = {
        "docs": Score(docs, "docs rationale"),
        "community": Score(community, "community rationale"),
        "maturity": Score(maturity, "maturity rationale"),
        "performance": Score(performance, "performance rationale"),
    }
    return Framework(
        id=id,
        name=id.capitalize(),
        pypi=id,
        description=f"{id.capitalize()} is a test framework.",
        comparison_notes=f"Notes on {id}.",
        from_seed=False,
        version=_fact("1.0"),
        released=_fact(released),
        facts=facts,
        scores=scores,
        links=Links(f"https://example.org/{id}", f"https://example.org/{id}/docs", "https://x.org"),
        other_releases=other_releases,
        features={name: _fact("yes" if name in built_in else "no") for name in FEATURES},
        measured=None
        if distributions is None
        else Measured(
            distributions=_fact(distributions),
            installed_mb=None if installed_mb is None else _fact(installed_mb),
        ),
    )


def make_catalog(*frameworks: Framework) -> Catalog:
    return Catalog(1, CHECKED, tuple(frameworks))


def answers(**changes: str) -> Answers:
    return Answers.defaults().replace(changes)


score = st.integers(min_value=1, max_value=5)


@st.composite
def frameworks(draw: st.DrawFn, id: str):
    return make_framework(
        id,
        async_handlers=draw(st.sampled_from(("yes", "partly", "no"))),
        single_file=draw(st.booleans()),
        dependencies=draw(st.sampled_from(((), ("dep",), ("a", "b")))),
        server=draw(st.sampled_from(("none", "development", "production"))),
        templating=draw(st.sampled_from(("", "Jinja2"))),
        docs=draw(score),
        community=draw(score),
        maturity=draw(score),
        performance=draw(score),
        released=draw(st.dates(min_value=date(2015, 1, 1), max_value=CHECKED)),
    )


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    ids = draw(
        st.lists(st.text("abcdefghij", min_size=1, max_size=4), min_size=1, max_size=7, unique=True)
    )
    return make_catalog(*(draw(frameworks(i)) for i in ids))


answer_sets = st.builds(
    lambda choices: Answers(tuple(zip((q.id for q in QUESTIONS), choices, strict=True))),
    st.tuples(*(st.sampled_from(q.choices) for q in QUESTIONS)),
)
