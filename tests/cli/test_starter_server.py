"""A starter names its server from the servers section: its version, requirement and command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import catalog_yaml, framework_yaml, replace_once
from typer.testing import Result

from fwpick.catalog import load_catalog
from fwpick.errors import CatalogError

_STARTER = """\
    starter:
      requirements: ["alpha>=1.0,<2"]
      expect: Hello from Alpha
      run: python app.py
      server: quickserve
      app: |
        app = "hello"
"""
# One server, serving WSGI on the command the starter's README must show.
_SERVERS = """\
servers:
  - id: quickserve
    name: QuickServe
    pypi: quick-serve
    description: A WSGI server for the tests.
    checked: 2026-01-15
    version: {value: "4.2.0", source: package index}
    released: {value: 2025-11-01, source: package index upload time}
    run: {value: "quickserve --listen 127.0.0.1:{port} {app}", source: quickserve --help}
    facts:
      licence: {value: MIT, source: wheel METADATA}
      requires_python: {value: ">=3.9", source: wheel METADATA}
      dependencies: {value: [], source: wheel METADATA}
      conditional_dependencies: {value: [], source: wheel METADATA}
      serves: {value: [wsgi], source: ran it}
      workers: {value: "no", source: quickserve --help}
      threads: {value: "yes", source: quickserve --help}
      http2: {value: "no", source: ran it}
      websockets: {value: "no", source: ran it}
      platforms: {value: any, source: wheel tags}
    links: {homepage: "https://example.org/qs/", docs: "https://example.org/qs/", source: "https://example.org/qs/"}
"""


def _catalogue(starter: str = _STARTER, servers: str = _SERVERS) -> str:
    text = catalog_yaml(framework_yaml("alpha") + starter)
    return replace_once(text, "schema_version: 1", "schema_version: 2") + servers


def _load_error(write_catalog: Callable[..., Path], text: str) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(write_catalog(text), cache=False)
    return "\n".join(str(problem) for problem in info.value.problems)


def test_new_writes_the_servers_requirement_and_command_from_the_servers_section(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_catalog(_catalogue())

    result = cli("new", "alpha", str(tmp_path / "site"), "--catalog", str(path))

    assert result.exit_code == 0, result.output
    requirements = (tmp_path / "site" / "requirements.txt").read_text(encoding="utf-8")
    assert [line for line in requirements.splitlines() if not line.startswith("#")] == [
        "alpha>=1.0,<2",
        "quick-serve>=4.2.0",
    ]
    readme = (tmp_path / "site" / "README.md").read_text(encoding="utf-8")
    assert "## Serve it with QuickServe\n" in readme
    assert "QuickServe 4.2.0" in readme
    assert "    quickserve --listen 127.0.0.1:8000 app:app\n" in readme


def test_a_server_the_requirements_already_name_is_not_added_twice(
    write_catalog: Callable[..., Path],
) -> None:
    starter = _STARTER.replace('["alpha>=1.0,<2"]', '["alpha>=1.0,<2", "Quick_Serve[fast]>=4"]')

    fw = load_catalog(write_catalog(_catalogue(starter)), cache=False).frameworks[0]

    assert fw.starter is not None
    assert fw.starter.requirements == ("alpha>=1.0,<2", "Quick_Serve[fast]>=4")


def test_show_names_the_server_and_its_command_in_every_format(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(_catalogue())

    table = cli("show", "alpha", "--catalog", str(path), columns=120).stdout
    markdown = cli("show", "alpha", "--catalog", str(path), "--format", "markdown").stdout
    data = json.loads(cli("show", "alpha", "--catalog", str(path), "--format", "json").stdout)
    server = cli("show", "quickserve", "--catalog", str(path), columns=120).stdout

    command = "quickserve --listen 127.0.0.1:8000 app:app"
    assert f"Serve with QuickServe 4.2.0: {command}" in table
    assert "Starter needs: alpha>=1.0,<2 quick-serve>=4.2.0" in table
    assert "Serve with QuickServe 4.2.0:" in markdown and command in markdown
    assert data["starter"]["server"] == "quickserve"
    assert data["starter"]["serve"] == command
    assert "quick-serve>=4.2.0" in data["starter"]["requirements"]
    assert "Serves the starters of" in server and "Alpha" in server


def test_a_starter_naming_an_unknown_server_is_an_error_listing_the_known_ones(
    write_catalog: Callable[..., Path],
) -> None:
    message = _load_error(write_catalog, _catalogue(_STARTER.replace("quickserve", "fastserve")))

    assert "starter.server" in message
    assert "no server 'fastserve' in the servers section (known: quickserve)" in message


def test_a_server_that_does_not_speak_the_frameworks_interface_is_an_error(
    write_catalog: Callable[..., Path],
) -> None:
    servers = _SERVERS.replace("serves: {value: [wsgi]", "serves: {value: [asgi]")

    message = _load_error(write_catalog, _catalogue(servers=servers))

    assert "server 'quickserve' serves asgi only" in message


@pytest.mark.parametrize(
    ("run", "says"),
    [
        ("quickserve {app}", "it must name {app} and {port}"),
        ("quickserve --port {port} {module}", "unknown field {module}"),
        ("quickserve --port {port {app}", "expected"),
    ],
)
def test_a_server_command_must_name_the_app_and_the_port_and_nothing_else(
    write_catalog: Callable[..., Path], run: str, says: str
) -> None:
    servers = _SERVERS.replace("quickserve --listen 127.0.0.1:{port} {app}", run)

    message = _load_error(write_catalog, _catalogue(servers=servers))

    assert "field 'run.value'" in message
    assert says in message
