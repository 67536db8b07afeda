"""The maintenance signal, derived from the latest release date at run time."""

from __future__ import annotations

from datetime import date

from fwpick.catalog.model import Framework

# After a year without a release a project deserves a second look; after two
# it is probably unmaintained or "finished" and the user should know which.
QUIET_MONTHS = 12
STALE_MONTHS = 24


def maintenance_signal(fw: Framework, today: date) -> str:
    """E.g. "last release 29 months ago" or "released this month"."""
    months = fw.months_since_release(today)
    if months == 0:
        return "released this month"
    unit = "month" if months == 1 else "months"
    return f"last release {months} {unit} ago"


def maintenance_level(fw: Framework, today: date) -> str:
    """``active``, ``quiet`` or ``stale``, for colouring the signal."""
    months = fw.months_since_release(today)
    if months >= STALE_MONTHS:
        return "stale"
    if months >= QUIET_MONTHS:
        return "quiet"
    return "active"
