"""Small text helpers shared by the outputs."""

from __future__ import annotations

import shlex

# Characters with a short name inside bash's $'...' quoting.
_ANSI_C_NAMES = {
    "\a": "\\a",
    "\b": "\\b",
    "\x1b": "\\e",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    "'": "\\'",
}


def shell_quote(arg: str) -> str:
    """``arg`` as one word for a POSIX shell, printable and naming exactly ``arg``.

    Plain text gets :func:`shlex.quote`.  Text with a character that cannot be
    shown (a control, bidi or zero-width character, ...) gets bash's ANSI-C
    quoting, ``$'...'``, with every such character written as an escape:
    printed raw it would act on the terminal, and dropped the command would
    name another file.  Such characters are written as their UTF-8 bytes
    (``\\xNN``), so the word means the same whatever the reader's locale; a
    byte that is not UTF-8 (a surrogate escape, as in :func:`os.fsdecode`) is
    written as that byte.
    """
    if arg.isprintable():
        return shlex.quote(arg)
    out = []
    for char in arg:
        if char in _ANSI_C_NAMES:
            out.append(_ANSI_C_NAMES[char])
        elif char.isprintable():
            out.append(char)
        elif 0xDC80 <= ord(char) <= 0xDCFF:
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.extend(f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogatepass"))
    return "$'" + "".join(out) + "'"


def shell_join(args: list[str] | tuple[str, ...]) -> str:
    """The words as one copyable shell command line (see :func:`shell_quote`)."""
    return " ".join(shell_quote(arg) for arg in args)
