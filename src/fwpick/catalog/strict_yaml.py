"""Strict, line-aware YAML reading for files a user hands us.

PyYAML's defaults are too forgiving for a catalogue of facts: a duplicated key
silently keeps the last value, and YAML 1.1 turns an unquoted ``no`` or ``on``
into a boolean.  This module reads YAML the strict way, reports every problem
with the file and line, and remembers where each mapping and key came from so
that later validation can point at the line too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from fwpick.catalog.fields import InvalidScalar
from fwpick.errors import CatalogError, FwpickError
from fwpick.textfile import decode, read_bytes

try:  # the C parser is several times faster; fall back when libyaml is missing
    from yaml import CSafeLoader as _BaseLoader

    # libyaml reports a bad character's position in UTF-8 bytes, PyYAML in characters.
    _OFFSETS_IN_BYTES = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader

    _OFFSETS_IN_BYTES = False

_BOOL_TAG = "tag:yaml.org,2002:bool"
_MERGE_TAG = "tag:yaml.org,2002:merge"
# SafeLoader resolves a lone "=" to this tag and then has no constructor for it.
_VALUE_TAG = "tag:yaml.org,2002:value"
_NULL_TAG = "tag:yaml.org,2002:null"
# A malicious file can expand aliases exponentially ("billion laughs"); no
# honest catalogue comes anywhere near this many values.
MAX_NODES = 2_000_000
# No honest file nests anywhere near this deep; the limit keeps the reader's
# recursion far from Python's own limit.
MAX_DEPTH = 64
# libyaml's composer recurses once per level and, before PyYAML 6.0.4, had no
# limit of its own: it overflowed the C stack (a segfault, not an exception)
# some 20,000 levels down.  A file that might nest deeper than this has its
# depth measured first, from the event stream, which does not recurse.
_COMPOSER_SAFE_DEPTH = 1000


class _StrictLoader(_BaseLoader):
    """SafeLoader whose booleans are YAML 1.2's: only true and false."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _VALUE_TAG)]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class DuplicateKey(NamedTuple):
    """A key written twice in one mapping; the first value is the one kept."""

    key: str
    line: int
    first_line: int

    @property
    def message(self) -> str:
        return (
            f"duplicate key {self.key!r} (first at line {self.first_line});"
            " YAML would silently keep only the last value"
        )


class LineDict(dict[str, Any]):
    """A mapping read from YAML that remembers its own line and its keys' lines.

    Duplicate keys are not errors here but are listed in ``duplicates``, so
    that a validator can report them together with every other problem; each
    reader of a LineDict must report them.
    """

    def __init__(self, line: int | None = None) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.duplicates: list[DuplicateKey] = []

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


class YamlInt(int):
    """A whole number read from YAML; ``source`` is the text as written (``0x1F``, ``1:30``)."""

    source: str


class YamlFloat(float):
    """A number read from YAML; ``source`` is the text as written (``3.10``, not 3.1)."""

    source: str


