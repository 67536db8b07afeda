"""Turn a catalogue entry's starter into a runnable project: app.py, requirements.txt, README.md.

Nothing here prints: the CLI reports what :func:`write_starter` returns.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from fwpick.catalog.model import Framework, Starter
from fwpick.errors import CatalogError, FwpickError

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
    """Write the starter into ``directory``, creating it if needed.

    A non-empty directory is refused unless ``force``; then only the starter's
    own files are replaced and anything else in it is left alone.
    """
    target = Path(directory)
    files = starter_files(fw)
    if target.exists() and not target.is_dir():
        raise FwpickError(f"{target} exists and is not a directory")
    if target.is_dir() and not force and any(target.iterdir()):
        raise FwpickError(
            f"{target} is not empty; choose another directory, or use --force to "
            f"write {', '.join(files)} into it (replacing files of those names)"
        )
    written: list[Path] = []
    replaced: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            path = target / name
            if path.exists() or path.is_symlink():
                replaced.append(path)
                # Replace the file itself: never write through a link to
                # whatever it points at, outside the starter's directory.
                path.unlink()
            path.write_text(content, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise FwpickError(
            f"cannot write the starter: {exc.strerror or exc}: {exc.filename}"
        ) from exc
    return WrittenStarter(
        directory=target,
        files=tuple(written),
        replaced=tuple(replaced),
        install="python -m pip install -r requirements.txt",
        run=run_command(fw),
        url=local_url(),
    )


def _with_final_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"
