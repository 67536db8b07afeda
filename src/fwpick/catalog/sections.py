"""Readers for the parts of a catalogue beyond a framework's core facts (schema 2).

What is built in (``features``) with its proofs, the release history, measured
figures, and the facts and links every kind of entry shares (the servers,
add-ons and frameworks to avoid are read in ``entries``).  Each records its
problems in the :class:`~fwpick.catalog.fields.Checker` and returns None
rather than raising, so that ``fwpick validate`` lists every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from fwpick.catalog import model
from fwpick.catalog.fields import (
    Checker,
    as_date,
    as_nonempty_text,
    as_text,
    as_url,
    describe_value,
    join_field,
    one_of,
)

if TYPE_CHECKING:
    from fwpick.catalog.strict_yaml import LineDict


# "flask.sessions:SecureCookieSessionInterface", "quart:Quart.add_background_task".
_DOTTED = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_API = re.compile(rf"{_DOTTED}:{_DOTTED}")
# An extra's name as packaging normalises it (PEP 685), or as a wheel may still spell it.
_EXTRA = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
# The proof each feature level may carry: the levels it fits, and the words for it.
_PROOFS = {
    "api": (("yes", "extra"), "module:attribute, such as 'flask.sessions:SessionInterface'"),
    "extra": (("extra",), "the name of an extra of the distribution, such as 'full'"),
}


def read_fact(
    check: Checker,
    parent: LineDict,
    key: str,
    field: str,
    convert: Callable[[Any], Any],
    expected: str,
    default_checked: date | None,
    latest: date | None = None,
    *,
    proofs: bool = False,
) -> Any:
    """``parent[key]`` as a Fact (value, source, optional checked and detail), or None.

    With ``proofs`` (a feature) it may also name its ``api`` and ``extra``.
    """
    name = join_field(field, key)
    optional = ("checked", "detail", *(_PROOFS if proofs else ()))
    fact = check.mapping(parent.get(key), name, parent.line_of(key), ("value", "source"), optional)
    if fact is None or "value" not in fact:
        return None
    value = check.get(fact, "value", name, convert, expected)
    source = check.get(fact, "source", name, as_nonempty_text, "text")
    checked = check.get(fact, "checked", name, as_date, "a date", default=default_checked)
    if "checked" in fact:
        line = fact.line_of("checked")
        not_after(check, checked, latest, "the catalogue's", line, f"{name}.checked")
    detail = check.get(fact, "detail", name, as_text, "text", default="")
    if value is None or source is None:
        return None
    result = model.Fact(value, source, checked, detail)
    for proof in _PROOFS if proofs else ():
        if proof in fact:
            line = fact.line_of(proof)
            result = _with_proof(check, result, proof, fact[proof], line, f"{name}.{proof}")
    return result


def not_after(
    check: Checker, when: Any, limit: Any, whose: str, line: int | None, field: str
) -> None:
    """Report a date later than the date it was checked on: nobody can check the future."""
    if isinstance(when, date) and isinstance(limit, date) and when > limit:
        what = "released" if field.startswith("released") else "checked"
        check.problem(
            f"{what} {when.isoformat()} is later than {whose} checked date {limit.isoformat()}",
            line,
            field,
        )


def read_links(check: Checker, raw: Any, line: int | None) -> model.Links | None:
    links = check.mapping(raw, "links", line, ("homepage", "docs", "source"))
    if links is None:
        return None
    urls = {key: check.get(links, key, "links", as_url, "an http(s) URL") for key in links}
    if None in urls.values() or len(urls) != 3:
        return None
    return model.Links(**urls)


FactKinds = dict[str, tuple[Callable[[Any], Any], str]]  # name -> (converter, words for it)


def read_fact_block(
    check: Checker,
    raw: Any,
    field: str,
    line: int | None,
    kinds: FactKinds,
    checked: date | None,
    latest: date | None,
    *,
    proofs: bool = False,
) -> dict[str, model.Fact] | None:
    """A mapping of named facts, every one of ``kinds`` required; None when any is wrong."""
    block = check.mapping(raw, field, line, tuple(kinds))
    if block is None:
        return None
    values = {
        key: read_fact(check, block, key, field, convert, what, checked, latest, proofs=proofs)
        for key, (convert, what) in kinds.items()
        if key in block
    }
    if None in values.values() or len(values) != len(kinds):
        return None
    return values


def _as_count(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return int(value)  # a plain int: the catalogue cache stores only plain values
    raise TypeError("")


def _as_number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise TypeError("")


FEATURE_VALUE = (one_of(model.FEATURE_LEVELS), "one of " + ", ".join(model.FEATURE_LEVELS))


def read_features(
    check: Checker, raw: Any, line: int | None, checked: date | None, latest: date | None
) -> dict[str, model.Fact] | None:
    """Every one of :data:`~fwpick.catalog.model.FEATURES`, each yes, extra or no.

    Each may name its proof: ``api`` for a feature a plain install imports,
    ``extra`` for one an extra brings; ``tests/verify`` checks them.
    """
    kinds = dict.fromkeys(model.FEATURES, FEATURE_VALUE)
    return read_fact_block(check, raw, "features", line, kinds, checked, latest, proofs=True)


def _with_proof(
    check: Checker, fact: model.Fact, key: str, text: Any, line: int | None, field: str
) -> model.Fact:
    levels, expected = _PROOFS[key]
    pattern = _API if key == "api" else _EXTRA
    if not isinstance(text, str) or not pattern.fullmatch(text):
        check.problem(f"expected {expected}, got {describe_value(text)}", line, field)
    elif fact.value not in levels:
        check.problem(
            f"{key} proves a feature that is {' or '.join(map(repr, levels))};"
            f" this one is {fact.value!r}",
            line,
            field,
        )
    return fact._replace(**{key: text})


_HISTORY: FactKinds = {
    "first_release": (as_date, "a date (YYYY-MM-DD)"),
    "releases_last_12_months": (_as_count, "a whole number"),
    "release_count": (_as_count, "a whole number"),
    "development_status": (as_text, "text such as '5 - Production/Stable' ('' for none)"),
}


def read_release_history(
    check: Checker, raw: Any, line: int | None, checked: date | None, latest: date | None
) -> model.ReleaseHistory | None:
    values = read_fact_block(check, raw, "release_history", line, _HISTORY, checked, latest)
    return None if values is None else model.ReleaseHistory(**values)


_MEASURED: FactKinds = {
    "plaintext_ratio": (_as_number, "a number"),
    "api_ratio": (_as_number, "a number"),
    "distributions": (_as_count, "a whole number"),
    "installed_mb": (_as_number, "a number"),
    "import_ms": (_as_number, "a number"),
}


def read_measured(
    check: Checker, raw: Any, line: int | None, checked: date | None, latest: date | None
) -> model.Measured | None:
    measured = check.mapping(raw, "measured", line, (), tuple(_MEASURED))
    if measured is None:
        return None
    values = {
        key: read_fact(check, measured, key, "measured", conv, what, checked, latest)
        for key, (conv, what) in _MEASURED.items()
        if key in measured
    }
    return model.Measured(**values)


def read_measurements(check: Checker, raw: Any, line: int | None) -> model.Measurements | None:
    """The catalogue's ``measurements`` block: how, when and on what figures were measured."""
    block = check.mapping(raw, "measurements", line, ("command", "date", "machine", "results"))
    if block is None:
        return None
    values = {
        "command": check.get(block, "command", "measurements", as_nonempty_text, "text"),
        "date": check.get(block, "date", "measurements", as_date, "a date (YYYY-MM-DD)"),
        "machine": check.get(block, "machine", "measurements", as_nonempty_text, "text"),
        "results": check.get(block, "results", "measurements", as_nonempty_text, "text"),
    }
    if None in values.values():
        return None
    return model.Measurements(**values)
