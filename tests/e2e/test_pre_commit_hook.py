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


def test_the_hook_looks_at_catalogue_files_not_at_every_yaml_file() -> None:
    import re

    pattern = re.compile(str(_hook()["files"]))
    assert pattern.search("catalogue/frameworks.yaml")
    assert pattern.search("frameworks.yml")
    assert not pattern.search("README.md")
    # pre-commit's own configuration is YAML too, and no catalogue.
    assert not pattern.search(".pre-commit-config.yaml")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, timeout=60)


def _pre_commit_run(fwpick_script: Path, repo: Path) -> subprocess.CompletedProcess[str]:
    """pre-commit's own run of the hook over the files committed in ``repo``.

    The hook is this repository's, field for field, declared as a local hook
    with ``language: system`` so that pre-commit runs the fwpick under test
    instead of installing one from the network.
    """
    hook = {**_hook(), "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, "add", "-A")
    pre_commit = Path(fwpick_script).parent / "pre-commit"
    env = {**os.environ, "PATH": f"{fwpick_script.parent}{os.pathsep}{os.environ['PATH']}"}
    env.update({"PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "COLUMNS": "200"})
    return subprocess.run(
        [str(pre_commit), "run", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _catalogue_repo(tmp_path: Path, text: str) -> Path:
    repo = tmp_path / "catalogue"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "team@example.org")
    _git(repo, "config", "user.name", "Team")
    (repo / "frameworks.yaml").write_text(text, encoding="utf-8")
    return repo


def test_pre_commit_itself_passes_a_good_catalogue(fwpick_script: Path, tmp_path: Path) -> None:
    repo = _catalogue_repo(tmp_path, BUNDLED_CATALOG.read_text(encoding="utf-8"))

    result = _pre_commit_run(fwpick_script, repo)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "fwpick validate" in result.stdout and "Passed" in result.stdout


def test_pre_commit_itself_fails_a_broken_catalogue_with_fwpicks_message(
    fwpick_script: Path, tmp_path: Path
) -> None:
    text = replace_once(framework_yaml("beta"), 'name: "Beta"', 'name: "Beta"\n    colour: red')
    repo = _catalogue_repo(tmp_path, catalog_yaml(framework_yaml("alpha"), text))

    result = _pre_commit_run(fwpick_script, repo)

    assert result.returncode == 1
    assert "Failed" in result.stdout
    assert "fwpick: error: frameworks.yaml: invalid catalogue (1 problem)" in result.stdout
    assert "field 'colour': unknown field" in result.stdout
    assert "Traceback" not in result.stdout
