"""Colour a short Python snippet (a starter's app.py) for the terminal.

Rich's ``Syntax`` would do this through Pygments, whose import and Python lexer
cost about 35 ms: more than ``fwpick show`` spends on everything else.  A
starter is a few dozen lines of plain Python, so one regular expression for
comments, strings, numbers, decorators and names is enough.  The colours are
those of Rich's ``ansi_dark`` theme.  The snippet comes from the catalogue, so
it is styled by spans of a :class:`rich.text.Text`, never read as markup.
"""

from __future__ import annotations

import builtins
import keyword
import re

from rich.text import Text

_TOKENS = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
    | (?P<string>
        (?:[rRbBuUfF]{1,2})?
        (?: \"\"\"(?:\\.|[^\\])*?(?:\"\"\"|\Z)
          | '''(?:\\.|[^\\])*?(?:'''|\Z)
          | "(?:\\.|[^"\\\n])*"?
          | '(?:\\.|[^'\\\n])*'?
        )
      )
    | (?P<decorator>^[ \t]*@[\w.]+)
    | (?P<number>\b(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?j?)\b)
    | (?P<name>\b[^\W\d]\w*\b)
    """,
    re.VERBOSE | re.MULTILINE,
)

_STYLES = {
    "comment": "dim",
    "string": "yellow",
    "decorator": "bold bright_magenta",
    "number": "bright_blue",
}
_OPERATOR_WORDS = frozenset({"and", "or", "not", "in", "is"})
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
# A name after one of these keywords is what the statement defines or imports.
_DEFINES = {
    "def": "bright_green",
    "class": "underline bright_green",
    "import": "underline bright_cyan",
    "from": "underline bright_cyan",
}


def python(code: str) -> Text:
    """``code`` as a Text with Python syntax colours."""
    text = Text(code)
    previous = ""
    for match in _TOKENS.finditer(code):
        kind = match.lastgroup or ""
        style = _STYLES.get(kind)
        if kind == "name":
            word = match.group()
            if word in _OPERATOR_WORDS:
                style = "bright_magenta"
            elif keyword.iskeyword(word):
                style = "bright_blue"
            elif previous in _DEFINES:
                style = _DEFINES[previous]
            elif word.startswith("__") and word.endswith("__"):
                style = "bright_red"
            elif word in _BUILTINS:
                style = "bright_cyan"
            previous = word
        if style:
            text.stylize(style, match.start(), match.end())
    return text
