"""Rank the catalogue for a set of answers, and explain the ranking.

The model is deliberately simple enough to check by hand:

* each question of the quiz is one criterion; the answer gives it a weight
  (:data:`WEIGHTS`);
* each framework has a value from 0 to 1 on each criterion, read from the
  catalogue's facts and scores (:func:`measure`);
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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from fwpick.catalog.model import Catalog, Framework
from fwpick.recommend.quiz import BY_ID, KIND, LEVEL, NEED, QUESTIONS, Answers, Question

WEIGHTS: dict[tuple[str, ...], dict[str, int]] = {
    NEED: {"required": 3, "preferred": 2, "indifferent": 0},
    LEVEL: {"high": 3, "medium": 2, "low": 1},
    KIND: {"website": 3, "both": 1, "api": 0},
}
# Two leaders closer than this share of the highest possible score are a
# near-tie: the catalogue's 1-5 judgements are not precise enough to separate them.
CLOSE_SHARE = 0.05
# A point off the maturity score for each full year without a release, at most four.
MAX_STALE_PENALTY = 4


# The records below are NamedTuples, not dataclasses: their classes are
# cheaper to build at import time, which every ``fwpick recommend`` pays.


def weight(question: Question, answer: str) -> int:
    """The weight an answer gives to its question's criterion."""
    return WEIGHTS[question.choices][answer]


class Measure(NamedTuple):
    """How a framework does on one criterion, before weighting.

    ``passes`` says whether it meets the criterion as a hard constraint;
    ``failure`` says why not, for the list of excluded frameworks.
    """

    value: float
    evidence: str
    passes: bool = True
    failure: str = ""


def _scored(name: str) -> Callable[[Framework, date], Measure]:
    def measure_score(fw: Framework, today: date) -> Measure:
        score = fw.scores.get(name)
        if score is None:
            return Measure(0.0, f"{name} not scored")
        return Measure((score.value - 1) / 4, f"{name} {score.value}/5")

    return measure_score


def _async(fw: Framework, today: date) -> Measure:
    value = fw.facts.async_handlers.value
    if value == "yes":
        return Measure(1.0, "async handlers: yes")
    detail = _paren(fw.facts.async_handlers.detail)
    if value == "partly":
        # Worth something when async is preferred, but required means handlers
        # awaited on the server's own event loop, not each in a private one.
        return Measure(
            0.5, "async handlers: partly", False, "its async support is only partial" + detail
        )
    return Measure(0.0, "no async handlers", False, "it has no async/await handlers" + detail)


def _single_file(fw: Framework, today: date) -> Measure:
    single = fw.facts.single_file.value is True
    deps: tuple[str, ...] = fw.facts.dependencies.value  # type: ignore[assignment]
    if single and not deps:
        return Measure(1.0, "single file, no dependencies")
    why = [] if single else ["it is not a single file"]
    if deps:
        why.append(f"it depends on {', '.join(deps)}")
    failure = " and ".join(why)
    if not deps:
        return Measure(0.5, "no dependencies, several files", False, failure)
    count = f"{len(deps)} dependenc{'y' if len(deps) == 1 else 'ies'}"
    return Measure(0.0, count, False, failure)


def _server(fw: Framework, today: date) -> Measure:
    kind = fw.facts.server.value
    if kind == "production":
        return Measure(1.0, "production server built in")
    if kind == "development":
        return Measure(
            0.0, "development server only", False, "its built-in server is for development only"
        )
    return Measure(0.0, "no built-in server", False, "it has no built-in server")


def _templating(fw: Framework, today: date) -> Measure:
    engine = str(fw.facts.templating.value)
    if engine:
        return Measure(1.0, f"templating built in ({engine})")
    return Measure(0.0, "no built-in templating")


def _maturity(fw: Framework, today: date) -> Measure:
    score = fw.scores.get("maturity")
    if score is None:
        return Measure(0.0, "maturity not scored")
    months = fw.months_since_release(today)
    penalty = min(months // 12, MAX_STALE_PENALTY)
    value = max(score.value - 1 - penalty, 0) / 4
    evidence = f"maturity {score.value}/5"
    if penalty:
        evidence += f", less {penalty} for {months} months since the last release"
    return Measure(value, evidence)


def _paren(detail: str) -> str:
    return f" ({detail})" if detail else ""


# One criterion per question: its name in explanations and how it is measured.
CRITERIA: dict[str, tuple[str, Callable[[Framework, date], Measure]]] = {
    "async": ("native async", _async),
    "single_file": ("single file", _single_file),
    "server": ("production server", _server),
    "kind": ("templating", _templating),
    "docs": ("docs", _scored("docs")),
    "throughput": ("performance", _scored("performance")),
    "community": ("community", _scored("community")),
    "maturity": ("maturity", _maturity),
}


def measure(fw: Framework, today: date) -> dict[str, Measure]:
    """A framework's measure on every criterion, keyed by question id."""
    return {q.id: CRITERIA[q.id][1](fw, today) for q in QUESTIONS}


class Contribution(NamedTuple):
    """What one criterion added to a framework's score, and the catalogue fact behind it."""

    criterion: str
    label: str
    answer: str
    weight: int
    value: float
    points: float
    evidence: str

    @property
    def missed(self) -> float:
        """Points this criterion could have added but did not."""
        return self.weight - self.points


class Ranked(NamedTuple):
    rank: int
    framework: Framework
    score: float
    contributions: tuple[Contribution, ...]

    def reasons(self, count: int = 3) -> tuple[str, ...]:
        """The reasons that weighed most: the biggest gains, then the biggest shortfall."""
        gains = sorted((c for c in self.contributions if c.points > 0), key=lambda c: -c.points)
        losses = sorted((c for c in self.contributions if c.missed > 0), key=lambda c: -c.missed)
        shown = gains[: count - 1 if losses else count]
        lines = [f"{c.evidence} (+{c.points:g} of {c.weight})" for c in shown]
        worst = next((c for c in losses if c not in shown), None)
        if worst is not None:
            lines.append(f"weakest: {worst.evidence} (+{worst.points:g} of {worst.weight})")
        return tuple(lines)


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
                "website": "a full website",
                "both": "both an API and a website",
            }
            return f"you were building {building[self.new]} {how}"
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


