"""Text helpers for every part: untrusted text made safe to show, quoted for messages and shells.

This is the lowest module of fwpick: it imports nothing of fwpick's own.
"""

from __future__ import annotations

import re
import shlex
import unicodedata

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


# C0 and C1 control characters other than tab and newline, plus DEL.  ESC is
# the one that matters: it starts ANSI/OSC sequences that would let a
# catalogue rewrite the user's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Unicode categories removed from non-ASCII text besides Cc: Cf (format
# characters: bidi overrides and isolates, zero-width spaces and joiners, the
# BOM, soft hyphens, tag characters - all invisible, and the bidi ones can
# reorder what a terminal shows), Cs (lone surrogates, which no encoder can
# write) and Zl/Zp (line and paragraph separators, which some terminals and
# editors break lines on).  No Cf character carries meaning a catalogue needs:
# losing a zero-width joiner splits an emoji sequence, which is harmless.
_DROPPED = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_KEPT = frozenset("\t\n")
# How much of a value an error message quotes.
QUOTE_LIMIT = 60


def clean_text(text: str) -> str:
    """Drop control, format (bidi, zero-width) and separator characters; keep tabs and newlines."""
    if text.isascii():
        return _CONTROL.sub("", text)
    category = unicodedata.category
    return "".join(char for char in text if char in _KEPT or category(char) not in _DROPPED)


def identity_key(text: str) -> str:
    """The form in which two names or ids count as the same.

    Invisible characters are dropped, compatibility forms folded (NFKC turns
    full-width letters and ligatures such as U+FB02 into plain letters), case folded
    and runs of white space made one space.
    """
    folded = unicodedata.normalize("NFKC", clean_text(text)).casefold()
    return " ".join(clean_text(folded).split())


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """At most ``limit`` characters of cleaned ``text``, ending in "…" when cut."""
    text = clean_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Untrusted text quoted for a message: cleaned, shortened, in quotes."""
    return repr(shorten(text, limit))


def plural(count: int, word: str, plural_word: str = "") -> str:
    """'1 framework', '2 frameworks', '200,000 problems'."""
    return f"{count:,} {word if count == 1 else plural_word or word + 's'}"


def and_list(names: list[str] | tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when none is close."""
    import difflib

    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
