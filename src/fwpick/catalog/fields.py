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
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from fwpick.catalog import model
from fwpick.errors import Problem
from fwpick.text import clean_text, quote, shorten

if TYPE_CHECKING:
    from fwpick.catalog.strict_yaml import LineDict

# How many problems a message lists before it only counts the rest.
MAX_LISTED_PROBLEMS = 50


class InvalidScalar(NamedTuple):
    """A YAML value that looks like a date or number but is not one, e.g. 2026-02-30.

    The YAML reader returns it in place of the value so that validation can
    report it as one problem among the others, with its framework and field.
    """

    text: str
    kind: str  # "date", "whole number", "number"

    def __str__(self) -> str:
        return self.text


class MoreProblems(Problem):
    """The last line of a capped problem list: how many were not listed."""

    def __str__(self) -> str:
        return self.message


def capped(
    problems: list[Problem], limit: int = MAX_LISTED_PROBLEMS, total: int | None = None
) -> tuple[Problem, ...]:
    """The first ``limit`` problems, then one line counting the rest (of ``total``)."""
    total = len(problems) if total is None else total
    if total <= limit:
        return tuple(problems)
    rest = total - limit
    more = MoreProblems(problems[0].path, f"… and {rest:,} more problem{'s' if rest != 1 else ''}")
    return (*problems[:limit], more)


def count_problems(count: int) -> str:
    """'1 problem', '200,000 problems'."""
    return f"{count:,} problem{'s' if count != 1 else ''}"


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
                    f"unknown field {quote(key)}{suggestion}; known fields: {known}",
                    value.line_of(key),
                    join_field(field, shorten(key)),
                )
        for key in required:
            if key not in value:
                self.problem("missing required field", value.line, join_field(field, key))
        for duplicate in value.duplicates:
            self.problem(
                duplicate_key_message(duplicate.key, duplicate.first_line),
                duplicate.line,
                join_field(field, shorten(duplicate.key)),
            )
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


def duplicate_key_message(key: str, first_line: int) -> str:
    return (
        f"duplicate key {quote(key)} (first at line {first_line});"
        " YAML would silently keep only the last value"
    )


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
    if isinstance(value, InvalidScalar):
        return f"{quote(value.text)}, which is not a real {value.kind}"
    return quote(str(value))


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return clean_text(value).strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        # What the user wrote: an unquoted 3.10 reads as the number 3.1.
        raise ValueError(f'quote it: "{shorten(str(getattr(value, "source", value)))}"')
    if isinstance(value, InvalidScalar):
        raise ValueError(f'quote it: "{shorten(value.text)}"')
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
    if isinstance(value, InvalidScalar):
        raise ValueError("write a real date as YYYY-MM-DD")
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
        repeated = sorted({item for item in items if items.count(item) > 1})
        if repeated:
            raise ValueError(f"{', '.join(map(repr, repeated))} is listed more than once")
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


