"""Markdown that renders catalogue text as typed: no links, HTML, headings or other blocks.

Every Markdown output (compare, show and recommend as Markdown, and the
decision record) escapes untrusted text through these functions.
"""

from __future__ import annotations

import re

from fwpick.text import clean_text

# What a Markdown line may start with to open a block other than a paragraph.
_BLOCK_MARKERS = frozenset("#>-+*=|`~_[")


_ORDERED_ITEM = re.compile(r"[0-9]{1,9}(?=[.)](?: |$))")


_CLOSING_HASHES = re.compile(r"(?<= )#+$")


def md_cell(text: str) -> str:
    """Make text safe inside a GitHub table cell: one line, no pipes, no links, no raw HTML."""
    return md_line(text.replace("\\", "\\\\").replace("|", "\\|"))


def _link_text(text: str) -> str:
    """Text for inside [...]: balanced brackets are fine there, stray ones are escaped."""
    depth = 0
    for char in text:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            break
    if depth == 0:
        return text
    return text.replace("[", "\\[").replace("]", "\\]")


def md_url(url: str) -> str:
    """A URL that cannot end a Markdown link early."""
    return "".join(f"%{ord(c):02X}" if c in " ()<>[]|" else c for c in url)


def md_line(text: str) -> str:
    """Catalogue text as one line of Markdown that renders as typed: no HTML, no links.

    Brackets alone are plain text in Markdown; only "](" and "][" make links.
    A leading character that would start a block (heading, quote, list, rule,
    table, code fence, setext underline, link definition) is backslash-escaped,
    and so is a closing run of "#", which a heading would drop.
    """

    line = (
        " ".join(clean_text(text).split())
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("](", "]\\(")
        .replace("][", "]\\[")
    )
    if line[:1] in _BLOCK_MARKERS:
        line = "\\" + line
    elif (number := _ORDERED_ITEM.match(line)) is not None:
        line = f"{line[: number.end()]}\\{line[number.end() :]}"
    if line.endswith("#"):
        line = _CLOSING_HASHES.sub(r"\\\g<0>", line)
    return line


def md_code(text: str) -> str:
    """``text`` as a Markdown code span, fenced so that backticks inside cannot end it."""
    runs = [len(run) for run in re.findall("`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
