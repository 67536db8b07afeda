"""Read a distribution's facts from its metadata and files, and compare them with the catalogue.

Used by the facts tests (against installed distributions) and by the
maintainer's refresh script (against downloaded wheels); the command-line
tool never imports it.  It needs ``packaging`` (in the ``verify`` extra) to
read specifiers, requirements and markers the way pip does.
"""

from __future__ import annotations

import re
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.message import Message
from email.parser import Parser
from importlib import metadata
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name as _canonicalize

from fwpick.catalog.model import Fact, Framework

# Licence classifiers name a family, not an exact licence: BSD covers the 2-
# and 3-clause variants, so those are told apart by the licence text below.
# An SPDX identifier's prefix and the classifier family it belongs to.
_SPDX_FAMILIES = (
    ("BSD", "BSD"),
    ("APACHE", "Apache"),
    ("MIT", "MIT"),
    ("ISC", "ISC"),
    ("ZPL", "ZPL"),
)
_CLASSIFIER_FAMILIES = {
    "MIT License": "MIT",
    "BSD License": "BSD",
    "Apache Software License": "Apache",
    "ISC License (ISCL)": "ISC",
    "Python Software Foundation License": "PSF",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL",
    "Zope Public License": "ZPL",
}
# A License field that only names a family says too little to compare exactly.
_VAGUE_LICENSE_FIELDS = {"bsd", "bsd license", "apache", "apache license", "mit license", "gpl"}
_SPDX_EXPRESSION = re.compile(r"^[A-Za-z0-9.+-]+(?: (?:AND|OR|WITH) [A-Za-z0-9.+-]+)*$")
_BSD_NON_ENDORSEMENT = re.compile(r"neither\s+the\s+name", re.IGNORECASE)


@dataclass(frozen=True)
class PackageFacts:
    """What one release of a distribution says about itself."""

    name: str
    version: str
    license_expression: str
    license_field: str
    license_classifiers: tuple[str, ...]
    license_texts: tuple[str, ...]
    requires_python: str
    requires_dist: tuple[str, ...]
    top_level: tuple[str, ...] | None  # None when the file list is unknown (an sdist)
    development_status: str = ""  # "5 - Production/Stable", from its classifier

    @property
    def dependencies(self) -> set[str]:
        """Canonical names of the unconditional runtime dependencies."""
        return {_canon(r.name) for r in self._runtime() if r.marker is None}

    @property
    def conditional_dependencies(self) -> set[tuple[str, str]]:
        """(canonical name, marker) of runtime dependencies that only apply on some systems."""
        return {(_canon(r.name), str(r.marker)) for r in self._runtime() if r.marker is not None}

    @property
    def single_file(self) -> bool | None:
        if self.top_level is None:
            return None
        return len(self.top_level) == 1 and self.top_level[0].endswith(".py")

    def _runtime(self) -> list[Requirement]:
        # A requirement whose marker mentions "extra" belongs to an optional
        # extra, not to what every installation pulls in.
        requirements = [Requirement(text) for text in self.requires_dist]
        return [r for r in requirements if r.marker is None or "extra" not in str(r.marker)]


@dataclass(frozen=True)
class Difference:
    """One catalogue fact that the package contradicts."""

    fact: str
    catalogue: str
    package: str

    def __str__(self) -> str:
        return f"{self.fact}: the catalogue says {self.catalogue}, the package says {self.package}"


def facts_from_metadata(
    meta: Message,
    files: Iterable[str] | None,
    read_text: Callable[[str], str | None],
) -> PackageFacts:
    """Build facts from core metadata, the release's file paths and a reader for those files."""
    classifiers = tuple(
        c.removeprefix("License :: ").removeprefix("OSI Approved :: ")
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    )
    file_list = list(files) if files is not None else None
    texts = []
    for name in meta.get_all("License-File") or []:
        for candidate in _license_paths(name, file_list):
            text = read_text(candidate)
            if text is not None:
                texts.append(text)
                break
    return PackageFacts(
        name=meta.get("Name", ""),
        version=meta.get("Version", ""),
        license_expression=(meta.get("License-Expression") or "").strip(),
        license_field=(meta.get("License") or "").strip(),
        license_classifiers=classifiers,
        license_texts=tuple(texts),
        requires_python=(meta.get("Requires-Python") or "").strip(),
        requires_dist=tuple(meta.get_all("Requires-Dist") or ()),
        top_level=_top_level(file_list) if file_list is not None else None,
        development_status=next(
            (
                c.removeprefix("Development Status :: ")
                for c in meta.get_all("Classifier") or []
                if c.startswith("Development Status :: ")
            ),
            "",
        ),
    )


