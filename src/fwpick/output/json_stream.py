"""Big JSON documents written piece by piece, the same text as ``json.dumps(indent=2)``.

Python's JSON encoder indents only in pure Python, which at 10,000
frameworks is seconds, and it needs the whole document in memory.  Most of a
big document repeats: every ranked framework has the same keys, and
frameworks with the same profile have the same breakdown.  So a
:class:`Template` lays a value with *holes* out once, with the encoder
itself, and each framework only fills in its own scalars; lists are written
an item at a time (:func:`json_list`).  A test compares the text with
``json.dumps`` of the same data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, repeat
from json.encoder import encode_basestring  # the C one where there is one
from typing import Any

INDENT = 2
# Items written per piece of output: large enough to keep writes few.
BATCH = 500


def dumps(value: Any, level: int = 0) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` as it reads nested ``level`` deep."""
    text = json.dumps(value, indent=INDENT, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * (INDENT * level)) if level else text


def scalar(value: Any) -> str:
    """One scalar exactly as the encoder writes it; strings and numbers without its overhead."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def separator(level: int) -> str:
    """What the encoder writes between two items of a list ``level`` deep."""
    return ",\n" + " " * (INDENT * (level + 1))


def hole(name: str) -> str:
    """A placeholder for :class:`Template`; no catalogue text can hold a NUL character."""
    return f"\x00{name}\x00"


class Template:
    """``dumps(value, level)`` cut at its holes, to be filled in with encoded scalars."""

    def __init__(self, value: Any, level: int, holes: Iterable[str]) -> None:
        pieces = [dumps(value, level)]
        for name in holes:
            marker = json.dumps(hole(name))
            head, found, tail = pieces[-1].partition(marker)
            if not found:
                raise ValueError(f"no hole {name!r} in the template")
            pieces[-1:] = [head, tail]
        self.pieces = pieces
        # The same text as a format string: filling it in is then one C call.
        escaped = [piece.replace("{", "{{").replace("}", "}}") for piece in pieces]
        self._format = "".join(f"{piece}{{{k}}}" for k, piece in enumerate(escaped[:-1]))
        self._format += escaped[-1]
        self._holes = len(pieces) - 1

    def fill(self, *values: str) -> str:
        """The text with each hole, in order, replaced by its encoded value."""
        if len(values) != self._holes:
            raise ValueError(f"{len(values)} values for {self._holes} holes")
        return self._format.format(*values)

    def filler(self) -> Callable[..., str]:
        """:meth:`fill` without its check, for a caller that fills it in thousands of times."""
        return self._format.format

    def fill_all(self, columns: Sequence[Sequence[str]], level: int) -> Runs:
        """The template filled in once for each row of ``columns`` (one column of encoded
        values per hole), as items of a list ``level`` deep: :func:`json_list` of
        them is ``json_list(map(self.fill, *columns), level)``.

        Each run of items is one join of the template's pieces and the values,
        without a string made for each item or a format string parsed for it:
        at 10,000 items several times faster.
        """
        if len(columns) != self._holes:
            raise ValueError(f"{len(columns)} columns for {self._holes} holes")
        between = separator(level)
        count = min(map(len, columns), default=0)

        def runs() -> Iterator[str]:
            for start in range(0, count, BATCH):
                end = min(start + BATCH, count)
                parts: list[Iterable[str]] = [chain(("",), repeat(between, end - start - 1))]
                for piece, column in zip(self.pieces, columns, strict=False):
                    parts += [repeat(piece), column[start:end]]
                parts.append(repeat(self.pieces[-1]))
                yield "".join(chain.from_iterable(zip(*parts, strict=False)))

        return Runs(runs())


def list_text(items: list[str], level: int) -> str:
    """A short list of encoded items, whole: :func:`json_list` in one string."""
    if not items:
        return "[]"
    inner = separator(level)
    return "[\n" + inner[2:] + inner.join(items) + "\n" + " " * (INDENT * level) + "]"


class Runs:
    """Items of a list already joined into runs (:meth:`Template.fill_all`), for
    :func:`json_list` to write between the brackets as they are; a run may be
    UTF-8 bytes (see :func:`fwpick.cli.streams.write_utf8`)."""

    def __init__(self, runs: Iterator[str] | Iterator[bytes]) -> None:
        self.runs = runs


def json_list(items: Iterable[str] | Runs, level: int) -> Iterator[str | bytes]:
    """A list of encoded items (each laid out ``level + 1`` deep), as the encoder writes it."""
    inner = separator(level)
    batch: list[str] = []
    started = False
    if isinstance(items, Runs):
        for run in items.runs:
            yield inner if started else "[\n" + inner[2:]
            yield run
            started = True
        items = ()
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            # The separator apart: joined to the batch it would copy megabytes.
            yield inner if started else "[\n" + inner[2:]
            yield inner.join(batch)
            started, batch = True, []
    if batch:
        yield inner if started else "[\n" + inner[2:]
        yield inner.join(batch)
        started = True
    yield "\n" + " " * (INDENT * level) + "]" if started else "[]"


def document(value: Any, lists: dict[str, Iterable[str] | Runs]) -> Iterator[str | bytes]:
    """The top-level ``value`` (a dict whose entries named in ``lists`` are holes), with each of
    those lists written an item at a time; the same text as ``json.dumps(...) + "\\n"``."""
    text = dumps(value) + "\n"
    for name, items in lists.items():
        head, found, text = text.partition(json.dumps(hole(name)))
        if not found:
            raise ValueError(f"no hole {name!r} in the document")
        yield head
        yield from json_list(items, 1)
    yield text
