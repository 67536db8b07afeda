"""The built wheel carries the catalogue and works on its own in a fresh environment."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import BUNDLED_CATALOG, REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("build") is None:
        pytest.fail("the wheel test needs 'build': pip install -e '.[test]'")
    outdir = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir)]
    # Reuse the hatchling already installed rather than fetch one into a throwaway env.
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")
    proc = subprocess.run(
        [*command, str(REPO)], capture_output=True, text=True, timeout=600, cwd=outdir
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = outdir.glob("fwpick-*.whl")
    return built


def test_the_wheel_contains_the_catalogue_unchanged(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("fwpick/data/frameworks.yaml")
        names = archive.namelist()
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()

    assert shipped == BUNDLED_CATALOG.read_bytes()
    assert "fwpick = fwpick.cli:main" in scripts
    assert not any(name.startswith(("tests/", "data/")) for name in names)


def test_the_wheel_installed_in_a_fresh_venv_compares_from_any_directory(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    bin_dir = env_dir / "bin"
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "FWPICK_CATALOG", "FORCE_COLOR", "NO_COLOR")
    }
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
        env=clean_env,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    def fwpick(*args: str, columns: int = 100) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "fwpick"), *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd="/tmp",
            env={**clean_env, "COLUMNS": str(columns)},
        )

    compare = fwpick("compare")
    validate = fwpick("validate", columns=1000)

    assert compare.returncode == 0, compare.stderr
    assert "Python web frameworks" in compare.stdout
    assert "Flask" in compare.stdout
    assert compare.stderr == ""
    # The catalogue read is the copy inside the installed package, not the source tree.
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith(str(env_dir / "lib"))
    assert "/site-packages/fwpick/data/frameworks.yaml: ok" in validate.stdout


def test_the_wheel_ships_the_benchmark_apps_as_text(wheel: Path) -> None:
    from fwpick.catalog import load_catalog

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())

    measured = [fw.id for fw in load_catalog().frameworks if fw.measured is not None]
    for app in ["baseline_asgi", "baseline_wsgi", *measured]:
        assert f"fwpick/measure/apps/{app}.py.txt" in names
