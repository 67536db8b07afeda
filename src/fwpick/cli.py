"""The command-line shell: parse options, call the core, render, map errors to exit codes.

Heavy imports (yaml, rich.table, the scoring) happen inside the commands that
need them so that ``fwpick --version`` and shell completion stay fast.
"""

# No "from __future__ import annotations" here: Typer evaluates every string
# annotation of every command on each start, which costs more than the rest of
# --version.  Names imported only for type checking are quoted instead.

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from fwpick import __version__
from fwpick.errors import FwpickError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from fwpick.model import Catalog, Framework

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="fwpick",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# The path options say readable=False: fwpick reads the files itself and
# explains every failure as a problem with the file (exit 1), where Click's
# own check would turn an unreadable file into a usage error.
CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        envvar="FWPICK_CATALOG",
        readable=False,
        help="Read this catalogue instead of the bundled one.",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        print(f"fwpick {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Choose a Python web framework from checked facts.

    Start with: fwpick compare, then fwpick recommend, then fwpick show NAME.
    """


# --- reading the catalogue: compare, show, validate ---


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="table (for people), json or markdown.", case_sensitive=False
    ),
]


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a FwpickError into a one-line message on stderr and its exit code.

    A reader that goes away (``fwpick compare | head -1``) ends the command
    quietly with 141, the shell's code for SIGPIPE; stdout is flushed here so
    that a closed pipe is noticed inside the command, not at interpreter exit.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
        except FwpickError as exc:
            from fwpick.catalog import clean_text

            sys.stderr.write(f"fwpick: error: {clean_text(str(exc))}\n")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def _load(catalog: Path | None) -> "Catalog":
    from fwpick.catalog_cache import load_catalog  # skips PyYAML while the file is unchanged

    return load_catalog(catalog)


def _console(stderr: bool = False) -> "Console":
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, emoji=False)
    # Rich would exit 1 on a closed pipe; hand it to handle_errors instead, so
    # that every format ends the same quiet way.
    console.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
    return console


def _reader_gone() -> None:
    raise BrokenPipeError


def _complete_name(ctx: typer.Context, incomplete: str) -> list[str]:
    """Framework ids for shell completion, from the catalogue the command would read."""
    try:
        catalog = _load(ctx.params.get("catalog"))
    except FwpickError:
        return []
    return [fw.id for fw in catalog.frameworks if fw.id.startswith(incomplete.casefold())]


@app.command()
@handle_errors
def compare(
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Comma-separated frameworks to compare, e.g. flask,sanic.",
            show_default=False,
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
    catalog: CatalogOption = None,
) -> None:
    """Compare every framework side by side.

    Example: fwpick compare --only flask,bottle,sanic
    """
    from fwpick.installed import installed_versions

    cat = _load(catalog)
    frameworks = _select(cat, only)
    installed = installed_versions(frameworks)
    today = date.today()
    if output is OutputFormat.json:
        from fwpick.export import catalog_json

        print(catalog_json(cat, frameworks, today, installed))
    elif output is OutputFormat.markdown:
        from fwpick.export import compare_markdown

        sys.stdout.write(compare_markdown(cat, frameworks, today))
    else:
        from fwpick.render import compare_table

        console = _console()
        console.print(compare_table(cat, frameworks, today, installed, console.width))


def _select(cat: "Catalog", only: str | None) -> "list[Framework]":
    if only is None:
        return list(cat.frameworks)
    chosen: list[Framework] = []
    for name in filter(None, (part.strip() for part in only.split(","))):
        fw = _find(cat, name)
        if fw not in chosen:
            chosen.append(fw)
    if not chosen:
        raise UsageError("--only needs at least one framework name, e.g. --only flask,sanic")
    return chosen


_MAX_NAMES_SHOWN = 15


def _find(cat: "Catalog", name: str) -> "Framework":
    fw = cat.get(name)
    if fw is not None:
        return fw
    import difflib

    names = {key.casefold(): f.id for f in cat.frameworks for key in (f.id, f.name, f.pypi)}
    close = difflib.get_close_matches(name.casefold(), list(names), n=1, cutoff=0.6)
    hint = f" Did you mean {names[close[0]]!r}?" if close else ""
    known = cat.names()
    shown = ", ".join(known[:_MAX_NAMES_SHOWN])
    if len(known) > _MAX_NAMES_SHOWN:
        shown += f" and {len(known) - _MAX_NAMES_SHOWN} more (fwpick compare lists them all)"
    raise UsageError(f"no framework called {name!r} in the catalogue.{hint} Known: {shown}")


@app.command()
@handle_errors
def show(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="Framework id, name or PyPI name (any case).",
            autocompletion=_complete_name,
        ),
    ],
    sources: Annotated[
        bool, typer.Option("--sources", help="Show where and when each fact was checked.")
    ] = False,
    output: FormatOption = OutputFormat.table,
    catalog: CatalogOption = None,
) -> None:
    """Everything about one framework: facts, scores, links, a hello-world app.

    Example: fwpick show flask --sources
    """
    from fwpick.installed import installed_versions

    cat = _load(catalog)
    fw = _find(cat, name)
    installed = installed_versions([fw]).get(fw.id)
    today = date.today()
    if output is OutputFormat.json:
        from fwpick.export import framework_json

        print(framework_json(fw, today, installed))
    elif output is OutputFormat.markdown:
        from fwpick.export import framework_markdown

        sys.stdout.write(framework_markdown(fw, today, installed))
    else:
        from fwpick.render import framework_panel

        _console().print(framework_panel(fw, today, installed, sources))


@app.command()
@handle_errors
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue to check (default: --catalog, $FWPICK_CATALOG, or the bundled one).",
            readable=False,
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Check a catalogue file and list every problem in it.

    Example: fwpick validate my-frameworks.yaml
    """
    from fwpick.render import validation_summary

    cat = _load(path or catalog)
    _console().print(validation_summary(cat))


# --- the quiz: recommend ---

if TYPE_CHECKING:
    from fwpick.quiz import Question

# The choices are repeated here (not imported) so that the quiz module is only
# imported when recommend runs; a test checks they match the quiz.
_NEED = "required|preferred|indifferent"
_LEVEL = "high|medium|low"


def _answer_option(flag: str, choices: str, question: str) -> typer.models.OptionInfo:
    return typer.Option(flag, metavar=choices, help=question, show_default=False)


@app.command()
@handle_errors
def recommend(
    need_async: Annotated[
        str | None,
        _answer_option("--async", _NEED, "Do you need native async (async/await handlers)?"),
    ] = None,
    single_file: Annotated[
        str | None,
        _answer_option(
            "--single-file", _NEED, "Must the framework be a single file with no dependencies?"
        ),
    ] = None,
    server: Annotated[
        str | None,
        _answer_option("--server", _NEED, "Should a production-grade server be built in?"),
    ] = None,
    kind: Annotated[
        str | None,
        _answer_option("--kind", "api|website|both", "An API service, a full website, or both?"),
    ] = None,
    docs: Annotated[
        str | None, _answer_option("--docs", _LEVEL, "How much do you rely on documentation?")
    ] = None,
    throughput: Annotated[
        str | None, _answer_option("--throughput", _LEVEL, "How much does raw throughput matter?")
    ] = None,
    community: Annotated[
        str | None,
        _answer_option("--community", _LEVEL, "How much does a large community matter?"),
    ] = None,
    maturity: Annotated[
        str | None,
        _answer_option(
            "--maturity", _LEVEL, "How much do a long track record and recent releases matter?"
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
    output: FormatOption = OutputFormat.table,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            readable=False,
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
    from fwpick import quiz, scoring

    if report is not None:
        from fwpick.report import check_writable

        check_writable(report, force)
    flags = quiz.parse_flags(
        {
            "async": need_async,
            "single_file": single_file,
            "server": server,
            "kind": kind,
            "docs": docs,
            "throughput": throughput,
            "community": community,
            "maturity": maturity,
        }
    )
    answers = quiz.load_answers_file(answers_file) if answers_file is not None else {}
    answers.update(flags)
    cat = _load(catalog)
    missing = quiz.unanswered(answers)
    if missing and not defaults and sys.stdin.isatty():
        answers.update(_ask(missing))
    ranking = scoring.rank(cat, quiz.complete(answers, defaults))
    if report is not None:
        from fwpick.report import build_report, write_report

        write_report(report, build_report(ranking, date.today()), force)
    if output is OutputFormat.json:
        from fwpick.ranking_render import ranking_json

        print(ranking_json(ranking))
    elif output is OutputFormat.markdown:
        from fwpick.ranking_render import ranking_markdown

        sys.stdout.write(ranking_markdown(ranking))
    else:
        from fwpick.ranking_render import ranking_table

        _console().print(ranking_table(ranking))
    if report is not None:
        sys.stderr.write(f"fwpick: wrote the decision record to {report}\n")


def _ask(questions: "tuple[Question, ...]") -> dict[str, str]:
    """Ask on the terminal (stderr); Ctrl-C leaves with 130, end of input with 1."""
    from fwpick.asker import ask

    try:
        return ask(questions, _console(stderr=True))
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise typer.Exit(130) from None
    except EOFError:
        sys.stderr.write("\nfwpick: end of input before every question was answered; stopped\n")
        raise typer.Exit(1) from None


# --- starters: new ---


@app.command()
@handle_errors
def new(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="Framework id, name or PyPI name (any case).",
            autocompletion=_complete_name,
        ),
    ],
    directory: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIR]",
            help="Where to write the starter. [default: ./NAME-starter]",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write into a non-empty directory, replacing starter files."),
    ] = False,
    catalog: CatalogOption = None,
) -> None:
    """Write a runnable hello-world app for a framework: app.py, requirements.txt, README.md.

    Example: fwpick new flask my-site
    """
    import shlex

    from fwpick import starter
    from fwpick.catalog import clean_text

    fw = _find(_load(catalog), name)
    done = starter.write_starter(fw, directory or starter.default_directory(fw), force=force)
    where = clean_text(str(done.directory))
    lines = [f"Created a starter for {clean_text(fw.name)} in {where}{os.sep}:"]
    for path in done.files:
        lines.append(f"  {path.name}" + (" (replaced)" if path in done.replaced else ""))
    lines += [
        "Run it:",
        f"  cd {shlex.quote(where)}",
        f"  {done.install}",
        f"  {clean_text(done.run)}",
        f"Then open {done.url} (set PORT to use another port).",
    ]
    print("\n".join(lines))


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="fwpick")
    finally:
        # The process is about to end and the OS will reclaim everything at
        # once; freezing the heap spares the interpreter's final collection
        # over every object Typer and Rich made, about 13 ms of each run (an
        # eighth of ``fwpick compare``), which shell completion pays per Tab.
        # Files are all closed by now and the standard streams are still
        # flushed at exit, so nothing is lost.
        import gc

        gc.freeze()
