"""Validated catalogues kept between runs, so most commands never parse YAML.

Reading the catalogue is the costliest thing a command does: importing PyYAML,
parsing and validating take longer than all the rest of fwpick's own work.  So
the CLI keeps each validated catalogue in the user's cache folder together with
a copy of the exact bytes it was read from, and uses it only while the file
still holds those bytes: any edit, however small or quick, is a miss.  The key
also holds the fwpick version, the Python version and the size and time of the
modules that read catalogues (PyYAML's too), so a new or edited fwpick or
PyYAML never reuses an old result.  Invalid catalogues are never cached; their
errors always come from the full loader.

The cache is written with :mod:`pickle` and read back by an unpickler that
accepts only the model's classes and dates, so a tampered cache file can at
worst describe other frameworks, never run code.  ``FWPICK_NO_CACHE=1`` turns
the cache off; it lives in ``$XDG_CACHE_HOME/fwpick`` (``~/.cache/fwpick``).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import Any

from fwpick import __version__
from fwpick.catalog import model
from fwpick.textfile import read_bytes

FORMAT = 1
# The oldest entries go when there are more than this.
MAX_ENTRIES = 16
_SUFFIX = ".pickle"
# The modules whose code decides what a catalogue file loads as.
# Paths are relative to the fwpick package.
_LOADER_MODULES = (
    "catalog/__init__.py",
    "catalog/schema.py",
    "catalog/fields.py",
    "catalog/strict_yaml.py",
    "catalog/model.py",
    "catalog/cache.py",
    "catalog/sections.py",
    "catalog/entries.py",
    "catalog/throughput.py",
    "features.py",
    "textfile.py",
    "files.py",
    "text.py",
)
_ALLOWED = {("datetime", "date")} | {
    ("fwpick.catalog.model", name)
    for name, value in vars(model).items()
    if isinstance(value, type) and value.__module__ == model.__name__
}


def load_catalog(path: str | Path | None = None) -> model.Catalog:
    """:func:`fwpick.catalog.load_catalog`, answered from the cache while the file is unchanged."""
    from fwpick.catalog import bundled_catalog_path
    from fwpick.catalog.schema import catalog_from_bytes

    file = Path(path) if path is not None else bundled_catalog_path()
    data = read_bytes(file)
    folder = cache_folder()
    if folder is None:
        return catalog_from_bytes(data, str(file))
    key = (FORMAT, __version__, str(file), _loader_fingerprint())
    # Named after the file and the key, so two fwpick installations reading the
    # same file keep an entry each; what decides a hit is the check in _read.
    name = zlib.crc32(repr((os.path.abspath(file), key)).encode())
    entry = folder / f"{name:08x}{_SUFFIX}"
    catalog = _read(entry, key, data)
    if catalog is not None:
        return catalog
    # Parsing the bytes already read, not the file again, keeps the entry true
    # to its key even if the file changes meanwhile; an invalid one raises here.
    catalog = catalog_from_bytes(data, str(file))
    _write(folder, entry, (key, data, catalog))
    return catalog


def cache_folder() -> Path | None:
    """Where cached catalogues go, or None when caching is off or there is no home."""
    if os.environ.get("FWPICK_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec says to ignore a relative value
        try:
            home = Path.home()
        except RuntimeError:
            return None
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = str(home / "Library" / "Caches")
        else:
            base = str(home / ".cache")
    return Path(base) / "fwpick"


def _loader_fingerprint() -> tuple[object, ...]:
    """What, besides the file, decides what it loads as: Python, PyYAML and fwpick's loader."""
    from importlib.util import find_spec

    yaml = find_spec("yaml")  # found, not imported
    package = Path(__file__).parents[1]
    files = [package / name for name in _LOADER_MODULES]
    if yaml is not None and yaml.origin:
        files.append(Path(yaml.origin))
    stamps: list[object] = [sys.version_info[:2]]
    for file in files:
        try:
            stat = os.stat(file)
        except OSError:
            stamps.append(str(file))
        else:
            stamps.append((str(file), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} has no place in a catalogue")
        return super().find_class(module, name)


def _read(entry: Path, key: tuple[Any, ...], data: bytes) -> model.Catalog | None:
    try:
        with entry.open("rb") as handle:
            unpickler = _Unpickler(handle)
            if unpickler.load() != key or unpickler.load() != data:
                return None
            catalog = unpickler.load()
    except Exception:  # a missing or damaged entry is a miss: the file is parsed again
        return None
    return catalog if isinstance(catalog, model.Catalog) else None


def _write(folder: Path, entry: Path, parts: tuple[Any, ...]) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
            for part in parts:
                pickler.dump(part)
        os.replace(temporary, entry)
        _evict(folder)
    except Exception:  # read-only home, full disk, a race with another fwpick: no cache
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _evict(folder: Path) -> None:
    entries = []
    for child in os.scandir(folder):
        if child.name.endswith(_SUFFIX):
            entries.append((child.stat().st_mtime_ns, child.path))
    for _, stale in sorted(entries)[: max(len(entries) - MAX_ENTRIES, 0)]:
        Path(stale).unlink(missing_ok=True)