def parse_yaml(text: str, path: str, error: type[FwpickError] = CatalogError) -> Any:
    """Parse one YAML document strictly; mappings come back as :class:`LineDict`."""
    loader = _StrictLoader(text)
    try:
        if _nesting_bound(text) > _COMPOSER_SAFE_DEPTH:
            _check_depth(text, path, error, _StrictLoader)
        node = loader.get_single_node()
        if node is None or (node.tag == _NULL_TAG and node.value == ""):
            raise error(f"{path}: the file is empty")
        return _Builder(loader, path, error).build(node)
    except yaml.MarkedYAMLError as exc:
        # A parser may refuse deep nesting by itself before fwpick's own check
        # sees it (libyaml does, at 1,000 flow levels, since PyYAML 6.0.4).
        # fwpick's rule decides what the user reads, so look again with the
        # pure-Python parser, which has no limit of its own and streams events
        # without recursing: if the file is too deep, that is the problem.
        _check_depth(text, path, error, yaml.SafeLoader)
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise error(f"{path}{line}: YAML syntax error: {what}") from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        if _OFFSETS_IN_BYTES:
            before = text.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
        number = before.count("\n") + 1
        raise error(
            f"{path}:{number}: character U+{exc.character:04X} is not allowed"
            " in a YAML file (control characters cannot appear in it)"
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: YAML error: {exc}") from None
    except RecursionError:  # pragma: no cover - only PyYAML's pure-Python composer recurses
        raise error(f"{path}: nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def load_yaml_file(path: Path, error: type[FwpickError] = CatalogError) -> Any:
    """Read and strictly parse a YAML file."""
    return parse_yaml(decode(read_bytes(path, error), str(path), error), str(path), error)


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deep ``text`` can nest.

    A flow collection needs a bracket and holds at most one implicit mapping
    level inside it; a block collection needs more indentation than its
    parent, except for a sequence directly under a mapping key.
    """
    widest = max(map(len, text.splitlines()), default=0)
    return 2 * (text.count("[") + text.count("{")) + 2 * (widest + 1) + 1


def _check_depth(text: str, path: str, error: type[FwpickError], loader: type) -> None:
    """Raise ``error`` if ``text`` nests deeper than MAX_DEPTH, without composing it.

    A syntax error met on the way ends the check quietly: the caller reports it.
    """
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    try:
        scanner = loader(text)
    except yaml.YAMLError:  # a character the reader refuses: the caller reports it
        return
    depth = 0
    try:
        while _next_event_or_none(scanner):
            event = scanner.get_event()
            if isinstance(event, starts):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1
                    raise error(f"{path}:{line}: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, ends):
                depth -= 1
    finally:
        scanner.dispose()


def _next_event_or_none(scanner: Any) -> bool:
    try:
        return bool(scanner.check_event())
    except yaml.YAMLError:
        return False


class _Builder:
    """Turns a composed node tree into Python values, noting duplicate keys."""

    def __init__(self, loader: Any, path: str, error: type[FwpickError]) -> None:
        self.loader = loader
        self.path = path
        self.error = error
        self.count = 0
        # The collections being built, innermost last: meeting one again means
        # an alias refers to a value that contains it, which has no end.
        self.open: set[int] = set()

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(f"{self.path}: too many values (aliases expanding out of control?)")
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            return self._scalar(node)
        line = node.start_mark.line + 1
        if id(node) in self.open:
            raise self.error(
                f"{self.path}:{line}: recursive alias: the value anchored here contains"
                " an alias to itself, so it cannot be expanded"
            )
        if len(self.open) >= MAX_DEPTH:
            raise self.error(f"{self.path}:{line}: nested more than {MAX_DEPTH} levels deep")
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node)
            return [self.build(item) for item in node.value]
        finally:
            self.open.discard(id(node))

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError):
            # PyYAML raises bare Python errors for values that match a
            # resolver's pattern but not its meaning, such as 2026-13-45.
            # The marker lets validation report it with its framework and
            # field, as one problem among the others.
            kind = node.tag.rsplit(":", 1)[-1]
            kind = {"timestamp": "date", "int": "whole number", "float": "number"}.get(kind, kind)
            return InvalidScalar(str(node.value), kind)
        # Kept with its text so that a hint can say `quote it: "3.10"`, not "3.1".
        number: YamlInt | YamlFloat
        if type(value) is int:
            number = YamlInt(value)
        elif type(value) is float:
            number = YamlFloat(value)
        else:
            return value
        number.source = node.value
        return number

    def _mapping(self, node: yaml.MappingNode) -> LineDict:
        result = LineDict(node.start_mark.line + 1)
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE_TAG:
                raise self.error(
                    f"{self.path}:{line}: YAML merge keys (<<) are not supported;"
                    " write the fields out"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(f"{self.path}:{line}: a mapping key must be plain text")
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = key_node.value  # as written: 3.10, not 3.1
            if key in result:
                result.duplicates.append(DuplicateKey(key, line, result.key_lines[key]))
                continue
            result[key] = self.build(value_node)
            result.key_lines[key] = line
        return result
