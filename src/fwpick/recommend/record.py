"""The machine-readable block of a decision record, which ``fwpick review`` re-checks.

``recommend --report`` ends the record's "More Information" section with one
block holding what the ranking was made from and what it gave: the answers by
question id, the Python version, the catalogue's SHA-256, check date and path,
the date, and per framework its rank, release line, score and every
criterion's points and evidence.  This module writes that block and reads it
back; it neither reads files nor prints.

The block is an HTML comment holding JSON, not a fenced code block: Markdown
renderers (GitHub, MkDocs, log4brains) show nothing of a comment, so the
record reads the same to people, and MADR's own templates keep their guidance
in comments, so the file stays a plain MADR document.  Every ``<`` and ``>``
in the JSON is written as a ``\\u`` escape, so no catalogue text can close
the comment early, and every other character beyond ASCII is escaped too, so
that no control or invisible character reaches the file.

The reader looks only for the block's own first line, outside fenced code,
and for the ``-->`` line that closes it: a team may edit the record around it
(set the status, add sections, reword the outcome) and review still finds it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple, NoReturn

from fwpick import __version__
from fwpick.errors import RecordError
from fwpick.recommend.ranking import Ranking
from fwpick.text import clean_text

# Bumped when a key changes meaning or goes; keys are only ever added within a format.
FORMAT = 1
START = "<!-- fwpick:record"
END = "-->"
_INTRO = (
    f"{START} (fwpick review reads this block to re-check the decision:"
    " edit the record around it, not inside it)"
)


class RecordedCriterion(NamedTuple):
    """What one criterion added to a framework's score when the record was written."""

    label: str
    weight: int
    points: float
    evidence: str


class RecordedEntry(NamedTuple):
    """One framework as the recorded ranking placed it."""

    rank: int
    id: str
    name: str
    version: str  # the release line ranked
    score: float
    criteria: dict[str, RecordedCriterion]  # criterion (question id) -> contribution


class RecordedExclusion(NamedTuple):
    id: str
    name: str
    version: str
    reason: str


class RecordedCatalog(NamedTuple):
    sha256: str
    checked: date
    path: str | None  # as the record shows it; None for the catalogue bundled with fwpick
    schema_version: int


class Recorded(NamedTuple):
    """A decision record's block, read back."""

    path: str  # the record file
    line: int  # the line the block starts on
    fwpick: str  # the version of fwpick that wrote it
    date: date
    answers: dict[str, str]  # question id -> answer, as recorded (questions may have changed)
    python: tuple[int, int] | None  # None: every release was ranked (--python any)
    python_recorded: bool  # False when the block does not say which Python it was ranked for
    catalog: RecordedCatalog
    max_score: float
    entries: tuple[RecordedEntry, ...]
    excluded: tuple[RecordedExclusion, ...]
    leader: str | None
    close_call: bool
    contenders: tuple[str, ...]

    def entry(self, framework_id: str) -> RecordedEntry | None:
        return next((e for e in self.entries if e.id == framework_id), None)


# --- writing -----------------------------------------------------------------------


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    # "<" and ">" occur only inside JSON strings, where the escapes mean the same.
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def record_block(ranking: Ranking, today: date, catalog_path: str | None) -> list[str]:
    """The block's lines for ``ranking``, written ``today``.

    ``catalog_path`` is the catalogue as the record names it (None for the
    bundled one).  One key, and one framework, per line: a damaged block is
    reported at its line, and a diff of two records reads line by line.
    """
    catalog = ranking.catalog
    leader = ranking.leader
    head: dict[str, Any] = {
        "fwpick_record": FORMAT,
        "fwpick": __version__,
        "date": today.isoformat(),
        "answers": ranking.answers.as_dict(),
        "python": None if ranking.python is None else "{}.{}".format(*ranking.python),
        "catalog": {
            "sha256": catalog.digest,
            "checked": catalog.checked.isoformat(),
            "path": catalog_path,
            "schema_version": catalog.schema_version,
        },
        "max_score": ranking.max_score,
        "leader": leader.framework.id if leader else None,
        "close_call": ranking.close_call,
        "contenders": [e.framework.id for e in ranking.contenders()] if ranking.close_call else [],
    }
    ranked = [
        {
            "rank": e.rank,
            "id": e.framework.id,
            "name": e.framework.name,
            "version": e.release.version,
            "score": e.score,
            "criteria": {
                c.criterion: {
                    "label": c.label,
                    "weight": c.weight,
                    "points": c.points,
                    "evidence": c.evidence,
                }
                for c in e.contributions
            },
        }
        for e in ranking.entries
    ]
    excluded = [
        {
            "id": x.framework.id,
            "name": x.framework.name,
            "version": str(x.framework.version.value),
            "reason": x.reason,
        }
        for x in ranking.excluded
    ]
    lines = [_INTRO, "{"]
    lines += [f"{_json(key)}: {_json(value)}," for key, value in head.items()]
    for key, rows, last in (("ranking", ranked, False), ("excluded", excluded, True)):
        lines.append(f"{_json(key)}: [")
        lines += [_json(row) + ("," if i < len(rows) - 1 else "") for i, row in enumerate(rows)]
        lines.append("]" if last else "],")
    lines += ["}", END]
    return lines


