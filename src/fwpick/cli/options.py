"""What every fwpick command shares: the Typer app, its options and error handling.

The commands themselves live in ``catalog_commands.py`` and ``recommend.py``; both stay
thin shells over the core modules.
"""

# No "from __future__ import annotations" here: Typer evaluates every string
# annotation of every command on each start, which costs more than the rest of
# --version.  Names imported only for type checking are quoted instead.

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from fwpick import __version__
from fwpick.errors import FwpickError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from fwpick.catalog.model import Catalog, Framework

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

    Failed writes to the standard streams are not handled here but by the
    streams themselves (:class:`StdStream`) and :func:`run_main`, so that
    Click's own output (``--help``, usage errors) ends the same way.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            # Only reached when stdout is not a StdStream (tests in-process).
            raise typer.Exit(141) from None
        except FwpickError as exc:
            from fwpick.catalog.schema import clean_text

            sys.stderr.write(f"fwpick: error: {clean_text(str(exc))}\n")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


# --- the standard streams -------------------------------------------------

# Exit code when the reader of stdout goes away: the shell's code for SIGPIPE.
EXIT_READER_GONE = 141

# What fwpick prints where the output encoding has no such character.  fwpick's
# own decorations (dashes, score dots and bars) become their ASCII look-alikes;
# any other character, catalogue text included, becomes "?" (not "\xe5"), so
# that a table cell keeps the width Rich measured for it.
_ASCII_FALLBACK = str.maketrans(
    {
        "\u2014": "-",  # em dash
        "\u2013": "-",  # en dash
        "\u2212": "-",  # minus sign
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": ".",  # ellipsis: one column, as Rich measured it
        "\u2022": "*",  # bullet
        "\u25cf": "*",  # score dot, filled
        "\u25cb": ".",  # score dot, empty
        "\u2588": "#",  # bar, filled
        "\u2591": ".",  # bar, empty
        "\u2192": ">",  # arrow
        "\u00d7": "x",
        "\u00a0": " ",
    }
)
ENCODE_ERRORS = "fwpick-fallback"


def _encode_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    piece = exc.object[exc.start : exc.end].translate(_ASCII_FALLBACK)
    return "".join(c if c.isascii() else "?" for c in piece), exc.end


class ReaderGone(Exception):
    """The reader of stdout went away (``fwpick compare | head -1``)."""


class StreamFailed(Exception):
    """Writing to stdout or stderr failed for another reason (full disk, EIO, closed)."""

    def __init__(self, fd: int, reason: str) -> None:
        super().__init__(reason)
        self.fd = fd
        self.reason = reason


class StdStream:
    """stdout or stderr as fwpick writes it: every byte reaches the file descriptor, or it fails.

    Each write goes straight to the descriptor with ``os.write`` until every
    byte is taken, so a partial write into a closed pipe is always seen (a
    buffered text stream may report the whole length and drop the rest).
    Text the encoding cannot carry degrades as :data:`_ASCII_FALLBACK` says.
    Failures raise :class:`ReaderGone` or :class:`StreamFailed`, which are not
    ``OSError``, so Click and Typer pass them up to :func:`run_main`.
    """

    def __init__(self, fd: int, encoding: str | None, closed: bool) -> None:
        self.fd = fd
        self.encoding = encoding or "utf-8"
        self.errors = ENCODE_ERRORS
        self._closed = closed

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        try:
            self._write(text)
        except (ReaderGone, StreamFailed):
            if self.fd == 1:
                raise
            # A message that cannot reach stderr is dropped: there is nowhere
            # left to say so, and the command's own exit code still tells.
        return len(text)

    def _write(self, text: str) -> None:
        if self._closed:
            raise StreamFailed(self.fd, "standard output is closed")
        view = memoryview(text.encode(self.encoding, ENCODE_ERRORS))
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except BrokenPipeError:
                raise ReaderGone from None
            except BlockingIOError:
                import select

                select.select([], [self.fd], [])
            except OSError as exc:
                raise StreamFailed(self.fd, exc.strerror or str(exc)) from None

    def flush(self) -> None:
        """Nothing is buffered."""

    def isatty(self) -> bool:
        return not self._closed and os.isatty(self.fd)

    def fileno(self) -> int:
        return self.fd

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return False


