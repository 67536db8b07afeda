"""`fwpick new`: writing a runnable starter project for a framework."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import catalog_yaml, framework_yaml
from typer.testing import Result

from fwpick import starter
from fwpick.catalog import load_catalog
from fwpick.catalog.model import Framework
from fwpick.errors import CatalogError, FwpickError

ALPHA_APP = 'import os\n\nprint("Hello from Alpha", os.environ.get("PORT", "8000"))\n'
_STARTER = """\
    starter:
      requirements: ["alpha>=1.0,<2", "uvicorn>=0.30"]
      expect: Hello from Alpha
      run: python app.py
      preferred_run: alpha serve --port 8000
      app: |
        import os

        print("Hello from Alpha", os.environ.get("PORT", "8000"))
"""


@pytest.fixture
def catalog(write_catalog: Callable[..., Path]) -> Path:
    """A catalogue with alpha (which has a starter) and beta (which has none)."""
    return write_catalog(
        catalog_yaml(framework_yaml("alpha") + _STARTER, framework_yaml("beta", version="2.0"))
    )


@pytest.fixture
def new(
    cli: Callable[..., Result], catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """Run `fwpick new` from inside a scratch directory, on the test catalogue."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    def run(*args: str) -> Result:
        return cli("new", *args, "--catalog", str(catalog))

    return run


def test_new_writes_app_requirements_and_readme_into_name_starter(
    new: Callable[..., Result],
) -> None:
    result = new("alpha")

    assert result.exit_code == 0, result.stderr
    directory = Path("alpha-starter")
    assert sorted(p.name for p in directory.iterdir()) == [
        "README.md",
        "app.py",
        "requirements.txt",
    ]
    assert (directory / "app.py").read_text(encoding="utf-8") == ALPHA_APP
    requirements = (directory / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in requirements if not line.startswith("#")] == [
        "alpha>=1.0,<2",
        "uvicorn>=0.30",
    ]


def test_new_says_what_it_created_and_how_to_run_it(new: Callable[..., Result]) -> None:
    result = new("alpha", "site")

    assert result.exit_code == 0
    out = result.stdout
    assert "Created a starter for Alpha in site/:" in out
    for name in ("app.py", "requirements.txt", "README.md"):
        assert f"  {name}\n" in out
    assert "cd site\n" in out
    assert "python -m pip install -r requirements.txt" in out
    assert "python app.py" in out
    assert "http://127.0.0.1:8000/" in out
    assert result.stderr == ""


def test_new_finds_the_framework_by_its_display_name_in_any_case(
    new: Callable[..., Result],
) -> None:
    assert new("ALPHA", "site").exit_code == 0
    assert Path("site/app.py").exists()


def test_readme_gives_the_install_run_and_own_commands(new: Callable[..., Result]) -> None:
    new("alpha", "site")

    readme = Path("site/README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Alpha starter\n")
    assert "    python -m pip install -r requirements.txt\n" in readme
    assert "    python app.py\n" in readme
    assert "    PORT=8080 python app.py\n" in readme
    assert "    alpha serve --port 8000\n" in readme
    assert "https://docs.example.org/alpha/" in readme


def test_new_creates_missing_parent_directories(new: Callable[..., Result]) -> None:
    assert new("alpha", "deep/down/site").exit_code == 0
    assert Path("deep/down/site/app.py").is_file()


def test_new_writes_into_an_existing_empty_directory(new: Callable[..., Result]) -> None:
    Path("empty").mkdir()
    assert new("alpha", "empty").exit_code == 0
    assert Path("empty/app.py").is_file()


def test_new_refuses_a_non_empty_directory_and_touches_nothing(new: Callable[..., Result]) -> None:
    Path("site").mkdir()
    Path("site/app.py").write_text("mine\n", encoding="utf-8")

    result = new("alpha", "site")

    assert result.exit_code == 1
    assert "site is not empty" in result.stderr
    assert "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert Path("site/app.py").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in Path("site").iterdir()) == ["app.py"]