# --- reading -----------------------------------------------------------------------

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def find_block(text: str, path: str) -> tuple[int, list[str]]:
    """The line the block starts on (1-based) and the JSON lines inside it.

    Lines inside fenced code are skipped, so a record that quotes a block as
    an example is not misread.  No block, two blocks, or one never closed is
    a :class:`RecordError` naming the file and line.
    """
    lines = text.splitlines()
    fence = ""
    starts: list[int] = []
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            closes = opened and opened[1][0] == fence[0] and len(opened[1]) >= len(fence)
            if closes and opened and not line[opened.end() :].strip():
                fence = ""
            continue
        if opened:
            fence = opened[1]
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent <= 3 and line.lstrip(" ").startswith(START):
            starts.append(index)
    if not starts:
        raise RecordError(
            f"{path}: no fwpick block: this is not a decision record written by"
            " fwpick recommend --report, or its block was removed"
            f" (it starts with a line {START!r})"
        )
    if len(starts) > 1:
        where = ", ".join(str(i + 1) for i in starts)
        raise RecordError(
            f"{path}:{starts[1] + 1}: a second fwpick block (they start on lines {where});"
            " a record holds one, so keep the one for its decision"
        )
    start = starts[0]
    for index in range(start + 1, len(lines)):
        if lines[index].strip() == END:
            return start + 1, lines[start + 1 : index]
    raise RecordError(
        f"{path}:{start + 1}: the fwpick block is damaged: it is never closed by a line {END!r}"
    )


class _Reader:
    """Checks the block's JSON, naming the line of each problem where it can."""

    def __init__(self, path: str, start: int, lines: list[str]) -> None:
        self.path = path
        self.start = start  # the block's first line; its JSON begins on the next
        self.lines = lines

    def line_of(self, key: str, item: int | None = None) -> int:
        """The line a top-level key (or the item-th row of a list under it) is on."""
        # A block laid out by hand (one line, or indented) falls back to the key's
        # line or the block's first line; the message still names the key.
        for index, line in enumerate(self.lines):
            if line.lstrip().lstrip("{").startswith(f'"{key}":'):
                row = index if item is None else index + 1 + item
                return self.start + 1 + (row if row < len(self.lines) else index)
        return self.start

    def fail(self, message: str, line: int | None = None) -> NoReturn:
        where = self.start if line is None else line
        raise RecordError(f"{self.path}:{where}: the fwpick block is damaged: {message}")

    def get(self, data: dict[str, Any], key: str, kind: str, line: int, of: str = "") -> Any:
        """``data[key]``, checked to be of ``kind`` (one of :data:`_KINDS`)."""
        name = f"{of}{_shown(key)}"
        if key not in data:
            self.fail(f"{name} is missing", line)
        value = data[key]
        check, wanted = _KINDS[kind]
        if not check(value):
            self.fail(f"{name} must be {wanted}, not {_shown(value)}", line)
        if kind == "date":
            return _date(value)
        # The file is the user's, edited by hand: its text is cleaned as the
        # catalogue's is when read, so the two compare alike and print safely.
        return clean_text(value) if isinstance(value, str) else value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# What the block's values may be: a check, and how a message names it.
_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "text"),
    "int": (lambda v: _is_number(v) and isinstance(v, int), "a whole number"),
    "number": (_is_number, "a number"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "list": (lambda v: isinstance(v, list), "a list"),
    "object": (lambda v: isinstance(v, dict), "an object"),
    "date": (lambda v: isinstance(v, str) and _date(v) is not None, "a date (YYYY-MM-DD)"),
    "str or null": (lambda v: v is None or isinstance(v, str), "text or null"),
}


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


def read_record(text: str, path: str) -> Recorded:
    """The block of the decision record ``text`` (read from ``path``), checked."""
    start, lines = find_block(text, path)
    reader = _Reader(path, start, lines)
    try:
        data = json.loads("\n".join(lines))
    except json.JSONDecodeError as exc:
        reader.fail(f"not valid JSON ({exc.msg})", start + exc.lineno)
    except ValueError:  # an integer of more digits than Python converts
        reader.fail("a number in it has too many digits to read")
    except RecursionError:
        reader.fail("nested too deeply to be a record")
    if not isinstance(data, dict):
        reader.fail(f"expected a JSON object, found {_shown(data)}")
    return _recorded(reader, data)


