"""Reviewing a recorded decision: what moved between the record and today's catalogue, and why."""

from __future__ import annotations

from datetime import date

from builders import answers, make_catalog, make_framework

from fwpick.catalog.model import Catalog, Fact, Framework
from fwpick.output.decision_record import build_report
from fwpick.recommend.quiz import QUESTIONS, Answers
from fwpick.recommend.ranking import rank
from fwpick.recommend.record import Recorded, read_record
from fwpick.recommend.review import (
    ADDED,
    EXCLUDED,
    GONE,
    LEADER_CHANGED,
    LEADER_EXCLUDED,
    LEADER_GONE,
    NEAR_TIE,
    NEAR_TIE_SETTLED,
    Review,
    recorded_answers,
    review,
)

PY = (3, 11)
# Maturity weighs 3 here, so a year without a release costs 0.75 points:
# beta leads alpha by exactly that much while its last release is recent.
MATURE = answers(maturity="high")
ALPHA = make_framework("alpha", maturity=4)
BETA = make_framework("beta", maturity=5)


def _recorded(catalog: Catalog, given: Answers = MATURE) -> Recorded:
    ranking = rank(catalog, given, python=PY)
    return read_record(build_report(ranking, date(2026, 1, 20)), "0001.md")


def _with(catalog: Catalog, *frameworks: Framework) -> Catalog:
    """``catalog`` with these frameworks replacing those of the same id, or added."""
    ids = {fw.id for fw in frameworks}
    kept = tuple(fw for fw in catalog.frameworks if fw.id not in ids)
    return catalog._replace(frameworks=kept + frameworks, digest="changed")


def _needs_python(fw: Framework, specifier: str) -> Fact:
    return fw.facts.requires_python._replace(value=specifier)


def _review(before: Catalog, after: Catalog, given: Answers = MATURE) -> Review:
    return review(_recorded(before, given), after, PY)


def test_the_same_catalogue_leaves_the_decision_standing_with_nothing_changed() -> None:
    catalog = make_catalog(ALPHA, BETA)

    found = _review(catalog, catalog)

    assert found.stands
    assert (found.findings, found.changes, found.notes) == ((), (), ())
    assert not found.catalog_changed


def test_the_leaders_last_release_passing_a_year_is_the_cause_of_its_lost_lead() -> None:
    before = make_catalog(ALPHA, BETA)
    # 13 months before the catalogue's check date (2026-01-15).
    after = _with(before, BETA._replace(released=BETA.released._replace(value=date(2024, 12, 1))))

    found = _review(before, after)

    assert not found.stands
    assert [f.kind for f in found.findings] == [LEADER_CHANGED, NEAR_TIE]
    assert "Alpha leads now, not Beta" in found.findings[0].text
    (beta,) = found.changes
    assert (beta.id, beta.before.rank, beta.after.rank) == ("beta", 1, 2)
    assert beta.before.score - beta.after.score == 0.75
    (cause,) = beta.causes
    assert cause.criterion == "maturity"
    assert (cause.before.points, cause.after.points) == (3.0, 2.25)
    assert cause.text().startswith("maturity: maturity 5/5 → maturity 5/5, less 1 for 13 months")


def test_a_new_release_is_named_even_when_the_score_does_not_move() -> None:
    before = make_catalog(ALPHA, BETA)
    after = _with(before, ALPHA._replace(version=ALPHA.version._replace(value="1.1")))

    found = _review(before, after)

    assert found.stands
    (alpha,) = found.changes
    assert (alpha.before.version, alpha.after.version) == ("1.0", "1.1")
    assert alpha.causes == ()
    assert "1.0 → 1.1 (a new release): score unchanged" in alpha.text()


def test_a_removed_leader_overturns_the_decision_and_is_listed_as_gone() -> None:
    before = make_catalog(ALPHA, BETA)
    after = before._replace(frameworks=(ALPHA,), digest="changed")

    found = _review(before, after)

    assert not found.stands
    assert found.findings[0].kind == LEADER_GONE
    assert "Beta, is no longer in the catalogue; Alpha leads now" in found.findings[0].text
    # Alpha only moved up a place, which is no change of its own.
    assert [(c.id, c.kind) for c in found.changes] == [("beta", GONE)]


def test_a_leader_excluded_by_its_python_requirement_overturns_the_decision() -> None:
    before = make_catalog(ALPHA, BETA)
    after = _with(
        before,
        BETA._replace(facts=BETA.facts._replace(requires_python=_needs_python(BETA, ">=3.13"))),
    )

    found = _review(before, after)

    assert [f.kind for f in found.findings] == [LEADER_EXCLUDED]
    assert "it needs Python >=3.13" in found.findings[0].text
    beta = next(c for c in found.changes if c.id == "beta")
    assert beta.kind == EXCLUDED
    assert "is now excluded: it needs Python >=3.13 (it was rank 1" in beta.text()


