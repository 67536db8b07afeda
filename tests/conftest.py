"""Shared fixtures: small catalogue files, a pinned-width CLI runner, the console script."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from fwpick.cli import app

REPO = Path(__file__).resolve().parents[1]
BUNDLED_CATALOG = REPO / "data" / "frameworks.yaml"
SEED_IDS = ("flask", "bottle", "cherrypy", "sanic")
ESC = "\x1b"
# fwpick's own sentence for a file nested too deep, pinned here once: every
# test of deep input refers to it, whichever parser met the depth first.
TOO_DEEP = "nested more than 64 levels deep"

# Variables that would change what fwpick prints; every test starts without them.
_OUTPUT_ENV = (
    "FWPICK_CATALOG",
    "FORCE_COLOR",
    "NO_COLOR",
    "TERM",
    "COLUMNS",
    "LINES",
    "TTY_COMPATIBLE",
)

_HEADER = """\
schema_version: 1
checked: 2026-01-15
frameworks:
"""

# One framework with every required field; tests replace pieces of this text to
# make the bad case they are about, so keep each line distinctive.
_FRAMEWORK = """\
  - id: {id}
    name: {name}
    pypi: {pypi}
    description: {description}
    comparison_notes: {notes}
    checked: 2026-01-15
    version:
      value: "{version}"
      source: package index
    released:
      value: 2025-12-01
      source: package index upload time
    facts:
      licence:
        value: MIT
        source: wheel METADATA License
      requires_python:
        value: ">=3.9"
        source: wheel METADATA Requires-Python
      dependencies:
        value: []
        source: wheel METADATA Requires-Dist
      conditional_dependencies:
        value: []
        source: wheel METADATA Requires-Dist
      interface:
        value: [wsgi]
        source: "source: {id}.py"
      async_handlers:
        value: "no"
        source: "source: {id}.py"
      single_file:
        value: true
        source: wheel contents
      server:
        value: development
        source: "source: {id}.py"
      templating:
        value: ""
        source: "source: {id}.py"
    scores:
      docs:
        value: 3
        rationale: {rationale}
      community:
        value: 2
        rationale: A small community.
      maturity:
        value: 4
        rationale: Around for years.
      performance:
        value: 3
        rationale: Middling.
    links:
      homepage: https://example.org/{id}/
      docs: https://docs.example.org/{id}/
      source: https://git.example.org/{id}/
"""


def yaml_str(text: str) -> str:
    """Quote any text as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def framework_yaml(
    id: str = "alpha",
    *,
    name: str | None = None,
    pypi: str | None = None,
    description: str = "Alpha is a tiny test framework.",
    notes: str = "Only here for the tests.",
    rationale: str = "Short but complete.",
    version: str = "1.0",
) -> str:
    """One catalogue entry; free text is quoted so any characters survive YAML."""
    return _FRAMEWORK.format(
        id=id,
        name=yaml_str(name if name is not None else id.capitalize()),
        pypi=yaml_str(pypi if pypi is not None else id),
        description=yaml_str(description),
        notes=yaml_str(notes),
        rationale=yaml_str(rationale),
        version=version,
    )


def catalog_yaml(*entries: str) -> str:
    """A whole catalogue; by default two frameworks, alpha and beta."""
    if not entries:
        entries = (framework_yaml("alpha"), framework_yaml("beta", version="2.0"))
    return _HEADER + "".join(entries)


def varied_catalog_yaml(count: int, seed: int) -> str:
    """A catalogue file of ``count`` frameworks whose facts and scores vary with ``seed``."""
    rng = random.Random(seed)
    entries = []
    for number in range(count):
        text = framework_yaml(f"fw{number:03d}", version=f"{rng.randint(1, 3)}.{number % 7}")
        text = replace_once(text, "value: [wsgi]\n", f"value: {rng.choice(['[wsgi]', '[asgi]'])}\n")
        text = replace_once(
            text, 'value: "no"\n', f'value: "{rng.choice(["yes", "no", "partly"])}"\n'
        )
        text = replace_once(text, "value: true\n", f"value: {rng.choice(['true', 'false'])}\n")
        server = rng.choice(["none", "development", "production"])
        text = replace_once(text, "value: development\n", f"value: {server}\n")
        text = replace_once(text, "value: 2025-12-01", f"value: 2025-{rng.randint(1, 12):02d}-01")
        for rationale in ('"Short but complete."', "A small community.", "Around for years."):
            old = text[: text.index(f"\n        rationale: {rationale}")].rsplit("value: ", 1)[1]
            text = replace_once(
                text,
                f"value: {old}\n        rationale: {rationale}",
                f"value: {rng.randint(1, 5)}\n        rationale: {rationale}",
            )
        entries.append(text)
    return catalog_yaml(*entries)


def replace_once(text: str, old: str, new: str) -> str:
    """``text.replace`` that fails loudly when the piece to replace is not there exactly once."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the catalogue text"
    return text.replace(old, new)


def line_of(text: str, piece: str, start: int = 0) -> int:
    """The 1-based line on which ``piece`` first occurs (after character ``start``)."""
    index = text.index(piece, start)
    return text.count("\n", 0, index) + 1


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[..., Path]:
    """Write catalogue text (default: the minimal valid one) to a file and return its path."""

    def write(text: str | bytes | None = None, name: str = "catalog.yaml") -> Path:
        path = tmp_path / name
        if text is None:
            text = catalog_yaml()
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def _quiet_environment(monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    for name in _OUTPUT_ENV:
        monkeypatch.delenv(name, raising=False)
    # The catalogue cache of the tests, and of the fwpick processes they start,
    # lives in a temporary folder, never in the user's own cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run fwpick in-process at a fixed width, without colour, as a user would type it."""
    runner = CliRunner()

    def invoke(
        *args: str, columns: int = 100, env: Mapping[str, str | None] | None = None
    ) -> Result:
        full_env: dict[str, str | None] = {
            "COLUMNS": str(columns),
            "LINES": "50",
            "NO_COLOR": "1",
            "TERM": "dumb",
            "FORCE_COLOR": None,
            "FWPICK_CATALOG": None,
        }
        full_env.update(env or {})
        return runner.invoke(app, list(args), env=full_env, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def fwpick_script() -> Path:
    """The ``fwpick`` console script installed beside this Python."""
    script = Path(sys.executable).parent / "fwpick"
    if not script.exists():
        pytest.fail(f"{script} is missing: install fwpick first (pip install -e '.[test]')")
    return script


@pytest.fixture
def run_fwpick(
    fwpick_script: Path, tmp_path: Path
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed console script as a subprocess, by default from a scratch directory."""

    def run(
        *args: str,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        columns: int = 100,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {k: v for k, v in os.environ.items() if k not in _OUTPUT_ENV}
        full_env["COLUMNS"] = str(columns)
        full_env.update(env or {})
        return subprocess.run(
            [str(fwpick_script), *args],
            cwd=cwd or tmp_path,
            env=full_env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )

    return run
