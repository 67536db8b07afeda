"""Readers for the catalogue's sections beyond its frameworks: servers, add-ons, the ones to avoid.

Each records its problems in the :class:`~fwpick.catalog.fields.Checker` and
leaves a broken entry out rather than raising, so that ``fwpick validate``
lists every problem at once.
"""

from __future__ import annotations

import re
import string
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
    describe_value,
    list_of,
    one_of,
)
from fwpick.catalog.sections import (
    FEATURE_VALUE,
    FactKinds,
    not_after,
    read_fact,
    read_fact_block,
    read_links,
    read_release_history,
)
from fwpick.text import clean_text

if TYPE_CHECKING:
    from fwpick.catalog.strict_yaml import LineDict

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
    "http2": FEATURE_VALUE,
    "websockets": FEATURE_VALUE,
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


# The names a server's run command may use, filled in for a starter.
COMMAND_FIELDS = ("app", "port", "interface")
_COMMAND = "a command naming {app} and {port} (and {interface} where the server needs it)"


def _as_command(value: Any) -> str:
    """A server's command for an app: ``uvicorn --port {port} {app}``."""
    text = as_nonempty_text(value)
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:  # an unmatched brace
        raise ValueError(str(exc)) from None
    unknown = fields - set(COMMAND_FIELDS)
    if unknown:
        raise ValueError(f"unknown field {{{sorted(unknown)[0]}}}")
    if not {"app", "port"} <= fields:
        raise ValueError("it must name {app} and {port}")
    return text


def read_servers(check: Checker, raw: Any, line: int | None, latest: date | None) -> list[Any]:
    required = ("id", "name", "pypi", "description", "checked", "version", "released")
    servers = []
    for index, entry in enumerate(_section_list(check, raw, line, "servers")):
        _entry_scope(check, entry, index, "servers")
        start = len(check.problems)
        item = check.mapping(
            entry, "", line, (*required, "facts", "links"), ("release_history", "run")
        )
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
        run = None
        if "run" in item:
            run = read_fact(check, item, "run", "", _as_command, _COMMAND, checked, latest)
        if len(check.problems) > start:
            continue
        if facts is None or links is None or version is None or released is None:
            continue
        servers.append(
            model.Server(
                texts[0], texts[1], pypi, description, version, released, facts, links, history, run
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


def attach_servers(
    check: Checker, frameworks: list[Any], entries: list[Any], servers: list[Any]
) -> list[Any]:
    """Give each starter that names a ``server`` that server, its command and its requirement.

    The command is the server's ``run`` for app.py's ``app`` on port 8000, with
    the first interface both the framework and the server speak; the server
    joins the requirements at its catalogued version unless they name it.
    """
    by_id = {server.id: server for server in servers}
    named = {
        entry["id"]: entry["starter"]
        for entry in entries
        # An entry the checks refuse (its id a list, say) has no starter to serve.
        if isinstance(entry, dict)
        and isinstance(entry.get("id"), str)
        and isinstance(entry.get("starter"), dict)
        and "server" in entry["starter"]
    }
    result = []
    for fw in frameworks:
        starter = named.get(fw.id)
        if starter is None or fw.starter is None:
            result.append(fw)
            continue
        check.framework = fw.id
        resolved = _served(check, fw, starter["server"], by_id, starter.line_of("server"))
        result.append(fw if resolved is None else fw._replace(starter=resolved))
    check.framework = None
    return result


def _served(
    check: Checker, fw: model.Framework, ident: Any, by_id: dict[str, Any], line: int | None
) -> model.Starter | None:
    assert fw.starter is not None
    server = by_id.get(ident) if isinstance(ident, str) else None
    if server is None:
        known = ", ".join(by_id) or "none"
        check.problem(
            f"no server {describe_value(ident)} in the servers section (known: {known})",
            line,
            "starter.server",
        )
        return None
    serves: tuple[str, ...] = server.facts["serves"].value
    interfaces: tuple[str, ...] = fw.facts.interface.value  # type: ignore[assignment]
    shared = [kind for kind in interfaces if kind in serves]
    if server.run is None or not shared:
        why = "has no run command" if server.run is None else f"serves {', '.join(serves)} only"
        check.problem(f"server {server.id!r} {why}", line, "starter.server")
        return None
    command = str(server.run.value).format(app="app:app", port=8000, interface=shared[0])
    requirements = fw.starter.requirements
    if not any(_names(req, server.pypi) for req in requirements):
        requirements = (*requirements, f"{server.pypi}>={server.version.value}")
    return fw.starter._replace(server=server, serve=command, requirements=requirements)


def _names(requirement: str, distribution: str) -> bool:
    """Whether a requirement string is for ``distribution`` (names compared as pip does)."""
    name = re.split(r"[\s\[<>=!~;(@]", requirement, maxsplit=1)[0]
    canonical = lambda text: re.sub(r"[-_.]+", "-", text).lower()  # noqa: E731
    return canonical(name) == canonical(distribution)
