"""The release history of a project, worked out from the package index's JSON answer.

``https://pypi.org/pypi/NAME/json`` lists every version with its files.  The
catalogue counts a version as released on the earliest upload of its files
that are not yanked, and leaves out a version whose files are all yanked (or
that has none).  Standard library only, so the unit tests need no extra.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple


class IndexHistory(NamedTuple):
    """What the index says of a project's releases up to a day."""

    first_release: date
    release_count: int
    releases_last_12_months: int
    window: tuple[date, date]  # the 12 months counted, first and last day


def release_dates(index_json: Mapping[str, Any]) -> dict[str, date]:
    """Each version's release day: its first upload that is not yanked."""
    dates = {}
    for version, files in (index_json.get("releases") or {}).items():
        uploads = [
            _day(file.get("upload_time_iso_8601") or file["upload_time"])
            for file in files or ()
            if not file.get("yanked")
        ]
        if uploads:
            dates[version] = min(uploads)
    return dates


def history_until(index_json: Mapping[str, Any], until: date) -> IndexHistory:
    """The history as it stood on ``until``: later releases are not counted yet.

    Raises ValueError when the project had no release by then.
    """
    days = [day for day in release_dates(index_json).values() if day <= until]
    if not days:
        raise ValueError(f"no release on the index by {until.isoformat()}")
    start = a_year_before(until) + timedelta(days=1)
    recent = sum(1 for day in days if start <= day)
    return IndexHistory(min(days), len(days), recent, (start, until))


def a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _day(timestamp: str) -> date:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).date()
