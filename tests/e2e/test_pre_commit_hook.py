"""The pre-commit hook a catalogue repository uses: run the way pre-commit runs it."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import yaml
from conftest import BUNDLED_CATALOG, catalog_yaml, framework_yaml, replace_once

REPO = Path(__file__).resolve().parents[2]


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "fwpick-validate"]
    return hook


def _run_hook(fwpick_script: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    # pre-commit runs `entry` with the staged files that match `files` appended,
    # with the hook's environment's bin folder first on PATH.
    hook = _hook()
    env = {**os.environ, "PATH": f"{fwpick_script.parent}{os.pathsep}{os.environ['PATH']}"}
    env["COLUMNS"] = "200"
    command = [*shlex.split(str(hook["entry"])), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


def test_the_hook_passes_a_good_catalogue(fwpick_script: Path, tmp_path: Path) -> None:
    good = tmp_path / "frameworks.yaml"
    good.write_bytes(BUNDLED_CATALOG.read_bytes())

    result = _run_hook(fwpick_script, [good])

    assert result.returncode == 0, result.stderr
    assert ": ok," in " ".join(result.stdout.split())


def test_the_hook_fails_a_broken_catalogue_with_fwpicks_message(
    fwpick_script: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(catalog_yaml(), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    text = replace_once(framework_yaml("beta"), 'name: "Beta"', 'name: "Beta"\n    colour: red')
    broken.write_text(catalog_yaml(framework_yaml("alpha"), text), encoding="utf-8")

    result = _run_hook(fwpick_script, [good, broken])

    assert result.returncode == 1
    assert f"fwpick: error: {broken}: invalid catalogue (1 problem)" in result.stderr
    assert "field 'colour': unknown field" in result.stderr
    assert f"{good}: ok" in " ".join(result.stdout.split())
    assert "Traceback" not in result.stderr


def test_the_hook_only_looks_at_yaml_files() -> None:
    import re

    pattern = re.compile(str(_hook()["files"]))
    assert pattern.search("catalogue/frameworks.yaml")
    assert not pattern.search("README.md")
