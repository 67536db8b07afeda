"""The maintenance signal of compare and show: releases in 12 months, days since the last one.

Days are counted to the day the command runs, so the expected figures are
worked out from today's date here too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import catalog_yaml, framework_yaml, replace_once
from typer.testing import Result

RELEASED = date(2025, 12, 1)  # the released date of conftest's framework entries


def _history(count: int, status: str) -> str:
    return f"""\
    release_history:
      first_release:
        value: 2019-03-04
        source: "pypi.org/pypi/alpha/json: earliest upload_time"
      releases_last_12_months:
        value: {count}
        source: "pypi.org/pypi/alpha/json: non-yanked versions uploaded in the 12 months"
      release_count:
        value: 40
        source: "pypi.org/pypi/alpha/json: non-yanked versions"
      development_status:
        value: "{status}"
        source: wheel METADATA Classifier
"""


def _catalogue(count: int = 7, status: str = "5 - Production/Stable") -> str:
    """Schema 2 with alpha carrying a release history, and beta without one."""
    alpha = replace_once(
        framework_yaml("alpha"), "    links:\n", _history(count, status) + "    links:\n"
    )
    text = catalog_yaml(alpha, framework_yaml("beta", version="2.0"))
    return replace_once(text, "schema_version: 1", "schema_version: 2")


def _last_column(table: str) -> str:
    """The text of a table's last column, row after row, as one line."""
    cells = [line.split("│")[-2] for line in table.splitlines() if line.count("│") >= 2]
    return " ".join(" ".join(cells).split())


def _days() -> int:
    return (date.today() - RELEASED).days


@pytest.mark.parametrize("columns", [80, 130, 200])
def test_compare_says_how_many_releases_in_12_months_and_how_many_days_since_the_last(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], columns: int
) -> None:
    path = write_catalog(_catalogue(count=7))

    result = cli("compare", "--catalog", str(path), columns=columns)

    assert result.exit_code == 0, result.output
    flat = _last_column(result.stdout) if "│" in result.stdout else " ".join(result.stdout.split())
    assert f"7 releases in 12 months, last {_days()} days ago" in flat
    # Without a release history only the days can be said.
    assert f"last release {_days()} days ago" in flat


@pytest.mark.parametrize(
    ("status", "word"), [("3 - Alpha", "alpha"), ("4 - Beta", "beta"), ("7 - Inactive", "inactive")]
)
def test_compare_flags_an_early_or_inactive_development_status(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], status: str, word: str
) -> None:
    path = write_catalog(_catalogue(count=1, status=status))

    result = cli("compare", "--catalog", str(path), "--only", "alpha", columns=80)

    flat = " ".join(result.stdout.split())
    assert f"1 release in 12 months, last {_days()} days ago, {word}" in flat


def test_a_stable_project_with_no_release_in_12_months_says_so_without_a_status(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(_catalogue(count=0))

    result = cli("compare", "--catalog", str(path), "--only", "alpha", columns=80)

    flat = " ".join(result.stdout.split())
    assert f"no release in 12 months, last {_days()} days ago" in flat
    assert "stable" not in flat.split("Facts:")[1]


def test_compare_json_carries_every_part_of_the_signal(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(_catalogue(count=7, status="4 - Beta"))

    result = cli("compare", "--catalog", str(path), "--format", "json")

    frameworks = {fw["id"]: fw["maintenance"] for fw in json.loads(result.stdout)["frameworks"]}
    assert frameworks["alpha"] == {
        "months_since_release": frameworks["alpha"]["months_since_release"],
        "days_since_release": _days(),
        "releases_last_12_months": 7,
        "first_release": "2019-03-04",
        "development_status": "4 - Beta",
        "signal": f"7 releases in 12 months, last {_days()} days ago, beta",
    }
    assert frameworks["beta"]["releases_last_12_months"] is None
    assert frameworks["beta"]["first_release"] is None
    assert frameworks["beta"]["days_since_release"] == _days()


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_show_gives_the_signal_and_the_whole_release_history(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], fmt: str
) -> None:
    path = write_catalog(_catalogue(count=7, status="4 - Beta"))

    result = cli("show", "alpha", "--catalog", str(path), "--format", fmt, columns=120)

    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.replace("│", " ").split())
    assert f"7 releases in 12 months, last {_days()} days ago, beta" in flat
    # The window of the count is the one it was checked for, not today's.
    assert "first release 2019-03-04; 7 in the 12 months to 2026-01-15, 40 in all; 4 - Beta" in flat


def test_the_bundled_compare_gives_every_framework_its_signal_at_80_columns(
    cli: Callable[..., Result],
) -> None:
    table = cli("compare", columns=80)
    data = json.loads(cli("compare", "--format", "json").stdout)

    flat = " ".join(table.stdout.split())
    for fw in data["frameworks"]:
        assert fw["maintenance"]["releases_last_12_months"] is not None, fw["id"]
        assert fw["maintenance"]["signal"] in flat, fw["id"]
