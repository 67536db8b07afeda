"""Which catalogued frameworks are installed here, without importing them.

This reads the ``*.dist-info`` and ``*.egg-info`` folders on ``sys.path``
directly instead of using :mod:`importlib.metadata`: importing that alone costs
about as much as everything else ``fwpick compare`` does (it pulls in the
email parser), and each of its look-ups searches the whole path again.  One
listing of each path entry answers every framework at once.  Distributions
that only a custom import hook knows about are not seen; fwpick just reports
those frameworks as not installed.
"""

from __future__ import annotations

import os
import re
import sys

from fwpick.catalog.model import Framework

_SEPARATORS = re.compile(r"[-_.]+")
_SUFFIXES = (".dist-info", ".egg-info")


def _normalise(name: str) -> str:
    """A distribution name as PEP 503 compares it: ``Zope.Interface`` is ``zope-interface``."""
    return _SEPARATORS.sub("-", name).lower()


def installed_versions(frameworks: list[Framework] | tuple[Framework, ...]) -> dict[str, str]:
    """Map framework id to the installed distribution's version, for those installed."""
    wanted: dict[str, list[str]] = {}
    for fw in frameworks:
        wanted.setdefault(_normalise(fw.pypi), []).append(fw.id)
    found: dict[str, str] = {}
    for folder in sys.path:
        if not wanted:
            break
        try:
            entries = os.scandir(folder or ".")
        except OSError:  # a zip file, or a folder that does not exist
            continue
        with entries:
            for entry in entries:
                if not entry.name.endswith(_SUFFIXES):
                    continue
                stem = entry.name.rsplit(".", 1)[0]
                # "name-version", "name-version-py3.11" (eggs) or just "name".
                name, _, rest = stem.partition("-")
                # As with importlib.metadata, the first distribution on sys.path wins.
                ids = wanted.pop(_normalise(name), None)
                if ids is None:
                    continue
                version = _metadata_version(entry.path) or rest.split("-")[0]
                if version:
                    found.update(dict.fromkeys(ids, version))
    return found


def _metadata_version(path: str) -> str:
    """The ``Version:`` header of a distribution's METADATA (or an egg's PKG-INFO)."""
    candidates = [os.path.join(path, "METADATA"), os.path.join(path, "PKG-INFO"), path]
    for candidate in candidates:
        try:
            with open(candidate, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if line.startswith("Version:"):
                        return line[len("Version:") :].strip()
                    if not line.strip():  # the headers end at the first blank line
                        break
        except OSError:  # missing, or a folder (the egg-info file case)
            continue
        return ""
    return ""
