"""Validated catalogues kept between runs, so most commands never parse YAML.

Reading the catalogue is the costliest thing a command does: importing PyYAML,
parsing and validating take longer than all the rest of fwpick's own work.  So
the CLI keeps each validated catalogue in the user's cache folder with the
SHA-256 of the exact bytes it was read from, and uses it only while the file
still has that digest: any edit, however small or quick, is a miss.  Hashing
60 MiB takes longer than the rest of a cached run, so, as Git and Make do, the
digest is remembered with the file's inode, size and times, and worked out
again only when one of them differs; a file changed too recently for its times
to be trusted (:data:`SETTLED_NS`) is always hashed.  The key
also holds the fwpick version, the Python version and the size and time of the
modules that read catalogues (PyYAML's too), so a new or edited fwpick or
PyYAML never reuses an old result.  Invalid catalogues are never cached; their
errors always come from the full loader.

An entry is a record file (:mod:`fwpick.catalog.records`): the catalogue
without its frameworks and each framework's id, name and PyPI name up front,
then one record per framework, unpickled only when it is used.  So counting
10,000 frameworks, or printing twenty of them, reads a few kilobytes of
objects, not all of them.  What a command works out from every framework (the
ranking's criteria, say) is kept beside the entry as *derived data*, built
the first time it is asked for (:meth:`CachedFrameworks.derived`).

Entries are read back by an unpickler that accepts only the model's classes
and dates, so a tampered cache file can at worst describe other frameworks,
never run code.  ``FWPICK_NO_CACHE=1`` turns the cache off; it lives in
``$XDG_CACHE_HOME/fwpick`` (``~/.cache/fwpick``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, overload

from fwpick import __version__
from fwpick.catalog import model
from fwpick.catalog.records import DamagedRecord, RecordFile, dumps, loads, write
from fwpick.errors import CatalogError
from fwpick.files import regular_file_chunks, regular_file_stat
from fwpick.heap import no_collection

FORMAT = 3
# The oldest entries go when there are more than this many, or when with
# their derived data they take more than this much room (a catalogue of
# 10,000 frameworks takes about 150 MiB).
MAX_ENTRIES = 16
MAX_BYTES = 1024 * 1024 * 1024
_SUFFIX = ".pickle"
_DERIVED_SUFFIX = ".derived"
_DIGEST_SUFFIX = ".digest"  # the file's digest, remembered with its inode, size and times
# A file changed this recently may change again within one tick of the file
# system's clock (a second or two on some) without its times showing it, so
# its digest is not remembered: the next run hashes it again ("racily clean",
# as Git calls it).
SETTLED_NS = 3_000_000_000
# The modules whose code decides what a catalogue file loads as.
# Paths are relative to the fwpick package.
_LOADER_MODULES = (
    "catalog/__init__.py",
    "catalog/schema.py",
    "catalog/fields.py",
    "catalog/strict_yaml.py",
    "catalog/model.py",
    "catalog/cache.py",
    "catalog/records.py",
    "catalog/sections.py",
    "catalog/entries.py",
    "catalog/throughput.py",
    "features.py",
    "heap.py",
    "textfile.py",
    "files.py",
    "text.py",
)
_ALLOWED = frozenset(
    {("datetime", "date")}
    | {
        ("fwpick.catalog.model", name)
        for name, value in vars(model).items()
        if isinstance(value, type) and value.__module__ == model.__name__
    }
)
Keys = tuple[tuple[str, str, str], ...]  # (id, name, PyPI name) of each framework
T = TypeVar("T")


def load_catalog(path: str | Path | None = None) -> model.Catalog:
    """:func:`fwpick.catalog.load_catalog`, answered from the cache while the file is unchanged."""
    from fwpick.catalog import bundled_catalog_path
    from fwpick.textfile import read_bytes

    file = Path(path) if path is not None else bundled_catalog_path()
    folder = cache_folder()
    if folder is None:
        from fwpick.catalog.schema import catalog_from_bytes

        return catalog_from_bytes(read_bytes(file), str(file))
    key = (FORMAT, __version__, str(file), _loader_fingerprint())
    # Named after the file and the key, so two fwpick installations reading the
    # same file keep an entry each; what decides a hit is the key and digest inside.
    name = zlib.crc32(repr((os.path.abspath(file), key)).encode())
    entry = folder / f"{name:08x}{_SUFFIX}"
    digest = _digest(file, entry)
    with no_collection():  # the header's thousands of keys are kept for the run
        found = RecordFile.open(entry, key, _ALLOWED)
    if found is not None and _is_header(found.header, len(found)) and found.header[0] == digest:
        _, shell, keys, index = found.header
        reparse = _reparse(file, shell.digest)
        frameworks = CachedFrameworks(entry, key, shell.digest, keys, found, reparse, index)
        return shell._replace(frameworks=frameworks)
    # The reader, PyYAML and the checks are imported only on a miss.
    from fwpick.catalog.schema import catalog_from_bytes

    # Parsing the bytes read now, not the file again, keeps the entry true to
    # its digest even if the file changes meanwhile; an invalid one raises here.
    catalog = catalog_from_bytes(read_bytes(file), str(file))
    keys = tuple((fw.id, fw.name, fw.pypi) for fw in catalog.frameworks)
    index = _index(keys)
    header = (catalog.digest, catalog._replace(frameworks=()), keys, index)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write(entry, key, header, (dumps(fw) for fw in catalog.frameworks))
        _evict(folder)
    except Exception:  # read-only home, full disk, a race with another fwpick: no cache
        return catalog
    frameworks = CachedFrameworks(
        entry, key, catalog.digest, keys, None, lambda: catalog.frameworks, index
    )
    frameworks.fill(catalog.frameworks)
    return catalog._replace(frameworks=frameworks)


def _index(keys: Keys) -> dict[str, int]:
    """Each casefolded id, name and PyPI name, and the place of the first framework with it.

    Kept in the entry: at 10,000 frameworks, building it on every run cost more
    than reading it.  Built backwards, so that where two share a key the first wins.
    """
    return {key.casefold(): n for n in range(len(keys) - 1, -1, -1) for key in keys[n]}


def _digest(file: Path, entry: Path) -> str:
    """The file's SHA-256: remembered beside ``entry`` while its inode, size and times
    are those it had when it was hashed, else worked out (and remembered if settled)."""
    now = time.time_ns()  # before the look at the file: see SETTLED_NS
    info = regular_file_stat(file, CatalogError)  # still there, readable, a regular file
    seen = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    remembered = entry.with_suffix(_DIGEST_SUFFIX)
    with contextlib.suppress(OSError, ValueError, UnicodeError):
        *stamps, digest = remembered.read_text(encoding="ascii").split()
        if tuple(map(int, stamps)) == seen and len(digest) == 64:
            return digest
    digest = _file_digest(file)
    # Were the file changed after the look above, its times would no longer be
    # ``seen``: a digest remembered for them can only ever be the old bytes'.
    if now - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLED_NS:
        with contextlib.suppress(OSError):
            remembered.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            temporary = remembered.with_name(f"{remembered.name}.{os.getpid()}.tmp")
            temporary.write_text(" ".join(map(str, (*seen, digest))) + "\n", encoding="ascii")
            os.replace(temporary, remembered)
    return digest


def _file_digest(file: Path) -> str:
    """The SHA-256 of the file's bytes, in hex, read as the loader reads it.

    A digest, not the bytes: the file is read a megabyte at a time into one
    reused buffer and never held whole, which at 10,000 frameworks is 60 MiB
    less memory (and fresh memory for every chunk costs about as much as the
    hashing).
    """
    import hashlib  # OpenSSL's start-up is milliseconds that a remembered digest saves

    digest = hashlib.sha256()
    buffer = bytearray(1024 * 1024)
    for chunk in regular_file_chunks(file, CatalogError, buffer):
        digest.update(chunk)
    return digest.hexdigest()


def _is_header(header: Any, records: int) -> bool:
    """Whether an entry's header is what :func:`load_catalog` writes (a tampered one is a miss)."""
    if not isinstance(header, tuple) or len(header) != 4:
        return False
    digest, shell, keys, index = header
    return (
        isinstance(digest, str)
        and isinstance(shell, model.Catalog)
        and isinstance(index, dict)
        and isinstance(keys, tuple)
        and len(keys) == records
        and all(isinstance(k, tuple) and len(k) == 3 for k in keys)
    )


