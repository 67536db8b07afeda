"""Ranking from the catalogue's columns: what :func:`~fwpick.recommend.ranking.rank` gives,
at any size.

The plain ranking measures and scores every framework on every run and builds
every framework's explanation.  Here, from :mod:`fwpick.recommend.columns`:

* a framework's score is the answers' weights applied to its rows of
  measures, and frameworks with the same rows on every question (a
  *profile*) share one score, one list of contributions and one reason for
  exclusion, worked out once;
* "what would change the answer" is searched over *score signatures* (the
  points and hard-constraint failures of a profile, whatever its evidence)
  rather than frameworks (:mod:`fwpick.recommend.column_what_if`);
* the entries and exclusions are built when they are read, and a framework
  is loaded from the cache only then: printing the top twenty of 10,000
  loads twenty.

A test checks that the two give the same ranking, exclusions and what-if on
generated catalogues, the worst case for the search included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, cast, overload

from fwpick.catalog.model import Catalog, Framework, framework_keys
from fwpick.recommend import ranking
from fwpick.recommend.column_what_if import search
from fwpick.recommend.columns import Columns, columns_for
from fwpick.recommend.criteria import label
from fwpick.recommend.python_version import Release, allows, release_from
from fwpick.recommend.quiz import QUESTIONS, Answers
from fwpick.recommend.ranking import (
    CLOSE_SHARE,
    Contribution,
    Exclusion,
    Ranked,
    Ranking,
    WhatIf,
    weight,
)

if TYPE_CHECKING:
    from fwpick.recommend.addons import WithAddon


class Lines(NamedTuple):
    """Every ranked framework as JSON lists it, field by field in rank order, loading
    no framework: columns, so that writing 10,000 is a few passes in C, not a loop."""

    ids: list[str]
    names: list[str]
    scores: list[float]
    profiles: list[int]  # see Entries.rows
    releases: list[Release]
    comparison_notes: list[str]


class Entries(Sequence[Ranked]):
    """The ranked frameworks, best first, each built (and its framework loaded) when read."""

    def __init__(
        self,
        frameworks: Sequence[Framework],
        columns: Columns,
        order: list[int],
        scores: list[float],
        contributions: Callable[[int], tuple[Contribution, ...]],
        contribution: Callable[[int, int], Contribution],
        releases: list[Release | None],
    ) -> None:
        self._frameworks = frameworks
        self._columns = columns
        self._order = order  # framework numbers, best first
        self._scores = scores  # by place
        self._contributions = contributions  # by profile number
        self.contribution = contribution  # by question and row number
        self._releases = releases  # by framework number

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> Ranked: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Ranked, ...]: ...

    def __getitem__(self, index: int | slice) -> Ranked | tuple[Ranked, ...]:
        if isinstance(index, slice):
            return tuple(self[k] for k in range(*index.indices(len(self))))
        k = range(len(self))[index]
        number = self._order[k]
        release = self._releases[number]
        assert release is not None
        fw = self._frameworks[number]
        made = self._contributions(self._columns.profile_of[number])
        return Ranked(k + 1, fw, self._scores[k], made, release)

    def score(self, k: int) -> float:
        return self._scores[k]

    def lines(self, notes: Sequence[str]) -> Lines:
        """Every ranked framework's line (``notes``: every framework's comparison notes,
        see :func:`.columns.notes_for`)."""
        keys = framework_keys(self._frameworks)
        order = self._order
        profile_of = self._columns.profile_of
        releases = cast(list[Release], self._releases)  # the ranked all have one
        return Lines(
            [keys[number][0] for number in order],
            [keys[number][1] for number in order],
            list(self._scores),
            [profile_of[number] for number in order],
            [releases[number] for number in order],
            [notes[number] for number in order],
        )

    def row_counts(self) -> list[int]:
        """How many distinct rows of measures each question has (see :meth:`contribution`)."""
        return [len(rows) for rows in self._columns.measures]

    def rows(self, profile: int) -> tuple[int, ...]:
        """A profile's row on each question, for :meth:`contribution`."""
        return self._columns.profiles[profile]


class Exclusions(Sequence[Exclusion]):
    """The excluded frameworks, by id, each built (and its framework loaded) when read."""

    def __init__(
        self, frameworks: Sequence[Framework], items: list[tuple[int, tuple[str, ...], str]]
    ) -> None:
        self._frameworks = frameworks
        self._items = items  # (framework number, failed, reason)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Exclusion: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Exclusion, ...]: ...

    def __getitem__(self, index: int | slice) -> Exclusion | tuple[Exclusion, ...]:
        if isinstance(index, slice):
            return tuple(self[k] for k in range(*index.indices(len(self))))
        number, failed, reason = self._items[index]
        return Exclusion(self._frameworks[number], failed, reason)

    def lines(self) -> Iterator[tuple[str, str, tuple[str, ...], str]]:
        """(id, name, failed, reason) of each, loading no framework."""
        keys = framework_keys(self._frameworks)
        for number, failed, reason in self._items:
            ident, name, _ = keys[number]
            yield ident, name, failed, reason


@dataclass(frozen=True)
class ColumnRanking(Ranking):
    """A :class:`~fwpick.recommend.ranking.Ranking` whose entries are built when read."""

    def contenders(self) -> tuple[Ranked, ...]:
        # The entries are in score order, so the contenders are the first few:
        # stop at the first one outside the margin instead of reading them all.
        entries = cast(Entries, self.entries)
        if not entries:
            return ()
        top = entries.score(0)
        margin = CLOSE_SHARE * self.max_score
        count = 0
        while count < len(entries) and top - entries.score(count) <= margin:
            count += 1
        return entries[:count]


