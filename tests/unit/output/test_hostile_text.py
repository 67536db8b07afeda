"""Catalogue text is data: markup is shown as typed, terminal escapes never reach the terminal."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ESC, catalog_yaml, framework_yaml, replace_once, yaml_str
from typer.testing import Result

BOLD = "[bold red]x[/]"
LINK = "[link=https://evil.example]y[/link]"
# What the two escape sequences look like once their ESC and BEL are removed.
ANSI = "before\x1b[31mafter"
ANSI_SHOWN = "before[31mafter"
OSC = "osc\x1b]8;;http://x\x07link"
OSC_SHOWN = "osc]8;;http://xlink"

HOSTILE = f"{BOLD} {LINK} {ANSI} {OSC}"
HOSTILE_SHOWN = f"{BOLD} {LINK} {ANSI_SHOWN} {OSC_SHOWN}"
NAME = "Evil[bold]X[/bold]"


def hostile_catalogue() -> str:
    evil = framework_yaml(
        "evil",
        name=NAME,
        description=f"Description {HOSTILE}",
        notes=f"Notes {HOSTILE}",
        rationale=f"Rationale {HOSTILE}",
    )
    evil = replace_once(
        evil, "source: wheel METADATA License\n", f"source: {yaml_str('Source ' + HOSTILE)}\n"
    )
    return catalog_yaml(evil, framework_yaml("alpha"))


@pytest.fixture
def hostile_path(write_catalog: Callable[..., Path]) -> Path:
    # The file name is markup too: validate prints it.
    return write_catalog(hostile_catalogue(), name="[red]evil[reverse].yaml")


def assert_shown_literally(output: str, *, fields: tuple[str, ...]) -> None:
    assert ESC not in output
    assert "\x07" not in output
    flat = " ".join(output.split())
    for field in fields:
        assert f"{field} {HOSTILE_SHOWN}" in flat, f"{field} text not shown as typed"


COMMANDS = {
    "compare table": (("compare",), ("Description", "Notes")),
    "compare markdown": (("compare", "--format", "markdown"), ("Description", "Notes")),
    "show panel": (("show", "evil", "--sources"), ("Description", "Rationale", "Source")),
    "show markdown": (("show", "evil", "--format", "markdown"), ("Description", "Rationale")),
}


@pytest.mark.parametrize("case", COMMANDS)
def test_markup_and_escapes_in_a_catalogue_are_shown_as_typed(
    cli: Callable[..., Result], hostile_path: Path, case: str
) -> None:
    args, fields = COMMANDS[case]

    result = cli(*args, "--catalog", str(hostile_path), columns=400)

    assert result.exit_code == 0, result.output
    assert_shown_literally(result.output, fields=fields)
    assert NAME in result.stdout


@pytest.mark.parametrize(
    "args", [("compare", "--format", "json"), ("show", "evil", "--format", "json")]
)
def test_json_output_carries_the_text_without_control_characters(
    cli: Callable[..., Result], hostile_path: Path, args: tuple[str, ...]
) -> None:
    result = cli(*args, "--catalog", str(hostile_path))

    assert result.exit_code == 0, result.output
    assert "\\u001b" not in result.stdout and ESC not in result.stdout
    data = json.loads(result.stdout)
    evil = data["frameworks"][0] if "frameworks" in data else data
    assert evil["name"] == NAME
    assert evil["description"] == f"Description {HOSTILE_SHOWN}"
    assert evil["comparison_notes"] == f"Notes {HOSTILE_SHOWN}"
    assert evil["facts"]["licence"]["source"] == f"Source {HOSTILE_SHOWN}"


def test_validate_shows_markup_in_names_and_file_names_as_typed(
    cli: Callable[..., Result], hostile_path: Path
) -> None:
    result = cli("validate", str(hostile_path), columns=400)

    assert result.exit_code == 0, result.output
    assert f"{hostile_path}: ok" in result.stdout
    assert NAME in result.stdout


def test_an_unknown_name_full_of_escapes_is_echoed_harmlessly(
    cli: Callable[..., Result], hostile_path: Path
) -> None:
    result = cli("show", f"{ESC}]8;;http://x{ESC}\\{BOLD}", "--catalog", str(hostile_path))

    assert result.exit_code == 2
    assert ESC not in result.stderr
    assert BOLD in result.stderr


def test_a_problem_message_quoting_hostile_text_contains_no_escape(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    text = replace_once(catalog_yaml(framework_yaml("alpha")), '    pypi: "alpha"\n', "")
    text = replace_once(
        text, "    checked: 2026-01-15\n", f"    {yaml_str(ESC + '[2J' + BOLD)}: 1\n"
    )
    path = write_catalog(text)

    result = cli("validate", str(path))

    assert result.exit_code == 1
    assert ESC not in result.stderr
    assert BOLD in result.stderr


@pytest.mark.parametrize(
    "args",
    [("compare",), ("show", "evil", "--sources"), ("compare", "--format", "markdown")],
    ids=["compare", "show", "markdown"],
)
def test_forced_colour_in_a_real_process_still_does_not_interpret_catalogue_text(
    run_fwpick: Callable[..., subprocess.CompletedProcess[str]],
    hostile_path: Path,
    args: tuple[str, ...],
) -> None:
    proc = run_fwpick(
        *args,
        "--catalog",
        str(hostile_path),
        env={"FORCE_COLOR": "1", "TERM": "xterm-256color"},
        columns=400,
    )

    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    if args[-1] != "markdown":
        # Rich really is colouring: otherwise this test would prove nothing.
        assert ESC + "[" in out
    # No hyperlink (OSC 8) from the [link=...] markup or from the raw sequence,
    # and the data's own ESC bytes were dropped.
    assert ESC + "]" not in out
    assert "\x07" not in out
    assert ANSI_SHOWN in out
    assert OSC_SHOWN in out
    assert LINK in out
    assert "[bold red]x[/]" in out
    assert NAME in out


def test_markdown_output_never_turns_catalogue_text_into_a_live_link(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(
        catalog_yaml(
            framework_yaml(
                "alpha", name="Al]pha", description="See [here](https://evil.example/) now."
            )
        )
    )

    table = cli("compare", "--format", "markdown", "--catalog", str(path)).stdout
    shown = cli("show", "alpha", "--format", "markdown", "--catalog", str(path)).stdout

    for out in (table, shown):
        assert "](https://evil.example/)" not in out
        assert "[here]\\(https://evil.example/)" in out
    assert "[Al]pha](" not in table