def installed_facts(distribution: str) -> PackageFacts:
    """Facts of the installed distribution; raises ``PackageNotFoundError`` when absent."""
    dist = metadata.distribution(distribution)
    files = [str(f) for f in dist.files or ()]

    def read(path: str) -> str | None:
        return dist.read_text(path.split("/", 1)[1]) if ".dist-info/" in path else None

    return facts_from_metadata(dist.metadata, files, read)  # type: ignore[arg-type]


def dependency_closure(distribution: str, extras: Iterable[str] = ()) -> set[str]:
    """Canonical names of the installed distributions a plain install of ``distribution`` pulls in.

    It included, its requirements followed transitively with their markers
    evaluated for this Python, the extras a requirement asks for (``uvicorn[standard]``)
    included and ``extras`` of the distribution itself.  A requirement that is
    not installed ends the walk there (it has no metadata to follow).
    """
    seen: set[str] = set()
    todo: list[tuple[str, frozenset[str]]] = [(_canon(distribution), frozenset(extras))]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in done:
            continue
        done.add((name, wanted))
        seen.add(name)
        try:
            requirements = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue
        for text in requirements:
            req = Requirement(text)
            if req.marker is not None and not any(
                req.marker.evaluate({"extra": extra}) for extra in ("", *wanted)
            ):
                continue
            todo.append((_canon(req.name), frozenset(req.extras)))
    return seen


