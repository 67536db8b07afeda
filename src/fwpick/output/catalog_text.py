"""Plain-text outputs of the catalogue: JSON (stable keys), GitHub Markdown, validate's line.

These never touch Rich, so ``--format json``, ``--format markdown`` and
``validate`` stay cheap and free of terminal codes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import date
from typing import Any

from fwpick.catalog import model
from fwpick.catalog.fields import MoreProblems
from fwpick.output import COMPARE_MAX_ROWS, CatalogView, FrameworkView, ValidationView, to_json
from fwpick.output.markdown import _link_text, md_cell, md_line, md_url
from fwpick.output.words import (
    days_since_release,
    description_with_updates,
    fact_rows,
    footprint_brief,
    interface_label,
    maintenance_signal,
    python_requirement,
    throughput_brief,
    yes_no,
)
from fwpick.text import clean_text, plural


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
        "maintenance": maintenance_dict(fw, today),
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
        "features": None
        if fw.features is None
        else {
            name: {**_fact(fact), "api": fact.api, "extra": fact.extra}
            for name, fact in fw.features.items()
        },
        "release_history": None
        if fw.release_history is None
        else {
            name: _fact(getattr(fw.release_history, name)) for name in model.ReleaseHistory._fields
        },
        "measured": None
        if fw.measured is None
        else {
            name: _fact(fact)
            for name, fact in zip(model.Measured._fields, fw.measured, strict=True)
            if isinstance(fact, model.Fact)
        },
        "starter": None
        if starter is None
        else {
            "app": starter.app,
            "run": starter.run,
            "preferred_run": starter.preferred_run,
            "requirements": list(starter.requirements),
            "expect": starter.expect,
            "server": None if starter.server is None else starter.server.id,
            "serve": starter.serve,
        },
    }


def maintenance_dict(fw: model.Framework, today: date) -> dict[str, Any]:
    """The maintenance signal's parts; the release history's are null where there is none."""
    history = fw.release_history
    return {
        "months_since_release": fw.months_since_release(today),
        "days_since_release": days_since_release(fw, today),
        "releases_last_12_months": None
        if history is None
        else history.releases_last_12_months.value,
        "first_release": None if history is None else _fact(history.first_release)["value"],
        "development_status": None if history is None else history.development_status.value,
        "signal": maintenance_signal(fw, today),
    }


def catalog_markdown(
    catalog: model.Catalog,
    frameworks: list[model.Framework],
    today: date,
    installed: dict[str, str] | None = None,
) -> str:
    """``fwpick compare --format markdown``: a GitHub table ready to paste."""
    head = (
        "| Framework | Description | Comparison notes | Async handlers | Single file "
        "| Interface | Server | Licence | Python | Docs | Throughput (x a bare app) | Footprint "
        "| Latest release | Installed |"
    )
    installed = installed or {}
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
            throughput_brief(fw.measured),
            footprint_brief(fw.measured),
            f"{fw.version.value} ({maintenance_signal(fw, today)})",
            installed.get(fw.id, "no"),
        ]
        lines.append("| " + " | ".join([link, *(md_cell(c) for c in cells)]) + " |")
    lines.append("")
    lines.append(
        f"Catalogue schema {catalog.schema_version}, facts checked {catalog.checked.isoformat()}."
    )
    return "\n".join(lines) + "\n"


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
        if fw.starter.server is not None:
            server = fw.starter.server
            out += ["", f"Serve with {md_line(server.name)} {md_line(str(server.version.value))}:"]
            out += ["", "```sh", fw.starter.serve, "```"]
    return "\n".join(out) + "\n"


# --- the registry's renderers (see fwpick.output.RENDERERS) -------------------


def compare_json(view: CatalogView, width: int) -> str | Iterator[str | bytes]:
    """``fwpick compare --format json``.

    From a cached catalogue, each framework's text is kept with the catalogue
    and the document written a piece at a time (:mod:`fwpick.output.catalog_stream`):
    the same text, without loading or encoding 10,000 frameworks again.
    """
    from fwpick.output.catalog_stream import compare_pieces, streams

    if streams(view):
        return compare_pieces(view)
    frameworks = [
        framework_dict(fw, view.today, view.installed.get(fw.id)) for fw in view.frameworks
    ]
    return to_json("compare", view.catalog, compare_data(view, frameworks))


def compare_data(view: CatalogView, frameworks: Any) -> dict[str, Any]:
    """``compare``'s own keys, with ``frameworks`` as given."""
    from fwpick.output.entry_views import entry_dict

    return {
        "schema_version": view.catalog.schema_version,
        "catalog_checked": view.catalog.checked.isoformat(),
        "frameworks": frameworks,
        "installed_in": view.installed_in,
        "addons": [entry_dict(view.catalog, entry) for entry in view.catalog.addons],
        "servers": [entry_dict(view.catalog, entry) for entry in view.catalog.servers],
        "avoid": [entry_dict(view.catalog, e) for e in view.catalog.avoid]
        if view.avoided
        else None,
    }


