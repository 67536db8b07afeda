"""End to end: the installed ``fwpick`` script in a real process, pipe and terminal."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from conftest import ESC, catalog_yaml, framework_yaml

import fwpick

Run = Callable[..., subprocess.CompletedProcess[str]]

# SGR parameters that set a colour (39 and 49 only reset to the default).
_COLOUR_PARAM = re.compile(r"^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$")


def colour_codes(output: str) -> set[str]:
    """The SGR escape sequences in ``output`` that set a foreground or background colour."""
    found = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", output):
        if any(_COLOUR_PARAM.match(p) for p in params.split(";")):
            found.add(params)
    return found


def run_in_terminal(script: Path, *args: str, env: dict[str, str], cwd: Path) -> str:
    """Run fwpick on a pseudo-terminal, as if typed at a prompt, and return what it printed."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "FWPICK_CATALOG")
    }
    full_env.update({"TERM": "xterm-256color", "COLUMNS": "100", **env})
    output, status = pexpect.run(
        shlex.join([str(script), *args]),
        env=full_env,
        cwd=str(cwd),
        dimensions=(50, 100),
        encoding="utf-8",
        timeout=60,
        withexitstatus=True,
    )
    assert status == 0, output
    return output


def test_compare_works_from_any_directory(run_fwpick: Run, tmp_path: Path) -> None:
    proc = run_fwpick("compare", cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "Flask" in proc.stdout
    assert "Python web frameworks" in proc.stdout


def test_output_to_a_pipe_has_no_colour_codes(run_fwpick: Run) -> None:
    proc = run_fwpick("show", "flask", env={"TERM": "xterm-256color"})

    assert proc.returncode == 0, proc.stderr
    assert ESC not in proc.stdout


def test_a_terminal_gets_colour_unless_no_color_is_set(fwpick_script: Path, tmp_path: Path) -> None:
    coloured = run_in_terminal(fwpick_script, "show", "flask", env={}, cwd=tmp_path)
    plain = run_in_terminal(fwpick_script, "show", "flask", env={"NO_COLOR": "1"}, cwd=tmp_path)

    assert colour_codes(coloured), "expected colour on a terminal"
    assert colour_codes(plain) == set()
    assert "Flask" in plain


def test_no_color_beats_force_color(run_fwpick: Run) -> None:
    proc = run_fwpick("compare", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})

    assert proc.returncode == 0, proc.stderr
    assert colour_codes(proc.stdout) == set()


@pytest.mark.parametrize("output", ["table", "json", "markdown"])
def test_compare_into_head_prints_one_line_and_no_traceback(
    fwpick_script: Path, tmp_path: Path, output: str
) -> None:
    command = f"{shlex.quote(str(fwpick_script))} compare --format {output} | head -1"

    proc = subprocess.run(
        ["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr == ""


@pytest.mark.parametrize("output", ["table", "json", "markdown"])
def test_a_reader_that_closes_early_on_a_long_output_stops_fwpick_quietly(
    fwpick_script: Path, tmp_path: Path, output: str
) -> None:
    # Far more output than a pipe buffers, so fwpick is still writing when head exits.
    path = tmp_path / "big.yaml"
    path.write_text(catalog_yaml(*(framework_yaml(f"fw{n:03d}") for n in range(150))))
    command = (
        f"{shlex.quote(str(fwpick_script))} compare --format {output}"
        f" --catalog {shlex.quote(str(path))} | head -1"
    )

    proc = subprocess.run(
        ["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )

    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr == ""


def test_python_dash_m_fwpick_works(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "fwpick", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"fwpick {fwpick.__version__}\n"


def test_a_bad_catalogue_exits_1_with_a_message_and_no_traceback(
    run_fwpick: Run, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "schema_version: 1\nchecked: 2026-01-15\nframeworks: {flask: 1}\n", encoding="utf-8"
    )

    proc = run_fwpick("compare", "--catalog", str(path))

    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"fwpick: error: {path}: invalid catalogue")
    assert f"{path}:3: field 'frameworks'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unknown_framework_exits_2_in_a_real_process(run_fwpick: Run) -> None:
    proc = run_fwpick("show", "flsk")

    assert proc.returncode == 2
    assert "Did you mean 'flask'?" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture
def fake_bottle(tmp_path: Path) -> tuple[Path, Path]:
    """A directory with bottle 9.9.9's metadata and a bottle module that betrays any import."""
    site = tmp_path / "site"
    dist = site / "bottle-9.9.9.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: bottle\nVersion: 9.9.9\n")
    marker = tmp_path / "bottle-was-imported"
    (site / "bottle.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    return site, marker


def test_compare_and_show_report_an_installed_framework_without_importing_it(
    run_fwpick: Run, tmp_path: Path, fake_bottle: tuple[Path, Path]
) -> None:
    site, marker = fake_bottle
    catalogue = tmp_path / "catalog.yaml"
    catalogue.write_text(
        catalog_yaml(framework_yaml("bottle"), framework_yaml("alpha", pypi="fwpick-test-absent"))
    )
    env = {"PYTHONPATH": str(site), "FWPICK_CATALOG": str(catalogue)}

    table = run_fwpick("compare", env=env)
    as_json = run_fwpick("compare", "--format", "json", env=env)
    shown = run_fwpick("show", "bottle", env=env)

    assert table.returncode == 0, table.stderr
    assert "installed:" in table.stdout and "9.9.9" in table.stdout
    assert '"installed_version": "9.9.9"' in as_json.stdout
    assert '"installed_version": null' in as_json.stdout
    assert re.search(r"Installed here\s+9\.9\.9", shown.stdout)
    assert not marker.exists(), "fwpick imported the framework to find its version"


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv to drop root's rights")
def test_an_unreadable_catalogue_is_a_file_problem_not_a_usage_error(
    fwpick_script: Path, tmp_path: Path
) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text(catalog_yaml())
    path.chmod(0)
    # Root reads any file; dropping these capabilities makes the file unreadable.
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    if os.geteuid() != 0:
        drop = []

    proc = subprocess.run(
        [*drop, str(fwpick_script), "compare", "--catalog", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert proc.returncode == 1, proc.stderr
    assert "permission denied" in proc.stderr
    assert "Usage:" not in proc.stderr


def test_completion_offers_names_from_the_catalogue_given_with_catalog(
    run_fwpick: Run, tmp_path: Path
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(catalog_yaml(framework_yaml("zebra"), framework_yaml("zeta")))

    proc = run_fwpick(
        env={
            "_FWPICK_COMPLETE": "complete_bash",
            "COMP_WORDS": f"fwpick show --catalog {path} ze",
            "COMP_CWORD": "4",
        }
    )

    assert proc.stdout.split() == ["zebra", "zeta"]


def test_show_reports_flask_installed_in_the_active_venv_and_names_it(
    run_fwpick: Run, tmp_path: Path
) -> None:
    # A real venv (no pip, to stay quick and offline) holding a Flask distribution.
    venv = tmp_path / "project-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (site,) = venv.glob("lib/python3*/site-packages")
    dist = site / "flask-3.0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: flask\nVersion: 3.0.0\n\n")

    inside = run_fwpick("show", "flask", env={"VIRTUAL_ENV": str(venv)}, columns=200)
    given = run_fwpick("show", "flask", "--python-env", str(venv), "--format", "json")

    assert inside.returncode == 0, inside.stderr
    assert re.search(r"Installed here:? +3\.0\.0", inside.stdout)
    assert f"looked in the active virtual environment {venv}" in inside.stdout
    data = json.loads(given.stdout)
    assert data["installed_version"] == "3.0.0"
    assert str(venv) in data["installed_in"]
