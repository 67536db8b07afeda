"""Rank the catalogue for a set of answers, and explain the ranking.

The model is deliberately simple enough to check by hand:

* each question of the quiz is one criterion; the answer gives it a weight
  (``Question.weights``);
* each framework has a value from 0 to 1 on each criterion for that answer,
  read from the catalogue's facts and scores (:mod:`fwpick.recommend.criteria`);
* the Python version is a hard constraint: a framework whose every release
  line needs a newer Python is excluded, and where an older line still
  installs, that line is what is ranked and named;
* a criterion contributes ``weight x value`` points, and the score is the sum
  of the contributions, so every point of a score can be traced to an answer
  and a catalogue entry;
* a need answered ``required`` is also a hard constraint: frameworks that fail
  it are excluded, with the reason;
* equal scores are ordered by framework id, alphabetically.

Every value is a multiple of 1/4 and every weight a whole number, so the
contributions add up to the score exactly, with no rounding.

Nothing here prints; :mod:`fwpick.output` turns a :class:`Ranking`
into a table, JSON or Markdown.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from fwpick.catalog.model import Catalog, Framework
from fwpick.recommend.criteria import Measures, label, measure
from fwpick.recommend.python_version import Release, release_for
from fwpick.recommend.quiz import BY_ID, CORE, KIND, LEVEL, MUST_HAVE, QUESTIONS, Answers, Question
from fwpick.text import and_list

if TYPE_CHECKING:
    from fwpick.recommend.addons import WithAddon

# Two leaders closer than this share of the highest possible score are a
# near-tie: the catalogue's 1-5 judgements are not precise enough to separate them.
CLOSE_SHARE = 0.05


# The records below are NamedTuples, not dataclasses: their classes are
# cheaper to build at import time, which every ``fwpick recommend`` pays.


def weight(question: Question, answer: str) -> int:
    """The weight an answer gives to its question's criterion."""
    return question.weights[answer]


class Contribution(NamedTuple):
    """What one criterion added to a framework's score, and the catalogue fact behind it."""

    criterion: str
    label: str
    answer: str
    weight: int
    value: float
    points: float
    evidence: str
    judgement: bool = False  # read from a 1-5 opinion (with a rationale), not a checked fact

    @property
    def missed(self) -> float:
        """Points this criterion could have added but did not."""
        return self.weight - self.points


class Ranked(NamedTuple):
    rank: int
    framework: Framework
    score: float
    contributions: tuple[Contribution, ...]
    release: Release  # the release line ranked: the newest, or one for an older Python

    def reasons(self) -> tuple[str, ...]:
        """Every criterion that weighs anything, biggest contribution first.

        A criterion read from a 1-5 opinion of the catalogue's, not a checked
        fact, says so ("judgement").
        """
        weighed = sorted(
            (c for c in self.contributions if c.weight),
            key=lambda c: (-c.points, -c.weight, c.criterion),
        )
        return tuple(
            f"{c.evidence}{' (judgement)' if c.judgement else ''} (+{c.points:g} of {c.weight})"
            for c in weighed
        )


class Exclusion(NamedTuple):
    framework: Framework
    failed: tuple[str, ...]  # question ids of the hard constraints it fails
    reason: str


class Change(NamedTuple):
    question: str
    old: str
    new: str

    def describe(self) -> str:
        """E.g. "documentation mattered less (--docs low instead of high)"."""
        q = BY_ID[self.question]
        how = f"({q.flag} {self.new} instead of {self.old})"
        if q.choices == LEVEL:
            more = q.scale.index(self.new) > q.scale.index(self.old)
            return f"{q.topic} mattered {'more' if more else 'less'} {how}"
        if q.choices == KIND:
            building = {
                "api": "an API service",
                "website": "a website",
                "both": "both an API and a website",
            }
            return f"you were building {building[self.new]} {how}"
        if q.choices == CORE:
            wanted = {
                "small": "you wanted a small core",
                "batteries": "you wanted batteries included",
                "either": "the size of the core did not matter",
            }
            return f"{wanted[self.new]} {how}"
        if q.choices == MUST_HAVE:
            if self.new == "none":
                return f"nothing had to be built in {how}"
            return f"{self.new.replace('_', ' ')} had to be built in {how}"
        if self.new == "no":
            return f"you wrote plain sync code {how}"
        if self.new == "indifferent":
            return f"{q.topic} did not matter to you {how}"
        return f"{q.topic} were {self.new} {how}"


