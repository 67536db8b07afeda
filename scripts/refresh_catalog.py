"""Report where the catalogue's facts differ from the newest releases on the package index.

    python scripts/refresh_catalog.py [--catalog FILE] [NAME ...]

For each catalogued framework it asks pip for the newest release (``pip index
versions``), downloads that release without its dependencies (``pip download
--no-deps``) into a temporary directory, reads the release's own metadata and
file list, and prints a table of every fact that differs: version, licence,
Requires-Python, dependencies, conditional dependencies and single-file.  pip
uses its own configuration, so the script works against whatever index pip is
set up for.  It only reports; a person edits data/frameworks.yaml.

Exit status: 0 once every framework was checked (differences or not), 1 when
pip could not fetch some release, 2 for bad arguments.  Needs the verify
extra (``pip install -e '.[verify]'``) for ``packaging``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fwpick.catalog.model import Framework
from fwpick.catalog.schema import load_catalog
from fwpick.errors import FwpickError
from fwpick.maintainer.package_facts import Difference, archive_facts, compare_facts
from fwpick.text import clean_text

PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
PIP_TIMEOUT = 300
_NEWEST = re.compile(r"^\S+ \(([^)]+)\)", re.MULTILINE)


class PipError(Exception):
    """pip failed; the message is the end of what it printed."""


@dataclass
class Report:
    fw: Framework
    newest: str = ""
    differences: list[Difference] = field(default_factory=list)
    error: str = ""


def newest_version(name: str, *, any_python: bool) -> str:
    """The newest release pip sees on its index, for any Python or for this one."""
    args = [*PIP, "index", "versions", name]
    if any_python:
        args.append("--ignore-requires-python")
    match = _NEWEST.search(_pip(args))
    if match is None:
        raise PipError(f"pip index versions {name} printed no version")
    return match.group(1)


def download(name: str, version: str, directory: Path) -> Path:
    """Fetch one release without dependencies; a wheel when there is one, else the sdist."""
    base = [*PIP, "download", "--no-deps", "--ignore-requires-python", "--dest", str(directory)]
    try:
        _pip([*base, "--only-binary", ":all:", f"{name}=={version}"])
    except PipError:
        _pip([*base, "--no-binary", ":all:", f"{name}=={version}"])
    found = sorted(
        p for p in directory.iterdir() if p.suffix == ".whl" or p.name.endswith(".tar.gz")
    )
    if not found:
        raise PipError(f"pip download {name}=={version} left no wheel or sdist")
    return found[0]


def check(fw: Framework) -> Report:
    report = Report(fw)
    try:
        report.newest = newest_version(fw.pypi, any_python=True)
        if _differs(str(fw.version.value), report.newest):
            report.differences.append(Difference("version", str(fw.version.value), report.newest))
        with tempfile.TemporaryDirectory(prefix="fwpick-refresh-") as tmp:
            release = archive_facts(download(fw.pypi, report.newest, Path(tmp)))
        report.differences += compare_facts(fw, release)
        if release.single_file is None:
            report.differences.append(
                Difference("single_file", "(not checked)", "only an sdist, whose layout is unknown")
            )
        if fw.other_releases:
            here = newest_version(fw.pypi, any_python=False)
            lines = [o.version for o in fw.other_releases]
            if all(_differs(v, here) for v in [str(fw.version.value), *lines]):
                python = f"{sys.version_info.major}.{sys.version_info.minor}"
                report.differences.append(
                    Difference(
                        "other_releases", ", ".join(lines), f"{here} (newest for Python {python})"
                    )
                )
    except (PipError, subprocess.TimeoutExpired, OSError, ValueError) as exc:
        report.error = str(exc)
    return report


def render(reports: list[Report]) -> Table:
    table = Table(title="Catalogue against the newest releases", show_lines=False)
    for column in ("framework", "newest", "fact", "catalogue says", "newest release says"):
        table.add_column(column, overflow="fold")
    for report in reports:
        name, newest = Text(report.fw.id), Text(clean_text(report.newest))
        if report.error:
            table.add_row(name, newest, Text("error"), Text(""), Text(clean_text(report.error)))
        elif not report.differences:
            table.add_row(name, newest, Text("-"), Text("all facts agree"), Text(""))
        for difference in report.differences:
            table.add_row(
                name,
                newest,
                Text(difference.fact),
                Text(clean_text(difference.catalogue)),
                Text(clean_text(difference.package)),
            )
            name, newest = Text(""), Text("")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these frameworks")
    parser.add_argument("--catalog", type=Path, help="catalogue file (default: the bundled one)")
    args = parser.parse_args(argv)
    err = Console(stderr=True, highlight=False)
    try:
        catalog = load_catalog(args.catalog)
    except FwpickError as exc:
        err.print(Text(f"refresh_catalog: {clean_text(str(exc))}"))
        return 2
    frameworks = list(catalog.frameworks)
    if args.names:
        unknown = [n for n in args.names if catalog.get(n) is None]
        if unknown:
            known = ", ".join(catalog.names())
            err.print(
                Text(f"refresh_catalog: unknown framework(s) {', '.join(unknown)}; known: {known}")
            )
            return 2
        frameworks = [fw for fw in frameworks if any(catalog.get(n) is fw for n in args.names)]
    err.print(Text(f"Asking pip about {len(frameworks)} framework(s)..."))
    # pip spends its time waiting on the network, so a few run side by side.
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(check, frameworks))
    Console(highlight=False).print(render(reports))
    differing = sum(1 for r in reports if r.differences)
    failed = sum(1 for r in reports if r.error)
    print(f"{len(reports)} checked, {differing} with differences, {failed} could not be fetched.")
    return 1 if failed else 0


def _pip(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=PIP_TIMEOUT)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        tail = " ".join([line for line in lines if line.startswith("ERROR")] or lines[-1:])
        raise PipError(f"pip {' '.join(args[len(PIP) :])} failed: {tail or done.returncode}")
    return done.stdout


def _differs(a: str, b: str) -> bool:
    try:
        return Version(a) != Version(b)
    except InvalidVersion:
        return a != b


if __name__ == "__main__":
    sys.exit(main())
