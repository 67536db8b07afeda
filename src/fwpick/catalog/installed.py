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
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from fwpick.catalog.model import Framework, framework_keys

_SEPARATORS = re.compile(r"[-_.]+")
_SUFFIXES = (".dist-info", ".egg-info")


def _normalise(name: str) -> str:
    """A distribution name as PEP 503 compares it: ``Zope.Interface`` is ``zope-interface``."""
    return _SEPARATORS.sub("-", name).lower()


class Environment(NamedTuple):
    """Where fwpick looks for installed frameworks: the user's project environment."""

    label: str  # said to the user: "the active virtual environment /p/.venv"
    paths: tuple[str, ...]  # the folders that hold its distributions


def project_environment(given: str | None = None) -> Environment:
    """The environment to report on: ``given`` (a venv or a python), else $VIRTUAL_ENV,
    else the ``python`` on PATH, else the one running fwpick.

    fwpick usually lives in a venv or pipx environment of its own, where the
    user's frameworks are not; the project's environment is the one that counts.
    """
    if given:
        return _environment_at(Path(given), f"the environment {given}")
    active = os.environ.get("VIRTUAL_ENV", "")
    if active:
        return _environment_at(Path(active), f"the active virtual environment {active}")
    python = shutil.which("python3") or shutil.which("python")
    if python and Path(python).resolve() != Path(sys.executable).resolve():
        found = _environment_at(Path(python), f"the python on PATH ({python})")
        if found.paths:
            return found
    return Environment(f"fwpick's own environment ({sys.prefix})", tuple(sys.path))


def _environment_at(where: Path, label: str) -> Environment:
    """The site-packages folders of a venv (or a Python's prefix), found without running it.

    Running the interpreter would cost a process start on every command; a
    venv's layout says where its distributions are.  A ``python`` that is a
    launcher script (pyenv's shims) is followed no further.
    """
    prefix = where if where.is_dir() else where.resolve().parent.parent
    found = sorted(str(p) for p in prefix.glob("lib/python3*/site-packages"))
    found += [str(p) for p in prefix.glob("Lib/site-packages")]  # Windows
    if found:
        return Environment(label, tuple(found))
    return Environment(f"{label}: no site-packages found there", ())


def installed_versions(
    frameworks: Sequence[Framework], paths: tuple[str, ...] | None = None
) -> dict[str, str]:
    """Map framework id to the installed distribution's version, for those installed.

    ``paths`` are the folders to look in (an :class:`Environment`'s); by
    default fwpick's own ``sys.path``.  Only ids and PyPI names are read, so
    a cached catalogue's frameworks are not loaded for it.
    """
    wanted: dict[str, list[str]] = {}
    for ident, _, pypi in framework_keys(frameworks):
        wanted.setdefault(_normalise(pypi), []).append(ident)
    found: dict[str, str] = {}
    for folder in sys.path if paths is None else paths:
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
