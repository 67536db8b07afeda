"""What each answer asks of a framework, read from the catalogue's checked facts.

One criterion per question.  For each answer it may give, a criterion says
how a framework does, as a value from 0 to 1 in quarters, with the evidence
(the fact it read) and, for a need answered ``required``, whether the
framework passes at all.  Every criterion is a general fact that any
framework can have: what is built in, how large the install is, the measured
throughput, the release history, and the 1-5 judgements with their
rationales.  Nothing here names a framework.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import PurePath
from typing import NamedTuple

from fwpick.catalog.model import BATTERIES, FEATURES, Framework
from fwpick.text import plural

# A point off the maturity score for each full year without a release, at most four.
MAX_STALE_PENALTY = 4


class Measure(NamedTuple):
    """How a framework does on one criterion, before weighting.

    ``passes`` says whether it meets the criterion as a hard constraint;
    ``failure`` says why not, for the list of excluded frameworks.
    ``judgement`` marks a 1-5 opinion of the catalogue's (with a rationale)
    rather than a checked fact.
    """

    value: float
    evidence: str
    passes: bool = True
    failure: str = ""
    judgement: bool = False


Measures = dict[str, Measure]  # answer -> how the framework does for it


def quarters(value: float) -> float:
    """``value`` rounded to a quarter, so that every score adds up exactly."""
    return round(value * 4) / 4


# --- built in: API tooling, web tooling, batteries -----------------------------

_LEVEL_VALUE = {"yes": 1.0, "extra": 0.5, "no": 0.0}


def _feature(fw: Framework, name: str) -> float:
    if fw.features is None or name not in fw.features:
        return 0.0
    return _LEVEL_VALUE.get(str(fw.features[name].value), 0.0)


def _built_in(fw: Framework, names: tuple[str, ...]) -> list[str]:
    return [n.replace("_", " ") for n in names if _feature(fw, n) == 1.0]


def _api_tooling(fw: Framework) -> Measure:
    value = quarters((_feature(fw, "validation") + _feature(fw, "openapi")) / 2)
    have = _built_in(fw, ("validation", "openapi"))
    evidence = f"API tooling: {', '.join(have)}" if have else "no request validation or OpenAPI"
    if value and not have:
        evidence = "request validation or OpenAPI as an extra"
    return Measure(value, evidence)


def _web_tooling(fw: Framework) -> Measure:
    engine = str(fw.facts.templating.value)
    parts = 2 * (1.0 if engine else 0.0) + _feature(fw, "forms") + _feature(fw, "sessions")
    have = ([f"templates ({engine})"] if engine else []) + _built_in(fw, ("forms", "sessions"))
    evidence = f"web tooling: {', '.join(have)}" if have else "no templates, forms or sessions"
    return Measure(quarters(parts / 4), evidence)


def _fit(fw: Framework, today: date) -> Measures:
    api, web = _api_tooling(fw), _web_tooling(fw)
    both = Measure(quarters((api.value + web.value) / 2), f"{api.evidence}; {web.evidence}")
    return {"api": api, "website": web, "both": both}


# Installed size, in distributions (the framework and its dependencies) and
# in megabytes on disk: the threshold and the value it earns for "a small core
# I add to".  A core is as small as the larger of the two says.
_SMALL = ((1, 1.0), (3, 0.75), (8, 0.5), (15, 0.25))
_SMALL_MB = ((1.0, 1.0), (5.0, 0.75), (15.0, 0.5), (30.0, 0.25))
# Built-in features (templating counts as one) for "batteries included".
_BATTERIES = ((8, 1.0), (6, 0.75), (4, 0.5), (2, 0.25))


def _core(fw: Framework, today: date) -> Measures:
    measured = fw.measured.distributions if fw.measured is not None else None
    if measured is not None:
        count = int(measured.value)  # type: ignore[call-overload]
        where = f"installs {plural(count, 'distribution')} (measured)"
    else:
        deps: tuple[str, ...] = fw.facts.dependencies.value  # type: ignore[assignment]
        count = len(deps) + 1
        where = f"{plural(len(deps), 'dependency', 'dependencies')} declared"
    small = next((v for most, v in _SMALL if count <= most), 0.0)
    size = fw.measured.installed_mb if fw.measured is not None else None
    if size is not None:
        megabytes = float(size.value)  # type: ignore[arg-type]
        small = min(small, next((v for most, v in _SMALL_MB if megabytes <= most), 0.0))
        where += f", {megabytes:.1f} MB"
    built = _built_in(fw, BATTERIES) + (["templates"] if fw.facts.templating.value else [])
    batteries = next((v for least, v in _BATTERIES if len(built) >= least), 0.0)
    listed = ", ".join(built[:6]) + (", ..." if len(built) > 6 else "")
    batteries_evidence = f"{len(built)} of 12 built in" + (f" ({listed})" if built else "")
    return {
        "small": Measure(small, where),
        "batteries": Measure(batteries, batteries_evidence),
        "either": Measure(0.0, "the size of the core did not matter"),
    }


def _must_have(fw: Framework, today: date) -> Measures:
    """For each feature, whether it comes built in: a hard constraint when it is the must-have."""
    found: Measures = {"none": Measure(0.0, "no capability had to be built in")}
    for name in FEATURES:
        shown = name.replace("_", " ")
        value = _feature(fw, name)
        if value == 1.0:
            found[name] = Measure(1.0, f"{shown} built in")
        elif value:
            found[name] = Measure(value, f"{shown} as an optional extra")
        else:
            failure = f"it has no {shown} built in"
            fact = fw.features.get(name) if fw.features is not None else None
            if fact is not None and fact.detail:
                failure += f" ({fact.detail.rstrip('.')})"
            found[name] = Measure(0.0, f"no {shown} built in", False, failure)
    return found


# --- needs: async, server, single file -------------------------------------------


def _paren(detail: str) -> str:
    return f" ({detail})" if detail else ""


def _async(fw: Framework, today: date) -> Measures:
    value = fw.facts.async_handlers.value
    detail = _paren(fw.facts.async_handlers.detail)
    if value == "yes":
        need = Measure(1.0, "async handlers: yes")
    elif value == "partly":
        # Worth something when async is preferred, but required means handlers
        # awaited on the server's own event loop, not each in a private one.
        need = Measure(
            0.5, "async handlers: partly", False, "its async support is only partial" + detail
        )
    else:
        need = Measure(0.0, "no async handlers", False, "it has no async/await handlers" + detail)
    # "No": plain sync code.  Frameworks built on sync handlers fit best; one
    # that also speaks WSGI runs sync handlers on a WSGI server's threads.
    if value in ("no", "partly"):
        sync = Measure(1.0, "built on plain sync handlers")
    elif "wsgi" in fw.facts.interface.value:  # type: ignore[operator]
        sync = Measure(0.5, "async-capable, with WSGI for sync code")
    else:
        sync = Measure(0.0, "async-first (no WSGI for sync code)")
    return {"required": need, "preferred": need, "indifferent": need, "no": sync}


def _same(measure: Measure, answers: tuple[str, ...]) -> Measures:
    return dict.fromkeys(answers, measure)


_NEED_ANSWERS = ("required", "preferred", "indifferent")


def _single_file(fw: Framework, today: date) -> Measures:
    single = fw.facts.single_file.value is True
    deps: tuple[str, ...] = fw.facts.dependencies.value  # type: ignore[assignment]
    if single and not deps:
        return _same(Measure(1.0, "single file, no dependencies"), _NEED_ANSWERS)
    why = [] if single else ["it is not a single file"]
    if deps:
        why.append(f"it depends on {', '.join(deps)}")
    failure = " and ".join(why)
    if not deps:
        return _same(Measure(0.5, "no dependencies, several files", False, failure), _NEED_ANSWERS)
    count = plural(len(deps), "dependency", "dependencies")
    return _same(Measure(0.0, count, False, failure), _NEED_ANSWERS)


def _server(fw: Framework, today: date) -> Measures:
    kind = fw.facts.server.value
    if kind == "production":
        found = Measure(1.0, "production server built in")
    elif kind == "development":
        failure = "its built-in server is for development only"
        found = Measure(0.0, "development server only", False, failure)
    else:
        found = Measure(0.0, "no built-in server", False, "it has no built-in server")
    return _same(found, _NEED_ANSWERS)


# --- levels: throughput, docs, community, maturity --------------------------------

_LEVELS = ("high", "medium", "low")


def _scored(name: str) -> Callable[[Framework, date], Measures]:
    def measure_score(fw: Framework, today: date) -> Measures:
        score = fw.scores.get(name)
        if score is None:
            return _same(Measure(0.0, f"{name} not scored"), _LEVELS)
        # A derived score (throughput) is a measurement, not an opinion.
        opinion = not score.rationale.startswith("Measured by fwpick bench")
        found = Measure((score.value - 1) / 4, f"{name} {score.value}/5", judgement=opinion)
        return _same(found, _LEVELS)

    return measure_score


def _throughput(fw: Framework, today: date) -> Measures:
    """The performance score, and where it was measured if not for the catalogue (--bench)."""
    measures = _scored("performance")(fw, today)
    origin = fw.measured.origin if fw.measured is not None else ""
    if not origin:
        return measures
    where = f" (measured in {PurePath(origin).name})"
    return {answer: m._replace(evidence=m.evidence + where) for answer, m in measures.items()}


def _maturity(fw: Framework, today: date) -> Measures:
    """A long track record and recent releases, from the release history where there is one."""
    history = fw.release_history
    months = fw.months_since_release(today)
    stale = min(months // 12, MAX_STALE_PENALTY)
    if history is not None:
        first: date = history.first_release.value  # type: ignore[assignment]
        years = (today - first).days // 365
        points = 4 if years >= 10 else 3 if years >= 5 else 2 if years >= 2 else 1
        points = max(points - stale, 0)
        status = str(history.development_status.value)
        early = status[:1] in ("1", "2", "3")  # planning, pre-alpha, alpha
        if early:
            points = min(points, 1)
        evidence = f"first release {first.year}"
        if stale:
            evidence += f", none for {months} months"
        if early:
            evidence += f", '{status}'"
        return _same(Measure(points / 4, evidence), _LEVELS)
    score = fw.scores.get("maturity")
    if score is None:
        return _same(Measure(0.0, "maturity not scored"), _LEVELS)
    value = max(score.value - 1 - stale, 0) / 4
    evidence = f"maturity {score.value}/5"
    if stale:
        evidence += f", less {stale} for {months} months since the last release"
    return _same(Measure(value, evidence, judgement=True), _LEVELS)


# One criterion per question: its name in explanations (by answer where it
# changes with the answer) and how it is measured.
CRITERIA: dict[str, tuple[dict[str, str], Callable[[Framework, date], Measures]]] = {
    "kind": ({"api": "API tooling", "website": "web tooling", "both": "API and web tooling"}, _fit),
    "core": ({"small": "small core", "batteries": "batteries included", "either": "core"}, _core),
    "must_have": (
        {"none": "must-have", **{n: f"{n.replace('_', ' ')} built in" for n in FEATURES}},
        _must_have,
    ),
    "async": ({"no": "sync code"}, _async),
    "server": ({}, _server),
    "single_file": ({}, _single_file),
    "throughput": ({}, _throughput),
    "docs": ({}, _scored("docs")),
    "community": ({}, _scored("community")),
    "maturity": ({}, _maturity),
}
DEFAULT_LABELS = {
    "async": "native async",
    "server": "production server",
    "single_file": "single file",
    "throughput": "throughput",
    "docs": "docs",
    "community": "community",
    "maturity": "maturity",
}


def label(question: str, answer: str) -> str:
    """What a criterion is called in explanations, for the answer given."""
    return CRITERIA[question][0].get(answer) or DEFAULT_LABELS.get(question, question)


def measure(fw: Framework, today: date) -> dict[str, Measures]:
    """A framework's measure on every criterion: question id -> answer -> Measure."""
    return {qid: criterion(fw, today) for qid, (_, criterion) in CRITERIA.items()}
