"""Reading a user's file as UTF-8 text, with one clear error for every way it can fail.

Kept apart from ``yamlfile`` so that reading bytes (for the catalogue cache)
does not import PyYAML.
"""

from __future__ import annotations

from pathlib import Path

from fwpick.errors import CatalogError, FwpickError


def read_bytes(path: Path, error: type[FwpickError] = CatalogError) -> bytes:
    """The file's bytes, or ``error`` saying plainly why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not a YAML file") from None
    except PermissionError:
        raise error(f"{path}: cannot read it (permission denied)") from None
    except OSError as exc:
        raise error(f"{path}: cannot read it ({exc.strerror or exc})") from None


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