def _reparse(file: Path, digest: str) -> Callable[[], Sequence[model.Framework]]:
    """What a cache entry falls back on when one of its records is damaged: the file itself."""

    def reparse() -> Sequence[model.Framework]:
        from fwpick.catalog.schema import catalog_from_bytes
        from fwpick.textfile import read_bytes

        catalog = catalog_from_bytes(read_bytes(file), str(file))
        if catalog.digest != digest:
            raise CatalogError(
                f"{file}: changed while fwpick was reading it; run the command again"
            )
        return catalog.frameworks

    return reparse


class CachedFrameworks(Sequence[model.Framework]):
    """A cached catalogue's frameworks, each unpickled the first time it is used.

    ``keys`` (id, name and PyPI name of each) answer look-ups without loading
    anything.  A record that turns out damaged is not trusted: the entry is
    deleted and the frameworks are read from the catalogue file instead.
    """

    def __init__(
        self,
        entry: Path,
        key: tuple[Any, ...],
        digest: str,
        keys: Keys,
        records: RecordFile | None,
        reparse: Callable[[], Sequence[model.Framework]],
        index: dict[str, int],
    ) -> None:
        self.entry = entry
        self.key = key
        self.digest = digest
        self.keys = keys
        self._records = records
        self._reparse = reparse
        self._items: list[model.Framework | None] = [None] * len(keys)
        self._index = index

    def fill(self, frameworks: Sequence[model.Framework]) -> None:
        self._items = list(frameworks)

    def number_of(self, wanted: str) -> int | None:
        """The place of the first framework with ``wanted`` (casefolded) as its id, name or
        PyPI name, as :meth:`~fwpick.catalog.model.Catalog.get` looks them up."""
        return self._index.get(wanted)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> model.Framework: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[model.Framework, ...]: ...

    def __getitem__(self, index: int | slice) -> model.Framework | tuple[model.Framework, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        found = self._items[index]
        if found is None:
            found = self._load(index if index >= 0 else len(self) + index)
        return found

    def __iter__(self) -> Iterator[model.Framework]:
        if None in self._items:
            with no_collection():  # every framework at once: see no_collection
                for number in range(len(self)):
                    self[number]
        return iter(self._items)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} cached frameworks of {self.entry.name}>"

    def _load(self, number: int) -> model.Framework:
        assert self._records is not None
        try:
            found = self._records.load(number, _ALLOWED)
            if not isinstance(found, model.Framework) or found.id != self.keys[number][0]:
                raise DamagedRecord(f"record {number} is not framework {self.keys[number][0]}")
        except DamagedRecord:
            with contextlib.suppress(OSError):
                self.entry.unlink()
            self.fill(self._reparse())
            return self._items[number]  # type: ignore[return-value]
        self._items[number] = found
        return found

    def derived(self, name: str, modules: Sequence[str], build: Callable[[], T]) -> T:
        """What ``build`` works out from these frameworks, kept beside the entry.

        ``modules`` are the files (relative to the fwpick package) whose code
        decides what ``build`` returns; editing one makes the kept value stale.
        The value must be made of plain Python data (tuples, dicts, strings,
        numbers), which is all the cache's unpickler builds.  When it cannot be
        kept (no cache folder, a full disk) it is built again each time.
        """
        path = self.entry.with_name(f"{self.entry.stem}.{name}{_DERIVED_SUFFIX}")
        key = (self.key, self.digest, name, _fingerprint(modules))
        found = RecordFile.open(path, key, _ALLOWED)
        if found is not None:
            try:
                # Kept for the rest of the run, like a value just built: a
                # collection walking its many tuples would free nothing.
                with no_collection():
                    return loads(found.record(0), _ALLOWED)
            except Exception:  # damaged: built again below
                pass
        with no_collection():
            value = build()
        with contextlib.suppress(Exception):
            write(path, key, None, [dumps(value)])
        return value

    def derived_records(
        self, name: str, modules: Sequence[str], build: Callable[[], list[bytes]]
    ) -> KeptRecords:
        """Like :meth:`derived`, for a list of byte strings read one at a time (big texts)."""
        path = self.entry.with_name(f"{self.entry.stem}.{name}{_DERIVED_SUFFIX}")
        key = (self.key, self.digest, name, _fingerprint(modules))
        found = RecordFile.open(path, key, _ALLOWED)
        if found is not None and found.header == len(found):
            return KeptRecords(found)
        with no_collection():
            value = build()
        with contextlib.suppress(Exception):
            write(path, key, len(value), value)
        return KeptRecords(value)


