"""What the catalogue says is built in, proved against the installed framework.

Every feature that is "yes" names an ``api`` (``module:attribute``) that must
import in an interpreter where only the framework's plain install is
importable: its own distribution and the dependencies it always pulls in
(``import_probe.py --only``), so a feature that needs an optional package
fails even though the verify environment has that package.  Every "extra"
names an ``extra`` the distribution's METADATA declares (``Provides-Extra``)
and that brings at least one requirement; where it also names an ``api``, that
must import with the extra's requirements and not without them.  The checks
read whatever features a framework lists, so a new feature needs its proofs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from fwpick.catalog import load_catalog
from fwpick.catalog.model import Addon, Framework
from fwpick.maintainer.package_facts import dependency_closure

pytestmark = pytest.mark.verify

CATALOG = load_catalog()
FRAMEWORKS = CATALOG.frameworks
IDS = [fw.id for fw in FRAMEWORKS]
PROBE = Path(__file__).with_name("import_probe.py")
VERIFY_INSTALL = "pip install -e '.[verify]'"
# Frameworks whose modules import only once the framework is set up (see import_probe.py).
SETUPS = {"django": "django"}


def probe(fw: Framework, targets: list[str], extras: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Import ``targets`` where only a plain install of ``fw`` (with ``extras``) is importable."""
    try:
        allowed = dependency_closure(fw.pypi, extras)
    except metadata.PackageNotFoundError:
        pytest.fail(f"{fw.pypi} is not installed; {VERIFY_INSTALL}", pytrace=False)
    args = [sys.executable, str(PROBE), f"--only={','.join(sorted(allowed))}"]
    if fw.id in SETUPS:
        args.append(f"--setup={SETUPS[fw.id]}")
    done = subprocess.run([*args, *targets], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    found: list[dict[str, str]] = json.loads(done.stdout)
    return found


def _extras(fw: Framework) -> dict[str, list[str]]:
    """Each extra the installed distribution declares, with the requirements it brings."""
    dist = metadata.distribution(fw.pypi)
    extras: dict[str, list[str]] = {
        canonicalize_name(name): [] for name in dist.metadata.get_all("Provides-Extra") or []
    }
    for text in dist.requires or ():
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or marker.evaluate({"extra": ""}):
            continue  # every install has it, not only an extra's
        for extra in extras:
            if marker.evaluate({"extra": extra}):
                extras[extra].append(requirement.name)
    return extras


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_every_built_in_feature_imports_from_a_plain_install(fw: Framework) -> None:
    assert fw.features is not None, f"{fw.id} lists no features"
    built_in = {name: fact for name, fact in fw.features.items() if fact.value == "yes"}
    unproved = [name for name, fact in built_in.items() if not fact.api]
    assert not unproved, f"{fw.id}: give each of {unproved} an api: module:attribute"

    results = probe(fw, [fact.api for fact in built_in.values()])

    failed = [
        f"{name} ({result['target']}): {result['error']}"
        for name, result in zip(built_in, results, strict=True)
        if result["error"]
    ]
    assert not failed, f"{fw.id} {metadata.version(fw.pypi)}, a plain install: {failed}"


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_every_feature_as_an_extra_names_an_extra_the_package_declares(fw: Framework) -> None:
    assert fw.features is not None, f"{fw.id} lists no features"
    as_extra = {name: fact for name, fact in fw.features.items() if fact.value == "extra"}
    declared = _extras(fw)

    problems = []
    for name, fact in as_extra.items():
        wanted = canonicalize_name(fact.extra)
        if not fact.extra:
            problems.append(f"{name} names no extra")
        elif wanted not in declared:
            problems.append(f"{name}: no extra {fact.extra!r} (declared: {sorted(declared)})")
        elif not declared[wanted]:
            problems.append(f"{name}: the extra {fact.extra!r} brings no requirement")
    assert not problems, f"{fw.id} {metadata.version(fw.pypi)}: {'; '.join(problems)}"


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_an_api_of_a_feature_as_an_extra_needs_that_extra(fw: Framework) -> None:
    assert fw.features is not None, f"{fw.id} lists no features"
    proved = {
        name: fact for name, fact in fw.features.items() if fact.value == "extra" and fact.api
    }
    problems = []
    for name, fact in proved.items():
        (with_extra,) = probe(fw, [fact.api], (fact.extra,))
        (plain,) = probe(fw, [fact.api])
        if with_extra["error"]:
            problems.append(f"{name}: {fact.api} fails with [{fact.extra}]: {with_extra['error']}")
        if not plain["error"]:
            problems.append(f"{name}: {fact.api} imports without [{fact.extra}]: it is built in")
    assert not problems, f"{fw.id}: {'; '.join(problems)}"


@pytest.mark.parametrize("addon", CATALOG.addons, ids=[a.id for a in CATALOG.addons])
def test_an_addon_adds_only_what_its_base_does_not_build_in(addon: Addon) -> None:
    base = CATALOG.get(addon.base)
    assert base is not None and base.features is not None, f"{addon.id}: unknown base"
    adds: tuple[str, ...] = addon.adds.value  # type: ignore[assignment]

    built_in = [name for name in adds if base.features[name].value == "yes"]

    assert not built_in, f"{addon.id} adds {built_in}, which {base.name} already has"
