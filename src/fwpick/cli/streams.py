"""fwpick's standard streams: every byte reaches the descriptor, or one line says why not.

Installed by :func:`fwpick.cli.app.main` for the console script only; tests
that run commands in-process keep the streams pytest gives them.
"""

# Typer never reads this module's annotations, so postponed ones are fine here.
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

from fwpick.errors import ExitCode

# Exit code when the reader of stdout goes away: the shell's code for SIGPIPE.
EXIT_READER_GONE = ExitCode.READER_GONE

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

    def write_bytes(self, data: bytes) -> None:
        """Bytes already in this stream's encoding, written as they are."""
        try:
            self._write_encoded(memoryview(data))
        except (ReaderGone, StreamFailed):
            if self.fd == 1:
                raise

    def _write(self, text: str) -> None:
        self._write_encoded(memoryview(text.encode(self.encoding, ENCODE_ERRORS)))

    def _write_encoded(self, view: memoryview) -> None:
        if self._closed:
            raise StreamFailed(self.fd, "standard output is closed")
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


def write_utf8(data: bytes) -> None:
    """UTF-8 text to stdout: the bytes as they are where it takes UTF-8, else as text,
    so that another encoding degrades it as :class:`StdStream` degrades any text."""
    out = sys.stdout
    if isinstance(out, StdStream) and _is_utf8(out.encoding):
        out.write_bytes(data)
    else:
        out.write(data.decode("utf-8"))


def _is_utf8(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
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
        _quiet_exit(ExitCode.PROBLEM)


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
