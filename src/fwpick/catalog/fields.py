"""Typed readers for the fields of a YAML file, recording problems instead of raising.

Each converter returns the clean value or raises ValueError/TypeError with a
hint; :class:`Checker` turns that into a :class:`~fwpick.errors.Problem` that
names the file, line, framework and field, and carries on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from fwpick.catalog import model
from fwpick.errors import Problem

if TYPE_CHECKING:
    from fwpick.catalog.strict_yaml import LineDict

# C0 and C1 control characters other than tab and newline, plus DEL.  ESC is
# the one that matters: it starts ANSI/OSC sequences that would let a
# catalogue rewrite the user's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Drop terminal control characters from untrusted text; keep tabs and newlines."""
    return _CONTROL.sub("", text)


class Checker:
    """Reads typed fields out of YAML mappings, recording problems instead of raising."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.framework: str | None = None

    def problem(self, message: str, line: int | None, field: str | None = None) -> None:
        self.problems.append(Problem(self.path, message, line, self.framework, field))

    def mapping(
        self,
        value: Any,
        field: str,
        line: int | None,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> LineDict | None:
        """Check that ``value`` is a mapping with exactly the allowed keys."""
        if not isinstance(value, dict):
            self.problem(f"expected a mapping, got {describe_value(value)}", line, field)
            return None
        value = cast("LineDict", value)  # every mapping the YAML reader returns is one
        allowed = (*required, *optional)
        for key in value:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
                known = ", ".join(allowed)
                self.problem(
                    f"unknown field {key!r}{suggestion}; known fields: {known}",
                    value.line_of(key),
                    join_field(field, key),
                )
        for key in required:
            if key not in value:
                self.problem("missing required field", value.line, join_field(field, key))
        for duplicate in value.duplicates:
            self.problem(duplicate.message, duplicate.line, join_field(field, duplicate.key))
        return value

    def get(
        self,
        parent: LineDict,
        key: str,
        field: str,
        convert: Callable[[Any], Any],
        expected: str,
        default: Any = None,
    ) -> Any:
        """Convert ``parent[key]``; on a wrong type record a problem and return ``default``."""
        if key not in parent:
            return default
        value = parent[key]
        try:
            return convert(value)
        except (TypeError, ValueError) as exc:
            detail = f": {exc}" if str(exc) else ""
            self.problem(
                f"expected {expected}, got {describe_value(value)}{detail}",
                parent.line_of(key),
                join_field(field, key),
            )
            return default


def join_field(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def describe_value(value: Any) -> str:
    """A YAML value as an error message names it: 'the number 2.1', 'a list'."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, datetime | date):
        return f"the date {value.isoformat()}"
    return f"{clean_text(str(value))!r}"


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return clean_text(value).strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        # What the user wrote: an unquoted 3.10 reads as the number 3.1.
        raise ValueError(f'quote it: "{getattr(value, "source", value)}"')
    raise TypeError("")


def as_nonempty_text(value: Any) -> str:
    text = as_text(value)
    if not text:
        raise ValueError("it is empty")
    return text


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n"):
        raise ValueError("fwpick reads YAML 1.2 booleans: write true or false")
    raise TypeError("")


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("write it as YYYY-MM-DD") from None
    raise TypeError("")


def as_text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError("")
    return tuple(as_nonempty_text(item) for item in value)


def one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = as_text(value)
        if text not in choices:
            raise ValueError(f"choose one of {', '.join(choices)}")
        return text

    return convert


def list_of(choices: tuple[str, ...]) -> Callable[[Any], tuple[str, ...]]:
    def convert(value: Any) -> tuple[str, ...]:
        items = as_text_list(value)
        bad = [item for item in items if item not in choices]
        if bad or not items:
            raise ValueError(f"a non-empty list of {', '.join(choices)}")
        return items

    return convert


def as_score(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if model.SCORE_MIN <= value <= model.SCORE_MAX:
            return int(value)  # a plain int: the catalogue cache stores only plain values
        raise ValueError(f"out of range {model.SCORE_MIN}-{model.SCORE_MAX}")
    raise TypeError("")


def as_url(value: Any) -> str:
    url = as_nonempty_text(value)
    if not url.startswith(("https://", "http://")):
        raise ValueError("it must start with https:// or http://")
    return url
