"""Load a catalogue file and validate it into :mod:`fwpick.catalog.model` objects.

Validation collects every problem it can find before giving up, so that
``fwpick validate`` can list them all at once; each problem names the file,
the line, the framework and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwpick.catalog import model
from fwpick.catalog.entries import attach_servers, read_addons, read_avoid, read_servers
from fwpick.catalog.fields import (
    Checker,
    as_bool,
    as_date,
    as_dist_name,
    as_nonempty_text,
    as_requirement_list,
    as_score,
    as_specifier_set,
    as_text,
    as_visible_text,
    capped,
    count_problems,
    describe_value,
    list_of,
    one_of,
)
from fwpick.catalog.sections import (
    not_after,
    read_fact,
    read_fact_block,
    read_features,
    read_links,
    read_measured,
    read_measurements,
    read_release_history,
)
from fwpick.catalog.throughput import performance_score
from fwpick.errors import CatalogError, Problem
from fwpick.text import clean_text, identity_key, quote

if TYPE_CHECKING:
    # Imported by load_catalog only: PyYAML costs more to import than the rest
    # of a command, and clean_text or bundled_catalog_path need none of it.
    from fwpick.catalog.strict_yaml import LineDict

SCHEMA_VERSION = 2
# Schema 1 has no features, release history, measurements or other sections.
READABLE_SCHEMAS = (1, 2)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def load_catalog(path: str | Path | None = None) -> model.Catalog:
    """Read, parse and validate a catalogue, without the cache; raise :class:`CatalogError`."""
    from fwpick.catalog import bundled_catalog_path
    from fwpick.textfile import read_bytes

    file = Path(path) if path is not None else bundled_catalog_path()
    return catalog_from_bytes(read_bytes(file), str(file))


def catalog_from_bytes(data: bytes, path: str) -> model.Catalog:
    """Parse and validate a catalogue's bytes; ``path`` is only used in messages.

    The catalogue carries the SHA-256 of ``data``, so a decision record can say
    exactly which catalogue it was made from.
    """
    import hashlib

    from fwpick.catalog.strict_yaml import parse_yaml
    from fwpick.heap import no_collection
    from fwpick.textfile import decode

    # Without the collector: with it, a 10,000-entry file took twice as long.
    with no_collection():
        raw = parse_yaml(decode(data, path), path)
        catalog, problems = validate_document(raw, path)
        del raw  # the parsed tree, freed as a whole before it is frozen
    if problems:
        count = count_problems(len(problems))
        error = CatalogError(f"{path}: invalid catalogue ({count})", capped(problems))
        error.total = len(problems)  # the problems listed are only the first few
        raise error
    assert catalog is not None
    return catalog._replace(digest=hashlib.sha256(data).hexdigest())


# Words that mean "no template engine" but would otherwise read as one's name.
_NO_ENGINE = frozenset(("no", "none", "null", "nil", "false", "off", "n", "~", "n/a", "nothing"))


def _as_templating(value: Any) -> str:
    """The built-in template engine's name, or '' for none.

    An unquoted ``null``, ``~`` or ``false`` is not text, and ``no`` or ``none``
    would be taken for an engine's name: each is refused with the one way to
    write "none", so that it can never count as a template engine.
    """
    hint = "write '' when none is built in"
    if value is None or isinstance(value, bool):
        raise ValueError(hint)
    text = as_text(value)
    if text.casefold() in _NO_ENGINE:
        raise ValueError(f"{hint}; {quote(text)} would read as the name of a template engine")
    return text


# The value converter of each structured fact, with a phrase for error messages.
_FACT_VALUES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "licence": (as_nonempty_text, "text"),
    "requires_python": (as_specifier_set, "a version specifier such as '>=3.9'"),
    "dependencies": (as_requirement_list, "a list of package names"),
    "conditional_dependencies": (as_requirement_list, "a list of 'name; marker' strings"),
    "interface": (list_of(model.INTERFACES), "a list"),
    "async_handlers": (one_of(model.ASYNC_SUPPORT), "one of " + ", ".join(model.ASYNC_SUPPORT)),
    "single_file": (as_bool, "true or false"),
    "server": (one_of(model.SERVER_KINDS), "one of " + ", ".join(model.SERVER_KINDS)),
    "templating": (_as_templating, "text ('' when none is built in)"),
}

_FRAMEWORK_REQUIRED = (
    "id",
    "name",
    "pypi",
    "description",
    "comparison_notes",
    "checked",
    "version",
    "released",
    "facts",
    "scores",
    "links",
)
_FRAMEWORK_OPTIONAL = (
    "from_seed",
    "seed_claims",
    "starter",
    "other_releases",
    "features",
    "release_history",
    "measured",
)
_TOP_OPTIONAL = ("measurements", "addons", "servers", "avoid")


def validate_document(raw: Any, path: str) -> tuple[model.Catalog | None, list[Problem]]:
    """Validate a parsed YAML document; return the catalogue (if valid) and every problem."""
    check = Checker(path)
    top = check.mapping(raw, "", 1, ("schema_version", "checked", "frameworks"), _TOP_OPTIONAL)
    if top is None:
        check.problems[-1] = Problem(
            path,
            f"the top level must be a mapping with schema_version, checked and frameworks;"
            f" found {describe_value(raw)}",
            1,
        )
        return None, check.problems
    version = check.get(top, "schema_version", "", _score_version, "a whole number")
    if version is not None and version not in READABLE_SCHEMAS:
        readable = " and ".join(map(str, READABLE_SCHEMAS))
        check.problem(
            f"unsupported schema_version {version}; this fwpick reads {readable}",
            top.line_of("schema_version"),
            "schema_version",
        )
    checked = check.get(top, "checked", "", as_date, "a date (YYYY-MM-DD)")
    entries = top.get("frameworks")
    frameworks: list[model.Framework] = []
    if "frameworks" in top and (not isinstance(entries, list) or not entries):
        check.problem(
            f"expected a non-empty list of frameworks, got {describe_value(entries)}",
            top.line_of("frameworks"),
            "frameworks",
        )
    elif isinstance(entries, list):
        seen: dict[str, list[tuple[str, str, int | None]]] = {}
        for index, entry in enumerate(entries):
            fw = _framework(check, entry, index, top.line_of("frameworks"), checked)
            if fw is None:
                continue
            if not _check_unique(check, fw, entry, seen):
                frameworks.append(fw)
    measurements = None
    if "measurements" in top:
        line = top.line_of("measurements")
        measurements = read_measurements(check, top["measurements"], line)
    addons = read_addons(check, top.get("addons"), top.line_of("addons"), checked)
    servers = read_servers(check, top.get("servers"), top.line_of("servers"), checked)
    avoid = read_avoid(check, top.get("avoid"), top.line_of("avoid"), checked)
    if isinstance(entries, list):
        frameworks = attach_servers(check, frameworks, entries, servers)
    if check.problems:
        return None, check.problems
    catalog = model.Catalog(
        version,
        checked,
        tuple(frameworks),
        path,
        servers=tuple(servers),
        addons=tuple(addons),
        avoid=tuple(avoid),
        measurements=measurements,
    )
    return catalog, []


def _check_unique(
    check: Checker,
    fw: model.Framework,
    entry: LineDict,
    seen: dict[str, list[tuple[str, str, int | None]]],
) -> bool:
    """Report each of ``fw``'s id, name and PyPI name already used by an earlier framework.

    They share one namespace, since ``fwpick show NAME`` accepts any of the
    three, and they are compared as a reader sees them: ignoring case,
    invisible characters and compatibility forms (full-width letters are the plain ones).
    PyPI names also ignore the difference between '-', '_' and '.'.
    """
    values = {"id": fw.id, "name": fw.name, "pypi": fw.pypi}
    keys = {
        field: identity_key(re.sub(r"[-_.]+", "-", value) if field != "name" else value)
        for field, value in values.items()
    }
    check.framework = fw.id
    clashed = False
    for field, key in keys.items():
        if key not in seen:
            continue
        clashed = True
        users = seen[key]
        other, other_field, other_line = next((u for u in users if u[1] == field), users[0])
        words = {"id": "id", "name": "name", "pypi": "PyPI name"}
        if field == other_field == "id":
            used = "is already used by another framework"
        elif field == other_field:
            used = f"is already used by framework {other!r}"
        else:
            used = f"is already the {words[other_field]} of framework {other!r}"
        check.problem(
            f"the {words[field]} {quote(values[field])} {used} (line {other_line})",
            entry.line_of(field),
            field,
        )
    for field, key in keys.items():
        seen.setdefault(key, []).append((fw.id, field, entry.line_of(field)))
    return clashed


def _score_version(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise TypeError("")


def _framework(
    check: Checker, entry: Any, index: int, list_line: int | None, latest: date | None
) -> model.Framework | None:
    check.framework = None
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        check.framework = clean_text(entry["id"])[:60] or f"#{index + 1}"
    else:
        check.framework = f"#{index + 1}"
    start = len(check.problems)
    fw = check.mapping(entry, "", list_line, _FRAMEWORK_REQUIRED, _FRAMEWORK_OPTIONAL)
    if fw is None:
        return None
    ident = check.get(fw, "id", "", _as_id, "text")
    checked = check.get(fw, "checked", "", as_date, "a date (YYYY-MM-DD)")
    not_after(check, checked, latest, "the catalogue's", fw.line_of("checked"), "checked")
    texts = {
        key: check.get(fw, key, "", as_nonempty_text, "text")
        for key in ("name", "description", "comparison_notes")
    }
    texts["pypi"] = check.get(fw, "pypi", "", as_dist_name, "a PyPI name")
    from_seed = check.get(fw, "from_seed", "", as_bool, "true or false", default=False)
    version = read_fact(check, fw, "version", "", as_nonempty_text, "text", checked, latest)
    released = read_fact(check, fw, "released", "", as_date, "a date (YYYY-MM-DD)", checked, latest)
    if released is not None and isinstance(fw.get("released"), dict):
        line = fw["released"].line_of("value")
        not_after(check, released.value, checked, "the framework's", line, "released.value")
    facts = _facts(check, fw.get("facts"), fw.line_of("facts"), checked, latest)
    scores = _scores(check, fw.get("scores"), fw.line_of("scores"))
    links = read_links(check, fw.get("links"), fw.line_of("links"))
    starter = _starter(check, fw["starter"], fw.line_of("starter")) if "starter" in fw else None
    claims = _records(check, fw, "seed_claims", ("claim", "current"), model.SeedClaim)
    others = _records(
        check,
        fw,
        "other_releases",
        ("version", "requires_python", "note"),
        model.OtherRelease,
        {"requires_python": as_specifier_set},
    )
    features = history = measured = None
    if "features" in fw:
        line = fw.line_of("features")
        features = read_features(check, fw["features"], line, checked, latest)
    if "release_history" in fw:
        line = fw.line_of("release_history")
        history = read_release_history(check, fw["release_history"], line, checked, latest)
    if "measured" in fw:
        measured = read_measured(check, fw["measured"], fw.line_of("measured"), checked, latest)
        if measured is not None and "performance" not in scores:
            derived = performance_score(measured)
            if derived is not None:
                scores = {**scores, "performance": derived}
    if len(check.problems) > start or facts is None or links is None:
        return None
    return model.Framework(
        id=ident,
        name=texts["name"],
        pypi=texts["pypi"],
        description=texts["description"],
        comparison_notes=texts["comparison_notes"],
        from_seed=from_seed,
        version=version,
        released=released,
        facts=facts,
        scores=scores,
        links=links,
        starter=starter,
        seed_claims=claims,
        other_releases=others,
        line=fw.line,
        features=features,
        release_history=history,
        measured=measured,
    )


def _as_id(value: Any) -> str:
    ident = as_visible_text(value)
    if not _ID.fullmatch(ident):
        raise ValueError("not a valid id: use lower-case letters, digits, '.', '_' or '-'")
    return ident


def _facts(
    check: Checker, raw: Any, line: int | None, checked: date | None, latest: date | None
) -> model.Facts | None:
    values = read_fact_block(check, raw, "facts", line, _FACT_VALUES, checked, latest)
    return None if values is None else model.Facts(**values)


def _scores(check: Checker, raw: Any, line: int | None) -> dict[str, model.Score]:
    # performance may be left out: it is derived from measured throughput.
    scores = check.mapping(raw, "scores", line, model.SCORE_NAMES[:3], model.SCORE_NAMES[3:])
    result: dict[str, model.Score] = {}
    if scores is None:
        return result
    for name in model.SCORE_NAMES:
        field = f"scores.{name}"
        entry = (
            check.mapping(scores.get(name), field, scores.line_of(name), ("value", "rationale"))
            if name in scores
            else None
        )
        if entry is None:
            continue
        value = check.get(entry, "value", field, as_score, "a whole number from 1 to 5")
        rationale = check.get(entry, "rationale", field, as_nonempty_text, "text")
        if value is not None and rationale is not None:
            result[name] = model.Score(value, rationale)
    return result


def _starter(check: Checker, raw: Any, line: int | None) -> model.Starter | None:
    # server is resolved once the servers section is read (entries.attach_servers).
    starter = check.mapping(
        raw, "starter", line, ("app", "run", "expect", "requirements"), ("preferred_run", "server")
    )
    if starter is None:
        return None
    app = check.get(starter, "app", "starter", as_nonempty_text, "text")
    run = check.get(starter, "run", "starter", as_nonempty_text, "text")
    expect = check.get(starter, "expect", "starter", as_nonempty_text, "text")
    requirements = check.get(
        starter, "requirements", "starter", as_requirement_list, "a list of requirements"
    )
    preferred = check.get(starter, "preferred_run", "starter", as_text, "text", default="")
    if None in (app, run, expect, requirements):
        return None
    return model.Starter(app + "\n", run, expect, requirements, preferred)


def _records(
    check: Checker,
    fw: LineDict,
    key: str,
    fields: tuple[str, ...],
    kind: type,
    converters: dict[str, Callable[[Any], Any]] | None = None,
) -> tuple[Any, ...]:
    if key not in fw:
        return ()
    items = fw[key]
    if not isinstance(items, list):
        check.problem(f"expected a list, got {describe_value(items)}", fw.line_of(key), key)
        return ()
    records = []
    for number, item in enumerate(items, 1):
        field = f"{key}[{number}]"
        entry = check.mapping(item, field, fw.line_of(key), fields)
        if entry is None:
            continue
        values = [
            check.get(entry, name, field, (converters or {}).get(name, as_nonempty_text), "text")
            for name in fields
        ]
        if None not in values:
            records.append(kind(*values))
    return tuple(records)
