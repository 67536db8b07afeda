"""``fwpick recommend``: the quiz, the ranking and the decision record."""

# No "from __future__ import annotations": see cli/app.py.

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from fwpick.cli.options import (
    CatalogOption,
    RecommendFormat,
    complete_any_case,
    emit,
    make_console,
    read_catalog,
)
from fwpick.cli.streams import stdin_is_terminal
from fwpick.errors import ExitCode
from fwpick.output import TOP_ROWS, RankingView

if TYPE_CHECKING:
    from fwpick.catalog.model import Catalog
    from fwpick.recommend.quiz import Question
    from fwpick.recommend.ranking import Ranking


def with_question_options(command: "Callable[..., None]") -> "Callable[..., None]":
    """Give ``command`` one option per quiz question, built from the quiz's own data.

    The flag, its choices, its help (the question as the quiz asks it) and its
    default all come from :data:`~fwpick.recommend.quiz.QUESTIONS`, so a new
    question needs no change here.  ``command`` receives them as ``flags``:
    question id to the raw value given, or None.
    """
    import functools
    import inspect

    from fwpick.recommend.quiz import QUESTIONS

    def completer(choices: tuple[str, ...]) -> "Callable[[str], list[str]]":
        def complete(incomplete: str) -> list[str]:
            return complete_any_case(choices, incomplete)

        return complete

    options = [
        inspect.Parameter(
            f"answer_{q.id}",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                str | None,
                typer.Option(
                    q.flag,
                    metavar="|".join(q.choices),
                    # Click would print a text default as "(preferred)".
                    help=f"{q.prompt}  [default: {q.default}]",
                    show_default=False,
                    autocompletion=completer(q.choices),
                ),
            ],
        )
        for q in QUESTIONS
    ]
    signature = inspect.signature(command)
    rest = [p for name, p in signature.parameters.items() if name != "flags"]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        flags = {q.id: kwargs.pop(f"answer_{q.id}") for q in QUESTIONS}
        command(flags=flags, **kwargs)

    parameters = options + rest
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    del wrapper.__wrapped__  # Typer must read the new signature, not the wrapped one's
    return wrapper


@with_question_options
def recommend(
    *,
    flags: dict[str, "str | None"],
    python: Annotated[
        str | None,
        typer.Option(
            "--python",
            metavar="X.Y",
            help=(
                "Rank only releases that install on this Python; 'any' for every release."
                "  [default: the Python running fwpick]"
            ),
            show_default=False,
        ),
    ] = None,
    defaults: Annotated[
        bool,
        typer.Option(
            "--defaults", help="Take the default answer for every question not answered otherwise."
        ),
    ] = False,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            readable=False,
            help="Read answers from a YAML file of 'question: answer' lines; flags win over it.",
            show_default=False,
        ),
    ] = None,
    output: RecommendFormat = "table",
    every_row: Annotated[
        bool,
        typer.Option(
            "--all",
            help=f"Print every row of the table, not only the top {TOP_ROWS}"
            " (JSON and Markdown always list every framework).",
        ),
    ] = False,
    report: Annotated[
        # A string, not a Path: Path("") would turn an empty name into ".".
        str | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Also write the decision as a Markdown record (MADR) to FILE.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Let --report replace a file.")] = False,
    catalog: CatalogOption = None,
) -> None:
    """Answer a short quiz; rank every framework and explain the ranking.

    In a terminal, questions not answered by flags or --answers are asked one
    by one (Enter takes the default). Without a terminal fwpick never asks:
    pass the answers, or add --defaults.

    Example: fwpick recommend --async required --docs high --defaults --format json
    """
    from fwpick.recommend import quiz
    from fwpick.recommend import ranking as scoring

    # The files this run reads, which the record must never replace.
    protected: dict[str, Path | None] = {}
    if report is not None:
        from fwpick.catalog import bundled_catalog_path
        from fwpick.files import check_writable

        protected = {
            "the catalogue": catalog or bundled_catalog_path(),
            "the answers file": answers_file,
        }
        check_writable(report, force, protected)
    given = quiz.parse_flags(flags)
    answers = quiz.load_answers_file(answers_file) if answers_file is not None else {}
    answers.update(given)
    cat = read_catalog(catalog)
    missing = quiz.unanswered(answers)
    if missing and not defaults and stdin_is_terminal():
        answers.update(_ask(missing, cat))
    ranking = scoring.rank(cat, quiz.complete(answers, defaults), python=_python(python))
    if report is not None:
        _write_record(report, ranking, force, protected)
    emit("recommend", output, RankingView(ranking, every_row))


def _python(given: "str | None") -> "tuple[int, int] | None":
    """The Python version to rank for: X.Y as given, the running one by default, None for any."""
    import re

    from fwpick.errors import UsageError

    if given is None:
        return (sys.version_info.major, sys.version_info.minor)
    if given.strip().casefold() == "any":
        return None
    found = re.fullmatch(r"\s*(\d)\.(\d{1,2})\s*", given)
    if found is None:
        raise UsageError(f"--python: {given[:20]!r} is not a Python version; write it as 3.11")
    return (int(found[1]), int(found[2]))


def _write_record(
    path: str, ranking: "Ranking", force: bool, protected: "dict[str, Path | None]"
) -> None:
    """Write the record and say so at once, before the ranking prints (Ctrl-C may stop that).

    If it cannot be written after all, the error carries the command that
    gives the same answers again, so answers typed into the quiz are not lost.
    """
    import shlex

    from fwpick.errors import FwpickError
    from fwpick.files import write_report
    from fwpick.output.decision_record import build_report
    from fwpick.output.ranking_text import rerun_command
    from fwpick.text import clean_text

    try:
        write_report(path, build_report(ranking, date.today()), force, protected)
    except FwpickError as exc:
        again = f"{rerun_command(ranking)} --report {shlex.quote(path)}"
        raise FwpickError(f"{exc}; to run again with the same answers: {again}") from None
    sys.stderr.write(f"fwpick: wrote the decision record to {clean_text(path)}\n")
    sys.stderr.flush()


def _ask(questions: "tuple[Question, ...]", catalog: "Catalog") -> dict[str, str]:
    """Ask on the terminal (stderr); Ctrl-C leaves with 130, end of input with 1."""
    from fwpick.cli.prompts import ask
    from fwpick.recommend.criteria import measure

    def excluded_by(question: str) -> int:
        when = catalog.checked
        return sum(not measure(fw, when)[question]["required"].passes for fw in catalog.frameworks)

    try:
        return ask(questions, make_console(stderr=True), excluded_by)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except EOFError:
        sys.stderr.write("\nfwpick: end of input before every question was answered; stopped\n")
        raise typer.Exit(ExitCode.PROBLEM) from None
