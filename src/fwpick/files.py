"""The files fwpick reads and writes: only regular files, read with a size cap, written atomically.

Reading refuses at once anything that is not a regular file (a FIFO would
block for ever, ``/dev/zero`` never ends) and anything larger than
:data:`MAX_READ_BYTES`.  Writing goes to a temporary name in the target's own
directory and is renamed into place, so an interrupted run leaves either the
old state or the complete new one.  Every failure is an :class:`OSError` or a
:class:`FwpickError` whose wording is fwpick's own (:func:`os_reason`), never
the platform's.

Only cheap modules are imported here: ``tempfile`` and ``signal`` are
imported by the writers that need them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

from fwpick.errors import CatalogError, FwpickError

# A catalogue of 10,000 frameworks is about 40-60 MiB; nothing fwpick reads
# legitimately comes near this, and it keeps /dev/zero-like files harmless.
MAX_READ_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024

# fwpick's wording for the errors a user can meet, so that the message does
# not depend on the platform's C library.
_REASONS = {
    errno.ENOENT: "No such file or directory",
    errno.EACCES: "Permission denied",
    errno.EPERM: "Permission denied",
    errno.ENAMETOOLONG: "File name too long",
    errno.ELOOP: "Too many levels of symbolic links",
    errno.ENOSPC: "No space left on device",
    errno.EDQUOT: "Disk quota exceeded",
    errno.EROFS: "Read-only file system",
    errno.ENOTDIR: "A part of the path is not a directory",
    errno.EISDIR: "Is a directory",
    errno.EEXIST: "Already exists",
    errno.EIO: "Input/output error",
    errno.ENXIO: "No such device or address",
    errno.ETXTBSY: "The file is busy",
    errno.EBUSY: "The device or resource is busy",
    errno.EFBIG: "The file is too large",
    errno.EMFILE: "Too many open files",
    errno.ENFILE: "Too many open files",
    errno.EXDEV: "Not on the same file system",
}


def os_reason(exc: OSError) -> str:
    """A short, fwpick-worded reason for ``exc`` (``"No space left on device"``)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    if exc.errno is not None:
        name = errno.errorcode.get(exc.errno, str(exc.errno))
        return f"system error {name}"
    return "system error"


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, with its article: ``"a FIFO"``."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a special file"


def _size_limit_text() -> str:
    mib = 1024 * 1024
    if MAX_READ_BYTES % mib == 0:
        return f"{MAX_READ_BYTES // mib} MiB"
    return f"{MAX_READ_BYTES:,} bytes"


# --- reading ---------------------------------------------------------------


def read_regular_file(path: Path, error: type[FwpickError] = CatalogError) -> bytes:
    """The bytes of the regular file ``path``, or ``error`` saying plainly why not.

    Never blocks: the file is opened non-blocking and checked with ``fstat``
    before a byte is read, so a FIFO, a device or a socket is refused at once.
    """
    return b"".join(regular_file_chunks(path, error))


def regular_file_chunks(
    path: Path, error: type[FwpickError] = CatalogError, buffer: bytearray | None = None
) -> Iterator[bytes | memoryview]:
    """The bytes of ``path`` a megabyte at a time, checked as :func:`read_regular_file` does.

    With ``buffer``, each chunk is a view of it, good until the next one is read.
    """
    readv = getattr(os, "readv", None) if buffer is not None else None
    fd, _ = _open_regular(path, error)
    try:
        total = 0
        while True:
            chunk: bytes | memoryview
            if readv is not None and buffer is not None:
                chunk = memoryview(buffer)[: readv(fd, [buffer])]
            else:
                chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_READ_BYTES:  # a file that grows, or lies about its size
                raise error(_too_large(path))
            yield chunk
    except OSError as exc:
        raise error(_unreadable(path, exc)) from None
    finally:
        os.close(fd)


