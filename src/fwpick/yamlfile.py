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
from typing import Any

import yaml

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
# A malicious file can expand aliases exponentially ("billion laughs"); no
# honest catalogue comes anywhere near this many values.
MAX_NODES = 2_000_000


class _StrictLoader(_BaseLoader):
    """SafeLoader whose booleans are YAML 1.2's: only true and false."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class LineDict(dict[str, Any]):
    """A mapping read from YAML that remembers its own line and its keys' lines."""

    line: int | None = None
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


def parse_yaml(text: str, path: str, error: type[FwpickError] = CatalogError) -> Any:
    """Parse one YAML document strictly; mappings come back as :class:`LineDict`."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise error(f"{path}: the file is empty")
        return _Builder(loader, path, error).build(node)
    except yaml.MarkedYAMLError as exc:
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
    finally:
        loader.dispose()


def load_yaml_file(path: Path, error: type[FwpickError] = CatalogError) -> Any:
    """Read and strictly parse a YAML file."""
    return parse_yaml(decode(read_bytes(path, error), str(path), error), str(path), error)


class _Builder:
    """Turns a composed node tree into Python values, rejecting duplicate keys."""

    def __init__(self, loader: Any, path: str, error: type[FwpickError]) -> None:
        self.loader = loader
        self.path = path
        self.error = error
        self.count = 0

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(f"{self.path}: too many values (aliases expanding out of control?)")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item) for item in node.value]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # PyYAML raises bare Python errors for values that match a
            # resolver's pattern but not its meaning, such as 2026-13-45.
            kind = node.tag.rsplit(":", 1)[-1]
            kind = {"timestamp": "date", "int": "whole number", "float": "number"}.get(kind, kind)
            raise self.error(
                f"{self.path}:{node.start_mark.line + 1}: {node.value!r} is not a valid {kind};"
                " quote it if it is meant as text"
            ) from None

    def _mapping(self, node: yaml.MappingNode) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(f"{self.path}:{line}: a mapping key must be plain text")
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = result.key_lines[key]
                raise self.error(
                    f"{self.path}:{line}: duplicate key {key!r} (first at line {first});"
                    " YAML would silently keep only the last value"
                )
            result[key] = self.build(value_node)
            result.key_lines[key] = line
        return result