def and_list(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


Measures = dict[str, dict[str, Measure]]


def _evaluate(
    frameworks: Sequence[Framework], measures: Measures, answers: Answers
) -> tuple[tuple[Ranked, ...], tuple[Exclusion, ...]]:
    required = answers.required()
    scored: list[tuple[float, str, Framework, tuple[Contribution, ...]]] = []
    excluded: list[Exclusion] = []
    for fw in frameworks:
        m = measures[fw.id]
        failed = tuple(qid for qid in required if not m[qid].passes)
        if failed:
            why = "; ".join(f"{BY_ID[q].topic} is required, but {m[q].failure}" for q in failed)
            excluded.append(Exclusion(fw, failed, why))
            continue
        contributions = []
        for q in QUESTIONS:
            answer, found = answers[q.id], m[q.id]
            w = weight(q, answer)
            label = CRITERIA[q.id][0]
            contributions.append(
                Contribution(q.id, label, answer, w, found.value, w * found.value, found.evidence)
            )
        score = sum(c.points for c in contributions)
        scored.append((score, fw.id, fw, tuple(contributions)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    entries = tuple(
        Ranked(rank, fw, score, contributions)
        for rank, (score, _, fw, contributions) in enumerate(scored, 1)
    )
    excluded.sort(key=lambda e: e.framework.id)
    return entries, tuple(excluded)


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
    frameworks: Sequence[Framework], measures: Measures, answers: Answers, leader: str | None
) -> WhatIf | None:
    """The smallest change after which one framework other than ``leader`` is clearly first.

    "Clearly" is what the changed ranking itself would say: it has a leader and
    is not a near-tie (:attr:`Ranking.close_call` is False), so the sentence
    "X would lead" never disagrees with the verdict of a re-run.
    """
    # Up to 128 variations of the answers are tried, so only scores are worked
    # out here, as the current score plus what the changed weights add or take
    # away; every value is a multiple of 1/4, so this is exactly the full sum.
    # A near-tie needs only the top two of each variation and its highest
    # possible score.  Hard constraints are bit masks: bit i is question i.
    given = answers.as_dict()
    index = {q.id: i for i, q in enumerate(QUESTIONS)}
    weights = {q.id: weight(q, given[q.id]) for q in QUESTIONS}
    total = sum(weights.values())
    required_now = sum(1 << index[qid] for qid in answers.required())
    rows = []
    for fw in frameworks:
        m = measures[fw.id]
        values = tuple(m[q.id].value for q in QUESTIONS)
        fails = sum(1 << i for i, q in enumerate(QUESTIONS) if not m[q.id].passes)
        base = sum(weights[q.id] * v for q, v in zip(QUESTIONS, values, strict=True))
        rows.append((fw.id, fw, values, fails, base))
    for changes in _candidate_changes(answers):
        required = required_now
        deltas = []
        for c in changes:
            i = index[c.question]
            required &= ~(1 << i)
            if c.new == "required":
                required |= 1 << i
            deltas.append((i, weight(BY_ID[c.question], c.new) - weights[c.question]))
        # The first and second of the changed ranking, in its order: highest
        # score first, then framework id.
        best: tuple[float, str, Framework] | None = None
        second: tuple[float, str] | None = None
        for ident, fw, values, fails, base in rows:
            if fails & required:
                continue
            score = base
            for i, d in deltas:
                score += d * values[i]
            if best is None or score > best[0] or (score == best[0] and ident < best[1]):
                if best is not None:
                    second = (best[0], best[1])
                best = (score, ident, fw)
            elif second is None or score > second[0] or (score == second[0] and ident < second[1]):
                second = (score, ident)
        if best is None or best[1] == leader:
            continue
        # The same sum and margin as Ranking.contenders, so the two always agree.
        max_score = float(total + sum(d for _, d in deltas))
        if second is not None and best[0] - second[0] <= CLOSE_SHARE * max_score:
            continue
        return WhatIf(changes, best[2])
    return None


def rank(catalog: Catalog, answers: Answers, today: date | None = None) -> Ranking:
    """Rank every framework in ``catalog`` for ``answers``, with the reasons.

    Release ages are measured at ``today``, by default the catalogue's check
    date, so the same catalogue and answers always give the same ranking.
    """
    when = today or catalog.checked
    frameworks = catalog.frameworks
    measures = {fw.id: measure(fw, when) for fw in frameworks}
    entries, excluded = _evaluate(frameworks, measures, answers)
    max_score = float(sum(weight(q, answers[q.id]) for q in QUESTIONS))
    leader = entries[0].framework.id if entries else None
    what_if = _what_if(frameworks, measures, answers, leader)
    return Ranking(answers, catalog, when, max_score, entries, excluded, what_if)
