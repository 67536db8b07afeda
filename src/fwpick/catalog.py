"""Load a catalogue file and validate it into :mod:`fwpick.model` objects.

Validation collects every problem it can find before giving up, so that
``fwpick validate`` can list them all at once; each problem names the file,
the line, the framework and the field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from fwpick import model
from fwpick.errors import CatalogError, Problem

if TYPE_CHECKING:
    # Imported by load_catalog only: PyYAML costs more to import than the rest
    # of a command, and clean_text or bundled_catalog_path need none of it.
    from fwpick.yamlfile import LineDict

SCHEMA_VERSION = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# C0 and C1 control characters other than tab and newline, plus DEL.  ESC is
# the one that matters: it starts ANSI/OSC sequences that would let a
# catalogue rewrite the user's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def bundled_catalog_path() -> Path:
    """Where the catalogue shipped with fwpick is.

    A built wheel carries it inside the package; an editable install runs from
    the source tree, where it lives in ``data/`` at the repository's top.
    """
    # Not importlib.resources: its import costs milliseconds on every command,
    # and the catalogue must be a real file anyway for the YAML reader.
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "frameworks.yaml"
    if packaged.is_file():
        return packaged
    return here.parents[1] / "data" / "frameworks.yaml"


def load_catalog(path: str | Path | None = None) -> model.Catalog:
    """Read, parse and validate a catalogue; raise :class:`CatalogError` on any problem."""
    from fwpick.textfile import read_bytes

    file = Path(path) if path is not None else bundled_catalog_path()
    return catalog_from_bytes(read_bytes(file), str(file))


def catalog_from_bytes(data: bytes, path: str) -> model.Catalog:
    """Parse and validate a catalogue's bytes; ``path`` is only used in messages."""
    from fwpick.textfile import decode
    from fwpick.yamlfile import parse_yaml

    raw = parse_yaml(decode(data, path), path)
    catalog, problems = validate_document(raw, path)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise CatalogError(f"{path}: invalid catalogue ({count})", tuple(problems))
    assert catalog is not None
    return catalog


def clean_text(text: str) -> str:
    """Drop terminal control characters from untrusted text; keep tabs and newlines."""
    return _CONTROL.sub("", text)


class _Checker:
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
                    _join(field, key),
                )
        for key in required:
            if key not in value:
                self.problem("missing required field", value.line, _join(field, key))
        for duplicate in value.duplicates:
            self.problem(duplicate.message, duplicate.line, _join(field, duplicate.key))
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
                _join(field, key),
            )
            return default


def _join(parent: str, key: str) -> str:
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


# Converters: each returns the clean value or raises ValueError/TypeError with a hint.


def _text(value: Any) -> str:
    if isinstance(value, str):
        return clean_text(value).strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        # What the user wrote: an unquoted 3.10 reads as the number 3.1.
        raise ValueError(f'quote it: "{getattr(value, "source", value)}"')
    raise TypeError("")


def _nonempty_text(value: Any) -> str:
    text = _text(value)
    if not text:
        raise ValueError("it is empty")
    return text


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n"):
        raise ValueError("fwpick reads YAML 1.2 booleans: write true or false")
    raise TypeError("")


def _date(value: Any) -> date:
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


def _text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError("")
    return tuple(_nonempty_text(item) for item in value)


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = _text(value)
        if text not in choices:
            raise ValueError(f"choose one of {', '.join(choices)}")
        return text

    return convert


def _choice_list(choices: tuple[str, ...]) -> Callable[[Any], tuple[str, ...]]:
    def convert(value: Any) -> tuple[str, ...]:
        items = _text_list(value)
        bad = [item for item in items if item not in choices]
        if bad or not items:
            raise ValueError(f"a non-empty list of {', '.join(choices)}")
        return items

    return convert


