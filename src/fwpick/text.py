"""Text helpers shared by every output: quoting for a shell that stays exact."""

from __future__ import annotations

import shlex
import unicodedata

# Characters bash's ANSI-C quoting ($'...') spells with a letter.
_NAMED_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\\": "\\\\",
    "'": "\\'",
}


def _unprintable(char: str) -> bool:
    # Cc: C0/C1 controls; Cf: bidi controls and zero-width characters;
    # Zl/Zp: line and paragraph separators; Cs: lone surrogates from file names.
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def shell_quote(word: str) -> str:
    """``word`` quoted for bash so that pasting it gives back exactly ``word``.

    Plain words get POSIX quoting (``shlex.quote``).  A word with a control,
    bidi or zero-width character gets bash's ANSI-C quoting, ``$'...'``, in
    which each such character is an escape (``\\e``, ``\\a``, ``\\x1f``,
    ``\\u202e``): the line stays printable and the shell still sees the exact
    word.
    """
    if not any(_unprintable(char) for char in word):
        return shlex.quote(word)
    out = []
    for char in word:
        if char in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[char])
        elif not _unprintable(char):
            out.append(char)
        elif 0xDC80 <= ord(char) <= 0xDCFF:
            # A byte of a file name that is not UTF-8 (surrogateescape): give the byte back.
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "$'" + "".join(out) + "'"
