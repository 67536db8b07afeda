"""Cache files of numbered records, each read only when it is asked for.

A catalogue of 10,000 frameworks is tens of megabytes of objects, and most
commands need a few of them: ``recommend`` prints twenty, ``validate`` counts
them.  So a cache file holds a key, a header and then one record per item,
with an index of where each record is and its CRC-32; opening the file reads
the key, the header and the index, and a record is read (and checked) when it
is first asked for.

Layout: :data:`MAGIC`, then three parts (the key, the header and the index,
each a pickle), each preceded by its length as 8 little-endian bytes, then
the records one after another.  Pickles are read back by an unpickler that
accepts only the classes it is given, so a tampered file can at worst
describe other frameworks, never run code.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import pickle
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

MAGIC = b"fwpick records 2\n"
_LENGTH = 8
_BLOCK = 4 * 1024 * 1024  # how much :meth:`RecordFile.records` reads at once


class DamagedRecord(Exception):
    """A record that is missing, fails its checksum or does not unpickle."""


class RestrictedUnpickler(pickle.Unpickler):
    """Builds only the classes named in ``allowed`` (module, name); builtins need no class."""

    def __init__(self, file: IO[bytes], allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(file)
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} has no place in a cache file")
        return super().find_class(module, name)


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes, allowed: frozenset[tuple[str, str]]) -> Any:
    return RestrictedUnpickler(io.BytesIO(data), allowed).load()


def _part(data: bytes) -> bytes:
    return len(data).to_bytes(_LENGTH, "little") + data


def write(path: Path, key: Any, header: Any, records: Iterable[bytes]) -> None:
    """Write a record file atomically (a temporary file renamed into place); raises OSError."""
    body = list(records)
    index = (tuple(len(r) for r in body), tuple(zlib.crc32(r) for r in body))
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(MAGIC)
            for part in (key, header, index):
                handle.write(_part(dumps(part)))
            handle.writelines(body)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


class RecordFile:
    """An open record file: its header, and its records on demand.

    The file stays open while the object lives, so a later replacement of the
    file by another fwpick (written under a new name and renamed into place)
    never mixes two versions.
    """

    def __init__(
        self, handle: IO[bytes], header: Any, index: tuple[tuple[int, ...], tuple[int, ...]]
    ) -> None:
        self._handle = handle
        self.name = str(getattr(handle, "name", ""))
        self.header = header
        lengths, self._checks = index  # of each record: its length and CRC-32
        base = handle.tell()
        self._starts = list(itertools.accumulate(lengths[:-1], initial=base)) if lengths else []
        self._lengths = lengths
        self.end = base + sum(lengths)

    @classmethod
    def open(cls, path: Path, key: Any, allowed: frozenset[tuple[str, str]]) -> RecordFile | None:
        """The file at ``path`` if it holds ``key`` and is whole; None for a miss."""
        try:
            handle = path.open("rb")
        except OSError:
            return None
        try:
            if handle.read(len(MAGIC)) != MAGIC or loads(_read_part(handle), allowed) != key:
                handle.close()
                return None
            header = loads(_read_part(handle), allowed)
            index = loads(_read_part(handle), allowed)
            found = cls(handle, header, index)
            # A file cut short (a full disk, a crash) is a miss, not a late surprise.
            if os.fstat(handle.fileno()).st_size != found.end:
                handle.close()
                return None
            return found
        except Exception:  # a damaged or foreign file is a miss
            handle.close()
            return None

    def __len__(self) -> int:
        return len(self._lengths)

    def record(self, number: int) -> bytes:
        """The bytes of one record; raises :class:`DamagedRecord`."""
        try:
            self._handle.seek(self._starts[number])
            data = self._handle.read(self._lengths[number])
        except (OSError, ValueError) as exc:
            raise DamagedRecord(str(exc)) from None
        if len(data) != self._lengths[number] or zlib.crc32(data) != self._checks[number]:
            raise DamagedRecord(f"record {number} is damaged")
        return data

    def records(self, numbers: Iterable[int]) -> Iterator[bytes]:
        """The bytes of these records, in turn; neighbours are read a few megabytes at a time."""
        block = b""
        block_start = block_end = 0
        for number in numbers:
            start, length = self._starts[number], self._lengths[number]
            if not block_start <= start or start + length > block_end:
                self._handle.seek(start)
                block = self._handle.read(max(length, _BLOCK))
                block_start, block_end = start, start + len(block)
            data = block[start - block_start : start - block_start + length]
            if len(data) != length or zlib.crc32(data) != self._checks[number]:
                raise DamagedRecord(f"record {number} is damaged")
            yield data

    def load(self, number: int, allowed: frozenset[tuple[str, str]]) -> Any:
        """One record, unpickled; raises :class:`DamagedRecord`."""
        data = self.record(number)
        try:
            return loads(data, allowed)
        except Exception as exc:
            raise DamagedRecord(f"record {number}: {exc}") from None


def _read_part(handle: IO[bytes]) -> bytes:
    length = int.from_bytes(handle.read(_LENGTH), "little")
    data = handle.read(length)
    if len(data) != length:
        raise DamagedRecord("a part is cut short")
    return data
