"""Reading a user's file as UTF-8 text, with one clear error for every way it can fail.

Kept apart from ``yamlfile`` so that reading bytes (for the catalogue cache)
does not import PyYAML.  The reading itself (regular files only, with a size
cap, never blocking) is :func:`fwpick.files.read_regular_file`.
"""

from __future__ import annotations

from fwpick.errors import CatalogError, FwpickError
from fwpick.files import MAX_READ_BYTES, read_regular_file

# Reading lives in fwpick.files now; these names stay for the modules that use them.
__all__ = ["MAX_READ_BYTES", "decode", "read_bytes"]

read_bytes = read_regular_file


def decode(data: bytes, path: str, error: type[FwpickError] = CatalogError) -> str:
    """``data`` as UTF-8 text (a byte-order mark is allowed), or ``error`` naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start});"
            " save the file as UTF-8"
        ) from None
