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
    complete_name,
    emit,
    find_framework,
    make_console,
    python_version,
    read_catalog,
)
from fwpick.cli.streams import stdin_is_terminal
from fwpick.errors import ExitCode
from fwpick.output import TOP_ROWS, RankingView

if TYPE_CHECKING:
    from fwpick.catalog.model import Catalog
    from fwpick.recommend.quiz import Question
    from fwpick.recommend.ranking import Ranking


# Questions with more choices than this show them in the help text, not the metavar.
SPELLED_OUT = 4


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

    def metavar(q: "Question") -> str:
        # A long list of choices would push the help onto lines of its own.
        return "|".join(q.choices) if len(q.choices) <= SPELLED_OUT else q.metavar or "ANSWER"

    def help_text(q: "Question") -> str:
        listed = "" if len(q.choices) <= SPELLED_OUT else f" One of: {', '.join(q.choices)}."
        return f"{q.prompt}{listed}  [default: {q.default}]"

    options = [
        inspect.Parameter(
            f"answer_{q.id}",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                str | None,
                typer.Option(
                    q.flag,
                    metavar=metavar(q),
                    # Click would print a text default as "(preferred)".
                    help=help_text(q),
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
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="NAME",
            help="Print one framework's whole score, criterion by criterion, instead of the"
            " ranking.",
            autocompletion=complete_name,
            show_default=False,
        ),
    ] = None,
    bench: Annotated[
        Path | None,
        typer.Option(
            "--bench",
            metavar="FILE",
            readable=False,
            help=(
                "Rank throughput on the figures of a 'fwpick bench --save FILE' run; frameworks"
                " it did not measure keep the catalogue's."
            ),
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Answer a short quiz; rank every framework and explain the ranking.

    In a terminal, questions not answered by flags or --answers are asked one
    by one (Enter takes the default). Without a terminal fwpick never asks:
    pass the answers, or add --defaults.

    Example: fwpick recommend --async required --docs high --defaults --format json
    """
    # The same ranking as recommend.ranking, from columns kept with the cached
    # catalogue: at 10,000 frameworks a fraction of a second, not seconds.
    from fwpick.heap import no_collection
    from fwpick.recommend import column_ranking as scoring
    from fwpick.recommend import quiz

    # The files this run reads, which the record must never replace.
    protected: dict[str, Path | None] = {}
    if report is not None:
        from fwpick.catalog import bundled_catalog_path
        from fwpick.files import check_writable

        protected = {
            "the catalogue": catalog or bundled_catalog_path(),
            "the answers file": answers_file,
            "the bench results": bench,
        }
        check_writable(report, force, protected)
    given = quiz.parse_flags(flags)
    answers = quiz.load_answers_file(answers_file) if answers_file is not None else {}
    answers.update(given)
    cat = read_catalog(catalog)
    # Checked before the quiz asks anything: a typo should not cost the answers.
    explained = find_framework(cat, explain) if explain is not None else None
    if bench is not None:
        from fwpick.catalog.bench_results import apply_bench_results, read_bench_results
        from fwpick.text import clean_text

        applied = apply_bench_results(cat, read_bench_results(bench), str(bench))
        for note in applied.notes():
            sys.stderr.write(f"fwpick: {clean_text(note)}\n")
        cat = applied.catalog
    missing = quiz.unanswered(answers)
    if missing and not defaults and stdin_is_terminal():
        answers.update(_ask(missing, cat, answers, python_version(python)))
    with no_collection():  # the ranking's lists of every framework are kept for the run
        ranking = scoring.rank(cat, quiz.complete(answers, defaults), python=python_version(python))
    if report is not None:
        _write_record(report, ranking, force, protected)
    if explained is not None:
        from fwpick.output.explain_views import ExplainView

        emit("explain", output, ExplainView(ranking, explained.id))
        return
    emit("recommend", output, RankingView(ranking, every_row))


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


def _ask(
    questions: "tuple[Question, ...]",
    catalog: "Catalog",
    known: dict[str, str],
    python: "tuple[int, int] | None",
) -> dict[str, str]:
    """Ask on the terminal (stderr); Ctrl-C leaves with 130, end of input with 1.

    The quiz asks first what best separates the frameworks, and stops once
    the remaining questions cannot change the answer.
    """
    from fwpick.catalog.model import framework_keys
    from fwpick.cli.prompts import Flow, ask
    from fwpick.recommend import quiz_flow
    from fwpick.recommend.best_fit import scored_rows
    from fwpick.recommend.columns import columns_for, failing

    rows = scored_rows(catalog, python)
    names = {ident: name for ident, name, _ in framework_keys(catalog.frameworks)}

    def settled(answered: dict[str, str]) -> str | None:
        leader = quiz_flow.settled(rows, answered)
        return names[leader] if leader is not None else None

    flow = Flow(lambda answered: quiz_flow.next_question(rows, answered), settled)

    columns = columns_for(catalog, catalog.checked)

    def excluded_by(question: str, answer: str) -> int:
        return failing(columns, question, answer)

    try:
        return ask(questions, make_console(stderr=True), excluded_by, flow, known)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except EOFError:
        sys.stderr.write("\nfwpick: end of input before every question was answered; stopped\n")
        raise typer.Exit(ExitCode.PROBLEM) from None
