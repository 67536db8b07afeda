"""Plain-text outputs of the catalogue: JSON (stable keys) and GitHub Markdown.

These never touch Rich, so ``--format json`` and ``--format markdown`` stay
cheap and free of terminal codes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from fwpick.catalog import model
from fwpick.output.maintenance import maintenance_signal

JSON_FORMAT_VERSION = 1


def _fact(fact: model.Fact) -> dict[str, Any]:
    value = fact.value
    if isinstance(value, tuple):
        value = list(value)
    elif isinstance(value, date):
        value = value.isoformat()
    return {
        "value": value,
        "detail": fact.detail,
        "source": fact.source,
        "checked": fact.checked.isoformat(),
    }


def framework_dict(
    fw: model.Framework, today: date, installed: str | None = None
) -> dict[str, Any]:
    """The whole of one framework as JSON-ready data; keys are documented in the README."""
    starter = fw.starter
    return {
        "id": fw.id,
        "name": fw.name,
        "pypi": fw.pypi,
        "from_seed": fw.from_seed,
        "description": fw.description,
        "comparison_notes": fw.comparison_notes,
        "version": _fact(fw.version),
        "released": _fact(fw.released),
        "maintenance": {
            "months_since_release": fw.months_since_release(today),
            "signal": maintenance_signal(fw, today),
        },
        "installed_version": installed,
        "facts": {name: _fact(getattr(fw.facts, name)) for name in model.Facts._fields},
        "scores": {
            name: {"value": score.value, "rationale": score.rationale}
            for name, score in fw.scores.items()
        },
        "links": {"homepage": fw.links.homepage, "docs": fw.links.docs, "source": fw.links.source},
        "seed_claims": [{"claim": c.claim, "current": c.current} for c in fw.seed_claims],
        "other_releases": [
            {"version": r.version, "requires_python": r.requires_python, "note": r.note}
            for r in fw.other_releases
        ],
        "starter": None
        if starter is None
        else {
            "app": starter.app,
            "run": starter.run,
            "preferred_run": starter.preferred_run,
            "requirements": list(starter.requirements),
            "expect": starter.expect,
        },
    }


def catalog_json(
    catalog: model.Catalog,
    frameworks: list[model.Framework],
    today: date,
    installed: dict[str, str],
) -> str:
    """``fwpick compare --format json``."""
    data = {
        "format_version": JSON_FORMAT_VERSION,
        "schema_version": catalog.schema_version,
        "catalog_checked": catalog.checked.isoformat(),
        "frameworks": [framework_dict(fw, today, installed.get(fw.id)) for fw in frameworks],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def framework_json(fw: model.Framework, today: date, installed: str | None) -> str:
    """``fwpick show NAME --format json``."""
    return json.dumps(framework_dict(fw, today, installed), indent=2, ensure_ascii=False)


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


def yes_no(value: object) -> str:
    return "yes" if value is True else "no" if value is False else str(value)


def description_with_updates(fw: model.Framework) -> str:
    """The description, followed by today's facts wherever the seed text is out of date."""
    text = fw.description
    for claim in fw.seed_claims:
        text += f" (Now: {claim.current})"
    return text


def compare_markdown(catalog: model.Catalog, frameworks: list[model.Framework], today: date) -> str:
    """``fwpick compare --format markdown``: a GitHub table ready to paste."""
    head = (
        "| Framework | Description | Comparison notes | Async handlers | Single file "
        "| Interface | Server | Licence | Python | Docs | Latest release |"
    )
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for fw in frameworks:
        f = fw.facts
        docs = fw.scores.get("docs")
        link = f"[{_link_text(md_cell(fw.name))}]({md_url(fw.links.homepage)})"
        cells = [
            description_with_updates(fw),
            fw.comparison_notes,
            str(f.async_handlers.value),
            yes_no(f.single_file.value),
            interface_label(f.interface.value),
            str(f.server.value),
            str(f.licence.value),
            python_requirement(fw, "; "),
            f"{docs.value}/5" if docs else "",
            f"{fw.version.value} ({maintenance_signal(fw, today)})",
        ]
        lines.append("| " + " | ".join([link, *(md_cell(c) for c in cells)]) + " |")
    lines.append("")
    lines.append(
        f"Catalogue schema {catalog.schema_version}, facts checked {catalog.checked.isoformat()}."
    )
    return "\n".join(lines) + "\n"


