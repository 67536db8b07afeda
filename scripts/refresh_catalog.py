"""Report where the catalogue's entries differ from the newest releases on the package index.

    python scripts/refresh_catalog.py [--catalog FILE] [--json-api URL] [NAME ...]

For each catalogued framework, server and add-on it asks pip for the newest
release (``pip index versions``), downloads that release without its
dependencies (``pip download --no-deps``) into a temporary directory, reads
the release's own metadata and file list, and prints a table of every fact
that differs: version, licence, Requires-Python, dependencies, conditional
dependencies and single-file (frameworks), and the release history: the
development-status classifier of that release, and the first release, the
release count and the releases in the 12 months before the history was
checked, worked out from the index's JSON API (``--json-api``, by default
pypi.org's) the way the catalogue counts them (a version whose files are all
yanked does not count).  pip uses its own configuration, so the first part
works against whatever index pip is set up for.  It only reports; a person
edits data/frameworks.yaml.

Exit status: 0 once every entry was checked (differences or not), 1 when
pip or the JSON API could not answer for some entry, 2 for bad arguments.
Needs the verify extra (``pip install -e '.[verify]'``) for ``packaging``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fwpick.catalog.model import Addon, Framework, ReleaseHistory, Server
from fwpick.catalog.schema import load_catalog
from fwpick.errors import FwpickError
from fwpick.maintainer.package_facts import (
    Difference,
    PackageFacts,
    archive_facts,
    compare_facts,
    compare_package_facts,
)
from fwpick.maintainer.release_history import history_until
from fwpick.text import clean_text

PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
PIP_TIMEOUT = 300
JSON_API = "https://pypi.org/pypi"
JSON_TIMEOUT = 60
_NEWEST = re.compile(r"^\S+ \(([^)]+)\)", re.MULTILINE)


class PipError(Exception):
    """pip failed; the message is the end of what it printed."""


Entry = Framework | Server | Addon


@dataclass
class Report:
    entry: Entry
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


def check(entry: Entry, json_api: str = JSON_API) -> Report:
    report = Report(entry)
    try:
        report.newest = newest_version(entry.pypi, any_python=True)
        if _differs(str(entry.version.value), report.newest):
            report.differences.append(
                Difference("version", str(entry.version.value), report.newest)
            )
        with tempfile.TemporaryDirectory(prefix="fwpick-refresh-") as tmp:
            release = archive_facts(download(entry.pypi, report.newest, Path(tmp)))
        if isinstance(entry, Framework):
            report.differences += compare_facts(entry, release)
            if release.single_file is None:
                report.differences.append(
                    Difference(
                        "single_file", "(not checked)", "only an sdist, whose layout is unknown"
                    )
                )
            report.differences += _other_releases(entry)
        else:
            report.differences += compare_package_facts(entry.facts, release)
        if entry.release_history is not None:
            index = _index_json(json_api, entry.pypi)
            report.differences += compare_history(entry.release_history, index, release)
    except (PipError, subprocess.TimeoutExpired, OSError, ValueError) as exc:
        report.error = str(exc)
    return report


def compare_history(
    history: ReleaseHistory, index: dict[str, Any], release: PackageFacts
) -> list[Difference]:
    """The catalogued history against the index's, as it stood the day each count was checked."""
    differences = []
    status = str(history.development_status.value)
    if status != release.development_status:
        shown = release.development_status or "(no Development Status classifier)"
        differences.append(Difference("development_status", repr(status), shown))
    # Each fact is compared as of the day it was checked, so that releases
    # since then do not count against it (a new release shows as "version").
    for name in ("first_release", "release_count", "releases_last_12_months"):
        fact = getattr(history, name)
        found = history_until(index, fact.checked)
        value = getattr(found, name)
        if fact.value != value:
            start, end = found.window
            when = f"12 months {start}..{end}" if name == "releases_last_12_months" else str(end)
            differences.append(Difference(name, str(fact.value), f"{value} (as of {when})"))
    return differences


def _other_releases(fw: Framework) -> list[Difference]:
    if not fw.other_releases:
        return []
    here = newest_version(fw.pypi, any_python=False)
    lines = [o.version for o in fw.other_releases]
    if not all(_differs(v, here) for v in [str(fw.version.value), *lines]):
        return []
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return [Difference("other_releases", ", ".join(lines), f"{here} (newest for Python {python})")]


def _index_json(json_api: str, name: str) -> dict[str, Any]:
    url = f"{json_api.rstrip('/')}/{name}/json"
    try:
        with urllib.request.urlopen(url, timeout=JSON_TIMEOUT) as answer:
            data: dict[str, Any] = json.load(answer)
    except (urllib.error.URLError, json.JSONDecodeError) as exc:
        raise OSError(f"{url}: {exc}") from None
    return data


def render(reports: list[Report]) -> Table:
    table = Table(title="Catalogue against the newest releases", show_lines=False)
    for column in ("entry", "newest", "fact", "catalogue says", "the index says"):
        table.add_column(column, overflow="fold")
    for report in reports:
        name, newest = Text(report.entry.id), Text(clean_text(report.newest))
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
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these entries")
    parser.add_argument("--catalog", type=Path, help="catalogue file (default: the bundled one)")
    parser.add_argument("--json-api", default=JSON_API, help=f"default: {JSON_API}")
    args = parser.parse_args(argv)
    err = Console(stderr=True, highlight=False)
    try:
        catalog = load_catalog(args.catalog)
    except FwpickError as exc:
        err.print(Text(f"refresh_catalog: {clean_text(str(exc))}"))
        return 2
    entries: list[Entry] = [*catalog.frameworks, *catalog.servers, *catalog.addons]
    if args.names:
        unknown = [n for n in args.names if catalog.find(n) not in entries]
        if unknown:
            known = ", ".join(e.id for e in entries)
            err.print(
                Text(f"refresh_catalog: unknown entry(s) {', '.join(unknown)}; known: {known}")
            )
            return 2
        entries = [e for e in entries if any(catalog.find(n) is e for n in args.names)]
    err.print(Text(f"Asking pip and {args.json_api} about {len(entries)} entries..."))
    # pip spends its time waiting on the network, so a few run side by side.
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda e: check(e, args.json_api), entries))
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
