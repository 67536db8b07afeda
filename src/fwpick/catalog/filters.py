"""Narrowing a catalogue to the frameworks with some checked facts, for ``compare``.

A big catalogue is no use as one table; these filters keep the frameworks
whose facts match, e.g. those that speak ASGI and have native async handlers.
Each filter is a checked fact of every framework and the values it may take,
so the choices offered are the catalogue schema's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from fwpick.catalog import model
from fwpick.errors import UsageError
from fwpick.text import did_you_mean, quote


class Filter(NamedTuple):
    """One filter: its flag, what it is about, its values and a framework's values for it."""

    flag: str
    about: str
    choices: tuple[str, ...]
    values: Callable[[model.Framework], tuple[str, ...]]

    def usage(self) -> str:
        """E.g. ``--async yes|partly|no``."""
        return f"{self.flag} {'|'.join(self.choices)}"

    def parse(self, raw: str) -> frozenset[str]:
        """The values a comma-separated ``raw`` names, in any case; a bad one is a usage error."""
        wanted = [part.strip().casefold() for part in raw.split(",") if part.strip()]
        if not wanted:
            raise UsageError(f"{self.flag} needs at least one of {', '.join(self.choices)}")
        for value in wanted:
            if value not in self.choices:
                hint = did_you_mean(value, self.choices)
                raise UsageError(
                    f"{self.flag}: {quote(value)} is not one of {', '.join(self.choices)}{hint}"
                )
        return frozenset(wanted)

    def counts(self, frameworks: Iterable[model.Framework]) -> dict[str, int]:
        """How many of ``frameworks`` each value would keep, in the order of the choices."""
        found = Counter(value for fw in frameworks for value in set(self.values(fw)))
        return {choice: found[choice] for choice in self.choices}


def _interfaces(fw: model.Framework) -> tuple[str, ...]:
    return tuple(fw.facts.interface.value)  # type: ignore[arg-type]


def _async_handlers(fw: model.Framework) -> tuple[str, ...]:
    return (str(fw.facts.async_handlers.value),)


FILTERS: dict[str, Filter] = {
    "interface": Filter("--interface", "interface", model.INTERFACES, _interfaces),
    "async": Filter("--async", "async handlers", model.ASYNC_SUPPORT, _async_handlers),
}


def parse_filters(raw: Mapping[str, str | None]) -> dict[str, frozenset[str]]:
    """The filters given (filter name -> raw text, None when not given), checked."""
    return {name: FILTERS[name].parse(text) for name, text in raw.items() if text is not None}


def matching(
    frameworks: Iterable[model.Framework], wanted: Mapping[str, frozenset[str]]
) -> list[model.Framework]:
    """The frameworks that have one of the wanted values of every filter given."""
    checks = [(FILTERS[name].values, values) for name, values in wanted.items()]
    return [fw for fw in frameworks if all(not values.isdisjoint(of(fw)) for of, values in checks)]
