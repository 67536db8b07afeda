"""Installed versions are read from the distributions' metadata, as pip and importlib see them."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import pytest

from fwpick.catalog.installed import installed_versions


def framework(pypi: str, fw_id: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(id=fw_id or pypi.lower(), name=pypi, pypi=pypi)


def dist_info(folder: Path, name: str, version: str) -> None:
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nA description.\n"
    )


def test_every_distribution_here_has_the_version_importlib_metadata_reports() -> None:
    names = sorted({dist.metadata["Name"] for dist in metadata.distributions()})
    frameworks = [framework(name, f"fw{number}") for number, name in enumerate(names)]

    found = installed_versions(frameworks)

    assert found == {fw.id: metadata.version(fw.pypi) for fw in frameworks}


def test_names_match_whatever_their_case_and_separators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist_info(tmp_path, "CherryPy", "18.10.0")
    dist_info(tmp_path, "zope_interface", "8.7")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])

    found = installed_versions([framework("cherrypy"), framework("Zope.Interface", "zope")])

    assert found == {"cherrypy": "18.10.0", "zope": "8.7"}


def test_the_first_distribution_on_the_path_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist_info(tmp_path / "first", "alpha", "2.0")
    dist_info(tmp_path / "second", "alpha", "1.0")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "first"), str(tmp_path / "second")])

    assert installed_versions([framework("alpha")]) == {"alpha": "2.0"}


def test_old_style_eggs_are_read_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "beta-0.3-py3.11.egg-info").write_text("Metadata-Version: 1.0\nVersion: 0.3\n")
    egg = tmp_path / "gamma-1.5-py3.11.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.0\nName: gamma\nVersion: 1.5\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(tmp_path / "missing"), "x.zip"])

    found = installed_versions([framework("beta"), framework("gamma"), framework("delta")])

    assert found == {"beta": "0.3", "gamma": "1.5"}