def archive_facts(path: Path) -> PackageFacts:
    """Facts of a downloaded wheel, or of an sdist (whose file layout says nothing certain)."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            names = wheel.namelist()
            meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))

            def read(name: str) -> str | None:
                return wheel.read(name).decode("utf-8", "replace") if name in names else None

            meta = Parser().parsestr(wheel.read(meta_name).decode("utf-8", "replace"))
            return facts_from_metadata(meta, names, read)
    with tarfile.open(path) as sdist:
        members = sdist.getnames()
        pkg_info = min((m for m in members if m.endswith("/PKG-INFO")), key=len)

        def read_member(name: str) -> str | None:
            extracted = sdist.extractfile(name) if name in members else None
            return extracted.read().decode("utf-8", "replace") if extracted else None

        meta = Parser().parsestr(read_member(pkg_info) or "")
        root = pkg_info.rsplit("/", 1)[0]
        texts = {
            f"{root}/{n}": read_member(f"{root}/{n}") for n in meta.get_all("License-File") or []
        }
        return facts_from_metadata(meta, None, lambda name: texts.get(f"{root}/{name}"))


# --- comparisons: each returns None when the catalogue agrees with the package ---


def compare_licence(catalogue: str, pkg: PackageFacts) -> Difference | None:
    """Exact when the package states an SPDX expression; by family (and text) otherwise."""
    wanted = _norm(catalogue)
    if pkg.license_expression:
        if wanted != _norm(pkg.license_expression):
            return Difference(
                "licence", catalogue, f"{pkg.license_expression} (License-Expression)"
            )
        return None
    field = pkg.license_field
    exact = (
        field
        and "\n" not in field
        and _SPDX_EXPRESSION.match(field)
        and field.casefold() not in _VAGUE_LICENSE_FIELDS
    )
    if exact:
        if wanted != _norm(field):
            return Difference("licence", catalogue, f"{field} (License)")
        return None
    families = {_CLASSIFIER_FAMILIES.get(c, c) for c in pkg.license_classifiers}
    if not families:
        shown = f"{field[:60]!r} (License) and no licence classifier" if field else "nothing"
        return Difference("licence", catalogue, shown)
    if _family(catalogue) not in families:
        return Difference(
            "licence", catalogue, f"{', '.join(pkg.license_classifiers)} (classifiers)"
        )
    if catalogue in ("BSD-2-Clause", "BSD-3-Clause") and pkg.license_texts:
        three = any(_BSD_NON_ENDORSEMENT.search(text) for text in pkg.license_texts)
        actual = "BSD-3-Clause" if three else "BSD-2-Clause"
        if actual != catalogue:
            clause = "has" if three else "has no"
            return Difference(
                "licence",
                catalogue,
                f"{actual} (its licence file {clause} a non-endorsement clause)",
            )
    return None


def compare_requires_python(catalogue: str, pkg: PackageFacts) -> Difference | None:
    package = pkg.requires_python or "(no Requires-Python)"
    try:
        same = SpecifierSet(catalogue) == SpecifierSet(pkg.requires_python)
    except InvalidSpecifier:
        same = False
    return None if same else Difference("requires_python", repr(catalogue), package)


def compare_dependencies(catalogue: Iterable[str], pkg: PackageFacts) -> Difference | None:
    listed = {_canon(_requirement_name(d)) for d in catalogue}
    if listed == pkg.dependencies:
        return None
    return Difference(
        "dependencies", _names(listed), _names(pkg.dependencies) + _delta(listed, pkg.dependencies)
    )


def compare_conditional_dependencies(
    catalogue: Iterable[str], pkg: PackageFacts
) -> Difference | None:
    listed = set()
    for text in catalogue:
        try:
            req = Requirement(text)
            listed.add((_canon(req.name), str(req.marker or "")))
        except InvalidRequirement:
            listed.add((text, ""))
    if listed == pkg.conditional_dependencies:
        return None
    show = lambda pairs: _names(f"{n}; {m}" for n, m in pairs)  # noqa: E731
    return Difference(
        "conditional_dependencies",
        show(listed),
        show(pkg.conditional_dependencies)
        + _delta(
            {f"{n}; {m}" for n, m in listed}, {f"{n}; {m}" for n, m in pkg.conditional_dependencies}
        ),
    )


def compare_single_file(catalogue: bool, pkg: PackageFacts) -> Difference | None:
    if pkg.single_file is None or pkg.single_file == catalogue:
        return None
    return Difference(
        "single_file",
        str(catalogue).lower(),
        f"{str(pkg.single_file).lower()} (installs {_names(pkg.top_level or ())})",
    )


def compare_facts(
    fw: Framework, pkg: PackageFacts, requires_python: str | None = None
) -> list[Difference]:
    """Every structured fact that can be read from the package without importing it.

    ``requires_python`` overrides the catalogue's, for a release line listed
    under ``other_releases``.
    """
    facts = fw.facts
    checks = [
        compare_licence(str(facts.licence.value), pkg),
        compare_requires_python(
            requires_python if requires_python is not None else str(facts.requires_python.value),
            pkg,
        ),
        compare_dependencies(facts.dependencies.value, pkg),  # type: ignore[arg-type]
        compare_conditional_dependencies(facts.conditional_dependencies.value, pkg),  # type: ignore[arg-type]
        compare_single_file(bool(facts.single_file.value), pkg),
    ]
    return [d for d in checks if d is not None]


def compare_package_facts(facts: Mapping[str, Fact], pkg: PackageFacts) -> list[Difference]:
    """The same comparisons for a server's or an add-on's facts (licence, Python, dependencies)."""
    checks = [
        compare_licence(str(facts["licence"].value), pkg),
        compare_requires_python(str(facts["requires_python"].value), pkg),
        compare_dependencies(facts["dependencies"].value, pkg),  # type: ignore[arg-type]
        compare_conditional_dependencies(facts["conditional_dependencies"].value, pkg),  # type: ignore[arg-type]
    ]
    return [d for d in checks if d is not None]


def _license_paths(name: str, files: list[str] | None) -> list[str]:
    # Metadata 2.4 puts licence files under .dist-info/licenses/; older wheels
    # put them straight into .dist-info/.
    if files is None:
        return [name]
    return [
        f
        for f in files
        if ".dist-info/" in f
        and (f.endswith(f"/licenses/{name}") or f.endswith(f".dist-info/{name}"))
    ]


def _top_level(files: list[str]) -> tuple[str, ...]:
    """Top-level importable names a release installs: ``bottle.py`` or ``flask/``."""
    found = set()
    for path in files:
        first, sep, _ = path.partition("/")
        if first in ("..", "") or first.endswith((".dist-info", ".data")) or first == "__pycache__":
            continue
        if sep:
            found.add(first + "/")
        elif first.endswith((".py", ".so", ".pyd")):
            found.add(first)
    return tuple(sorted(found))


def _requirement_name(text: str) -> str:
    try:
        return Requirement(text).name
    except InvalidRequirement:
        return text


def _family(licence: str) -> str:
    upper = licence.upper()
    for prefix, family in _SPDX_FAMILIES:
        if upper.startswith(prefix):
            return family
    return licence


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _names(names: Iterable[str]) -> str:
    shown = sorted(names)
    return "[" + ", ".join(shown) + "]" if shown else "[] (none)"


def _delta(listed: set[str], actual: set[str]) -> str:
    parts = []
    if missing := actual - listed:
        parts.append(f"missing from the catalogue: {', '.join(sorted(missing))}")
    if extra := listed - actual:
        parts.append(f"not required by the package: {', '.join(sorted(extra))}")
    return " (" + "; ".join(parts) + ")" if parts else ""


def _canon(name: str) -> str:
    return str(_canonicalize(name))
