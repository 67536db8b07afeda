"""The README is the user's first contact: its commands must be the real ones."""

from __future__ import annotations

import re
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
