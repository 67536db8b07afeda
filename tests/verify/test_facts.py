"""Every structured fact of the bundled catalogue, checked against the installed framework.

A framework that is not installed fails here: install the verify extra.
"""

from __future__ import annotations

import importlib
import inspect
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import cast

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from fwpick.catalog import load_catalog
from fwpick.catalog.model import Addon, Framework, Server
from fwpick.maintainer import package_facts as pkgfacts

# Never skipped: a framework that is missing fails.  -m 'not verify' leaves these out.
pytestmark = pytest.mark.verify

REPO = Path(__file__).resolve().parents[2]
FRAMEWORKS = load_catalog().frameworks
IDS = [fw.id for fw in FRAMEWORKS]

# The classes whose instances are each framework's application object.  Whether
# an object is a WSGI or an ASGI application is read from its class's __call__;
# a class with no __call__ (robyn.Robyn, microdot.Microdot) is neither, and
# only SERVE_APIS can make it "own-server".  emmett.App.__call__ is a plain def
# taking (scope, receive, send) that returns the coroutine: ASGI by its names.
APP_CLASSES: dict[str, tuple[str, ...]] = {
    "aiohttp": ("aiohttp.web:Application",),
    "blacksheep": ("blacksheep:Application",),
    "bottle": ("bottle:Bottle",),
    "cherrypy": ("cherrypy:Application",),
    "connexion": ("connexion:AsyncApp",),
    "django": ("django.core.handlers.wsgi:WSGIHandler", "django.core.handlers.asgi:ASGIHandler"),
    "emmett": ("emmett:App",),
    "falcon": ("falcon:App", "falcon.asgi:App"),
    "fasthtml": ("fasthtml.core:FastHTML", "fasthtml.common:FastHTML"),
    "fastapi": ("fastapi:FastAPI",),
    "flask": ("flask:Flask",),
    "litestar": ("litestar:Litestar",),
    "microdot": ("microdot:Microdot", "microdot.asgi:Microdot", "microdot.wsgi:Microdot"),
    "pyramid": ("pyramid.router:Router",),
    "quart": ("quart:Quart",),
    "ravyn": ("ravyn:Ravyn", "ravyn:ChildRavyn"),
    "responder": ("responder:API",),
    "robyn": ("robyn:Robyn",),
    "sanic": ("sanic:Sanic",),
    "starlette": ("starlette.applications:Starlette",),
    "tornado": ("tornado.web:Application",),
}
# The documented API through which a framework serves HTTP itself, in
# production, with no WSGI or ASGI server in between.  Not listed, although
# they have a run or serve call: Quart (app.run starts Hypercorn), FastHTML
# (fasthtml.core.serve calls uvicorn.run) and Responder (API.serve starts
# uvicorn, or Granian with server="granian"); each of them is an ASGI app
# served by a separate ASGI server, which is what their interface says.
SERVE_APIS: dict[str, str] = {
    "aiohttp": "aiohttp.web:run_app",
    "cherrypy": "cherrypy:quickstart",
    "microdot": "microdot:Microdot.run",
    "robyn": "robyn:Robyn.start",
    "sanic": "sanic:Sanic.run",
    "tornado": "tornado.web:Application.listen",
}
VERIFY_INSTALL = "pip install -e '.[verify]'"


@dataclass(frozen=True)
class InstalledRelease:
    """The installed distribution and the catalogue's description of its release line."""

    package: pkgfacts.PackageFacts
    requires_python: str
    line: str


def installed_release(fw: Framework) -> InstalledRelease:
    """Match the installed version to the catalogued release or one of its other lines."""
    try:
        package = pkgfacts.installed_facts(fw.pypi)
    except metadata.PackageNotFoundError:
        package = None
    if package is None:
        pytest.fail(
            f"{fw.pypi} is not installed; install the real frameworks: {VERIFY_INSTALL}",
            pytrace=False,
        )
    installed = Version(package.version)
    if installed == Version(str(fw.version.value)):
        return InstalledRelease(package, str(fw.facts.requires_python.value), str(fw.version.value))
    for other in fw.other_releases:
        if installed == Version(other.version):
            return InstalledRelease(
                package, other.requires_python, f"{other.version} (other_releases)"
            )
    lines = ", ".join([str(fw.version.value), *(o.version for o in fw.other_releases)])
    pytest.fail(
        f"{fw.pypi} {package.version} is installed, but the catalogue describes {lines}; "
        f"install the pinned releases: {VERIFY_INSTALL}",
        pytrace=False,
    )


def _fail_on(
    difference: pkgfacts.Difference | None, fw: Framework, release: InstalledRelease
) -> None:
    if difference is not None:
        pytest.fail(f"{fw.id} {release.line}: {difference}", pytrace=False)


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_licence_is_the_one_the_package_declares(fw: Framework) -> None:
    release = installed_release(fw)
    _fail_on(pkgfacts.compare_licence(str(fw.facts.licence.value), release.package), fw, release)


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_requires_python_is_the_packages(fw: Framework) -> None:
    release = installed_release(fw)
    difference = pkgfacts.compare_requires_python(release.requires_python, release.package)
    _fail_on(difference, fw, release)


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_dependencies_are_the_packages_unconditional_requirements(fw: Framework) -> None:
    release = installed_release(fw)
    difference = pkgfacts.compare_dependencies(fw.facts.dependencies.value, release.package)  # type: ignore[arg-type]
    _fail_on(difference, fw, release)


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_conditional_dependencies_are_the_packages_requirements_with_markers(
    fw: Framework,
) -> None:
    release = installed_release(fw)
    listed = fw.facts.conditional_dependencies.value
    difference = pkgfacts.compare_conditional_dependencies(listed, release.package)  # type: ignore[arg-type]
    _fail_on(difference, fw, release)


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_single_file_matches_what_the_package_installs(fw: Framework) -> None:
    release = installed_release(fw)
    difference = pkgfacts.compare_single_file(bool(fw.facts.single_file.value), release.package)
    _fail_on(difference, fw, release)


