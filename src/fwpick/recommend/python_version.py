"""Which release of a framework installs on a given Python, read from Requires-Python.

A small reader of PEP 440 version specifiers (``>=3.10``, ``<4.0,>=3.8``,
``~=3.9``, ``==3.*``, ``!=3.12.0``), enough for Requires-Python: fwpick has
no runtime dependency on ``packaging`` (the verify tests check this reader
against it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from fwpick.catalog.model import Framework

_CLAUSE = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)*)(\.\*)?\s*$")


class Release(NamedTuple):
    """The release line of a framework that is ranked; ``note`` says why, if not the newest."""

    version: str
    requires_python: str
    note: str = ""


def _parts(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _pad(parts: tuple[int, ...], length: int) -> tuple[int, ...]:
    return parts + (0,) * (length - len(parts))


def allows(specifier: str, python: tuple[int, int]) -> bool:
    """Whether ``python`` (major, minor; as X.Y.0 and any later patch) meets ``specifier``.

    A clause fwpick cannot read counts as met: the catalogue's validator
    already refuses specifiers that are not PEP 440, so this is only a guard.
    """
    for clause in filter(None, (c.strip() for c in specifier.split(","))):
        found = _CLAUSE.match(clause)
        if found is None:
            continue
        op, version, star = found.groups()
        want = _parts(version)
        have = python
        if star:  # ==3.* / !=3.12.*: compare the given prefix only
            prefix = have[: len(want)] == want[: len(have)] if len(want) <= 2 else False
            if (op == "==") != prefix:
                return False
            continue
        length = max(len(want), 3)
        # A Python X.Y counts as every patch release X.Y.z: ">=3.12.1" is met by 3.12.
        low, high = _pad(have, length), _pad(have, length)[:2] + (10**6,) * (length - 2)
        target = _pad(want, length)
        ok = {
            ">=": high >= target,
            ">": high > target,
            "<=": low <= target,
            "<": low < target,
            "==": low <= target <= high,
            "===": low <= target <= high,
            "!=": not (low == target == high),
            "~=": high >= target and have[:1] == want[:1]
            if len(want) <= 2
            else high >= target and _pad(have, length)[: len(want) - 1] == want[:-1][:2],
        }[op]
        if not ok:
            return False
    return True


def release_for(fw: Framework, python: tuple[int, int] | None) -> Release | None:
    """The newest release line of ``fw`` that installs on ``python``; None when none does."""
    return release_from(release_lines(fw), python)


def release_lines(fw: Framework) -> tuple[tuple[str, str], ...]:
    """(version, Requires-Python) of each release line of ``fw``, the newest first."""
    newest = (str(fw.version.value), str(fw.facts.requires_python.value))
    return (newest, *((r.version, r.requires_python) for r in fw.other_releases))


def release_from(
    lines: tuple[tuple[str, str], ...],
    python: tuple[int, int] | None,
    allowed: Callable[[str, tuple[int, int]], bool] = allows,
) -> Release | None:
    """:func:`release_for` from a framework's :func:`release_lines`.

    ``allowed`` is :func:`allows`, or a remembering copy of it for a caller
    that asks about thousands of frameworks with a few specifiers between them.
    """
    newest = Release(*lines[0])
    if python is None or allowed(newest.requires_python, python):
        return newest
    for version, requires in lines[1:]:
        if allowed(requires, python):
            note = (
                f"{version}, the line for this Python: {newest.version} needs Python"
                f" {newest.requires_python}"
            )
            return Release(version, requires, note)
    return None
