"""``fwpick review`` as text, JSON (stable keys) and Markdown.

Plain strings, no Rich: a review is a short report read in a terminal or a CI
log.  Text from the catalogue and from the record (a file the user edits) is
cleaned (text) or escaped (Markdown) before it is shown.
"""

from __future__ import annotations

from typing import Any

from fwpick.output import ReviewView, to_json
from fwpick.output.markdown import md_code, md_line
from fwpick.output.ranking_text import own_catalog
from fwpick.recommend.review import Cause, FrameworkChange, Review, Scored, Standing, python_text
from fwpick.text import and_list, clean_text

STANDS = "the decision stands"
MOVED = "the decision no longer stands"


def _recorded_verdict(review: Review) -> str:
    """What the record decided, in a few words."""
    rec = review.recorded
    names = {e.id: e.name for e in rec.entries}
    if rec.close_call and rec.contenders:
        return f"too close to call between {and_list([names.get(c, c) for c in rec.contenders])}"
    leader = rec.entry(rec.leader) if rec.leader else None
    if leader is None:
        return "no framework met every hard constraint"
    return f"{leader.name} {leader.version} led with {leader.score:.2f} of {rec.max_score:g}"


def _catalog_line(review: Review) -> str:
    catalog = review.ranking.catalog
    # As typed: the review is read where it was run, unlike a record.
    bundled = own_catalog(review.ranking) is None
    which = "the catalogue bundled with fwpick" if bundled else f"the catalogue {catalog.path}"
    now = f"{which}, checked {catalog.checked.isoformat()}, SHA-256 {catalog.digest[:12]}"
    if not review.catalog_changed:
        return f"{now}: the same as the record's"
    was = review.recorded.catalog
    return (
        f"{now}: changed since the record (checked {was.checked.isoformat()},"
        f" SHA-256 {was.sha256[:12]})"
    )


def _headline(review: Review) -> str:
    return STANDS if review.stands else MOVED


def _summary(view: ReviewView) -> str:
    stands = sum(r.stands for r in view.reviews)
    moved = len(view.reviews) - stands
    return f"{len(view.reviews)} records reviewed: {stands} stand, {moved} no longer stand."


# --- text ------------------------------------------------------------------------


def _text_one(review: Review) -> list[str]:
    rec = review.recorded
    out = [
        f"{clean_text(rec.path)}: {_headline(review)}",
        f"  Recorded {rec.date.isoformat()} by fwpick {rec.fwpick}, for"
        f" {python_text(review.ranking.python)}: {_recorded_verdict(review)}.",
        f"  Reviewed against {_catalog_line(review)}.",
    ]
    out += [f"  Note: {note}." for note in review.notes]
    moving = [f for f in review.findings if f.moves]
    other = [f for f in review.findings if not f.moves]
    if moving:
        out.append("  What moved:")
        out += [f"    - {f.text}" for f in moving]
    out += [f"  Also: {f.text}" for f in other]
    if review.changes:
        out.append("  What changed:")
        for change in review.changes:
            out.append(f"    - {change.text()}")
            out += [f"        {cause.text()}" for cause in change.causes]
    else:
        out.append("  No framework's score, release or place changed.")
    out.append(f"  Now: {review.ranking.verdict()}")
    return [clean_text(line) for line in out]


def review_text(view: ReviewView, width: int = 0) -> str:
    """``fwpick review`` for people."""
    blocks = ["\n".join(_text_one(r)) for r in view.reviews]
    if len(view.reviews) > 1:
        blocks.append(_summary(view))
    return "\n\n".join(blocks) + "\n"


# --- Markdown ----------------------------------------------------------------------


def _markdown_one(review: Review) -> list[str]:
    rec = review.recorded
    out = [
        f"## {md_code(clean_text(rec.path))}: {_headline(review)}",
        "",
        f"* Recorded {rec.date.isoformat()} by fwpick {md_line(rec.fwpick)}, for"
        f" {python_text(review.ranking.python)}: {md_line(_recorded_verdict(review))}.",
        f"* Reviewed against {md_line(_catalog_line(review))}.",
    ]
    out += [f"* Note: {md_line(note)}." for note in review.notes]
    out.append("")
    moving = [f for f in review.findings if f.moves]
    if moving:
        out += ["### What moved", ""]
        out += [f"* {md_line(f.text)}" for f in moving]
        out.append("")
    for finding in review.findings:
        if not finding.moves:
            out += [md_line(f"Also: {finding.text}"), ""]
    if review.changes:
        out += ["### What changed", ""]
        for change in review.changes:
            out.append(f"* {md_line(change.text())}")
            out += [f"  * {md_line(cause.text())}" for cause in change.causes]
        out.append("")
    else:
        out += ["No framework's score, release or place changed.", ""]
    out += [f"**Now:** {md_line(review.ranking.verdict())}", ""]
    return out


def review_markdown(view: ReviewView, width: int = 0) -> str:
    """``fwpick review --format markdown``: to paste into a pull request or an issue."""
    out = ["# Review of recorded decisions", ""]
    for review in view.reviews:
        out += _markdown_one(review)
    if len(view.reviews) > 1:
        out += [_summary(view), ""]
    return "\n".join(out)


# --- JSON --------------------------------------------------------------------------


def _standing(standing: Standing | None) -> dict[str, Any] | None:
    if standing is None:
        return None
    return {"version": standing.version, "rank": standing.rank, "score": standing.score}


def _scored(scored: Scored | None) -> dict[str, Any] | None:
    if scored is None:
        return None
    return {
        "label": scored.label,
        "weight": scored.weight,
        "points": scored.points,
        "evidence": scored.evidence,
    }


def _cause(cause: Cause) -> dict[str, Any]:
    return {
        "criterion": cause.criterion,
        "before": _scored(cause.before),
        "after": _scored(cause.after),
        "text": cause.text(),
    }


def _change(change: FrameworkChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "name": change.name,
        "change": change.kind,
        "before": _standing(change.before),
        "after": _standing(change.after),
        "reason": change.reason,
        "causes": [_cause(c) for c in change.causes],
        "text": change.text(),
    }


def review_data(review: Review) -> dict[str, Any]:
    """One record's review as JSON-ready data; the keys are documented in the README."""
    rec = review.recorded
    ranking = review.ranking
    return {
        "path": rec.path,
        "stands": review.stands,
        "findings": [{"kind": f.kind, "moves": f.moves, "text": f.text} for f in review.findings],
        "recorded": {
            "date": rec.date.isoformat(),
            "fwpick": rec.fwpick,
            "catalog": {
                "sha256": rec.catalog.sha256,
                "checked": rec.catalog.checked.isoformat(),
                "path": rec.catalog.path,
                "schema_version": rec.catalog.schema_version,
            },
            "leader": rec.leader,
            "close_call": rec.close_call,
            "contenders": list(rec.contenders),
            "max_score": rec.max_score,
        },
        "catalog_changed": review.catalog_changed,
        "answers": ranking.answers.as_dict(),
        "python": None if ranking.python is None else "{}.{}".format(*ranking.python),
        "notes": list(review.notes),
        "leader": ranking.leader.framework.id if ranking.leader else None,
        "close_call": ranking.close_call,
        "verdict": ranking.verdict(),
        "max_score": ranking.max_score,
        "frameworks": [_change(c) for c in review.changes],
    }


def review_json(view: ReviewView, width: int = 0) -> str:
    """``fwpick review --format json``."""
    data = {"stands": view.stands, "records": [review_data(r) for r in view.reviews]}
    return to_json("review", view.catalog, data)
