"""The JSON contract of every command: one envelope, and each command's keys pinned.

Keys are only ever added within a ``format_version`` (README, "JSON output"),
so a change here must be deliberate, with the README and the version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import catalog_yaml, framework_yaml, replace_once
from typer.testing import Result

ENVELOPE = {"format_version", "command", "catalog"}
CATALOG = {"schema_version", "checked", "path", "sha256"}
COMMAND_KEYS = {
    "compare": ENVELOPE
    | {"schema_version", "catalog_checked", "frameworks", "installed_in", "addons", "servers"}
    | {"avoid"},
    "validate": ENVELOPE | {"path", "valid", "frameworks", "problem_count", "problems"},
    "recommend": ENVELOPE
    | {
        "answers",
        "python",
        "hard_constraints",
        "max_score",
        "ranking",
        "excluded",
        "verdict",
        "close_call",
        "what_would_change",
        "with_addons",
    },
}
PROBLEM_KEYS = {"path", "line", "framework", "field", "message"}
REVIEW_KEYS = ENVELOPE | {"stands", "records"}
REVIEWED_RECORD_KEYS = {
    "path",
    "stands",
    "findings",
    "recorded",
    "catalog_changed",
    "answers",
    "python",
    "notes",
    "leader",
    "close_call",
    "verdict",
    "max_score",
    "frameworks",
}
RECORDED_KEYS = {"date", "fwpick", "catalog", "leader", "close_call", "contenders", "max_score"}
FINDING_KEYS = {"kind", "moves", "text"}
CHANGE_KEYS = {"id", "name", "change", "before", "after", "reason", "causes", "text"}
STANDING_KEYS = {"version", "rank", "score"}
CAUSE_KEYS = {"criterion", "before", "after", "text"}
SCORED_KEYS = {"label", "weight", "points", "evidence"}
COMMANDS = {
    "compare": ["compare", "--format", "json"],
    "show": ["show", "flask", "--format", "json"],
    "validate": ["validate", "--format", "json"],
    "recommend": ["recommend", "--defaults", "--format", "json"],
}


def _json(cli: Callable[..., Result], *args: str) -> dict[str, Any]:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_answers_in_the_same_envelope(
    cli: Callable[..., Result], command: str
) -> None:
    data = _json(cli, *COMMANDS[command])

    assert data["format_version"] == 2
    assert data["command"] == command
    assert set(data["catalog"]) == CATALOG
    assert len(data["catalog"]["sha256"]) == 64


@pytest.mark.parametrize("command", COMMAND_KEYS)
def test_each_command_has_exactly_its_documented_keys(
    cli: Callable[..., Result], command: str
) -> None:
    assert set(_json(cli, *COMMANDS[command])) == COMMAND_KEYS[command]


def test_validate_json_lists_every_problem_with_file_line_framework_and_field(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    bad = replace_once(framework_yaml("beta"), 'name: "Beta"', 'name: "Beta"\n    colour: red')
    path = write_catalog(catalog_yaml(framework_yaml("alpha"), bad))

    result = cli("validate", str(path), "--format", "json")

    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == COMMAND_KEYS["validate"]
    assert data["valid"] is False
    assert data["problem_count"] == len(data["problems"]) >= 1
    problem = data["problems"][0]
    assert set(problem) == PROBLEM_KEYS
    assert (problem["path"], problem["framework"], problem["field"]) == (
        str(path),
        "beta",
        "colour",
    )
    assert isinstance(problem["line"], int)


def test_validate_json_of_an_unreadable_file_is_one_problem_and_exit_1(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = cli("validate", str(tmp_path / "gone.yaml"), "--format", "json")

    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert data["problems"][0]["path"] == str(tmp_path / "gone.yaml")


def test_compare_lists_add_ons_and_servers_apart_and_the_ones_to_avoid_only_when_asked(
    cli: Callable[..., Result],
) -> None:
    plain = _json(cli, "compare", "--format", "json")
    asked = _json(cli, "compare", "--format", "json", "--avoided")

    assert len(plain["frameworks"]) >= 21
    assert {a["id"] for a in plain["addons"]} == {"django-ninja", "apiflask"}
    assert {"uvicorn", "gunicorn", "granian"} <= {s["id"] for s in plain["servers"]}
    assert plain["avoid"] is None
    assert "hug" in {a["id"] for a in asked["avoid"]}


def test_show_answers_a_framework_to_avoid_with_why_and_what_instead(
    cli: Callable[..., Result],
) -> None:
    result = cli("show", "hug")
    data = _json(cli, "show", "hug", "--format", "json")

    assert result.exit_code == 0
    assert "Use instead" in result.stdout
    assert data["kind"] == "to avoid"
    assert data["instead"] == ["falcon", "fastapi"]


def test_review_json_has_exactly_its_documented_keys_at_every_level(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    # Beta leads on async; a year and more without a release, it loses the lead to
    # gamma, new and async too, while alpha leaves the catalogue.
    beta = replace_once(framework_yaml("beta"), 'value: "no"\n', 'value: "yes"\n')
    gamma = replace_once(framework_yaml("gamma"), 'value: "no"\n', 'value: "yes"\n')
    record = tmp_path / "0001.md"
    before = write_catalog(catalog_yaml(framework_yaml("alpha"), beta), name="before.yaml")
    written = cli(
        "recommend", "--catalog", str(before), "--async", "preferred", "--defaults",
        "--report", str(record),
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    stale = replace_once(beta, "value: 2025-12-01", "value: 2024-06-01")
    after = write_catalog(catalog_yaml(stale, gamma), name="after.yaml")

    result = cli("review", str(record), "--catalog", str(after), "--format", "json")

    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert set(data) == REVIEW_KEYS
    assert (data["format_version"], data["command"]) == (2, "review")
    (reviewed,) = data["records"]
    assert set(reviewed) == REVIEWED_RECORD_KEYS
    assert set(reviewed["recorded"]) == RECORDED_KEYS
    assert set(reviewed["recorded"]["catalog"]) == CATALOG
    changes = {c["change"]: c for c in reviewed["frameworks"]}
    assert set(changes) == {"changed", "added", "gone"}
    for change in changes.values():
        assert set(change) == CHANGE_KEYS
    assert set(changes["changed"]["before"]) == set(changes["changed"]["after"]) == STANDING_KEYS
    (cause,) = changes["changed"]["causes"]
    assert set(cause) == CAUSE_KEYS
    assert set(cause["before"]) == set(cause["after"]) == SCORED_KEYS
    assert reviewed["findings"]
    for finding in reviewed["findings"]:
        assert set(finding) == FINDING_KEYS
