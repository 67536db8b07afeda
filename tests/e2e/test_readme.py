"""The README is the user's first contact: its commands must be the real ones."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_is_two_commands_install_and_compare_then_tests() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert "pip install ." in commands[0] and commands[0].endswith("fwpick compare")
    assert "[test" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci


def test_every_command_is_documented_in_the_readme() -> None:
    from fwpick.cli import app

    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert names, "no commands registered"
    for name in names:
        assert f"fwpick {name}" in README, f"README does not mention `fwpick {name}`"


def _personas() -> list[tuple[str, str, str]]:
    table = README.split("<!-- personas -->", 1)[1].split("<!-- /personas -->", 1)[0]
    rows = re.findall(r"^\| (.+?) \| `(fwpick recommend [^`]+)` \| (\w+) \|$", table, re.M)
    assert len(rows) >= 6, "the README lists at least six personas"
    return rows


def test_each_persona_in_the_readme_gets_the_framework_it_says(
    run_fwpick: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    import json
    import shlex

    names = set()
    for project, command, framework in _personas():
        args = shlex.split(command)[1:]
        if "--python" not in args:
            args += ["--python", "3.11"]
        result = run_fwpick(*args, "--format", "json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["ranking"][0]["name"] == framework, project
        assert data["close_call"] is False, project
        names.add(framework)
    # Each of the four frameworks the project started from answers one of them.
    assert {"Flask", "Bottle", "CherryPy", "Sanic"} <= names
