"""Where a framework is measured: its own venv in the cache folder, or this interpreter.

Each framework gets a venv of its own with exactly the pinned releases (the
framework at its catalogued version, and the servers), so one framework's
dependencies never change another's figures.  A venv is reused while a marker
file inside it records the same pins; it is made again otherwise.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from fwpick.catalog.cache import cache_folder
from fwpick.catalog.model import Framework
from fwpick.errors import FwpickError
from fwpick.measure.servers import KINDS, child_environment, server_for

MARKER = "fwpick-bench.json"
_PIP_TIMEOUT = 900


class Environment(NamedTuple):
    """A Python that has one framework and its servers installed."""

    python: Path
    framework_version: str
    pins: tuple[str, ...]  # "name==version", the framework first
    here: bool  # the running interpreter, not a venv of fwpick's making


def python_admits(specifier: str, version: tuple[int, ...]) -> bool:
    """Whether a Requires-Python specifier such as ``>=3.10`` or ``<4.0,>=3.8`` admits ``version``.

    Only the comparison operators the catalogue uses; packaging is not a
    runtime dependency of fwpick.
    """
    for clause in filter(None, (part.strip() for part in specifier.split(","))):
        found = re.fullmatch(r"(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)*)", clause)
        if found is None:
            raise FwpickError(f"cannot read the Python requirement {specifier!r}")
        operator, wanted = found.group(1), tuple(map(int, found.group(2).split(".")))
        have = version[: len(wanted)]
        admitted = {
            ">=": have >= wanted,
            "<=": have <= wanted,
            ">": have > wanted,
            "<": have < wanted,
            "==": have == wanted,
            "!=": have != wanted,
        }[operator]
        if not admitted:
            return False
    return True


def pinned_release(fw: Framework, python: tuple[int, ...]) -> str:
    """The catalogued release for this Python: the newest, or the other_releases line for it."""
    if python_admits(str(fw.facts.requires_python.value), python):
        return str(fw.version.value)
    for other in fw.other_releases:
        if python_admits(other.requires_python, python):
            return other.version
    version = ".".join(map(str, python))
    raise FwpickError(f"no catalogued release of {fw.name} installs on Python {version}")


def pins(fw: Framework, python: tuple[int, ...]) -> tuple[str, ...]:
    """What the framework's venv holds: the framework, its server and its baseline's server."""
    server = server_for(fw.id)
    result = [f"{fw.pypi}=={pinned_release(fw, python)}"]
    for kind in (server, KINDS[server.baseline_server]):
        pin = f"{kind.pypi}=={kind.version}"
        if kind.pypi and pin not in result:
            result.append(pin)
    return tuple(result)


def venv_folder(fw: Framework, requirements: tuple[str, ...]) -> Path:
    """``<cache>/bench/<id>-<digest of the pins and the Python>``."""
    base = cache_folder()
    if base is None:
        raise FwpickError(
            "fwpick has no cache folder for the benchmark venvs (FWPICK_NO_CACHE is set or "
            "there is no home folder); unset it, or measure this interpreter with --here"
        )
    digest = hashlib.sha256("\n".join([sys.version, *requirements]).encode()).hexdigest()[:10]
    return base / "bench" / f"{fw.id}-{digest}"


def _marker(requirements: tuple[str, ...]) -> str:
    return json.dumps({"python": sys.version, "pins": list(requirements)}, indent=1)


def prepare(fw: Framework) -> Environment:
    """The framework's own venv, made (with pip, from the package index) unless it exists."""
    python_version = sys.version_info[:3]
    requirements = pins(fw, python_version)
    folder = venv_folder(fw, requirements)
    python = folder / "bin" / "python"
    marker = folder / MARKER
    try:
        ready = marker.read_text(encoding="utf-8") == _marker(requirements) and python.exists()
    except OSError:
        ready = False
    if not ready:
        # A half-made venv (an interrupted install) has no marker: start again.
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        _run([sys.executable, "-m", "venv", str(folder)], f"making a venv for {fw.name}")
        _run(
            [
                str(python), "-m", "pip", "install", "--disable-pip-version-check",
                "--no-input", "--quiet", *requirements,
            ],
            f"installing {' '.join(requirements)}",
        )  # fmt: skip
        marker.write_text(_marker(requirements), encoding="utf-8")
    return Environment(python, requirements[0].split("==")[1], requirements, here=False)


def here(fw: Framework) -> Environment:
    """This interpreter, after checking it has the catalogued releases installed."""
    from importlib import metadata

    requirements = pins(fw, sys.version_info[:3])
    for pin in requirements:
        name, wanted = pin.split("==")
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = ""
        if found != wanted:
            have = f"has {name} {found}" if found else f"does not have {name}"
            raise FwpickError(
                f"--here measures this interpreter's packages, and it {have}; "
                f"{fw.name} is measured with {' '.join(requirements)} "
                f"(pip install {' '.join(requirements)}, or leave out --here)"
            )
    return Environment(Path(sys.executable), requirements[0].split("==")[1], requirements, True)


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=_PIP_TIMEOUT,
            env=child_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise FwpickError(f"{what}: no end after {_PIP_TIMEOUT} s") from None
    if done.returncode != 0:
        output = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise FwpickError(f"{what} failed:\n{output}")
