"""Which catalogued frameworks are installed here, without importing them."""

from __future__ import annotations

from importlib import metadata

from fwpick.model import Framework


def installed_versions(frameworks: list[Framework] | tuple[Framework, ...]) -> dict[str, str]:
    """Map framework id to the installed distribution's version, for those installed."""
    found: dict[str, str] = {}
    for fw in frameworks:
        try:
            found[fw.id] = metadata.version(fw.pypi)
        except metadata.PackageNotFoundError:
            continue
    return found