def rank(
    catalog: Catalog,
    answers: Answers,
    today: date | None = None,
    python: tuple[int, int] | None = None,
) -> Ranking:
    """:func:`fwpick.recommend.ranking.rank`, from the catalogue's columns."""
    when = today or catalog.checked
    columns = columns_for(catalog, when)
    frameworks = catalog.frameworks
    ids = [ident for ident, _, _ in framework_keys(frameworks)]
    releases = releases_for(columns, python)
    scores, failures, contributions, contribution = _profiles(columns, answers)
    # Comprehensions, not one loop with branches: 10,000 frameworks.
    profile_of = columns.profile_of
    down = [-score for score in scores]
    ranked = [
        (down[profile], ids[number], number)
        for number, profile in enumerate(profile_of)
        if failures[profile] is None and releases[number] is not None
    ]
    excluded: list[tuple[str, int, tuple[str, ...], str]] = []
    for number, profile in enumerate(profile_of if len(ranked) < len(profile_of) else ()):
        fails = failures[profile]
        if releases[number] is None or fails is not None:
            failed, why = fails or ((), ())
            if releases[number] is None:
                failed = ("python", *failed)
                lines = columns.release_lines[columns.release_of[number]]
                why = (_python_failure(lines), *why)
            excluded.append((ids[number], number, failed, "; ".join(why)))
    ranked.sort()  # by score, then id, as the plain ranking (ids are unique)
    excluded.sort()
    order = [number for _, _, number in ranked]
    places = [-score for score, _, _ in ranked]
    entries = Entries(frameworks, columns, order, places, contributions, contribution, releases)
    exclusions = Exclusions(frameworks, [(n, f, why) for _, n, f, why in excluded])
    max_score = float(sum(weight(q, answers[q.id]) for q in QUESTIONS))
    leader = ids[order[0]] if order else None
    what_if = search(columns, ids, releases, answers, leader)
    if what_if is not None:
        what_if = WhatIf(what_if.changes, frameworks[cast(int, what_if.leader)])
    addons: tuple[WithAddon, ...] = ()
    if catalog.addons:
        from fwpick.recommend.addons import with_addons

        by_id = {ident: -score for score, ident, _ in ranked}
        kept = {ids[n]: release for n, release in enumerate(releases) if release is not None}
        addons = with_addons(catalog, answers, when, python, by_id, kept)
    return ColumnRanking(
        answers,
        catalog,
        when,
        max_score,
        cast(tuple[Ranked, ...], entries),
        cast(tuple[Exclusion, ...], exclusions),
        what_if,
        python,
        addons,
    )


def releases_for(columns: Columns, python: tuple[int, int] | None) -> list[Release | None]:
    """The release line ranked for each framework; a few specifiers serve thousands."""
    known: dict[str, bool] = {}

    def allowed(requires: str, version: tuple[int, int]) -> bool:
        if requires not in known:
            known[requires] = allows(requires, version)
        return known[requires]

    made = [release_from(lines, python, allowed) for lines in columns.release_lines]
    return [made[number] for number in columns.release_of]


def _python_failure(lines: tuple[tuple[str, str], ...]) -> str:
    """The plain ranking's ``_python_failure``, from a framework's release lines."""
    needs = [requires for _, requires in lines]
    return f"it needs Python {' or '.join(n for n in needs if n)}"


Failures = tuple[tuple[str, ...], tuple[str, ...]]  # the hard constraints failed, and why


def _profiles(
    columns: Columns, answers: Answers
) -> tuple[
    list[float],
    list[Failures | None],
    Callable[[int], tuple[Contribution, ...]],
    Callable[[int, int], Contribution],
]:
    """By profile: its score, the hard constraints it fails (None: none), and its
    contributions, worked out when first asked for; and the contribution of a
    question's row."""
    combo = [answers[q.id] for q in QUESTIONS]
    position = [q.choices.index(a) for q, a in zip(QUESTIONS, combo, strict=True)]
    points = [
        [weight(q, answer) * row[at][0] for row in rows]
        for q, answer, at, rows in zip(QUESTIONS, combo, position, columns.measures, strict=True)
    ]
    # Summed in quiz order, as the plain ranking sums the contributions: the same floats.
    # (map() picks each question's row in C: thousands of profiles.)
    scores = [sum(map(list.__getitem__, points, rows)) for rows in columns.profiles]
    index = {q.id: i for i, q in enumerate(QUESTIONS)}
    hard = [(qid, index[qid]) for qid in answers.hard()]
    failures: list[Failures | None] = []
    for rows in columns.profiles:
        failed = []
        why = []
        for qid, i in hard:
            _, _, passes, failure, _ = columns.measures[i][rows[i]][position[i]]
            if not passes:
                failed.append(qid)
                why.append(ranking._hard_failure(qid, combo[i], failure))
        failures.append((tuple(failed), tuple(why)) if failed else None)
    made: dict[tuple[int, int], Contribution] = {}
    explained: dict[int, tuple[Contribution, ...]] = {}

    def contribution(i: int, r: int) -> Contribution:
        if (i, r) not in made:
            q, answer = QUESTIONS[i], combo[i]
            value, evidence, _, _, judgement = columns.measures[i][r][position[i]]
            w = weight(q, answer)
            made[i, r] = Contribution(
                q.id, label(q.id, answer), answer, w, value, w * value, evidence, judgement
            )
        return made[i, r]

    def contributions(profile: int) -> tuple[Contribution, ...]:
        if profile not in explained:
            rows = columns.profiles[profile]
            explained[profile] = tuple(contribution(i, r) for i, r in enumerate(rows))
        return explained[profile]

    return scores, failures, contributions, contribution