# --- names, requirements and version specifiers (PEP 508 / PEP 440) ---
#
# Small regular expressions rather than the ``packaging`` library, which is not
# a runtime dependency.  They are kept as strings and compiled on first use
# (``re`` caches them): compiling them costs more than the rest of this
# module's import, and most commands never validate a catalogue.  They accept
# what the standards allow in practice and, above all, nothing that pip would
# read as an option, a URL or a path: these values end up in copyable
# ``pip install`` commands and in requirements.txt.

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
# PEP 440 public versions with an optional local part; "*" only as a last
# component, and only after == or != (checked by _SPEC below).
_RELEASE = r"[0-9]+(?:\.[0-9]+)*"
_VERSION = (
    rf"(?:[0-9]+!)?{_RELEASE}"
    r"(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?"
    r"(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
    r"(?:[-_.]?dev[-_.]?[0-9]*)?"
    r"(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?"
)
_ONE_SPEC = (
    rf"(?:(?:==|!=)\s*(?:{_RELEASE}\.\*|{_VERSION})"
    rf"|(?:~=|<=|>=|<|>)\s*{_VERSION}"
    r"|===\s*[A-Za-z0-9.+_-]+)"
)
_SPECS = rf"{_ONE_SPEC}(?:\s*,\s*{_ONE_SPEC})*"
_SPEC_SET = rf"(?:{_SPECS})?"
_MARKER_VARIABLE = (
    r"(?:python_version|python_full_version|os_name|sys_platform|platform_release"
    r"|platform_system|platform_version|platform_machine|platform_python_implementation"
    r"|implementation_name|implementation_version|extra|os\.name|sys\.platform"
    r"|platform\.version|platform\.machine|platform\.python_implementation)"
)
# Marker strings hold versions and platform words; no spaces, so that nothing
# inside one can look like a separate pip option.
_MARKER_STRING = r"""(?:'[A-Za-z0-9._*+!-]*'|"[A-Za-z0-9._*+!-]*")"""
_MARKER_VALUE = rf"(?:{_MARKER_VARIABLE}|{_MARKER_STRING})"
_MARKER_OP = r"(?:===|==|!=|~=|<=|>=|<|>|not\s+in\b|in\b)"
# Possessive quantifiers (*+): the regex never backtracks into white space or
# brackets, so a long hostile marker fails in linear time.
_MARKER_ATOM = rf"(?:\(\s*+)*+{_MARKER_VALUE}\s*+{_MARKER_OP}\s*+{_MARKER_VALUE}(?:\s*+\))*+"
_MARKER = rf"{_MARKER_ATOM}(?:\s*+(?:and|or)\b\s*+{_MARKER_ATOM})*+"
_REQUIREMENT = (
    rf"(?P<name>{_NAME})\s*+"
    rf"(?:\[\s*+(?:{_NAME}(?:\s*+,\s*+{_NAME})*)?\s*+\]\s*+)?"
    rf"(?:\(\s*+{_SPECS}\s*+\)|{_SPECS})?\s*+"
    rf"(?:;\s*+(?P<marker>{_MARKER}))?\s*+"
)


def as_visible_text(value: Any) -> str:
    """The text of ``value`` exactly as written; refuse invisible or control characters."""
    text = as_text(value)
    if isinstance(value, str) and clean_text(value) != value:
        hidden = sorted({f"U+{ord(c):04X}" for c in value if not clean_text(c)})
        raise ValueError(f"it contains invisible or control characters ({', '.join(hidden[:5])})")
    return text


def as_dist_name(value: Any) -> str:
    """A PyPI distribution name (PEP 508): ``pip install NAME`` copies it."""
    name = as_visible_text(value)
    if not name:
        raise ValueError("it is empty")
    if not re.fullmatch(_NAME, name, re.ASCII):
        raise ValueError(
            "not a valid distribution name: use letters, digits, '.', '_' or '-',"
            " starting and ending with a letter or digit"
        )
    return name


def as_requirement(value: Any) -> str:
    """A PEP 508 requirement: name, extras, version specifiers, ``; marker``.

    Never a pip option (``--index-url``), a URL or a path: requirement lines
    are written into requirements.txt and ``pip install`` commands.
    """
    text = as_visible_text(value)
    if not text:
        raise ValueError("it is empty")
    if text.startswith("-"):
        raise ValueError(f"{quote(text)} is a pip option, not a requirement")
    if "://" in text or "@" in text or "/" in text or "\\" in text:
        raise ValueError(f"{quote(text)} is a URL or a path; give a package name and versions")
    match = re.fullmatch(_REQUIREMENT, text, re.ASCII)
    if match is None or (match["marker"] is not None and not _balanced(match["marker"])):
        raise ValueError(
            f"{quote(text)} is not a requirement such as 'name>=1.0,<2' or"
            " \"name; python_version < '3.10'\""
        )
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def as_requirement_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError("")
    return tuple(as_requirement(item) for item in value)


def as_specifier_set(value: Any) -> str:
    """A version specifier set such as '>=3.9' or '>=3.8,<4'; empty means any."""
    text = as_visible_text(value)
    if not re.fullmatch(_SPEC_SET, text, re.ASCII | re.IGNORECASE):
        raise ValueError("not a version specifier: write e.g. '>=3.9' or '>=3.8,<4', or '' for any")
    return text