def python_requirement(fw: model.Framework, sep: str) -> str:
    """Requires-Python, and the release to use on older Pythons where there is one."""
    text = str(fw.facts.requires_python.value) or "any"
    for release in fw.other_releases:
        text += f"{sep}({release.version}: {release.requires_python})"
    return text


def interface_label(value: object) -> str:
    names = {"wsgi": "WSGI", "asgi": "ASGI", "own-server": "own server"}
    return " + ".join(names.get(str(v), str(v)) for v in value)  # type: ignore[attr-defined]


def framework_markdown(fw: model.Framework, today: date, installed: str | None) -> str:
    """``fwpick show NAME --format markdown``."""
    out = [f"# {md_line(fw.name)}", "", md_line(fw.description), ""]
    for claim in fw.seed_claims:
        out.append(f"> Seed text: {md_line(claim.claim)} Now: {md_line(claim.current)}")
    if fw.seed_claims:
        out.append("")
    out += [f"**Comparison notes:** {md_line(fw.comparison_notes)}", "", "## Facts", ""]
    out += ["| Fact | Value | Checked in | When |", "|---|---|---|---|"]
    for label, value, fact in fact_rows(fw):
        out.append(
            f"| {label} | {md_cell(value)} | {md_cell(fact.source)} | {fact.checked.isoformat()} |"
        )
    out += ["", f"Maintenance: {maintenance_signal(fw, today)}."]
    out.append(f"Installed here: {installed or 'no'}.")
    out += ["", "## Scores", "", "| Criterion | Score | Why |", "|---|---|---|"]
    for name, score in fw.scores.items():
        out.append(f"| {name} | {score.value}/5 | {md_cell(score.rationale)} |")
    out += ["", "## Links", ""]
    for label, url in (("Home", fw.links.homepage), ("Docs", fw.links.docs)):
        out.append(f"- {label}: <{md_url(url)}>")
    out.append(f"- Source: <{md_url(fw.links.source)}>")
    out += ["", "## Install", "", "```sh", f"pip install {fw.pypi}", "```"]
    if fw.starter:
        fence = "````" if "```" in fw.starter.app else "```"
        out += ["", "## Hello world", "", f"{fence}python", fw.starter.app.rstrip(), fence]
        out += ["", "```sh", fw.starter.run, "```"]
    return "\n".join(out) + "\n"


def md_line(text: str) -> str:
    """Catalogue text as one line of Markdown that renders as typed: no HTML, no links.

    Brackets alone are plain text in Markdown; only "](" and "][" make links.
    A leading character that would start a block (heading, quote, list, rule,
    table, code fence, setext underline, link definition) is backslash-escaped,
    and so is a closing run of "#", which a heading would drop.
    """
    from fwpick.text import clean_text

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


# What a Markdown line may start with to open a block other than a paragraph.
_BLOCK_MARKERS = frozenset("#>-+*=|`~_[")
_ORDERED_ITEM = re.compile(r"[0-9]{1,9}(?=[.)](?: |$))")
_CLOSING_HASHES = re.compile(r"(?<= )#+$")


# Display label, attribute and the words for an empty value, in display order.
FACT_LABELS = (
    ("Latest version", "version", ""),
    ("Released", "released", ""),
    ("Licence", "licence", ""),
    ("Requires Python", "requires_python", "any"),
    ("Dependencies", "dependencies", "none"),
    ("Conditional deps", "conditional_dependencies", "none"),
    ("Interface", "interface", ""),
    ("Async handlers", "async_handlers", ""),
    ("Single file", "single_file", ""),
    ("Built-in server", "server", ""),
    ("Templating", "templating", "none built in"),
)


def fact_rows(fw: model.Framework) -> list[tuple[str, str, model.Fact]]:
    """(label, value in words, fact) for every fact of a framework, in display order."""
    rows = []
    for label, name, empty in FACT_LABELS:
        fact = getattr(fw.facts, name) if name in model.Facts._fields else getattr(fw, name)
        rows.append((label, fact_text(fact, empty), fact))
    return rows


def fact_text(fact: model.Fact, empty: str = "none") -> str:
    """A fact's value in words, followed by its detail."""
    value = fact.value
    if isinstance(value, tuple):
        text = ", ".join(value) if value else empty
        if value and value[0] in model.INTERFACES:
            text = interface_label(value)
    elif isinstance(value, bool):
        text = yes_no(value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value) if value != "" else empty
    return f"{text} — {fact.detail}" if fact.detail else text
