"""The catalogue as data: reading, checking and caching it; no Rich, no Typer.

:func:`load_catalog` is the one door; the modules behind it are
``strict_yaml`` (the YAML reader), ``fields`` (typed field readers),
``schema`` (this catalogue's rules), ``cache`` and ``model``.  This module
imports none of them until asked, so that ``fwpick --version`` stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fwpick.catalog.model import Catalog


def bundled_catalog_path() -> Path:
    """Where the catalogue shipped with fwpick is.

    A built wheel carries it inside the package; an editable install runs from
    the source tree, where it lives in ``data/`` at the repository's top.
    """
    # Not importlib.resources: its import costs milliseconds on every command,
    # and the catalogue must be a real file anyway for the YAML reader.
    package = Path(__file__).resolve().parents[1]
    packaged = package / "data" / "frameworks.yaml"
    if packaged.is_file():
        return packaged
    return package.parents[1] / "data" / "frameworks.yaml"


def load_catalog(path: str | Path | None = None, *, cache: bool = True) -> Catalog:
    """Read and validate a catalogue (the bundled one by default).

    With ``cache`` a validated catalogue is kept between runs and reused while
    the file holds the same bytes (see :mod:`fwpick.catalog.cache`).  Raises
    :class:`~fwpick.errors.CatalogError` naming every problem.
    """
    if cache:
        from fwpick.catalog.cache import load_catalog as load_cached

        return load_cached(path)
    from fwpick.catalog.schema import load_catalog as load_uncached

    return load_uncached(path)