def compare_markdown(view: CatalogView, width: int) -> str:
    """``fwpick compare --format markdown``."""
    return catalog_markdown(view.catalog, list(view.frameworks), view.today, view.installed)


def show_json(view: FrameworkView, width: int) -> str:
    """``fwpick show NAME --format json``: the framework's keys, in the common envelope."""
    data = framework_dict(view.framework, view.today, view.installed)
    data["best_fit"] = best_fit_dict(view.best_fit)
    data["installed_in"] = view.installed_in
    return to_json("show", view.catalog, data)


def best_fit_dict(fit: Any) -> dict[str, Any] | None:
    """The answers under which a framework leads clearly, as JSON (see recommend.best_fit)."""
    if fit is None:
        return None
    return {
        "answers": None if fit.answers is None else fit.answers.as_dict(),
        "changed": list(fit.changed),
        "margin": fit.margin,
        "runner_up": None if fit.runner_up is None else fit.runner_up.id,
        "dominated": fit.dominated,
        "text": fit.text(),
    }


def show_markdown(view: FrameworkView, width: int) -> str:
    """``fwpick show NAME --format markdown``."""
    text = framework_markdown(view.framework, view.today, view.installed)
    if view.best_fit is not None:
        text += f"\n{md_line(view.best_fit.text())}\n"
    return text


def validate_json(view: ValidationView, width: int) -> str:
    """``fwpick validate --format json``: every problem with its file, line, framework and field."""
    problems = [
        {
            "path": p.path,
            "line": p.line,
            "framework": p.framework,
            "field": p.field,
            "message": p.message,
        }
        for p in view.problems
        if not isinstance(p, MoreProblems)
    ]
    data: dict[str, Any] = {
        "path": view.path,
        "valid": view.catalog is not None,
        "frameworks": [] if view.catalog is None else view.catalog.names(),
        "problem_count": view.total,
        "problems": problems,
    }
    return to_json("validate", view.catalog, data)


def validate_text(view: ValidationView, width: int) -> str:
    """``fwpick validate`` on a valid catalogue: one line naming the frameworks, wrapped.

    Plain text, so a check in CI or a pre-commit hook never imports Rich.  A
    big catalogue names its first :data:`~fwpick.output.COMPARE_MAX_ROWS`
    frameworks and counts the rest.  (Problems are raised as errors before this.)
    """
    assert view.catalog is not None
    catalog = view.catalog
    names = [name for _, name, _ in model.framework_keys(catalog.frameworks)[:COMPARE_MAX_ROWS]]
    rest = len(catalog.frameworks) - len(names)
    listed = ", ".join(names) + (f" and {rest:,} more" if rest else "")
    # The path may come from anywhere; the names were cleaned when the catalogue loaded.
    text = (
        f"{clean_text(str(catalog.path))}: ok, {plural(len(catalog.frameworks), 'framework')}"
        f" (schema {catalog.schema_version}, checked {catalog.checked.isoformat()}): {listed}"
    )
    # As Rich would wrap it: at spaces, folding a word longer than the line.
    return textwrap.fill(text, width, break_on_hyphens=False) + "\n"
