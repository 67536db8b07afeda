"""The release history worked out from the index's JSON: first release, counts, the 12 months."""

from __future__ import annotations

from datetime import date

import pytest

from fwpick.maintainer.release_history import history_until, release_dates


def _file(when: str, *, yanked: bool = False) -> dict[str, object]:
    return {"upload_time": when[:19], "upload_time_iso_8601": when, "yanked": yanked}


# Versions as the JSON API lists them: a file list per version.
INDEX = {
    "releases": {
        # Registered without files: never released.
        "0.0.1": [],
        # Its sdist came a day after the wheel; the wheel's day counts.
        "0.1": [_file("2005-12-16T00:10:00.000Z"), _file("2005-12-15T23:50:00.000Z")],
        # Every file yanked: not a release.
        "0.2": [_file("2007-01-01T10:00:00.000Z", yanked=True)],
        # One file yanked, one not: released on the day of the one left.
        "1.0": [
            _file("2025-12-01T08:00:00.000Z", yanked=True),
            _file("2025-12-02T08:00:00.000Z"),
        ],
        "1.1": [_file("2026-06-30T12:00:00.000Z")],
        "1.2": [_file("2026-12-01T23:59:59.000Z")],
        "1.3": [_file("2026-12-02T00:00:01.000Z")],
    }
}


def test_a_version_is_released_on_its_first_upload_that_is_not_yanked() -> None:
    assert release_dates(INDEX) == {
        "0.1": date(2005, 12, 15),
        "1.0": date(2025, 12, 2),
        "1.1": date(2026, 6, 30),
        "1.2": date(2026, 12, 1),
        "1.3": date(2026, 12, 2),
    }


def test_the_history_counts_what_was_released_by_the_day_it_was_checked() -> None:
    found = history_until(INDEX, date(2026, 12, 1))

    assert found.first_release == date(2005, 12, 15)
    assert found.release_count == 4  # 1.3 came the day after
    # 2025-12-02..2026-12-01: 1.0, 1.1 and 1.2.
    assert found.window == (date(2025, 12, 2), date(2026, 12, 1))
    assert found.releases_last_12_months == 3


def test_a_release_on_the_first_day_before_the_window_is_not_recent() -> None:
    found = history_until(INDEX, date(2026, 12, 2))

    assert found.window == (date(2025, 12, 3), date(2026, 12, 2))
    assert found.releases_last_12_months == 3  # 1.1, 1.2, 1.3; not 1.0
    assert found.release_count == 5


def test_a_window_ending_on_29_february_starts_on_1_march() -> None:
    assert history_until(INDEX, date(2028, 2, 29)).window[0] == date(2027, 3, 1)


def test_a_project_with_no_release_by_then_is_an_error() -> None:
    with pytest.raises(ValueError, match="no release on the index by 2005-12-14"):
        history_until(INDEX, date(2005, 12, 14))