def test_force_replaces_starter_files_and_keeps_the_others(new: Callable[..., Result]) -> None:
    Path("site").mkdir()
    Path("site/app.py").write_text("mine\n", encoding="utf-8")
    Path("site/notes.txt").write_text("keep me\n", encoding="utf-8")

    result = new("alpha", "site", "--force")

    assert result.exit_code == 0, result.stderr
    assert "app.py (replaced)" in result.stdout
    assert Path("site/app.py").read_text(encoding="utf-8") == ALPHA_APP
    assert Path("site/notes.txt").read_text(encoding="utf-8") == "keep me\n"


def test_force_replaces_a_symlinked_starter_file_not_what_it_points_to(
    new: Callable[..., Result], tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    Path("site").mkdir()
    Path("site/README.md").symlink_to(outside)

    result = new("alpha", "site", "--force")

    assert result.exit_code == 0, result.stderr
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not Path("site/README.md").is_symlink()


def test_new_refuses_a_path_that_is_a_file(new: Callable[..., Result]) -> None:
    Path("site").write_text("a file\n", encoding="utf-8")

    result = new("alpha", "site")

    assert result.exit_code == 1
    assert "not a directory" in result.stderr


def test_an_unknown_framework_gets_a_suggestion_and_exit_code_2(new: Callable[..., Result]) -> None:
    result = new("alpah")

    assert result.exit_code == 2
    assert "Did you mean 'alpha'?" in result.stderr
    assert not Path("alpah-starter").exists()


def test_a_framework_without_a_starter_is_reported_not_crashed(new: Callable[..., Result]) -> None:
    result = new("beta")

    assert result.exit_code == 1
    assert "no starter" in result.stderr
    assert "Traceback" not in result.stderr
    assert not Path("beta-starter").exists()


def test_install_command_quotes_requirements_for_the_shell(catalog: Path) -> None:
    fw = load_catalog(catalog).get("alpha")
    assert fw is not None

    assert starter.install_command(fw) == "python -m pip install 'alpha>=1.0,<2' 'uvicorn>=0.30'"


def test_starter_functions_refuse_a_framework_without_a_starter(catalog: Path) -> None:
    fw = load_catalog(catalog).get("alpha")
    assert fw is not None
    bare = fw._replace(starter=None)

    with pytest.raises(CatalogError, match="no starter"):
        starter.install_command(bare)


def test_write_starter_reports_the_files_it_wrote(catalog: Path, tmp_path: Path) -> None:
    fw = load_catalog(catalog).get("alpha")
    assert fw is not None

    done = starter.write_starter(fw, tmp_path / "x")

    assert [p.name for p in done.files] == ["app.py", "requirements.txt", "README.md"]
    assert done.replaced == ()
    assert done.run == "python app.py"
    with pytest.raises(FwpickError, match="not empty"):
        starter.write_starter(fw, tmp_path / "x")


@pytest.mark.parametrize("fw", load_catalog().frameworks, ids=lambda fw: fw.id)
def test_every_bundled_starter_serves_on_loopback_and_the_port_in_port(fw: Framework) -> None:
    # The verify tests serve each starter for real; this quick check needs no frameworks.
    assert fw.starter is not None, f"{fw.id} has no starter"
    assert fw.starter.run.startswith("python app.py"), fw.starter.run
    assert "127.0.0.1" in fw.starter.app
    assert '"PORT"' in fw.starter.app
    assert fw.starter.expect


@pytest.mark.parametrize("fw", load_catalog().frameworks, ids=lambda fw: fw.id)
def test_every_bundled_starter_requires_a_range_that_admits_the_catalogued_release(
    fw: Framework,
) -> None:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    assert fw.starter is not None
    own = [
        r
        for r in map(Requirement, fw.starter.requirements)
        if canonicalize_name(r.name) == canonicalize_name(fw.pypi)
    ]
    assert own, f"{fw.id}: the starter's requirements do not name {fw.pypi}"
    assert any(r.specifier.contains(str(fw.version.value)) for r in own), (
        f"{fw.id}: {[str(r) for r in own]} exclude the catalogued {fw.version.value}"
    )
    assert all(r.specifier for r in own), f"{fw.id}: pin {fw.pypi} to a compatible range"


def test_new_never_echoes_escape_sequences_from_the_directory_name(
    new: Callable[..., Result],
) -> None:
    result = new("alpha", "odd\x1b[31mred")

    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "odd[31mred" in result.stdout