# Importing some frameworks warns about their own deprecated imports; not ours to fix.
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_interface_is_what_the_application_object_implements(fw: Framework) -> None:
    release = installed_release(fw)
    if fw.id not in APP_CLASSES:
        pytest.fail(f"{fw.id}: add its application class(es) to APP_CLASSES in {__file__}")
    found: set[str] = set()
    for path in APP_CLASSES[fw.id]:
        found |= callable_interfaces(cast(type, _resolve(path)))
    if fw.id in SERVE_APIS and callable(_resolve(SERVE_APIS[fw.id])):
        found.add("own-server")
    claimed = set(cast(tuple[str, ...], fw.facts.interface.value))
    if claimed != found:
        shown = ", ".join(
            APP_CLASSES[fw.id] + ((SERVE_APIS[fw.id],) if fw.id in SERVE_APIS else ())
        )
        difference = pkgfacts.Difference(
            "interface", _listing(claimed), f"{_listing(found)} (from {shown})"
        )
        _fail_on(difference, fw, release)


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_starter_requirements_accept_the_installed_release(fw: Framework) -> None:
    release = installed_release(fw)
    assert fw.starter is not None, f"{fw.id} has no starter in the catalogue"
    mine = [
        r
        for r in map(Requirement, fw.starter.requirements)
        if canonicalize_name(r.name) == canonicalize_name(fw.pypi)
        and (r.marker is None or r.marker.evaluate())
    ]
    if not mine:
        pytest.fail(f"{fw.id}: the starter's requirements do not name {fw.pypi} for this Python")
    for requirement in mine:
        if not requirement.specifier.contains(release.package.version, prereleases=True):
            pytest.fail(
                f"{fw.id}: the starter requires {requirement}, "
                f"which excludes the installed {release.package.version}",
                pytrace=False,
            )


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_the_verify_extra_pins_the_catalogued_releases(fw: Framework) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {
        Version(spec.version)
        for r in map(Requirement, project["optional-dependencies"]["verify"])
        if canonicalize_name(r.name) == canonicalize_name(fw.pypi)
        for spec in r.specifier
        if spec.operator == "=="
    }
    newest = Version(str(fw.version.value))
    catalogued = {newest, *(Version(o.version) for o in fw.other_releases)}
    if newest not in pins:
        pytest.fail(
            f"the verify extra should pin {fw.pypi}=={fw.version.value} (the catalogued release);"
            f" it pins {', '.join(sorted(map(str, pins))) or 'no release of it'}",
            pytrace=False,
        )
    if not pins <= catalogued:
        pytest.fail(
            f"the verify extra pins {fw.pypi} releases the catalogue does not describe: "
            f"{', '.join(sorted(map(str, pins - catalogued)))}",
            pytrace=False,
        )


OTHER_ENTRIES = [*load_catalog().servers, *load_catalog().addons]


@pytest.mark.parametrize("entry", OTHER_ENTRIES, ids=[e.id for e in OTHER_ENTRIES])
def test_servers_and_addons_have_the_installed_packages_facts(entry: Server | Addon) -> None:
    try:
        package = pkgfacts.installed_facts(entry.pypi)
    except metadata.PackageNotFoundError:
        pytest.fail(f"{entry.pypi} is not installed; {VERIFY_INSTALL}", pytrace=False)
    if Version(package.version) != Version(str(entry.version.value)):
        pytest.fail(
            f"{entry.pypi} {package.version} is installed, the catalogue describes"
            f" {entry.version.value}; {VERIFY_INSTALL}",
            pytrace=False,
        )
    differences = pkgfacts.compare_package_facts(entry.facts, package)
    assert not differences, f"{entry.id}: " + "; ".join(map(str, differences))


def callable_interfaces(cls: type) -> set[str]:
    """``{"wsgi"}``, ``{"asgi"}`` or nothing, from the signature of ``cls.__call__``."""
    call = next((vars(k)["__call__"] for k in cls.__mro__[:-1] if "__call__" in vars(k)), None)
    if call is None:
        return set()
    call = inspect.unwrap(call)
    params = [
        p
        for p in list(inspect.signature(call).parameters.values())[1:]
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    names = tuple(p.name for p in params)
    if len(params) == 3 and (
        inspect.iscoroutinefunction(call) or names == ("scope", "receive", "send")
    ):
        return {"asgi"}
    if len(params) == 2 and not inspect.iscoroutinefunction(call):
        return {"wsgi"}
    return set()


def _resolve(path: str) -> object:
    module, _, attribute = path.partition(":")
    try:
        obj: object = importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(f"cannot import {module} ({exc}); {VERIFY_INSTALL}")
    for part in attribute.split("."):
        obj = getattr(obj, part)
    return obj


def _listing(values: set[str]) -> str:
    return "[" + ", ".join(sorted(values)) + "]"
