"""``fwpick review``: re-run a recorded decision against today's catalogue and say what moved.

The recorded answers are ranked again, for the recorded Python version, and
the new ranking is compared with the recorded one framework by framework and
criterion by criterion.  A criterion's evidence is the catalogue fact it was
read from ("first release 2010, none for 13 months", "performance 4/5"), so a
changed evidence text is the cause of a changed score.  Pure: nothing here
reads files or prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from fwpick.catalog.model import Catalog
from fwpick.recommend.quiz import QUESTIONS, Answers
from fwpick.recommend.ranking import Contribution, Ranking, rank
from fwpick.recommend.record import Recorded, RecordedCriterion
from fwpick.text import and_list, quote


class Scored(NamedTuple):
    """One criterion of one framework as scored: in the record, or now."""

    label: str
    weight: int
    points: float
    evidence: str


def _scored(found: RecordedCriterion | Contribution) -> Scored:
    return Scored(found.label, found.weight, found.points, found.evidence)


class Cause(NamedTuple):
    """A criterion whose points or evidence differ between the record and now."""

    criterion: str
    before: Scored | None  # None: a question asked since the record was written
    after: Scored | None  # None: a question fwpick no longer asks

    def text(self) -> str:
        """E.g. "maturity: first release 2010 → first release 2010, none for 13 months (...)"."""
        before, after = self.before, self.after
        if before is None:
            assert after is not None
            return (
                f"{after.label}: {after.evidence}, a question asked since the record was"
                f" written (+{after.points:g} of {after.weight})"
            )
        if after is None:
            return (
                f"{before.label}: no longer asked (it gave +{before.points:g} of {before.weight})"
            )
        what = after.evidence
        if before.evidence != after.evidence:
            what = f"{before.evidence} → {after.evidence}"
        if before.weight == after.weight:
            points = f"+{before.points:g} → +{after.points:g} of {after.weight}"
        else:
            points = f"+{before.points:g} of {before.weight} → +{after.points:g} of {after.weight}"
        return f"{after.label}: {what} ({points})"


class Standing(NamedTuple):
    """Where a framework stood in one ranking: rank and score, or None when excluded."""

    version: str
    rank: int | None = None
    score: float | None = None


# What happened to a framework between the record and now.
CHANGED, ADDED, GONE, EXCLUDED, ADMITTED = "changed", "added", "gone", "excluded", "admitted"


class FrameworkChange(NamedTuple):
    id: str
    name: str
    kind: str  # CHANGED, ADDED, GONE, EXCLUDED or ADMITTED
    before: Standing | None  # None: not in the record
    after: Standing | None  # None: not in the catalogue any more
    causes: tuple[Cause, ...] = ()
    reason: str = ""  # why it is excluded now, when it is

    def text(self) -> str:
        """One line: what happened to the framework, with its score and rank before and after."""
        before, after = self.before, self.after
        if self.kind == GONE:
            assert before is not None
            was = _place(before) or "excluded"
            return f"{self.name} {before.version} is no longer in the catalogue (it was {was})"
        assert after is not None
        now = _place(after)
        if self.kind == ADDED:
            where = now or f"excluded: {self.reason}"
            return f"{self.name} {after.version} is new in the catalogue ({where})"
        if self.kind == ADMITTED:
            return f"{self.name} {after.version} is no longer excluded ({now})"
        assert before is not None
        version = before.version
        if after.version != before.version:
            version = f"{before.version} → {after.version} (a new release)"
        if self.kind == EXCLUDED:
            return f"{self.name} {version} is now excluded: {self.reason} (it was {_place(before)})"
        assert before.score is not None and after.score is not None
        if before.score == after.score:
            score = f"score unchanged at {after.score:.2f}"
        else:
            score = f"{before.score:.2f} → {after.score:.2f}"
        ranks = f"rank {before.rank}" + (f" → {after.rank}" if after.rank != before.rank else "")
        return f"{self.name} {version}: {score} ({ranks})"


def _place(standing: Standing) -> str:
    if standing.rank is None or standing.score is None:
        return ""
    return f"rank {standing.rank}, {standing.score:.2f}"


# Why a decision no longer stands, or what else changed in its verdict.
LEADER_CHANGED, LEADER_GONE, LEADER_EXCLUDED = "leader_changed", "leader_gone", "leader_excluded"
NEAR_TIE, NEAR_TIE_SETTLED = "near_tie", "near_tie_settled"
MOVES = frozenset((LEADER_CHANGED, LEADER_GONE, LEADER_EXCLUDED, NEAR_TIE))


class Finding(NamedTuple):
    """A change to the verdict itself; those of a kind in :data:`MOVES` overturn the decision."""

    kind: str
    text: str

    @property
    def moves(self) -> bool:
        return self.kind in MOVES


class Review(NamedTuple):
    recorded: Recorded
    ranking: Ranking  # the recorded answers ranked again, against today's catalogue
    notes: tuple[str, ...]  # how the review was made where it could not repeat the record exactly
    findings: tuple[Finding, ...]
    changes: tuple[FrameworkChange, ...]

    @property
    def stands(self) -> bool:
        """True unless the leader changed, was removed or excluded, or it became a near-tie."""
        return not any(f.moves for f in self.findings)

    @property
    def catalog_changed(self) -> bool:
        return self.recorded.catalog.sha256 != self.ranking.catalog.digest


def recorded_answers(recorded: Mapping[str, str]) -> tuple[Answers, tuple[str, ...]]:
    """The answers to rank with, and a note for each question the record cannot answer.

    The quiz may have changed since the record was written: a question asked
    since gets its default, and an answer to a question no longer asked, or one
    that is no longer a choice, is left out.
    """
    asked = {q.id for q in QUESTIONS}
    chosen: dict[str, str] = {}
    notes: list[str] = []
    for q in QUESTIONS:
        answer = recorded.get(q.id)
        if answer is None:
            notes.append(f"the record has no answer to {q.flag}: took the default, {q.default}")
        elif answer not in q.choices:
            notes.append(
                f"the record's answer to {q.flag}, {quote(answer)}, is no longer one of"
                f" {', '.join(q.choices)}: took the default, {q.default}"
            )
        else:
            chosen[q.id] = answer
            continue
        chosen[q.id] = q.default
    notes += [
        f"the record answers {quote(qid)}, which fwpick no longer asks: left out"
        for qid in recorded
        if qid not in asked
    ]
    return Answers.from_mapping(chosen), tuple(notes)


def python_text(python: tuple[int, int] | None) -> str:
    return "any Python" if python is None else "Python {}.{}".format(*python)


def review(
    recorded: Recorded,
    catalog: Catalog,
    python: tuple[int, int] | None,
    python_given: bool = False,
) -> Review:
    """Rank the recorded answers against ``catalog`` again and compare with the record.

    ``python`` is what to rank for when the record does not say (``--python``
    when ``python_given``, else the Python running fwpick); a record that says
    is always ranked for its own version.
    """
    answers, answer_notes = recorded_answers(recorded.answers)
    notes = list(answer_notes)
    if not recorded.python_recorded:
        how = "as --python asked" if python_given else "the one running fwpick"
        notes.append(
            f"the record does not say which Python it was ranked for: ranked for"
            f" {python_text(python)}, {how}"
        )
    else:
        if python_given and python != recorded.python:
            notes.append(
                f"--python is not used: the record was ranked for {python_text(recorded.python)},"
                " and so is this review"
            )
        python = recorded.python
    ranking = rank(catalog, answers, python=python)
    if ranking.max_score != recorded.max_score:
        notes.append(
            f"the highest possible score is {ranking.max_score:g} now, {recorded.max_score:g}"
            " in the record, because the questions or their weights changed"
        )
    changes = _changes(recorded, ranking)
    return Review(recorded, ranking, tuple(notes), _findings(recorded, ranking), changes)


def _changes(recorded: Recorded, ranking: Ranking) -> tuple[FrameworkChange, ...]:
    before_ranked = {e.id: e for e in recorded.entries}
    before_excluded = {x.id: x for x in recorded.excluded}
    now_ids = {e.framework.id for e in ranking.entries} | {x.framework.id for x in ranking.excluded}
    changed: list[FrameworkChange] = []
    added: list[FrameworkChange] = []
    admitted: list[FrameworkChange] = []
    excluded: list[FrameworkChange] = []
    for entry in ranking.entries:
        fw = entry.framework
        after = Standing(entry.release.version, entry.rank, entry.score)
        old = before_ranked.get(fw.id)
        if old is not None:
            causes = _causes(old.criteria, entry.contributions)
            before = Standing(old.version, old.rank, old.score)
            if causes or old.score != entry.score or old.version != after.version:
                changed.append(FrameworkChange(fw.id, fw.name, CHANGED, before, after, causes))
        elif fw.id in before_excluded:
            was = Standing(before_excluded[fw.id].version)
            admitted.append(FrameworkChange(fw.id, fw.name, ADMITTED, was, after))
        else:
            added.append(FrameworkChange(fw.id, fw.name, ADDED, None, after))
    for exclusion in ranking.excluded:
        fw = exclusion.framework
        after = Standing(str(fw.version.value))
        old = before_ranked.get(fw.id)
        if old is not None:
            before = Standing(old.version, old.rank, old.score)
            excluded.append(
                FrameworkChange(fw.id, fw.name, EXCLUDED, before, after, reason=exclusion.reason)
            )
        elif fw.id not in before_excluded:
            added.append(
                FrameworkChange(fw.id, fw.name, ADDED, None, after, reason=exclusion.reason)
            )
    gone = [
        FrameworkChange(e.id, e.name, GONE, Standing(e.version, e.rank, e.score), None)
        for e in recorded.entries
        if e.id not in now_ids
    ] + [
        FrameworkChange(x.id, x.name, GONE, Standing(x.version), None)
        for x in recorded.excluded
        if x.id not in now_ids
    ]
    return tuple(changed + added + admitted + excluded + gone)


def _causes(
    before: Mapping[str, RecordedCriterion], after: tuple[Contribution, ...]
) -> tuple[Cause, ...]:
    """The criteria whose weight, points or evidence differ, in the quiz's order of today."""
    causes = []
    for contribution in after:
        now = _scored(contribution)
        old = before.get(contribution.criterion)
        was = None if old is None else _scored(old)
        # Weight, points and evidence; a label reworded alone is no cause.
        if was is None or was[1:] != now[1:]:
            causes.append(Cause(contribution.criterion, was, now))
    asked = {c.criterion for c in after}
    causes += [Cause(c, _scored(old), None) for c, old in before.items() if c not in asked]
    # A question that weighs nothing either way (answered "low" or "indifferent") moves no score.
    return tuple(
        c
        for c in causes
        if not (
            (c.before is None or c.before.weight == 0) and (c.after is None or c.after.weight == 0)
        )
    )


