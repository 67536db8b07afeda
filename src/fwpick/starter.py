"""Turn a catalogue entry's starter into a runnable project: app.py, requirements.txt, README.md.

Nothing here prints: the CLI reports what :func:`write_starter` returns.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path

from fwpick.catalog.model import Framework, Starter
from fwpick.errors import CatalogError, FwpickError
from fwpick.files import (
    lstat_or_none,
    os_reason,
    replaceable,
    terminate_as_exit,
    write_temporary,
)

APP_FILE = "app.py"
REQUIREMENTS_FILE = "requirements.txt"
README_FILE = "README.md"
STARTER_FILES = (APP_FILE, REQUIREMENTS_FILE, README_FILE)
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class WrittenStarter:
    """What :func:`write_starter` did, for the CLI to report."""

    directory: Path
    files: tuple[Path, ...]
    replaced: tuple[Path, ...]
    install: str
    run: str
    url: str


def starter_of(fw: Framework) -> Starter:
    """The framework's starter, or a :class:`CatalogError` when the entry has none."""
    if fw.starter is None:
        raise CatalogError(f"the catalogue has no starter app for {fw.name}")
    return fw.starter


def default_directory(fw: Framework) -> Path:
    """Where ``fwpick new`` writes when no directory is given."""
    return Path(f"{fw.id}-starter")


def install_command(fw: Framework) -> str:
    """A shell command that installs what the starter needs, e.g. for ``fwpick show``."""
    return shlex.join(["python", "-m", "pip", "install", *starter_of(fw).requirements])


def run_command(fw: Framework) -> str:
    """The command that serves the starter from its directory."""
    return starter_of(fw).run


def local_url(port: int = DEFAULT_PORT) -> str:
    return f"http://127.0.0.1:{port}/"


def app_text(fw: Framework) -> str:
    return _with_final_newline(starter_of(fw).app)


def requirements_text(fw: Framework) -> str:
    lines = [
        f"# {fw.name} {fw.version.value}, as catalogued by fwpick.",
        "# Install with: python -m pip install -r requirements.txt",
        *starter_of(fw).requirements,
    ]
    return "\n".join(lines) + "\n"


def readme_text(fw: Framework) -> str:
    starter = starter_of(fw)
    lines = [
        f"# {fw.name} starter",
        "",
        f"A minimal {fw.name} app. It answers `GET /` on {local_url()}; "
        "set the `PORT` environment variable to use another port.",
        "",
        "## Install",
        "",
        "    python -m venv .venv",
        "    . .venv/bin/activate",
        "    python -m pip install -r requirements.txt",
        "",
        "## Run",
        "",
        f"    {starter.run}",
        "",
        "On another port:",
        "",
        f"    PORT=8080 {starter.run}",
    ]
    if starter.preferred_run:
        lines += [
            "",
            f"{fw.name}'s own command:",
            "",
            f"    {starter.preferred_run}",
        ]
    if starter.server is not None:
        server = starter.server
        lines += [
            "",
            f"## Serve it with {server.name}",
            "",
            f"In production, serve the app with {server.name} {server.version.value}"
            " (requirements.txt names it; `fwpick show "
            f"{server.id}` tells what it serves and how):",
            "",
            f"    {starter.serve}",
        ]
    lines += ["", f"Documentation: {fw.links.docs}"]
    return "\n".join(lines) + "\n"


def starter_files(fw: Framework) -> dict[str, str]:
    """The starter's files, name to content, in the order they are written."""
    return {
        APP_FILE: app_text(fw),
        REQUIREMENTS_FILE: requirements_text(fw),
        README_FILE: readme_text(fw),
    }


def write_starter(fw: Framework, directory: str | Path, *, force: bool = False) -> WrittenStarter:
    """Write the starter into ``directory``, creating it if needed, atomically.

    A new directory is filled under a temporary name beside it and renamed
    into place.  Into an existing directory (empty, or any with ``force``)
    every file is first written under a temporary name, then renamed over its
    own name, which replaces a symbolic link rather than writing through it.
    A non-empty directory is refused unless ``force``; then only the starter's
    own files are replaced and anything else in it is left alone.  On any
    failure (a full disk, Ctrl-C, SIGTERM) what this run created is removed,
    so nothing half-written remains and running again is not refused.
    """
    target = Path(directory)
    files = starter_files(fw)
    try:
        info = lstat_or_none(target)
        if info is not None and stat.S_ISLNK(info.st_mode) and not target.exists():
            raise FwpickError(
                f"{target}: is a symbolic link to a directory that does not exist;"
                " create that directory or give another one"
            )
        if info is not None and not target.is_dir():
            raise FwpickError(f"{target} exists and is not a directory")
        existing = info is not None
        if existing and not force and any(target.iterdir()):
            raise FwpickError(
                f"{target} is not empty; choose another directory, or use --force to "
                f"write {', '.join(files)} into it (replacing files of those names)"
            )
        with terminate_as_exit():
            if existing:
                replaced = _write_into(target, files)
            else:
                _write_new_directory(target, files)
                replaced = []
    except OSError as exc:
        # exc.filename may be None, or a temporary name the user never chose.
        raise FwpickError(f"{target}: cannot write the starter ({os_reason(exc)})") from None
    return WrittenStarter(
        directory=target,
        files=tuple(target / name for name in files),
        replaced=tuple(replaced),
        install="python -m pip install -r requirements.txt",
        run=run_command(fw),
        url=local_url(),
    )


def _write_new_directory(target: Path, files: dict[str, str]) -> None:
    """Fill a temporary directory beside ``target``, then rename it to ``target``."""
    import tempfile

    created = _make_parents(target.parent)
    tmp: Path | None = None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        for name, content in files.items():
            _write_synced(tmp / name, content)
        # mkdtemp makes the directory private; give it the mode mkdir would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        # rename refuses a non-empty directory that appeared meanwhile.
        os.rename(tmp, target)
    except BaseException:
        if tmp is not None:
            _remove_tree(tmp, files)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _write_into(target: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` into the existing ``target``; return the paths that were replaced."""
    replaced: list[Path] = []
    for name in files:
        path = target / name
        info = lstat_or_none(path)
        if info is None:
            continue
        what = replaceable(path, info)
        if what is not None:
            raise FwpickError(
                f"{path}: is not a regular file ({what}); fwpick only replaces regular files"
            )
        replaced.append(path)
    written: dict[Path, Path] = {}
    renamed: list[Path] = []
    try:
        # Every file is complete on disk before the first one takes its name.
        for name, content in files.items():
            written[target / name] = write_temporary(target, name, content)
        for path, tmp in written.items():
            os.replace(tmp, path)  # replaces a link itself, never what it points at
            renamed.append(path)
    except BaseException:
        for tmp in written.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        # Files new in this run go again; replaced ones cannot come back.
        for path in renamed:
            if path not in replaced:
                with contextlib.suppress(OSError):
                    path.unlink()
        raise
    return replaced


def _write_synced(path: Path, content: str) -> None:
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing: list[Path] = []
    while not os.path.lexists(folder):
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    created: list[Path] = []
    try:
        for each in reversed(missing):
            each.mkdir()
            created.append(each)
    except BaseException:
        for each in reversed(created):
            with contextlib.suppress(OSError):
                each.rmdir()
        raise
    return created


def _remove_tree(tmp: Path, files: dict[str, str]) -> None:
    """Remove the temporary directory and the starter files in it (nothing else is there)."""
    for name in files:
        with contextlib.suppress(OSError):
            (tmp / name).unlink()
    with contextlib.suppress(OSError):
        tmp.rmdir()


def _with_final_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"
