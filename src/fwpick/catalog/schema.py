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
from fwpick.catalog.fields import (
    Checker,
    as_bool,
    as_date,
    as_nonempty_text,
    as_score,
    as_text,
    as_text_list,
    as_url,
    clean_text,
    describe_value,
    join_field,
    list_of,
    one_of,
)
from fwpick.errors import CatalogError, Problem

if TYPE_CHECKING:
    # Imported by load_catalog only: PyYAML costs more to import than the rest
    # of a command, and clean_text or bundled_catalog_path need none of it.
    from fwpick.catalog.strict_yaml import LineDict

SCHEMA_VERSION = 1
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
    from fwpick.textfile import decode

    raw = parse_yaml(decode(data, path), path)
    catalog, problems = validate_document(raw, path)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise CatalogError(f"{path}: invalid catalogue ({count})", tuple(problems))
    assert catalog is not None
    return catalog._replace(digest=hashlib.sha256(data).hexdigest())


# The value converter of each structured fact, with a phrase for error messages.
_FACT_VALUES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "licence": (as_nonempty_text, "text"),
    "requires_python": (as_text, "text such as '>=3.9'"),
    "dependencies": (as_text_list, "a list of package names"),
    "conditional_dependencies": (as_text_list, "a list of 'name; marker' strings"),
    "interface": (list_of(model.INTERFACES), "a list"),
    "async_handlers": (one_of(model.ASYNC_SUPPORT), "one of " + ", ".join(model.ASYNC_SUPPORT)),
    "single_file": (as_bool, "true or false"),
    "server": (one_of(model.SERVER_KINDS), "one of " + ", ".join(model.SERVER_KINDS)),
    "templating": (as_text, "text ('' when none is built in)"),
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
_FRAMEWORK_OPTIONAL = ("from_seed", "seed_claims", "starter", "other_releases")


