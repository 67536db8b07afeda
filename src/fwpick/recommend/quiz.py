"""The recommend quiz as data: the questions, the answers, and reading answers from flags or a file.

The interactive asker, the command-line flags and the ``--answers`` file all
fill the same :class:`Answers`, so the scoring never knows where an answer
came from.  Nothing here prints or prompts.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from fwpick.errors import FwpickError, Problem, UsageError
from fwpick.features import FEATURES

NEED = ("required", "preferred", "indifferent")
LEVEL = ("high", "medium", "low")
KIND = ("api", "website", "both")
CORE = ("small", "batteries", "either")
# A need, or "no": I will write plain sync code.
ASYNC = ("required", "preferred", "indifferent", "no")
# One capability that must come built in, or none.  Each is a feature the
# catalogue records (and tests/verify checks) for every framework.
MUST_HAVE = ("none", *FEATURES)

# What each answer weighs.  A need answered "required" is also a hard
# constraint.  "low" weighs nothing, so that a user who does not care about
# documentation or community can get a framework that is weak on them.
NEED_WEIGHTS = {"required": 3, "preferred": 2, "indifferent": 0}
LEVEL_WEIGHTS = {"high": 3, "medium": 1, "low": 0}


# A need's yes and no: yes is a hard constraint, no means it does not matter.
_YES_NO = {"yes": "required", "y": "required", "no": "indifferent", "n": "indifferent"}


class Question(NamedTuple):
    """One question of the quiz.

    ``choices`` are in the order they are offered.  ``scale`` lists the same
    choices from "matters least" to "matters most"; the distance between two
    answers on it is how big a change to the answers is.  ``weights`` is what
    each answer gives its criterion.  ``topic`` names the subject in sentences
    such as "If documentation mattered less, ...".
    """

    id: str
    flag: str
    prompt: str
    choices: tuple[str, ...]
    default: str
    scale: tuple[str, ...]
    topic: str
    weights: dict[str, int]
    hard: tuple[str, ...] = ()
    nominal: bool = False
    metavar: str = ""  # what --help calls the answer, where the choices are too many to list

    def steps(self, a: str, b: str) -> int:
        """How far apart two answers are on the question's scale."""
        if self.nominal:
            return int(a != b)
        return abs(self.scale.index(a) - self.scale.index(b))

    def match(self, raw: str, allow_prefix: bool = True) -> str | None:
        """The choice ``raw`` names, else None.

        Any case, and a unique prefix ("req" for required).  Where the question
        reads as yes/no, a need maps ``yes`` to required (a hard constraint) and
        ``no`` to indifferent, unless "no" is a choice of its own.
        """
        # "background-tasks" names the choice background_tasks.
        wanted = raw.strip().casefold().replace("-", "_")
        if wanted in self.choices:
            return wanted
        if "required" in self.choices and wanted in _YES_NO:
            meaning = _YES_NO[wanted]
            return wanted if wanted in self.choices else meaning
        if allow_prefix and wanted:
            found = [c for c in self.choices if c.startswith(wanted)]
            if len(found) == 1:
                return found[0]
        return None

    def yes_no_meaning(self, raw: str) -> str:
        """What a yes or no stands for here, said back to the user ("" when not a yes/no)."""
        wanted = raw.strip().casefold()
        if "required" not in self.choices or wanted not in _YES_NO or wanted in self.choices:
            return ""
        return _YES_NO[wanted]

    def usage(self) -> str:
        """E.g. ``--docs high|medium|low``."""
        return f"{self.flag} {'|'.join(self.choices)}"