class WhatIf(NamedTuple):
    """The smallest change to the answers that puts another framework clearly first."""

    changes: tuple[Change, ...]
    leader: Framework

    @property
    def text(self) -> str:
        parts = " and ".join(change.describe() for change in self.changes)
        return f"If {parts}, {self.leader.name} would lead."


@dataclass(frozen=True)
class Ranking:
    answers: Answers
    catalog: Catalog
    today: date  # the date release ages are measured at: the catalogue's check date
    max_score: float
    entries: tuple[Ranked, ...]
    excluded: tuple[Exclusion, ...]
    what_if: WhatIf | None
    python: tuple[int, int] | None = None  # the Python version ranked for, if any
    # Add-ons that would lift their base framework: "Django + Django Ninja".
    with_addons: tuple[WithAddon, ...] = ()

    @property
    def leader(self) -> Ranked | None:
        return self.entries[0] if self.entries else None

    def contenders(self) -> tuple[Ranked, ...]:
        """The leader and everyone within the near-tie margin of it."""
        if not self.entries:
            return ()
        top = self.entries[0].score
        margin = CLOSE_SHARE * self.max_score
        return tuple(e for e in self.entries if top - e.score <= margin)

    @property
    def close_call(self) -> bool:
        return len(self.contenders()) > 1

    def verdict(self) -> str:
        """One plain sentence: who leads and how clearly."""
        if not self.entries:
            return "No framework meets every hard constraint."
        first = self.entries[0]
        out_of = f"{self.max_score:.0f} possible"
        if len(self.entries) == 1:
            which = "that meets the hard constraints" if self.excluded else "in the catalogue"
            return (
                f"{first.framework.name} is the only framework {which}"
                f" ({first.score:.2f} of {out_of})."
            )
        if self.close_call:
            contenders = self.contenders()
            names = and_list([e.framework.name for e in contenders])
            gap = first.score - contenders[-1].score
            if gap == 0:
                how = f"score the same ({first.score:.2f} of {out_of})"
            else:
                how = f"are within {gap:.2f} points of each other (of {out_of})"
            return (
                f"Too close to call: {names} {how}; the order between them is not a verdict,"
                " so compare their notes and pros and cons."
            )
        second = self.entries[1]
        return (
            f"{first.framework.name} leads with {first.score:.2f} of {out_of},"
            f" {first.score - second.score:.2f} ahead of {second.framework.name}."
        )

    def what_if_text(self) -> str:
        if self.what_if is not None:
            return self.what_if.text
        if not self.entries:
            return "No change to one or two answers would put one framework clearly first."
        first = self.entries[0].framework.name
        if self.close_call:
            return (
                "No change to one or two answers would put a framework other than"
                f" {first} clearly first."
            )
        return (
            "No change to one or two answers would put another framework clearly first:"
            f" {first} stays ahead."
        )


AllMeasures = dict[str, dict[str, Measures]]  # framework id -> question id -> answer -> Measure


def _hard_bits() -> tuple[dict[str, int], ...]:
    """By question (quiz order): each hard-constraint answer's own bit, for masks of them."""
    bits: list[dict[str, int]] = []
    next_bit = 0
    for q in QUESTIONS:
        mine = {}
        for answer in q.hard:
            mine[answer] = 1 << next_bit
            next_bit += 1
        bits.append(mine)
    return tuple(bits)


# A set of hard constraints is a bit mask: one bit per (question, hard answer).
HARD_BITS = _hard_bits()


def hard_mask(combo: Sequence[str]) -> int:
    """The hard constraints an answer set (in quiz order) imposes, as a mask of HARD_BITS."""
    mask = 0
    for bits, answer in zip(HARD_BITS, combo, strict=True):
        mask |= bits.get(answer, 0)
    return mask


class _Row(NamedTuple):
    """One framework as the ranking scores it: points for every answer, hard-constraint fails."""

    id: str
    points: tuple[dict[str, float], ...]  # by question (quiz order): answer -> weight x value
    fails: int  # the HARD_BITS of the hard-constraint answers it fails


