"""Readers for the parts of a catalogue beyond a framework's core facts (schema 2).

What is built in (``features``), the release history, measured figures, and
the catalogue's other sections: servers, add-ons and the frameworks to avoid.
Each records its problems in the :class:`~fwpick.catalog.fields.Checker` and
returns None (or leaves the entry out) rather than raising, so that
``fwpick validate`` lists every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from fwpick.catalog import model
from fwpick.catalog.fields import (
    Checker,
    as_date,
    as_dist_name,
    as_nonempty_text,
    as_requirement_list,
    as_specifier_set,
    as_text,
    as_text_list,
    as_url,
    describe_value,
    join_field,
    list_of,
    one_of,
)
from fwpick.text import clean_text

if TYPE_CHECKING:
    from fwpick.catalog.strict_yaml import LineDict


def read_fact(
    check: Checker,
    parent: LineDict,
    key: str,
    field: str,
    convert: Callable[[Any], Any],
    expected: str,
    default_checked: date | None,
    latest: date | None = None,
) -> Any:
    """``parent[key]`` as a Fact (value, source, optional checked and detail), or None."""
    name = join_field(field, key)
    fact = check.mapping(
        parent.get(key), name, parent.line_of(key), ("value", "source"), ("checked", "detail")
    )
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
    return model.Fact(value, source, checked, detail)


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
) -> dict[str, model.Fact] | None:
    """A mapping of named facts, every one of ``kinds`` required; None when any is wrong."""
    block = check.mapping(raw, field, line, tuple(kinds))
    if block is None:
        return None
    values = {
        key: read_fact(check, block, key, field, convert, what, checked, latest)
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


_FEATURE_VALUE = (one_of(model.FEATURE_LEVELS), "one of " + ", ".join(model.FEATURE_LEVELS))


def read_features(
    check: Checker, raw: Any, line: int | None, checked: date | None, latest: date | None
) -> dict[str, model.Fact] | None:
    """Every one of :data:`~fwpick.catalog.model.FEATURES`, each yes, extra or no."""
    kinds = dict.fromkeys(model.FEATURES, _FEATURE_VALUE)
    return read_fact_block(check, raw, "features", line, kinds, checked, latest)


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


# --- servers, add-ons, frameworks to avoid ------------------------------------

_PACKAGE_FACTS: FactKinds = {
    "licence": (as_nonempty_text, "text"),
    "requires_python": (as_specifier_set, "a version specifier such as '>=3.9'"),
    "dependencies": (as_requirement_list, "a list of package names"),
    "conditional_dependencies": (as_requirement_list, "a list of 'name; marker' strings"),
}
_SERVER_FACTS: FactKinds = {
    **_PACKAGE_FACTS,
    "serves": (list_of(model.SERVES), "a list of " + ", ".join(model.SERVES)),
    "workers": (one_of(("yes", "no")), "yes or no"),
    "threads": (one_of(("yes", "no")), "yes or no"),
    "http2": _FEATURE_VALUE,
    "websockets": _FEATURE_VALUE,
    "platforms": (as_nonempty_text, "text"),
}


def _entry_scope(check: Checker, entry: Any, index: int, section: str) -> None:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        check.framework = clean_text(entry["id"])[:60] or f"{section}#{index + 1}"
    else:
        check.framework = f"{section}#{index + 1}"


def _release(
    check: Checker, entry: LineDict, checked: date | None, latest: date | None
) -> tuple[model.Fact | None, model.Fact | None, model.ReleaseHistory | None]:
    version = read_fact(check, entry, "version", "", as_nonempty_text, "text", checked, latest)
    released = read_fact(check, entry, "released", "", as_date, "a date", checked, latest)
    if released is not None:
        line = entry["released"].line_of("value")
        not_after(check, released.value, checked, "the entry's", line, "released.value")
    history = None
    if "release_history" in entry:
        line = entry.line_of("release_history")
        history = read_release_history(check, entry["release_history"], line, checked, latest)
    return version, released, history


def read_servers(check: Checker, raw: Any, line: int | None, latest: date | None) -> list[Any]:
    required = ("id", "name", "pypi", "description", "checked", "version", "released")
    servers = []
    for index, entry in enumerate(_section_list(check, raw, line, "servers")):
        _entry_scope(check, entry, index, "servers")
        start = len(check.problems)
        item = check.mapping(entry, "", line, (*required, "facts", "links"), ("release_history",))
        if item is None:
            continue
        checked = check.get(item, "checked", "", as_date, "a date (YYYY-MM-DD)")
        version, released, history = _release(check, item, checked, latest)
        line_of = item.line_of("facts")
        facts = read_fact_block(
            check, item.get("facts"), "facts", line_of, _SERVER_FACTS, checked, latest
        )
        links = read_links(check, item.get("links"), item.line_of("links"))
        texts = [check.get(item, k, "", as_nonempty_text, "text") for k in ("id", "name")]
        pypi = check.get(item, "pypi", "", as_dist_name, "a PyPI name")
        description = check.get(item, "description", "", as_nonempty_text, "text")
        if len(check.problems) > start:
            continue
        if facts is None or links is None or version is None or released is None:
            continue
        servers.append(
            model.Server(
                texts[0], texts[1], pypi, description, version, released, facts, links, history
            )
        )
    check.framework = None
    return servers


def read_addons(check: Checker, raw: Any, line: int | None, latest: date | None) -> list[Any]:
    required = ("id", "name", "pypi", "base", "description", "comparison_notes", "checked")
    addons = []
    for index, entry in enumerate(_section_list(check, raw, line, "addons")):
        _entry_scope(check, entry, index, "addons")
        start = len(check.problems)
        item = check.mapping(
            entry,
            "",
            line,
            (*required, "version", "released", "facts", "adds", "links"),
            ("release_history",),
        )
        if item is None:
            continue
        checked = check.get(item, "checked", "", as_date, "a date (YYYY-MM-DD)")
        version, released, history = _release(check, item, checked, latest)
        line_of = item.line_of("facts")
        facts = read_fact_block(
            check, item.get("facts"), "facts", line_of, _PACKAGE_FACTS, checked, latest
        )
        adds = read_fact(
            check, item, "adds", "", list_of(model.FEATURES), "a list of features", checked, latest
        )
        links = read_links(check, item.get("links"), item.line_of("links"))
        texts = {
            k: check.get(item, k, "", as_nonempty_text, "text")
            for k in ("id", "name", "base", "description", "comparison_notes")
        }
        pypi = check.get(item, "pypi", "", as_dist_name, "a PyPI name")
        if len(check.problems) > start or adds is None:
            continue
        if facts is None or links is None or version is None or released is None:
            continue
        addons.append(
            model.Addon(
                texts["id"],
                texts["name"],
                pypi,
                texts["base"],
                texts["description"],
                texts["comparison_notes"],
                version,
                released,
                facts,
                adds,
                links,
                history,
            )
        )
    check.framework = None
    return addons


def read_avoid(check: Checker, raw: Any, line: int | None, checked: date | None) -> list[Any]:
    required = ("id", "name", "pypi", "status", "last_release", "evidence", "instead", "note")
    avoided = []
    for index, entry in enumerate(_section_list(check, raw, line, "avoid")):
        _entry_scope(check, entry, index, "avoid")
        start = len(check.problems)
        item = check.mapping(entry, "", line, required)
        if item is None:
            continue
        texts = {
            k: check.get(item, k, "", as_nonempty_text, "text") for k in ("id", "name", "note")
        }
        pypi = check.get(item, "pypi", "", as_dist_name, "a PyPI name")
        status = check.get(
            item, "status", "", one_of(model.AVOID_STATUSES), ", ".join(model.AVOID_STATUSES)
        )
        last = read_fact(check, item, "last_release", "", as_date, "a date", checked, checked)
        instead = check.get(item, "instead", "", as_text_list, "a list of framework ids")
        evidence: list[model.Fact] = []
        items = item.get("evidence")
        if not isinstance(items, list) or not items:
            what = describe_value(items)
            check.problem(
                f"expected a list of facts, got {what}", item.line_of("evidence"), "evidence"
            )
        else:
            holder = {f"evidence[{n}]": v for n, v in enumerate(items, 1)}
            for key in holder:
                fact = _fact_of(check, holder[key], key, item.line_of("evidence"), checked)
                if fact is not None:
                    evidence.append(fact)
        if len(check.problems) > start or last is None:
            continue
        avoided.append(
            model.Avoided(
                texts["id"],
                texts["name"],
                pypi,
                status,
                last,
                tuple(evidence),
                instead,
                texts["note"],
            )
        )
    check.framework = None
    return avoided


def _fact_of(
    check: Checker, raw: Any, field: str, line: int | None, checked: date | None
) -> model.Fact | None:
    fact = check.mapping(raw, field, line, ("value", "source"), ("checked", "detail"))
    if fact is None:
        return None
    value = check.get(fact, "value", field, as_nonempty_text, "text")
    source = check.get(fact, "source", field, as_nonempty_text, "text")
    when = check.get(fact, "checked", field, as_date, "a date", default=checked)
    detail = check.get(fact, "detail", field, as_text, "text", default="")
    if value is None or source is None:
        return None
    return model.Fact(value, source, when, detail)


def _section_list(check: Checker, raw: Any, line: int | None, name: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        check.problem(f"expected a list, got {describe_value(raw)}", line, name)
        return []
    return raw