def install_std_streams() -> None:
    """Put :class:`StdStream` in place of sys.stdout and sys.stderr, for the console script.

    A standard descriptor that was closed (``fwpick compare >&-``) is opened
    on /dev/null first, so that no file fwpick opens later can take its
    number; a closed stdout then fails at the first write, and a closed
    stdin is a stdin that is not a terminal.
    """
    import codecs

    codecs.register_error(ENCODE_ERRORS, _encode_fallback)
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        old = getattr(sys, name)
        if old is not None and fd not in closed:
            with contextlib.suppress(OSError, ValueError):
                old.flush()
        encoding = getattr(old, "encoding", None) if fd not in closed else None
        setattr(sys, name, StdStream(fd, encoding, closed=fd in closed))


def run_main(main: Callable[[], object]) -> None:
    """Run the app; a failed write to a standard stream ends it with one line, never a traceback."""
    install_std_streams()
    try:
        main()
    except ReaderGone:
        _quiet_exit(EXIT_READER_GONE)
    except StreamFailed as exc:
        # If stderr is broken too, the line is dropped and the exit code tells.
        sys.stderr.write(f"fwpick: error: cannot write the output: {exc.reason}\n")
        _quiet_exit(1)


def _quiet_exit(code: int) -> None:
    # Whatever the interpreter still holds for the descriptors goes to /dev/null.
    null = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(null, fd)
    raise SystemExit(code)


def stdin_is_terminal() -> bool:
    """True when the quiz may ask: stdin is open and is a terminal."""
    stdin = sys.stdin
    try:
        return stdin is not None and stdin.isatty()
    except (OSError, ValueError):
        return False


def read_catalog(catalog: Path | None) -> "Catalog":
    from fwpick.catalog.cache import load_catalog  # skips PyYAML while the file is unchanged

    return load_catalog(catalog)


# Narrowest width fwpick lays its output out for.  A terminal narrower than
# this gets the 20-column layout (the terminal wraps its lines); COLUMNS=0,
# which some CI systems set, means the width is not known and gives 80.
MIN_WIDTH = 20
UNKNOWN_WIDTH = 80


def make_console(stderr: bool = False) -> "Console":
    """A Rich console on stdout (or stderr), at a width fwpick can lay out."""
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, emoji=False)
    width = console.width
    if width <= 0:
        console.width = UNKNOWN_WIDTH
    elif width < MIN_WIDTH:
        console.width = MIN_WIDTH
    # Rich would exit 1 on a closed pipe; hand it to handle_errors instead, so
    # that every format ends the same quiet way.
    console.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
    return console


def _reader_gone() -> None:
    raise BrokenPipeError


def complete_name(ctx: typer.Context, incomplete: str) -> list[str]:
    """Framework ids for shell completion, from the catalogue the command would read."""
    try:
        catalog = read_catalog(ctx.params.get("catalog"))
    except FwpickError:
        return []
    return [fw.id for fw in catalog.frameworks if fw.id.startswith(incomplete.casefold())]


NameArgument = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        help="Framework id, name or PyPI name (any case).",
        autocompletion=complete_name,
    ),
]


MAX_NAMES_SHOWN = 15


def find_framework(cat: "Catalog", name: str) -> "Framework":
    fw = cat.get(name)
    if fw is not None:
        return fw
    import difflib

    names = {key.casefold(): f.id for f in cat.frameworks for key in (f.id, f.name, f.pypi)}
    close = difflib.get_close_matches(name.casefold(), list(names), n=1, cutoff=0.6)
    hint = f" Did you mean {names[close[0]]!r}?" if close else ""
    known = cat.names()
    shown = ", ".join(known[:MAX_NAMES_SHOWN])
    if len(known) > MAX_NAMES_SHOWN:
        shown += f" and {len(known) - MAX_NAMES_SHOWN} more (fwpick compare lists them all)"
    raise UsageError(f"no framework called {name!r} in the catalogue.{hint} Known: {shown}")