def regular_file_stat(path: Path, error: type[FwpickError] = CatalogError) -> os.stat_result:
    """The ``fstat`` of ``path`` opened for reading, checked as :func:`regular_file_chunks`
    checks it, without reading a byte: what a caller that trusts a file it has seen
    before must know, that it is still there, still readable and still a regular file."""
    fd, info = _open_regular(path, error)
    os.close(fd)
    return info


def _open_regular(path: Path, error: type[FwpickError]) -> tuple[int, os.stat_result]:
    """A descriptor open on ``path`` for reading and its ``fstat``, or ``error`` if it is
    not a readable regular file of at most :data:`MAX_READ_BYTES`."""
    try:
        # A first look without opening: opening some devices has effects.
        before = os.stat(path)
    except OSError as exc:
        raise error(_unreadable(path, exc)) from None
    _check_readable_kind(path, before.st_mode, error)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise error(_unreadable(path, exc)) from None
    try:
        info = os.fstat(fd)
        # The file may have been swapped since the stat above.
        _check_readable_kind(path, info.st_mode, error)
        if info.st_size > MAX_READ_BYTES:
            raise error(_too_large(path))
    except OSError as exc:
        os.close(fd)
        raise error(_unreadable(path, exc)) from None
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def _check_readable_kind(path: Path, mode: int, error: type[FwpickError]) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a directory, not a YAML file")
    raise error(f"{path}: is not a regular file ({kind_of(mode)}); give a YAML file")


def _too_large(path: Path) -> str:
    return f"{path}: is larger than {_size_limit_text()}, the most fwpick reads"


def _unreadable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"{path}: is a symbolic link to a file that does not exist"
        return f"{path}: no such file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{path}: cannot read it (permission denied)"
    if exc.errno == errno.ELOOP:
        return f"{path}: is a symbolic link that loops (or goes through too many links)"
    if exc.errno == errno.ENAMETOOLONG:
        return f"{path}: cannot read it (the file name is too long)"
    if exc.errno == errno.ENXIO:  # opening a socket
        return f"{path}: is not a regular file (a socket or a device); give a YAML file"
    return f"{path}: cannot read it ({os_reason(exc).lower()})"


# --- writing ---------------------------------------------------------------


def lstat_or_none(path: Path) -> os.stat_result | None:
    """``os.lstat(path)``, or None when nothing (not even a dangling link) is there."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def replaceable(path: Path, info: os.stat_result) -> str | None:
    """None if the existing ``path`` (lstat ``info``) may be replaced, else what it is.

    Only a regular file, or a symbolic link to one (or to nothing), may be
    replaced: the link itself is replaced, never what it points at.
    """
    if stat.S_ISREG(info.st_mode):
        return None
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.stat(path)
        except OSError:  # dangling, or a loop: the link alone is replaced
            return None
        if stat.S_ISREG(target.st_mode):
            return None
        return f"a symbolic link to {kind_of(target.st_mode)}"
    return kind_of(info.st_mode)


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_temporary(directory: Path, name: str, text: str) -> Path:
    """Write ``text`` to a new hidden temporary file in ``directory``, synced; return its path.

    On any failure (or interrupt) the temporary file is removed again.
    """
    import tempfile

    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private; give it the mode a normal write would.
        os.chmod(tmp, _file_mode())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def link_without_replacing(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path``; FileExistsError if anything (even a dangling link) is there.

    A hard link fails if the target appeared meanwhile, where a rename would
    silently replace it.  Some filesystems have no hard links: then rename,
    after checking once more.
    """
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(tmp, path)