QUESTIONS: tuple[Question, ...] = (
    Question(
        "kind",
        "--kind",
        "Are you building an API service, a website (HTML pages), or both?",
        KIND,
        "both",
        ("both", "api", "website"),
        "what you are building",
        {"api": 3, "website": 3, "both": 2},
    ),
    Question(
        "core",
        "--core",
        "Do you want a small core you add to, or batteries included?",
        CORE,
        "either",
        ("either", "small", "batteries"),
        "the size of the core",
        {"small": 3, "batteries": 3, "either": 0},
    ),
    Question(
        "must_have",
        "--must-have",
        "Is there one capability that must come built in (not a third-party add-on)?",
        MUST_HAVE,
        "none",
        MUST_HAVE,
        "a capability built in",
        {"none": 0, **dict.fromkeys(FEATURES, 3)},
        hard=FEATURES,
        nominal=True,
        metavar="FEATURE",
    ),
    Question(
        "async",
        "--async",
        "Do you need native async (async/await handlers), or will you write plain sync code (no)?",
        ASYNC,
        "indifferent",
        ("no", "indifferent", "preferred", "required"),
        "native async",
        # "No" (plain sync code only) weighs what "required" does: a team
        # that writes no async code needs a framework built for sync handlers
        # as much as one that requires async needs async.
        {**NEED_WEIGHTS, "no": 3},
        hard=("required",),
    ),
    Question(
        "server",
        "--server",
        "Should a production-grade server be built in?",
        NEED,
        "indifferent",
        NEED[::-1],
        "a built-in production server",
        NEED_WEIGHTS,
        hard=("required",),
    ),
    Question(
        "single_file",
        "--single-file",
        "Must the framework be a single file with no dependencies?",
        NEED,
        "indifferent",
        NEED[::-1],
        "a single file with no dependencies",
        NEED_WEIGHTS,
        hard=("required",),
    ),
    Question(
        "throughput",
        "--throughput",
        "How much does raw throughput (requests per second) matter?",
        LEVEL,
        "medium",
        LEVEL[::-1],
        "raw throughput",
        LEVEL_WEIGHTS,
    ),
    Question(
        "docs",
        "--docs",
        "How much do you rely on documentation?",
        LEVEL,
        "medium",
        LEVEL[::-1],
        "documentation",
        LEVEL_WEIGHTS,
    ),
    Question(
        "community",
        "--community",
        "How much does a large community and ecosystem of extensions matter?",
        LEVEL,
        "medium",
        LEVEL[::-1],
        "a large community",
        LEVEL_WEIGHTS,
    ),
    Question(
        "maturity",
        "--maturity",
        "How much do a long track record and recent releases matter?",
        LEVEL,
        "medium",
        LEVEL[::-1],
        "a long track record and recent releases",
        LEVEL_WEIGHTS,
    ),
)

BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


@dataclass(frozen=True)
class Answers:
    """One valid answer to every question, in question order."""

    items: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        ids = tuple(qid for qid, _ in self.items)
        if ids != tuple(BY_ID):
            raise ValueError(f"answers must cover {', '.join(BY_ID)} in order, got {ids}")
        for qid, choice in self.items:
            if choice not in BY_ID[qid].choices:
                raise ValueError(f"{choice!r} is not an answer to {qid!r}")

    @classmethod
    def from_mapping(cls, answers: Mapping[str, str]) -> Answers:
        """Build from ``{question id: choice}``; raises ValueError if incomplete or invalid."""
        return cls(tuple((q.id, answers.get(q.id, "")) for q in QUESTIONS))

    @classmethod
    def defaults(cls) -> Answers:
        return cls(tuple((q.id, q.default) for q in QUESTIONS))

    def __getitem__(self, question_id: str) -> str:
        for qid, choice in self.items:
            if qid == question_id:
                return choice
        raise KeyError(question_id)

    def as_dict(self) -> dict[str, str]:
        return dict(self.items)

    def replace(self, changes: Mapping[str, str]) -> Answers:
        """These answers with some of them changed."""
        return Answers(tuple((qid, changes.get(qid, choice)) for qid, choice in self.items))

    def hard(self) -> tuple[str, ...]:
        """Ids of the questions whose answer is a hard constraint (``required``, a must-have)."""
        return tuple(qid for qid, choice in self.items if choice in BY_ID[qid].hard)

    def as_flags(self) -> list[str]:
        """The command-line flags that give exactly these answers."""
        flags: list[str] = []
        for q in QUESTIONS:
            flags += [q.flag, self[q.id]]
        return flags


