"""The ranking's criteria, measured once per catalogue and kept as compact columns.

:func:`fwpick.recommend.ranking.rank` measures every framework on every
criterion each time it runs: right for a dozen frameworks, seconds for
10,000.  The measures only change with the catalogue, so here they are worked
out once and kept with the cached catalogue (see
:meth:`fwpick.catalog.cache.CachedFrameworks.derived`), in a form that makes
the measures cheap to load and quick to rank:

* per question, the distinct rows of measures (one per answer) that occur in
  the catalogue: ten thousand frameworks share a few hundred ways of doing on
  "docs", say;
* per framework, the number of its row on each question, its release lines
  (for the Python version asked) and its comparison notes.

:mod:`fwpick.recommend.column_ranking` ranks from these, with the same
results as the plain ranking (a test compares the two).  Nothing here names a
question or an answer: it all follows :data:`~fwpick.recommend.quiz.QUESTIONS`
and :data:`~fwpick.recommend.criteria.CRITERIA`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from fwpick.catalog.model import Catalog, Framework
from fwpick.recommend.criteria import measure
from fwpick.recommend.python_version import release_lines
from fwpick.recommend.quiz import QUESTIONS

# The modules whose code decides what the columns hold; editing one of them
# makes a kept copy stale (paths relative to the fwpick package).
MODULES = (
    "recommend/columns.py",
    "recommend/criteria.py",
    "recommend/quiz.py",
    "recommend/python_version.py",
    "features.py",
    "catalog/throughput.py",
)

# One measure as plain data: value, evidence, passes, failure, judgement.
MeasureRow = tuple[tuple[float, str, bool, str, bool], ...]  # by answer, in the question's order


class Columns(NamedTuple):
    """A catalogue's measures on every criterion, for one date (the catalogue's check date).

    A *profile* is a framework's row on every question: frameworks with one
    profile score alike and are explained alike.  A *signature* is what a
    profile scores and fails, whatever its evidence: frameworks with one
    signature score alike for any answers.
    """

    today: date
    shape: tuple[tuple[str, tuple[str, ...]], ...]  # (question id, its choices), quiz order
    measures: tuple[tuple[MeasureRow, ...], ...]  # by question: its distinct rows
    profiles: tuple[tuple[int, ...], ...]  # the distinct rows' numbers, one per question
    signatures: tuple[int, ...]  # by profile: its signature's number
    members: tuple[tuple[int, ...], ...]  # by signature: its frameworks' numbers, by id
    profile_of: tuple[int, ...]  # by framework: its profile's number
    release_lines: tuple[tuple[tuple[str, str], ...], ...]  # distinct (version, Requires-Python)s
    release_of: tuple[int, ...]  # by framework: the number of its release lines


def quiz_shape() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((q.id, q.choices) for q in QUESTIONS)


def build(frameworks: Sequence[Framework], today: date) -> Columns:
    """Measure every framework once, keeping each question's distinct rows of measures once."""
    numbers: list[dict[MeasureRow, int]] = [{} for _ in QUESTIONS]
    profiles: dict[tuple[int, ...], int] = {}
    profile_of = []
    for fw in frameworks:
        measured = measure(fw, today)
        row = []
        for q, seen in zip(QUESTIONS, numbers, strict=True):
            found = measured[q.id]
            key: MeasureRow = tuple(
                (m.value, m.evidence, m.passes, m.failure, m.judgement)
                for m in (found[answer] for answer in q.choices)
            )
            row.append(seen.setdefault(key, len(seen)))
        profile_of.append(profiles.setdefault(tuple(row), len(profiles)))
    measures = tuple(tuple(seen) for seen in numbers)
    # What a row scores and fails: its values and passes for every answer.
    scoring = [[tuple((m[0], m[2]) for m in row) for row in rows] for rows in measures]
    signatures: dict[tuple[tuple[tuple[float, bool], ...], ...], int] = {}
    signature_of = tuple(
        signatures.setdefault(tuple(scoring[i][r] for i, r in enumerate(profile)), len(signatures))
        for profile in profiles
    )
    members: list[list[tuple[str, int]]] = [[] for _ in signatures]
    for number, (fw, profile) in enumerate(zip(frameworks, profile_of, strict=True)):
        members[signature_of[profile]].append((fw.id, number))
    lines: dict[tuple[tuple[str, str], ...], int] = {}
    release_of = tuple(lines.setdefault(release_lines(fw), len(lines)) for fw in frameworks)
    return Columns(
        today,
        quiz_shape(),
        measures,
        tuple(profiles),
        signature_of,
        tuple(tuple(number for _, number in sorted(found)) for found in members),
        tuple(profile_of),
        tuple(lines),
        release_of,
    )


def columns_for(catalog: Catalog, today: date) -> Columns:
    """The columns of ``catalog`` at ``today``: kept with a cached catalogue, else measured now.

    Only the catalogue exactly as the cache gave it has kept columns: one
    changed since (``--bench`` replaces throughput figures) is measured again.
    """
    from fwpick.catalog.cache import CachedFrameworks

    frameworks = catalog.frameworks
    if not isinstance(frameworks, CachedFrameworks) or today != catalog.checked:
        return build(frameworks, today)
    kept = frameworks.derived("ranking", MODULES, lambda: tuple(build(frameworks, today)))
    found = _as_columns(kept)
    if found is None or found.shape != quiz_shape() or len(found.profile_of) != len(frameworks):
        return build(frameworks, today)
    return found


def failing(columns: Columns, question: str, answer: str) -> int:
    """How many frameworks fail the hard constraint ``answer`` to ``question`` (the quiz
    shows it beside the answer); counted by row, not by measuring each framework."""
    i = next(n for n, (ident, _) in enumerate(columns.shape) if ident == question)
    at = columns.shape[i][1].index(answer)
    fails = {r for r, row in enumerate(columns.measures[i]) if not row[at][2]}
    return sum(columns.profiles[profile][i] in fails for profile in columns.profile_of)


def notes_for(catalog: Catalog) -> Sequence[str]:
    """Every framework's comparison notes, in catalogue order; kept apart from the columns,
    since only the JSON ranking lists them all."""
    from fwpick.catalog.cache import CachedFrameworks

    frameworks = catalog.frameworks
    if not isinstance(frameworks, CachedFrameworks):
        return [fw.comparison_notes for fw in frameworks]
    kept = frameworks.derived(
        "notes", MODULES, lambda: tuple(fw.comparison_notes for fw in frameworks)
    )
    if not isinstance(kept, tuple) or len(kept) != len(frameworks):
        return [fw.comparison_notes for fw in frameworks]
    return kept


def _as_columns(kept: Any) -> Columns | None:
    """Columns from the plain tuple they are kept as (the cache builds no other classes)."""
    try:
        return Columns(*kept)
    except TypeError:
        return None