def _rows(frameworks: Sequence[Framework], measures: AllMeasures) -> list[_Row]:
    rows = []
    for fw in frameworks:
        m = measures[fw.id]
        points = tuple(
            {answer: weight(q, answer) * m[q.id][answer].value for answer in q.choices}
            for q in QUESTIONS
        )
        fails = 0
        for q, bits in zip(QUESTIONS, HARD_BITS, strict=True):
            for answer, bit in bits.items():
                if not m[q.id][answer].passes:
                    fails |= bit
        rows.append(_Row(fw.id, points, fails))
    return rows


def _evaluate(
    frameworks: Sequence[Framework],
    measures: AllMeasures,
    answers: Answers,
    releases: dict[str, Release],
) -> tuple[tuple[Ranked, ...], tuple[Exclusion, ...]]:
    hard = [(qid, answers[qid]) for qid in answers.hard()]
    scored: list[tuple[float, str, Framework, tuple[Contribution, ...]]] = []
    excluded: list[Exclusion] = []
    for fw in frameworks:
        m = measures[fw.id]
        failed = tuple(qid for qid, answer in hard if not m[qid][answer].passes)
        why = [_hard_failure(q, answers[q], m[q][answers[q]].failure) for q in failed]
        if fw.id not in releases:
            failed = ("python", *failed)
            why.insert(0, _python_failure(fw))
        if failed:
            excluded.append(Exclusion(fw, failed, "; ".join(why)))
            continue
        contributions = []
        for q in QUESTIONS:
            answer = answers[q.id]
            found = m[q.id][answer]
            w = weight(q, answer)
            contributions.append(
                Contribution(
                    q.id,
                    label(q.id, answer),
                    answer,
                    w,
                    found.value,
                    w * found.value,
                    found.evidence,
                    found.judgement,
                )
            )
        score = sum(c.points for c in contributions)
        scored.append((score, fw.id, fw, tuple(contributions)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    entries = tuple(
        Ranked(rank, fw, score, contributions, releases[fw.id])
        for rank, (score, _, fw, contributions) in enumerate(scored, 1)
    )
    excluded.sort(key=lambda e: e.framework.id)
    return entries, tuple(excluded)


def points_for(measures: dict[str, Measures], answers: Answers) -> float | None:
    """A framework's score for ``answers``, or None when it fails a hard constraint."""
    if any(not measures[qid][answers[qid]].passes for qid in answers.hard()):
        return None
    return sum(weight(q, answers[q.id]) * measures[q.id][answers[q.id]].value for q in QUESTIONS)


def _hard_failure(question: str, answer: str, failure: str) -> str:
    """Why a hard constraint excludes a framework: "native async is required, but ..."."""
    if answer == "required":
        return f"{BY_ID[question].topic} is required, but {failure}"
    return f"{answer.replace('_', ' ')} must be built in, but {failure}"


def _python_failure(fw: Framework) -> str:
    needs = [str(fw.facts.requires_python.value)] + [r.requires_python for r in fw.other_releases]
    return f"it needs Python {' or '.join(n for n in needs if n)}"


def _candidate_changes(answers: Answers) -> Iterator[tuple[Change, ...]]:
    """Changes of one or two answers, smallest first.

    Size is the total distance moved on the questions' scales; at equal size
    one change comes before two, and then the quiz's question order decides.
    """
    singles = [
        (q.steps(answers[q.id], new), index, Change(q.id, answers[q.id], new))
        for index, q in enumerate(QUESTIONS)
        for new in q.scale
        if new != answers[q.id]
    ]
    candidates: list[tuple[int, int, tuple[int, ...], tuple[Change, ...]]] = [
        (size, 1, (index,), (change,)) for size, index, change in singles
    ]
    for a, b in itertools.combinations(singles, 2):
        if a[2].question != b[2].question:
            candidates.append((a[0] + b[0], 2, (a[1], b[1]), (a[2], b[2])))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    for *_, changes in candidates:
        yield changes


def _what_if(
    rows: Sequence[_Row], answers: Answers, leader: str | None, by_id: dict[str, Framework]
) -> WhatIf | None:
    """The smallest change after which one framework other than ``leader`` is clearly first.

    "Clearly" is what the changed ranking itself would say: it has a leader and
    is not a near-tie (:attr:`Ranking.close_call` is False), so the sentence
    "X would lead" never disagrees with the verdict of a re-run.
    """
    # Up to a few hundred variations of the answers are tried, so only scores
    # are worked out here, as the current score plus what the changed answers
    # add or take away; every value is a multiple of 1/4, so this is exactly
    # the full sum.  Hard constraints are bit masks: bit i is question i.
    given = answers.as_dict()
    total = sum(weight(q, given[q.id]) for q in QUESTIONS)
    required_now = hard_mask([given[q.id] for q in QUESTIONS])
    base = {
        row.id: sum(row.points[i][given[q.id]] for i, q in enumerate(QUESTIONS)) for row in rows
    }
    for changes in _candidate_changes(answers):
        required, changed, max_score = apply_changes(changes, required_now, total)
        first, second = _best_two(rows, base, changed, required)
        if first is None or first[1] == leader:
            continue
        # The same sum and margin as Ranking.contenders, so the two always agree.
        if second is not None and first[0] - second[0] <= CLOSE_SHARE * max_score:
            continue
        return WhatIf(changes, by_id[first[1]])
    return None


def apply_changes(
    changes: tuple[Change, ...], required: int, total: int
) -> tuple[int, list[tuple[int, str, str]], float]:
    """What a change of answers does to the hard constraints (a HARD_BITS mask), as
    (question index, old, new) steps, and to the highest possible score ``total``."""
    changed = []
    max_score = float(total)
    for c in changes:
        i = _INDEX[c.question]
        required &= ~HARD_BITS[i].get(c.old, 0)
        required |= HARD_BITS[i].get(c.new, 0)
        changed.append((i, c.old, c.new))
        q = BY_ID[c.question]
        max_score += weight(q, c.new) - weight(q, c.old)
    return required, changed, max_score


_INDEX = {q.id: i for i, q in enumerate(QUESTIONS)}


def _best_two(
    rows: Sequence[_Row],
    base: dict[str, float],
    changed: list[tuple[int, str, str]],
    required: int,
) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
    """The first and second of a changed ranking, in its order: score, then framework id."""
    best: tuple[float, str] | None = None
    second: tuple[float, str] | None = None
    for row in rows:
        if row.fails & required:
            continue
        score = base[row.id]
        for i, old, new in changed:
            score += row.points[i][new] - row.points[i][old]
        ident = row.id
        if best is None or score > best[0] or (score == best[0] and ident < best[1]):
            if best is not None:
                second = (best[0], best[1])
            best = (score, ident)
        elif second is None or score > second[0] or (score == second[0] and ident < second[1]):
            second = (score, ident)
    return best, second


def rank(
    catalog: Catalog,
    answers: Answers,
    today: date | None = None,
    python: tuple[int, int] | None = None,
) -> Ranking:
    """Rank every framework in ``catalog`` for ``answers``, with the reasons.

    Release ages are measured at ``today``, by default the catalogue's check
    date, so the same catalogue and answers always give the same ranking.
    ``python`` (major, minor) excludes frameworks with no release for that
    Python; None ranks every framework by its newest release.
    """
    when = today or catalog.checked
    frameworks = catalog.frameworks
    measures = {fw.id: measure(fw, when) for fw in frameworks}
    releases: dict[str, Release] = {}
    for fw in frameworks:
        release = release_for(fw, python)
        if release is not None:
            releases[fw.id] = release
    entries, excluded = _evaluate(frameworks, measures, answers, releases)
    max_score = float(sum(weight(q, answers[q.id]) for q in QUESTIONS))
    leader = entries[0].framework.id if entries else None
    rows = [row for row in _rows(frameworks, measures) if row.id in releases]
    what_if = _what_if(rows, answers, leader, {fw.id: fw for fw in frameworks})
    addons: tuple[WithAddon, ...] = ()
    if catalog.addons:
        from fwpick.recommend.addons import with_addons

        scores = {e.framework.id: e.score for e in entries}
        addons = with_addons(catalog, answers, when, python, scores, releases)
    return Ranking(answers, catalog, when, max_score, entries, excluded, what_if, python, addons)
