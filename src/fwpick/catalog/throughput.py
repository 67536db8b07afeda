"""The 1-5 performance score, derived from measured throughput by a fixed rule.

A framework's throughput is measured as a ratio: its requests per second over
those of a bare app on a reference server, measured in the same run (see
``fwpick bench``).  The rule: take the geometric mean of the ratios measured
(plaintext and api), then

    ratio >= 0.90 -> 5   within a tenth of the bare app
    ratio >= 0.70 -> 4
    ratio >= 0.50 -> 3   half the bare app's throughput or better
    ratio >= 0.30 -> 2
    otherwise     -> 1

A geometric mean, because ratios multiply: a framework twice as slow in one
scenario and as fast in the other is not "three quarters as fast".  The
thresholds are fixed so that a score means the same thing on every machine.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from fwpick.catalog import model

THRESHOLDS = ((0.90, 5), (0.70, 4), (0.50, 3), (0.30, 2))


def combined_ratio(ratios: Iterable[float]) -> float:
    """The geometric mean of positive ratios."""
    values = list(ratios)
    if not values or any(r <= 0 or not math.isfinite(r) for r in values):
        raise ValueError(f"ratios must be positive and finite, got {values}")
    return math.exp(sum(math.log(r) for r in values) / len(values))


def score_for(ratios: Iterable[float]) -> int:
    """The 1-5 score for measured ratios (see the module's rule)."""
    combined = combined_ratio(ratios)
    for threshold, score in THRESHOLDS:
        if combined >= threshold:
            return score
    return 1


def performance_score(measured: model.Measured) -> model.Score | None:
    """The derived performance score, with the figures behind it as its rationale."""
    named = [
        (name, fact.value)
        for name, fact in (("plaintext", measured.plaintext_ratio), ("api", measured.api_ratio))
        if fact is not None and isinstance(fact.value, float) and fact.value > 0
    ]
    if not named:
        return None
    ratios = [value for _, value in named]
    figures = " and ".join(f"{name} {value:.2f}x" for name, value in named)
    rationale = (
        f"Measured by fwpick bench: {figures} the bare app's requests per second;"
        f" geometric mean {combined_ratio(ratios):.2f} (5 from 0.90, 4 from 0.70,"
        " 3 from 0.50, 2 from 0.30)."
    )
    return model.Score(score_for(ratios), rationale)