def test_a_framework_added_below_the_leader_is_listed_and_the_decision_stands() -> None:
    before = make_catalog(ALPHA, BETA)
    after = _with(before, make_framework("gamma", maturity=1))

    found = _review(before, after)

    assert found.stands
    (gamma,) = found.changes
    assert (gamma.kind, gamma.before, gamma.after.rank) == (ADDED, None, 3)
    assert gamma.text().startswith("Gamma 1.0 is new in the catalogue (rank 3,")


def test_a_near_tie_that_settles_on_its_first_contender_is_said_and_the_decision_stands() -> None:
    tied = make_catalog(
        ALPHA, BETA._replace(scores={**BETA.scores, "maturity": ALPHA.scores["maturity"]})
    )
    assert rank(tied, MATURE, python=PY).close_call  # alpha first, by id
    settled = _with(
        tied, ALPHA._replace(scores={**ALPHA.scores, "maturity": BETA.scores["maturity"]})
    )

    found = _review(tied, settled)

    assert found.stands
    assert [f.kind for f in found.findings] == [NEAR_TIE_SETTLED]
    assert "Alpha leads with" in found.findings[0].text


def test_a_near_tie_that_settles_on_another_contender_is_a_changed_leader() -> None:
    tied = make_catalog(
        ALPHA, BETA._replace(scores={**BETA.scores, "maturity": ALPHA.scores["maturity"]})
    )

    found = _review(tied, make_catalog(ALPHA, BETA))

    assert not found.stands
    assert [f.kind for f in found.findings] == [LEADER_CHANGED, NEAR_TIE_SETTLED]


def test_a_criterion_that_weighs_nothing_before_and_after_is_never_a_cause() -> None:
    before = make_catalog(ALPHA, BETA)
    # Async is answered "indifferent" (weight 0): its evidence changes, no score does.
    after = _with(
        before,
        ALPHA._replace(
            facts=ALPHA.facts._replace(
                async_handlers=ALPHA.facts.async_handlers._replace(value="yes")
            )
        ),
    )

    found = _review(before, after)

    assert found.changes == ()


def test_answers_to_questions_no_longer_asked_or_missing_fall_back_to_defaults_with_a_note() -> (
    None
):
    last = QUESTIONS[-1]
    recorded = {q.id: q.choices[0] for q in QUESTIONS[:-1]}
    recorded["colour"] = "blue"
    recorded[QUESTIONS[0].id] = "sometimes"

    given, notes = recorded_answers(recorded)

    assert given[last.id] == last.default
    assert given[QUESTIONS[0].id] == QUESTIONS[0].default
    assert [q.id for q in QUESTIONS[1:-1] if given[q.id] != q.choices[0]] == []
    assert any(last.flag in n and "took the default" in n for n in notes)
    assert any("'sometimes'" in n and QUESTIONS[0].flag in n for n in notes)
    assert any("'colour'" in n and "no longer asks" in n for n in notes)


def test_a_record_with_a_question_since_removed_is_still_reviewed_and_says_so() -> None:
    catalog = make_catalog(ALPHA, BETA)
    text = build_report(rank(catalog, MATURE, python=PY), date(2026, 1, 20))
    text = text.replace('"answers": {', '"answers": {"colour": "blue", ', 1)

    found = review(read_record(text, "r.md"), catalog, PY)

    assert found.stands
    assert found.notes == ("the record answers 'colour', which fwpick no longer asks: left out",)


def test_the_recorded_python_wins_and_a_record_without_one_takes_the_fallback() -> None:
    catalog = make_catalog(
        ALPHA,
        BETA._replace(facts=BETA.facts._replace(requires_python=_needs_python(BETA, ">=3.13"))),
    )
    recorded = _recorded(catalog)

    with_python = review(recorded, catalog, (3, 13), python_given=True)
    text = build_report(rank(catalog, MATURE, python=PY), date(2026, 1, 20))
    without = read_record(_drop_python(text), "r.md")
    fallback = review(without, catalog, (3, 13), python_given=True)

    assert with_python.ranking.python == PY
    assert "--python is not used: the record was ranked for Python 3.11" in with_python.notes[0]
    assert fallback.ranking.python == (3, 13)
    assert "ranked for Python 3.13, as --python asked" in fallback.notes[0]
    assert not fallback.stands  # beta installs on 3.13 and leads there


def _drop_python(text: str) -> str:
    # Every key of the block but the last is on a line of its own that ends in a comma.
    lines = [line for line in text.splitlines() if not line.startswith('"python": ')]
    assert len(lines) == len(text.splitlines()) - 1
    return "\n".join(lines) + "\n"