def _invalid(question: Question, raw: str) -> str:
    """Explain an invalid answer, listing the valid ones (and the likely intended one)."""
    wanted = raw.strip().casefold().replace("-", "_")
    several = [c for c in question.choices if wanted and c.startswith(wanted)]
    close = difflib.get_close_matches(wanted, question.choices, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    if len(several) > 1:
        hint = f" (it could be {' or '.join(several)})"
    shown = " ".join(raw.split())[:40]
    return f"{shown!r} is not a valid answer{hint}; choose one of {', '.join(question.choices)}"


def parse_flags(values: Mapping[str, str | None]) -> dict[str, str]:
    """Validate the answers given as flags, keyed by question id; None means not given."""
    answers: dict[str, str] = {}
    problems: list[str] = []
    for qid, raw in values.items():
        if raw is None:
            continue
        question = BY_ID[qid]
        choice = question.match(raw)
        if choice is None:
            problems.append(f"{question.flag}: {_invalid(question, raw)}")
        else:
            answers[qid] = choice
    if problems:
        raise UsageError("; ".join(problems))
    return answers


def load_answers_file(path: str | Path) -> dict[str, str]:
    """Read ``question: answer`` pairs from a YAML file, as strictly as the catalogue.

    The file may answer some questions only.  Unknown questions, duplicate
    keys, invalid answers and anything that is not a flat mapping are errors
    naming the file, the line and the question.
    """
    from fwpick.catalog.fields import MAX_LISTED_PROBLEMS, capped, count_problems, describe_value
    from fwpick.catalog.strict_yaml import LineDict, load_yaml_file

    file = Path(path)
    shown = str(file)
    raw: Any = load_yaml_file(file, FwpickError)
    example = "e.g. 'docs: high'"
    if not isinstance(raw, LineDict):
        raise FwpickError(
            f"{shown}:1: expected a mapping of question: answer ({example}),"
            f" found {describe_value(raw)}"
        )
    answers: dict[str, str] = {}
    # (line, key, value, kind) of each problem; the message is written only for
    # those that are listed, so a file of 200,000 wrong keys stays quick.
    found: list[tuple[int, str, Any, str]] = [
        (d.line, d.key, d.first_line, "duplicate") for d in raw.duplicates
    ]
    for key, value in raw.items():
        line = raw.line_of(key) or 0
        question = BY_ID.get(key)
        if question is None:
            found.append((line, key, None, "unknown"))
        elif not isinstance(value, str):
            found.append((line, key, value, "type"))
        else:
            choice = question.match(value)
            if choice is None:
                found.append((line, key, value, "invalid"))
            else:
                answers[key] = choice
    if found:
        found.sort(key=lambda item: item[0])
        problems = [_answer_problem(shown, *item) for item in found[:MAX_LISTED_PROBLEMS]]
        listed = capped(problems, total=len(found))
        raise FwpickError(f"{shown}: invalid answers file ({count_problems(len(found))})", listed)
    return answers


def _answer_problem(shown: str, line: int, key: str, value: Any, kind: str) -> Problem:
    """The problem of one entry of an answers file, as ``load_answers_file`` found it."""
    from fwpick.catalog.fields import describe_value, duplicate_key_message, shorten

    field = shorten(key)
    if kind == "duplicate":
        return Problem(shown, duplicate_key_message(key, value), line, field=field)
    if kind == "unknown":
        close = difflib.get_close_matches(key.replace("-", "_"), list(BY_ID), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        message = f"unknown question{hint}; the questions are {', '.join(BY_ID)}"
        return Problem(shown, message, line, field=field)
    question = BY_ID[key]
    if kind == "type":
        message = f"expected one of {', '.join(question.choices)}, got {describe_value(value)}"
        return Problem(shown, message, line, field=field)
    return Problem(shown, _invalid(question, value), line, field=field)


def unanswered(answers: Mapping[str, str]) -> tuple[Question, ...]:
    """The questions not answered yet, in quiz order."""
    return tuple(q for q in QUESTIONS if q.id not in answers)


def complete(answers: Mapping[str, str], use_defaults: bool) -> Answers:
    """Fill the gaps with defaults, or explain which flags are missing."""
    missing = unanswered(answers)
    if missing and not use_defaults:
        flags = ", ".join(q.usage() for q in missing)
        count = f"{len(missing)} question{'s' if len(missing) != 1 else ''}"
        raise UsageError(
            f"{count} unanswered and no terminal to ask: pass {flags};"
            " or add --defaults to take the default answer for the rest"
        )
    filled = {q.id: answers.get(q.id, q.default) for q in QUESTIONS}
    return Answers.from_mapping(filled)