def _score(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if model.SCORE_MIN <= value <= model.SCORE_MAX:
            return int(value)  # a plain int: the catalogue cache stores only plain values
        raise ValueError(f"out of range {model.SCORE_MIN}-{model.SCORE_MAX}")
    raise TypeError("")


# The value converter of each structured fact, with a phrase for error messages.
_FACT_VALUES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "licence": (_nonempty_text, "text"),
    "requires_python": (_text, "text such as '>=3.9'"),
    "dependencies": (_text_list, "a list of package names"),
    "conditional_dependencies": (_text_list, "a list of 'name; marker' strings"),
    "interface": (_choice_list(model.INTERFACES), "a list"),
    "async_handlers": (_choice(model.ASYNC_SUPPORT), "one of " + ", ".join(model.ASYNC_SUPPORT)),
    "single_file": (_bool, "true or false"),
    "server": (_choice(model.SERVER_KINDS), "one of " + ", ".join(model.SERVER_KINDS)),
    "templating": (_text, "text ('' when none is built in)"),
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
    check = _Checker(path)
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
    checked = check.get(top, "checked", "", _date, "a date (YYYY-MM-DD)")
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
    check: _Checker, entry: Any, index: int, list_line: int | None
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
    ident = check.get(fw, "id", "", _text, "text")
    if ident is not None and not _ID.match(ident):
        check.problem(
            f"{ident!r} is not a valid id: use lower-case letters, digits, '.', '_' or '-'",
            fw.line_of("id"),
            "id",
        )
    checked = check.get(fw, "checked", "", _date, "a date (YYYY-MM-DD)")
    texts = {
        key: check.get(fw, key, "", _nonempty_text, "text")
        for key in ("name", "pypi", "description", "comparison_notes")
    }
    from_seed = check.get(fw, "from_seed", "", _bool, "true or false", default=False)
    version = _fact(check, fw, "version", "", _nonempty_text, "text", checked)
    released = _fact(check, fw, "released", "", _date, "a date (YYYY-MM-DD)", checked)
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
    check: _Checker,
    parent: LineDict,
    key: str,
    field: str,
    convert: Callable[[Any], Any],
    expected: str,
    default_checked: date | None,
) -> Any:
    name = _join(field, key)
    fact = check.mapping(
        parent.get(key), name, parent.line_of(key), ("value", "source"), ("checked", "detail")
    )
    if fact is None or "value" not in fact:
        return None
    value = check.get(fact, "value", name, convert, expected)
    source = check.get(fact, "source", name, _nonempty_text, "text")
    checked = check.get(fact, "checked", name, _date, "a date", default=default_checked)
    detail = check.get(fact, "detail", name, _text, "text", default="")
    return model.Fact(value, source, checked, detail)


def _facts(check: _Checker, raw: Any, line: int | None, checked: date | None) -> model.Facts | None:
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


def _scores(check: _Checker, raw: Any, line: int | None) -> dict[str, model.Score]:
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
        value = check.get(entry, "value", field, _score, "a whole number from 1 to 5")
        rationale = check.get(entry, "rationale", field, _nonempty_text, "text")
        if value is not None and rationale is not None:
            result[name] = model.Score(value, rationale)
    return result


def _links(check: _Checker, raw: Any, line: int | None) -> model.Links | None:
    links = check.mapping(raw, "links", line, ("homepage", "docs", "source"))
    if links is None:
        return None
    urls = {key: check.get(links, key, "links", _url, "an http(s) URL") for key in links}
    if None in urls.values() or len(urls) != 3:
        return None
    return model.Links(**urls)


def _url(value: Any) -> str:
    url = _nonempty_text(value)
    if not url.startswith(("https://", "http://")):
        raise ValueError("it must start with https:// or http://")
    return url


def _starter(check: _Checker, raw: Any, line: int | None) -> model.Starter | None:
    starter = check.mapping(
        raw, "starter", line, ("app", "run", "expect", "requirements"), ("preferred_run",)
    )
    if starter is None:
        return None
    app = check.get(starter, "app", "starter", _nonempty_text, "text")
    run = check.get(starter, "run", "starter", _nonempty_text, "text")
    expect = check.get(starter, "expect", "starter", _nonempty_text, "text")
    requirements = check.get(starter, "requirements", "starter", _text_list, "a list")
    preferred = check.get(starter, "preferred_run", "starter", _text, "text", default="")
    if None in (app, run, expect, requirements):
        return None
    return model.Starter(app + "\n", run, expect, requirements, preferred)


def _records(
    check: _Checker, fw: LineDict, key: str, fields: tuple[str, ...], kind: type
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
        values = [check.get(entry, name, field, _nonempty_text, "text") for name in fields]
        if None not in values:
            records.append(kind(*values))
    return tuple(records)
