"""The two scenarios every framework serves, their expected answers, and the apps.

Each framework has one small app implementing both scenarios, kept as a text
file in ``apps/`` (``<id>.py.txt``): they are not modules of fwpick, they are
written into a temporary folder and run by the benchmark venv's Python.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import NamedTuple

from fwpick.errors import FwpickError

BASELINE_ASGI = "baseline_asgi"
BASELINE_WSGI = "baseline_wsgi"
BASELINE_RSGI = "baseline_rsgi"

# What the api scenario sends and must get back.
API_ID = 42
API_QUERY = "fwpick"
API_NAME = "bench"


class Scenario(NamedTuple):
    """One request wrk repeats, and the answer a correct app gives to it."""

    name: str
    method: str
    path: str  # with the query string
    body: bytes
    expected: bytes  # the exact body for text; for JSON the canonical encoding
    json: bool  # the answer is JSON: compared as a decoded value, types included


SCENARIOS: dict[str, Scenario] = {
    "plaintext": Scenario(
        name="plaintext",
        method="GET",
        path="/plaintext",
        body=b"",
        expected=b"Hello, World!",
        json=False,
    ),
    "api": Scenario(
        name="api",
        method="POST",
        path=f"/api/users/{API_ID}?q={API_QUERY}",
        body=json.dumps({"name": API_NAME}).encode(),
        expected=json.dumps({"id": API_ID, "q": API_QUERY, "name": API_NAME}).encode(),
        json=True,
    ),
}


def app_source(name: str) -> str:
    """The text of the app for a framework id or a baseline name."""
    try:
        return (
            resources.files("fwpick.measure")
            .joinpath("apps", f"{name}.py.txt")
            .read_text(encoding="utf-8")
        )
    except FileNotFoundError:
        raise FwpickError(f"fwpick has no benchmark app for {name!r}") from None


def body_matches(scenario: Scenario, got: bytes) -> bool:
    """Whether an answer is the expected one.

    JSON frameworks differ in key order and spacing, which is not an error, so
    the api answer is compared as a decoded value, with exact types: an id of
    ``"42"`` or ``42.0`` is wrong.  Plain text must match byte for byte.
    """
    if not scenario.json:
        return got == scenario.expected
    try:
        value = json.loads(got)
    except ValueError:
        return False
    expected = json.loads(scenario.expected)
    return (
        isinstance(value, dict)
        and value == expected
        and all(type(value[key]) is type(expected[key]) for key in expected)
    )