class KeptRecords(Sequence[bytes]):
    """Derived byte strings: read from their file one at a time, or just built."""

    def __init__(self, found: RecordFile | list[bytes]) -> None:
        self._found = found

    def __len__(self) -> int:
        return len(self._found)

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> list[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | list[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if isinstance(self._found, list):
            return self._found[index]
        try:
            return self._found.record(index)
        except DamagedRecord:
            raise self._damaged(self._found) from None

    def every(self, numbers: Iterable[int]) -> Iterator[bytes]:
        """The records at ``numbers``, in turn, read in big blocks where they are neighbours."""
        if isinstance(self._found, list):
            found = self._found
            yield from (found[n] for n in numbers)
            return
        try:
            yield from self._found.records(numbers)
        except DamagedRecord:
            raise self._damaged(self._found) from None

    @staticmethod
    def _damaged(found: RecordFile) -> CatalogError:
        with contextlib.suppress(OSError):
            os.unlink(found.name)  # the next run builds it again
        return CatalogError(f"{found.name}: a cache file is damaged and was deleted; run again")


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
    extra = [Path(yaml.origin)] if yaml is not None and yaml.origin else []
    return (sys.version_info[:2], *_fingerprint(_LOADER_MODULES, extra))


def _fingerprint(modules: Sequence[str], extra: Sequence[Path] = ()) -> tuple[object, ...]:
    """The size and modification time of each module (relative to the fwpick package)."""
    package = Path(__file__).parents[1]
    stamps: list[object] = []
    for file in [*(package / name for name in modules), *extra]:
        try:
            stat = os.stat(file)
        except OSError:
            stamps.append(str(file))
        else:
            stamps.append((str(file), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def _evict(folder: Path) -> None:
    """Keep the newest entries, at most :data:`MAX_ENTRIES` and :data:`MAX_BYTES` with their
    derived data (the newest always stays); derived data and digests go with their entry."""
    entries: dict[str, tuple[int, str]] = {}  # by name: modification time, path
    sizes: dict[str, int] = {}  # by entry name: the bytes of the entry and its derived data
    belongings = []
    for child in os.scandir(folder):
        owner = child.name.split(".", 1)[0]
        if child.name.endswith(_SUFFIX):
            entries[owner] = (child.stat().st_mtime_ns, child.path)
        elif child.name.endswith((_DERIVED_SUFFIX, _DIGEST_SUFFIX)):
            belongings.append((owner, Path(child.path)))
        else:
            continue
        sizes[owner] = sizes.get(owner, 0) + child.stat().st_size
    total = 0
    newest_first = sorted(entries.items(), key=lambda item: item[1], reverse=True)
    for kept, (name, (_, path)) in enumerate(newest_first):
        total += sizes[name]
        if kept and (kept >= MAX_ENTRIES or total > MAX_BYTES):
            Path(path).unlink(missing_ok=True)
            del entries[name]
    for owner, extra in belongings:
        if owner not in entries:
            extra.unlink(missing_ok=True)
