"""A framework with an add-on: what Django + Django Ninja would score for the same answers.

An add-on entry names its base framework and the features it adds (checked
like every other fact).  The combination is scored as the base framework
with those features built in, on the same criteria and answers, so "Django +
Django Ninja would lead" is worked out, never assumed.  The add-on's own
dependencies count towards a small core: its declared dependencies are added
to the base's measured or declared install.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from fwpick.catalog.model import Addon, Catalog, Fact, Framework
from fwpick.recommend.criteria import measure
from fwpick.recommend.python_version import Release, allows
from fwpick.recommend.quiz import Answers

# Combinations are suggested when they would rank this high or higher.
SHOWN_UP_TO = 3


class WithAddon(NamedTuple):
    """What a framework would score with an add-on, and where that would rank it."""

    addon: Addon
    base: Framework
    adds: tuple[str, ...]  # the features it adds that the base does not have built in
    score: float
    base_score: float | None  # None: the base alone is excluded by a hard constraint
    rank: int  # where the combination would rank among the others
    ahead_of: Framework | None  # the framework it would lead, when it would rank first

    def text(self) -> str:
        """'With Django Ninja (adds validation, openapi), Django would score 14.00 (+3.00) ...'."""
        adds = ", ".join(a.replace("_", " ") for a in self.adds)
        name = f"{self.base.name} + {self.addon.name}"
        if self.base_score is None:
            how = f"{name} meets your hard constraints and would score {self.score:.2f}"
        else:
            how = f"{name} would score {self.score:.2f} (+{self.score - self.base_score:.2f})"
        where = f"rank {self.rank}"
        if self.rank == 1 and self.ahead_of is not None:
            where = f"rank first, ahead of {self.ahead_of.name}"
        return f"With the add-on {self.addon.name} (adds {adds}), {how} and {where}."


def combined(base: Framework, addon: Addon) -> Framework:
    """The base framework as if the add-on's features were built in."""
    features = dict(base.features or {})
    added: tuple[str, ...] = addon.adds.value  # type: ignore[assignment]
    for name in added:
        features[name] = Fact("yes", addon.adds.source, addon.adds.checked, f"with {addon.name}")
    extra: tuple[str, ...] = addon.facts["dependencies"].value  # type: ignore[assignment]
    deps: tuple[str, ...] = base.facts.dependencies.value  # type: ignore[assignment]
    merged = tuple(dict.fromkeys([*deps, *(d for d in extra if d != base.pypi)]))
    facts = base.facts._replace(dependencies=base.facts.dependencies._replace(value=merged))
    # The base's measured footprint does not include the add-on's: measure it no more.
    measured = None
    if base.measured is not None:
        measured = base.measured._replace(distributions=None, installed_mb=None)
    return base._replace(
        id=f"{base.id}+{addon.id}",
        name=f"{base.name} + {addon.name}",
        features=features,
        facts=facts,
        measured=measured,
    )


def with_addons(
    catalog: Catalog,
    answers: Answers,
    today: date,
    python: tuple[int, int] | None,
    scores: dict[str, float],
    releases: dict[str, Release],
) -> tuple[WithAddon, ...]:
    """Each add-on whose combination would score more than its base alone (or meet a hard
    constraint the base fails), best first.

    ``scores`` are the ranked frameworks' scores by id; ``releases`` the
    release line ranked for each framework that installs on ``python``.
    """
    from fwpick.recommend.ranking import points_for

    found: list[WithAddon] = []
    for addon in catalog.addons:
        base = catalog.get(addon.base)
        if base is None or base.id not in releases:
            continue
        needs_fact = addon.facts.get("requires_python")
        needs = str(needs_fact.value) if needs_fact is not None else ""
        if python is not None and needs and not allows(needs, python):
            continue
        added: tuple[str, ...] = addon.adds.value  # type: ignore[assignment]
        fw = combined(base, addon)
        score = points_for(measure(fw, today), answers)
        if score is None:
            continue  # the combination still fails a hard constraint
        base_score = scores.get(base.id)
        if base_score is not None and score <= base_score:
            continue
        # Worth a line only where it would change the top of the ranking.
        others = sorted(
            ((s, ident) for ident, s in scores.items() if ident != base.id),
            key=lambda item: (-item[0], item[1]),
        )
        rank = 1 + sum(1 for s, ident in others if s > score or (s == score and ident < fw.id))
        if rank > SHOWN_UP_TO:
            continue
        ahead = catalog.get(others[0][1]) if rank == 1 and others else None
        have = base.features or {}
        new = tuple(a for a in added if a not in have or have[a].value != "yes")
        found.append(WithAddon(addon, base, new or added, score, base_score, rank, ahead))
    found.sort(key=lambda w: (w.rank, -w.score, w.addon.id))
    return tuple(found)
