"""The minimum-versions CI run tests what pyproject.toml really declares."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _release(version: str) -> tuple[int, ...]:
    """1.2.0 and 1.2 are the same release."""
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _lower_bounds() -> dict[str, tuple[int, ...]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        found = re.match(r"^([A-Za-z0-9_.-]+)\s*.*>=\s*([0-9][^,;\s]*)", requirement)
        assert found, f"{requirement!r} declares no lower bound"
        bounds[found[1].lower()] = _release(found[2])
    return bounds


def _constraints() -> dict[str, tuple[int, ...]]:
    pins = {}
    for line in (REPO / "constraints" / "minimum.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = _release(version.strip())
    return pins


def test_every_runtime_dependency_declares_a_lower_bound() -> None:
    assert set(_lower_bounds()) == {"typer", "rich", "pyyaml"}


def test_the_minimum_constraints_pin_exactly_the_declared_lower_bounds() -> None:
    assert _constraints() == _lower_bounds()