def write_atomically(path: Path, text: str, *, replace: bool) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place.

    ``replace`` lets it replace what is there (the caller has checked it is
    :func:`replaceable`); otherwise anything there raises FileExistsError.
    Raises OSError; the temporary file never outlives the call.
    """
    directory = path.parent if str(path.parent) else Path(".")
    tmp = write_temporary(directory, path.name, text)
    try:
        if replace:
            os.replace(tmp, path)
        else:
            link_without_replacing(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While writing, turn SIGTERM into ``SystemExit(143)`` so that cleanup code runs.

    The default action of SIGTERM ends the process at once, skipping every
    ``finally``; raising instead lets the writers remove their temporary
    files, and the process still ends with 143, the shell's code for SIGTERM.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:  # ignored or handled by someone else: leave it
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- the decision record's file (--report) ---------------------------------

_NOT_REPLACED = "fwpick only replaces regular files"


def check_writable(
    path: str | Path, force: bool, protected: Mapping[str, str | Path | None] | None = None
) -> None:
    """Fail early, before any question is asked, if the report could not be written.

    ``protected`` names the files this run reads (``{"the catalogue": path}``):
    the record never replaces them, even with ``force``.
    """
    # As typed: Path("") is "." and Path("./-") is "-", which would hide both.
    if isinstance(path, str) and path == "":
        raise FwpickError("--report needs a file name (it was given an empty one)")
    if isinstance(path, str) and path == "-":
        raise FwpickError(
            "-: give a file name; --report does not write to standard output"
            " (for a file called -, give ./-)"
        )
    path = Path(path)
    try:
        _check_target(path, force, protected or {})
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise FwpickError(f"{parent}: no such directory for the report")
        # The record is created in this directory and renamed into place, so it
        # is the directory, not any existing file, that must let us write.
        if not os.access(parent, os.W_OK | os.X_OK):
            raise FwpickError(f"{path}: cannot write the report ({_why_not_writable(parent)})")
    except OSError as exc:
        raise FwpickError(f"{path}: cannot write the report ({os_reason(exc)})") from None


def _check_target(path: Path, force: bool, protected: Mapping[str, str | Path | None]) -> None:
    info = lstat_or_none(path)  # lstat: a dangling link is something there too
    if info is None:
        return
    if stat.S_ISDIR(info.st_mode) or (stat.S_ISLNK(info.st_mode) and path.is_dir()):
        raise FwpickError(f"{path}: is a directory; give a file name for the report")
    what = replaceable(path, info)
    if what is not None:
        raise FwpickError(f"{path}: is not a regular file ({what}); {_NOT_REPLACED}")
    for what_file, other in protected.items():
        if other is not None and _same_file(path, Path(other)):
            raise FwpickError(
                f"{path}: is {what_file} this run reads; fwpick never replaces it,"
                " even with --force; give another name for the report"
            )
    if not force:
        link = " (a symbolic link)" if stat.S_ISLNK(info.st_mode) else ""
        raise FwpickError(f"{path}: already exists{link}; pass --force to replace it")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError):
            return False


def _why_not_writable(directory: Path) -> str:
    """Why ``os.access`` said no: a read-only filesystem reads differently from a mode."""
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return os_reason(OSError(errno.EROFS, ""))
    except (OSError, AttributeError):
        pass
    return os_reason(OSError(errno.EACCES, ""))


def write_report(
    path: str | Path,
    text: str,
    force: bool,
    protected: Mapping[str, str | Path | None] | None = None,
) -> None:
    """Write ``text`` to ``path`` atomically; never replace an existing file unless ``force``.

    The text goes to a temporary file in the same directory, which is then
    renamed over the target, so an interrupted run (Ctrl-C, SIGTERM, a full
    disk) leaves either no file or the complete one, never half a record, and
    no temporary file.  ``force`` replaces only a regular file or a symbolic
    link (the link, not its target), never one of the ``protected`` files.
    """
    check_writable(path, force, protected)
    path = Path(path)
    try:
        with terminate_as_exit():
            write_atomically(path, text, replace=force)
    except FileExistsError:
        raise FwpickError(f"{path}: already exists; pass --force to replace it") from None
    except OSError as exc:
        raise FwpickError(f"{path}: cannot write the report ({os_reason(exc)})") from None
