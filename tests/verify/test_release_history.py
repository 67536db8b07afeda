"""The release history of every entry: against the installed package, and against itself.

The package index itself is asked by ``scripts/refresh_catalog.py`` (the tests
stay offline); what can be checked here is the development-status classifier
of the installed release, that the history agrees with the entry's latest
release and with the 12-month window it names, and that no prose of the entry
(a score's rationale, the notes) states a first release or a release count
other than the history's.  The last would have caught "On PyPI since 2006"
for CherryPy (first release 2005-12-15) and "67 releases" for Quart (68).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from importlib import metadata
from typing import Any

import pytest

from fwpick.catalog import load_catalog
from fwpick.catalog.model import Framework, ReleaseHistory

pytestmark = pytest.mark.verify

CATALOG = load_catalog()
ENTRIES: list[Any] = [*CATALOG.frameworks, *CATALOG.servers, *CATALOG.addons]
IDS = [entry.id for entry in ENTRIES]
VERIFY_INSTALL = "pip install -e '.[verify]'"

# Prose claims about the release history, and the part of it each must equal.
# "On PyPI since 2005", "Released since 2010", "157 releases since 2021".
_SINCE = re.compile(r"\b(?:On PyPI|[Rr]eleased|releases(?: on the index)?) since (\d{4})\b")
# "68 non-yanked releases", "307 releases on the index"; not "65 releases in
# 2026" or "8 final releases", which count something else.
_COUNT = re.compile(r"\b(\d[\d,]*) (?:non-yanked )?releases\b(?! in\b)")
# "16 in the last year", "6 in the last 12 months".
_RECENT = re.compile(r"\b(\d+) (?:releases )?in the last (?:year|12 months)\b")
# The window a releases_last_12_months source names: "uploaded 2025-12-02..2026-12-01".
_WINDOW = re.compile(r"(\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d)")


def history_of(entry: Any) -> ReleaseHistory:
    history: ReleaseHistory | None = entry.release_history
    assert history is not None, f"{entry.id} has no release_history"
    return history


def prose_of(entry: Any) -> list[str]:
    texts = [entry.description, getattr(entry, "comparison_notes", "")]
    if isinstance(entry, Framework):
        texts += [score.rationale for score in entry.scores.values()]
    return [text for text in texts if text]


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_prose_states_the_release_historys_first_year_and_counts(entry: Any) -> None:
    history = history_of(entry)
    first: date = history.first_release.value  # type: ignore[assignment]
    wanted = {
        _SINCE: ("first release", first.year),
        _COUNT: ("release_count", history.release_count.value),
        _RECENT: ("releases_last_12_months", history.releases_last_12_months.value),
    }
    wrong = [
        f"{match.group(0)!r} but {what} is {value}"
        for text in prose_of(entry)
        for pattern, (what, value) in wanted.items()
        for match in pattern.finditer(text)
        if int(match.group(1).replace(",", "")) != value
    ]
    assert not wrong, f"{entry.id}: {'; '.join(wrong)}"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_release_history_agrees_with_the_latest_release_and_its_window(entry: Any) -> None:
    history = history_of(entry)
    released: date = entry.released.value
    first: date = history.first_release.value  # type: ignore[assignment]
    recent = history.releases_last_12_months
    count: int = recent.value  # type: ignore[assignment]
    window = _WINDOW.search(recent.source)
    assert window, f"{entry.id}: releases_last_12_months should name its window (FROM..TO)"
    start, end = (date.fromisoformat(day) for day in window.groups())

    assert end == recent.checked, f"{entry.id}: the window should end on the day it was checked"
    assert start == _a_year_before(end) + timedelta(days=1), f"{entry.id}: not a 12-month window"
    assert first <= released, f"{entry.id}: first release {first} after the latest {released}"
    assert count <= history.release_count.value  # type: ignore[operator]
    if start <= released <= end:
        assert count >= 1, f"{entry.id}: released {released}, within {start}..{end}, yet 0"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_development_status_is_the_installed_releases_classifier(entry: Any) -> None:
    try:
        installed = metadata.metadata(entry.pypi)
    except metadata.PackageNotFoundError:
        pytest.fail(f"{entry.pypi} is not installed; {VERIFY_INSTALL}", pytrace=False)
    classifiers = installed.get_all("Classifier") or []
    statuses = [
        c.removeprefix("Development Status :: ")
        for c in classifiers
        if c.startswith("Development Status :: ")
    ]
    catalogued = str(history_of(entry).development_status.value)

    # No classifier at all is catalogued as "".
    assert catalogued in (statuses or [""]), (
        f"{entry.id} {installed['Version']} declares {statuses or 'no development status'},"
        f" the catalogue says {catalogued!r}"
    )


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
