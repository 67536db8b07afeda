"""A feature's proof (``api`` for "yes", ``extra`` for "extra") is read, checked and shown."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import catalog_yaml, framework_yaml, line_of, replace_once
from typer.testing import Result

from fwpick.catalog import load_catalog
from fwpick.catalog.model import FEATURES
from fwpick.errors import CatalogError

# The features this test gives a level and a proof; every other one is "no".
SESSIONS = """\
      sessions:
        value: "yes"
        api: alpha.sessions:CookieSessions
        source: "source: alpha/sessions.py"
"""
ORM = """\
      orm:
        value: extra
        extra: sql
        api: alpha.orm:Model
        source: wheel METADATA Provides-Extra sql
"""


def _catalogue(sessions: str = SESSIONS, orm: str = ORM) -> str:
    block = ["    features:\n"]
    for name in FEATURES:
        if name == "sessions":
            block.append(sessions)
        elif name == "orm":
            block.append(orm)
        else:
            block.append(f'      {name}:\n        value: "no"\n        source: wheel contents\n')
    alpha = replace_once(framework_yaml("alpha"), "    links:\n", "".join(block) + "    links:\n")
    return replace_once(catalog_yaml(alpha), "schema_version: 1", "schema_version: 2")


def _error(write_catalog: Callable[..., Path], text: str) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(write_catalog(text), cache=False)
    return str(info.value) + "\n" + "\n".join(str(p) for p in info.value.problems)


def test_a_feature_keeps_its_api_and_extra(write_catalog: Callable[..., Path]) -> None:
    catalog = load_catalog(write_catalog(_catalogue()), cache=False)

    features = catalog.frameworks[0].features
    assert features is not None
    assert features["sessions"].api == "alpha.sessions:CookieSessions"
    assert features["sessions"].extra == ""
    assert (features["orm"].extra, features["orm"].api) == ("sql", "alpha.orm:Model")
    assert features["admin"].api == features["admin"].extra == ""


@pytest.mark.parametrize(
    "api", ["alpha.sessions", "alpha sessions:X", ":CookieSessions", "alpha:", "[alpha]:x", "7:x"]
)
def test_an_api_that_is_not_module_colon_attribute_is_refused_at_its_line(
    write_catalog: Callable[..., Path], api: str
) -> None:
    text = _catalogue(sessions=SESSIONS.replace("alpha.sessions:CookieSessions", json.dumps(api)))

    message = _error(write_catalog, text)

    assert f":{line_of(text, '        api: ' + json.dumps(api))}:" in message
    assert "features.sessions.api" in message
    assert "module:attribute" in message


def test_an_api_on_a_feature_that_is_not_there_is_refused(
    write_catalog: Callable[..., Path],
) -> None:
    text = _catalogue(sessions=SESSIONS.replace('value: "yes"', 'value: "no"'))

    message = _error(write_catalog, text)

    assert "features.sessions.api" in message
    assert "this one is 'no'" in message


def test_an_extra_on_a_built_in_feature_is_refused(write_catalog: Callable[..., Path]) -> None:
    text = _catalogue(orm=ORM.replace("value: extra", 'value: "yes"'))

    message = _error(write_catalog, text)

    assert "features.orm.extra" in message
    assert "this one is 'yes'" in message


@pytest.mark.parametrize("extra", ["", "-sql", "sql extra", "[sql]"])
def test_an_extra_that_is_not_an_extra_name_is_refused(
    write_catalog: Callable[..., Path], extra: str
) -> None:
    text = _catalogue(orm=ORM.replace("extra: sql", f"extra: {json.dumps(extra)}"))

    message = _error(write_catalog, text)

    assert "features.orm.extra" in message
    assert "the name of an extra" in message


def test_show_json_gives_each_features_proof(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(_catalogue())

    result = cli("show", "alpha", "--catalog", str(path), "--format", "json")

    features = json.loads(result.stdout)["features"]
    assert features["sessions"]["api"] == "alpha.sessions:CookieSessions"
    assert features["orm"]["extra"] == "sql"
    assert features["admin"]["api"] == "" and features["admin"]["extra"] == ""