def validate_document(raw: Any, path: str) -> tuple[model.Catalog | None, list[Problem]]:
    """Validate a parsed YAML document; return the catalogue (if valid) and every problem."""
    check = Checker(path)
    top = check.mapping(raw, "", 1, ("schema_version", "checked", "frameworks"))
    if top is None:
        check.problems[-1] = Problem(
            path,
            f"the top level must be a mapping with schema_version, checked and frameworks;"
            f" found {describe_value(raw)}",
            1,
        )
        return None, check.problems
    version = check.get(top, "schema_version", "", _score_version, "a whole number")
    if version is not None and version != SCHEMA_VERSION:
        check.problem(
            f"unsupported schema_version {version}; this fwpick reads {SCHEMA_VERSION}",
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
        seen: dict[str, int | None] = {}
        for index, entry in enumerate(entries):
            fw = _framework(check, entry, index, top.line_of("frameworks"))
            if fw is None:
                continue
            for key in {fw.id, fw.pypi.casefold(), fw.name.casefold()}:
                if key in seen:
                    check.framework = fw.id
                    check.problem(
                        f"duplicate framework {key!r} (first at line {seen[key]})", fw.line, "id"
                    )
                    break
            else:
                seen.update(dict.fromkeys({fw.id, fw.pypi.casefold(), fw.name.casefold()}, fw.line))
                frameworks.append(fw)
    if check.problems:
        return None, check.problems
    return model.Catalog(version, checked, tuple(frameworks), path), []


def _score_version(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise TypeError("")


def _framework(
    check: Checker, entry: Any, index: int, list_line: int | None
) -> model.Framework | None:
    check.framework = None
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        check.framework = clean_text(entry["id"])
    else:
        check.framework = f"#{index + 1}"
    start = len(check.problems)
    fw = check.mapping(entry, "", list_line, _FRAMEWORK_REQUIRED, _FRAMEWORK_OPTIONAL)
    if fw is None:
        return None
    ident = check.get(fw, "id", "", as_text, "text")
    if ident is not None and not _ID.match(ident):
        check.problem(
            f"{ident!r} is not a valid id: use lower-case letters, digits, '.', '_' or '-'",
            fw.line_of("id"),
            "id",
        )
    checked = check.get(fw, "checked", "", as_date, "a date (YYYY-MM-DD)")
    texts = {
        key: check.get(fw, key, "", as_nonempty_text, "text")
        for key in ("name", "pypi", "description", "comparison_notes")
    }
    from_seed = check.get(fw, "from_seed", "", as_bool, "true or false", default=False)
    version = _fact(check, fw, "version", "", as_nonempty_text, "text", checked)
    released = _fact(check, fw, "released", "", as_date, "a date (YYYY-MM-DD)", checked)
    facts = _facts(check, fw.get("facts"), fw.line_of("facts"), checked)
    scores = _scores(check, fw.get("scores"), fw.line_of("scores"))
    links = _links(check, fw.get("links"), fw.line_of("links"))
    starter = _starter(check, fw["starter"], fw.line_of("starter")) if "starter" in fw else None
    claims = _records(check, fw, "seed_claims", ("claim", "current"), model.SeedClaim)
    others = _records(
        check, fw, "other_releases", ("version", "requires_python", "note"), model.OtherRelease
    )
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
    )


def _fact(
    check: Checker,
    parent: LineDict,
    key: str,
    field: str,
    convert: Callable[[Any], Any],
    expected: str,
    default_checked: date | None,
) -> Any:
    name = join_field(field, key)
    fact = check.mapping(
        parent.get(key), name, parent.line_of(key), ("value", "source"), ("checked", "detail")
    )
    if fact is None or "value" not in fact:
        return None
    value = check.get(fact, "value", name, convert, expected)
    source = check.get(fact, "source", name, as_nonempty_text, "text")
    checked = check.get(fact, "checked", name, as_date, "a date", default=default_checked)
    detail = check.get(fact, "detail", name, as_text, "text", default="")
    return model.Fact(value, source, checked, detail)


def _facts(check: Checker, raw: Any, line: int | None, checked: date | None) -> model.Facts | None:
    facts = check.mapping(raw, "facts", line, tuple(_FACT_VALUES))
    if facts is None:
        return None
    values = {
        key: _fact(check, facts, key, "facts", convert, expected, checked)
        for key, (convert, expected) in _FACT_VALUES.items()
        if key in facts
    }
    if len(values) != len(_FACT_VALUES):
        return None
    return model.Facts(**values)


def _scores(check: Checker, raw: Any, line: int | None) -> dict[str, model.Score]:
    scores = check.mapping(raw, "scores", line, model.SCORE_NAMES)
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


def _links(check: Checker, raw: Any, line: int | None) -> model.Links | None:
    links = check.mapping(raw, "links", line, ("homepage", "docs", "source"))
    if links is None:
        return None
    urls = {key: check.get(links, key, "links", as_url, "an http(s) URL") for key in links}
    if None in urls.values() or len(urls) != 3:
        return None
    return model.Links(**urls)


def _starter(check: Checker, raw: Any, line: int | None) -> model.Starter | None:
    starter = check.mapping(
        raw, "starter", line, ("app", "run", "expect", "requirements"), ("preferred_run",)
    )
    if starter is None:
        return None
    app = check.get(starter, "app", "starter", as_nonempty_text, "text")
    run = check.get(starter, "run", "starter", as_nonempty_text, "text")
    expect = check.get(starter, "expect", "starter", as_nonempty_text, "text")
    requirements = check.get(starter, "requirements", "starter", as_text_list, "a list")
    preferred = check.get(starter, "preferred_run", "starter", as_text, "text", default="")
    if None in (app, run, expect, requirements):
        return None
    return model.Starter(app + "\n", run, expect, requirements, preferred)


def _records(
    check: Checker, fw: LineDict, key: str, fields: tuple[str, ...], kind: type
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
        values = [check.get(entry, name, field, as_nonempty_text, "text") for name in fields]
        if None not in values:
            records.append(kind(*values))
    return tuple(records)
