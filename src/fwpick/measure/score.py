"""The 1-5 performance score derived from measured ratios.

The rule: take the geometric mean of the framework's ratios to its baseline
(plaintext and api; whichever were measured), then

    ratio >= 0.90 -> 5   within a tenth of the bare app on the same server
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

THRESHOLDS = ((0.90, 5), (0.70, 4), (0.50, 3), (0.30, 2))


def combined_ratio(ratios: Iterable[float]) -> float:
    """The geometric mean of positive ratios."""
    values = list(ratios)
    if not values or any(r <= 0 or not math.isfinite(r) for r in values):
        raise ValueError(f"ratios must be positive and finite, got {values}")
    return math.exp(sum(math.log(r) for r in values) / len(values))


def performance_score(ratios: Iterable[float]) -> int:
    """The 1-5 score for a framework's measured ratios (see the module's rule)."""
    combined = combined_ratio(ratios)
    for threshold, score in THRESHOLDS:
        if combined >= threshold:
            return score
    return 1
