"""Narrowing a catalogue to the frameworks with some checked facts, for ``compare``.

A big catalogue is no use as one table; these filters keep the frameworks
whose facts match, e.g. those that speak ASGI and have native async handlers.
Each filter is a checked fact of every framework and the values it may take,
so the choices offered are the catalogue schema's own.  The frameworks kept
are a :class:`Selection`, which loads a framework of a cached catalogue only
when it is read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, overload

from fwpick.catalog import model
from fwpick.errors import UsageError
from fwpick.text import did_you_mean, quote

# The modules whose code decides a framework's filter values (for the cache).
MODULES = ("catalog/filters.py", "catalog/model.py")


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


def _interfaces(fw: model.Framework) -> tuple[str, ...]:
    return tuple(fw.facts.interface.value)  # type: ignore[arg-type]


def _async_handlers(fw: model.Framework) -> tuple[str, ...]:
    return (str(fw.facts.async_handlers.value),)


FILTERS: dict[str, Filter] = {
    "interface": Filter("--interface", "interface", model.INTERFACES, _interfaces),
    "async": Filter("--async", "async handlers", model.ASYNC_SUPPORT, _async_handlers),
}


class Selection(Sequence[model.Framework]):
    """Some of a catalogue's frameworks, by their places in it; each read when used."""

    def __init__(self, frameworks: Sequence[model.Framework], numbers: Sequence[int]) -> None:
        self.frameworks = frameworks
        self.numbers = numbers

    def __len__(self) -> int:
        return len(self.numbers)

    @overload
    def __getitem__(self, index: int) -> model.Framework: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[model.Framework, ...]: ...

    def __getitem__(self, index: int | slice) -> model.Framework | tuple[model.Framework, ...]:
        if isinstance(index, slice):
            return tuple(self.frameworks[n] for n in self.numbers[index])
        return self.frameworks[self.numbers[index]]

    def keys(self) -> list[tuple[str, str, str]]:
        """The id, name and PyPI name of each (see :func:`~fwpick.catalog.model.framework_keys`)."""
        every = model.framework_keys(self.frameworks)
        return [every[n] for n in self.numbers]


def parse_filters(raw: Mapping[str, str | None]) -> dict[str, frozenset[str]]:
    """The filters given (filter name -> raw text, None when not given), checked."""
    return {name: FILTERS[name].parse(text) for name, text in raw.items() if text is not None}


def filter_values(frameworks: Sequence[model.Framework]) -> dict[str, list[tuple[str, ...]]]:
    """By filter, each framework's values; kept with a cached catalogue, so that filtering
    10,000 frameworks loads none of them."""
    from fwpick.catalog.cache import CachedFrameworks

    def build() -> tuple[tuple[tuple[str, ...], ...], ...]:
        return tuple(tuple(f.values(fw) for fw in frameworks) for f in FILTERS.values())

    if isinstance(frameworks, CachedFrameworks):
        kept = frameworks.derived("filters", MODULES, build)
    else:
        kept = build()
    return {name: list(values) for name, values in zip(FILTERS, kept, strict=True)}


def matching(
    frameworks: Sequence[model.Framework],
    numbers: Iterable[int],
    wanted: Mapping[str, frozenset[str]],
) -> list[int]:
    """The places (among ``numbers``) of the frameworks that have one of the wanted values
    of every filter given."""
    if not wanted:
        return list(numbers)
    values = filter_values(frameworks)
    checks = [(values[name], allowed) for name, allowed in wanted.items()]
    return [n for n in numbers if all(not allowed.isdisjoint(of[n]) for of, allowed in checks)]


def counts(selection: Selection) -> dict[str, dict[str, int]]:
    """By filter, how many of the selected frameworks each of its values would keep."""
    values = filter_values(selection.frameworks)
    found = {}
    for name, f in FILTERS.items():
        seen = Counter(v for n in selection.numbers for v in set(values[name][n]))
        found[name] = {choice: seen[choice] for choice in f.choices}
    return found
