"""The words every format uses for the catalogue's facts, so that a table, JSON and Markdown agree.

Format-neutral: no Rich, no Markdown.  The maintenance signal is worked out
here from the latest release date, at the date the output is for.
"""

from __future__ import annotations

from datetime import date

from fwpick.catalog import model
from fwpick.catalog.model import Framework

# After a year without a release a project deserves a second look; after two
# it is probably unmaintained or "finished" and the user should know which.
QUIET_MONTHS = 12
STALE_MONTHS = 24


# Development-status classifiers worth a word beside the release cadence: a
# stable or mature project says nothing more than its releases do.
_EARLY_STATUS = {
    "1": "planning",
    "2": "pre-alpha",
    "3": "alpha",
    "4": "beta",
    "7": "inactive",
}


def days_since_release(fw: Framework, today: date) -> int:
    """Days between the latest release and ``today`` (0 on the day itself)."""
    released: date = fw.released.value  # type: ignore[assignment]
    return max((today - released).days, 0)


def _days_ago(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''} ago"


def status_word(fw: Framework) -> str:
    """'alpha', 'beta', 'inactive', ... from the development-status classifier; '' otherwise."""
    if fw.release_history is None:
        return ""
    status = str(fw.release_history.development_status.value)
    return _EARLY_STATUS.get(status[:1], "")


def maintenance_signal(fw: Framework, today: date) -> str:
    """E.g. "3 releases in 12 months, last 94 days ago, beta".

    The count is the release history's (the 12 months before the catalogue
    was checked); the days are counted to ``today``.  Without a release
    history: "last release 94 days ago".
    """
    days = days_since_release(fw, today)
    last = "released today" if days == 0 else f"last release {_days_ago(days)}"
    if fw.release_history is None:
        return last
    count = fw.release_history.releases_last_12_months.value
    releases = "no release" if count == 0 else f"{count} release{'s' if count != 1 else ''}"
    last = "last one today" if days == 0 else f"last {_days_ago(days)}"
    text = f"{releases} in 12 months, {last}"
    status = status_word(fw)
    return f"{text}, {status}" if status else text


def maintenance_level(fw: Framework, today: date) -> str:
    """``active``, ``quiet`` or ``stale``, for colouring the signal."""
    months = fw.months_since_release(today)
    if months >= STALE_MONTHS:
        return "stale"
    if months >= QUIET_MONTHS:
        return "quiet"
    return "active"


def yes_no(value: object) -> str:
    return "yes" if value is True else "no" if value is False else str(value)


def description_with_updates(fw: model.Framework) -> str:
    """The description, followed by today's facts wherever the seed text is out of date."""
    text = fw.description
    for claim in fw.seed_claims:
        text += f" (Now: {claim.current})"
    return text


def python_requirement(fw: model.Framework, sep: str) -> str:
    """Requires-Python, and the release to use on older Pythons where there is one."""
    text = str(fw.facts.requires_python.value) or "any"
    for release in fw.other_releases:
        text += f"{sep}({release.version}: {release.requires_python})"
    return text


def interface_label(value: object) -> str:
    names = {"wsgi": "WSGI", "asgi": "ASGI", "own-server": "own server"}
    return " + ".join(names.get(str(v), str(v)) for v in value)  # type: ignore[attr-defined]


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
    if fw.features is not None:
        for level, label in (("yes", "Built in"), ("extra", "As an extra")):
            names = [n for n, f in fw.features.items() if f.value == level]
            if names:
                first = fw.features[names[0]]
                rows.append((label, ", ".join(n.replace("_", " ") for n in names), first))
    if fw.release_history is not None:
        rows.append(("Release history", release_history_text(fw), fw.release_history.release_count))
    measured = fw.measured
    if measured is not None:
        # Each row is sourced by the first of its facts that was measured.
        ratio = measured.plaintext_ratio or measured.api_ratio
        if ratio is not None:
            rows.append(("Throughput", throughput_text(measured), ratio))
        weight = measured.distributions or measured.installed_mb or measured.import_ms
        if weight is not None:
            rows.append(("Footprint", footprint_text(measured), weight))
    return rows


def throughput_brief(measured: model.Measured | None) -> str:
    """For a table cell: e.g. "0.68x plaintext, 0.73x api" (a bare app's requests per second)."""
    if measured is None:
        return ""
    return ", ".join(
        f"{fact.value:.2f}x {name}"
        for name, fact in (("plaintext", measured.plaintext_ratio), ("api", measured.api_ratio))
        if fact is not None
    )


def footprint_brief(measured: model.Measured | None) -> str:
    """For a table cell: e.g. "7 dists, 5 MB"."""
    if measured is None:
        return ""
    parts = []
    if measured.distributions is not None:
        count = measured.distributions.value
        parts.append(f"{count} dist{'s' if count != 1 else ''}")
    if measured.installed_mb is not None:
        parts.append(f"{measured.installed_mb.value:.0f} MB")
    return ", ".join(parts)


def release_history_text(fw: model.Framework) -> str:
    """E.g. "first release 2010-04-16; 1 in the 12 months to 2026-12-01, 64 in all"."""
    history = fw.release_history
    if history is None:
        return ""
    recent = history.releases_last_12_months
    text = (
        f"first release {fact_text(history.first_release)};"
        f" {recent.value} in the 12 months to {recent.checked.isoformat()},"
        f" {history.release_count.value} in all"
    )
    status = str(history.development_status.value)
    return text + (f"; {status}" if status else "")


def throughput_text(measured: model.Measured) -> str:
    """E.g. "0.68x (plaintext) and 0.73x (api) a bare app's requests per second (measured)"."""
    parts = [
        f"{fact.value:.2f}x ({name})"
        for name, fact in (("plaintext", measured.plaintext_ratio), ("api", measured.api_ratio))
        if fact is not None
    ]
    return f"{' and '.join(parts)} a bare app's requests per second, measured" if parts else ""


def footprint_text(measured: model.Measured) -> str:
    """E.g. "7 distributions, 5.0 MB, import 183 ms (measured)"."""
    parts = []
    if measured.distributions is not None:
        count = measured.distributions.value
        parts.append(f"{count} distribution{'s' if count != 1 else ''}")
    if measured.installed_mb is not None:
        parts.append(f"{measured.installed_mb.value:.1f} MB")
    if measured.import_ms is not None:
        parts.append(f"import {measured.import_ms.value:.0f} ms")
    return ", ".join(parts) + " (measured)" if parts else ""


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