def _findings(recorded: Recorded, ranking: Ranking) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    old = recorded.leader
    new = ranking.leader
    new_id = new.framework.id if new else None
    if old != new_id:
        old_entry = recorded.entry(old) if old else None
        old_name = old_entry.name if old_entry else ""
        excluded = {x.framework.id: x for x in ranking.excluded}
        now = (
            f"{new.framework.name} leads now"
            if new
            else "no framework meets every hard constraint now"
        )
        if old is None:
            findings.append(
                Finding(
                    LEADER_CHANGED, f"{now}; in the record no framework met every hard constraint"
                )
            )
        elif old in excluded:
            findings.append(
                Finding(
                    LEADER_EXCLUDED,
                    f"the recorded leader, {old_name}, is excluded now ({excluded[old].reason});"
                    f" {now}",
                )
            )
        elif old not in {fw.id for fw in ranking.catalog.frameworks}:
            findings.append(
                Finding(
                    LEADER_GONE,
                    f"the recorded leader, {old_name}, is no longer in the catalogue; {now}",
                )
            )
        else:
            findings.append(Finding(LEADER_CHANGED, f"the leader changed: {now}, not {old_name}"))
    if ranking.close_call and not recorded.close_call:
        names = and_list([e.framework.name for e in ranking.contenders()])
        findings.append(Finding(NEAR_TIE, f"the verdict became a near-tie between {names}"))
    elif recorded.close_call and not ranking.close_call and new is not None:
        findings.append(
            Finding(NEAR_TIE_SETTLED, f"the record's near-tie is settled: {ranking.verdict()}")
        )
    return tuple(findings)