def _recorded(r: _Reader, data: dict[str, Any]) -> Recorded:
    version = r.get(data, "fwpick_record", "int", r.line_of("fwpick_record"))
    if version > FORMAT:
        raise RecordError(
            f"{r.path}:{r.line_of('fwpick_record')}: the fwpick block is in record format"
            f" {version}, written by a newer fwpick; this one reads format {FORMAT}: upgrade fwpick"
        )
    if version < 1:
        r.fail(f"'fwpick_record' {version} is not a record format", r.line_of("fwpick_record"))
    answers_line = r.line_of("answers")
    answers = r.get(data, "answers", "object", answers_line)
    for qid, answer in answers.items():
        if not isinstance(answer, str):
            r.fail(f"the answer to {_shown(qid)} must be text, not {_shown(answer)}", answers_line)
    python, python_recorded = None, "python" in data
    if python_recorded:
        line = r.line_of("python")
        given = r.get(data, "python", "str or null", line)
        if given is not None:
            found = re.fullmatch(r"(\d)\.(\d{1,2})", given)
            if found is None:
                r.fail(f"'python' must be a version such as \"3.11\", not {_shown(given)}", line)
            python = (int(found[1]), int(found[2]))
    line = r.line_of("catalog")
    cat = r.get(data, "catalog", "object", line)
    catalog = RecordedCatalog(
        r.get(cat, "sha256", "str", line, "catalog "),
        r.get(cat, "checked", "date", line, "catalog "),
        r.get(cat, "path", "str or null", line, "catalog "),
        r.get(cat, "schema_version", "int", line, "catalog "),
    )
    entries = tuple(
        _entry(r, row, r.line_of("ranking", i))
        for i, row in enumerate(r.get(data, "ranking", "list", r.line_of("ranking")))
    )
    excluded = tuple(
        _exclusion(r, row, r.line_of("excluded", i))
        for i, row in enumerate(r.get(data, "excluded", "list", r.line_of("excluded")))
    )
    leader = r.get(data, "leader", "str or null", r.line_of("leader"))
    if leader is not None and leader not in {e.id for e in entries}:
        r.fail(f"the leader {_shown(leader)} is not in its ranking", r.line_of("leader"))
    contenders = r.get(data, "contenders", "list", r.line_of("contenders"))
    if not all(isinstance(c, str) for c in contenders):
        r.fail("'contenders' must be a list of framework ids", r.line_of("contenders"))
    return Recorded(
        path=r.path,
        line=r.start,
        fwpick=r.get(data, "fwpick", "str", r.line_of("fwpick")),
        date=r.get(data, "date", "date", r.line_of("date")),
        answers={clean_text(q): clean_text(a) for q, a in answers.items()},
        python=python,
        python_recorded=python_recorded,
        catalog=catalog,
        max_score=float(r.get(data, "max_score", "number", r.line_of("max_score"))),
        entries=entries,
        excluded=excluded,
        leader=leader,
        close_call=r.get(data, "close_call", "bool", r.line_of("close_call")),
        contenders=tuple(clean_text(c) for c in contenders),
    )


def _entry(r: _Reader, row: Any, line: int) -> RecordedEntry:
    if not isinstance(row, dict):
        r.fail(f"a ranked framework must be an object, not {_shown(row)}", line)
    named = isinstance(row.get("id"), str)
    of = f"framework {_shown(row['id'])}: " if named else "a framework's "
    criteria: dict[str, RecordedCriterion] = {}
    for raw, found in r.get(row, "criteria", "object", line, of).items():
        criterion = clean_text(raw)
        if not isinstance(found, dict):
            r.fail(f"{of}criterion {criterion!r} must be an object, not {_shown(found)}", line)
        where = f"{of}criterion {criterion!r}: "
        criteria[criterion] = RecordedCriterion(
            r.get(found, "label", "str", line, where),
            r.get(found, "weight", "int", line, where),
            float(r.get(found, "points", "number", line, where)),
            r.get(found, "evidence", "str", line, where),
        )
    return RecordedEntry(
        r.get(row, "rank", "int", line, of),
        r.get(row, "id", "str", line, of),
        r.get(row, "name", "str", line, of),
        r.get(row, "version", "str", line, of),
        float(r.get(row, "score", "number", line, of)),
        criteria,
    )


def _exclusion(r: _Reader, row: Any, line: int) -> RecordedExclusion:
    if not isinstance(row, dict):
        r.fail(f"an excluded framework must be an object, not {_shown(row)}", line)
    named = isinstance(row.get("id"), str)
    of = f"excluded {_shown(row['id'])}: " if named else "an exclusion's "
    return RecordedExclusion(
        r.get(row, "id", "str", line, of),
        r.get(row, "name", "str", line, of),
        r.get(row, "version", "str", line, of),
        r.get(row, "reason", "str", line, of),
    )
