"""Facts that only running the installed framework shows, checked by running it.

Each test guards a fact the catalogue once had wrong: what Pyramid does with
an async view, the runners and the setuptools cap in Pyramid's metadata, where
Litestar's template engines live, what FastAPI's command does without its
``standard`` extra.  The catalogue's text must name what the package does
(the exception it raises, the runner it registers), so a detail that drifts
from the package fails here.
"""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from fwpick.catalog import load_catalog
from fwpick.catalog.model import Fact, Framework

pytestmark = pytest.mark.verify

CATALOG = load_catalog()
FRAMEWORKS = CATALOG.frameworks
IDS = [fw.id for fw in FRAMEWORKS]
BIN = Path(sys.executable).parent
PROBE = Path(__file__).with_name("import_probe.py")
# The last "Name: message" line of a Python traceback on stderr.
_RAISED = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception))\b", re.MULTILINE)


def framework(ident: str) -> Framework:
    fw = CATALOG.get(ident)
    assert fw is not None, f"{ident} is not in the catalogue"
    return fw


def said(fact: Fact) -> str:
    """What the catalogue says of a fact, in one string: value, detail and source."""
    return f"{fact.value} {fact.detail} {fact.source}"


# --- Pyramid --------------------------------------------------------------------


def _pyramid_app(view: object, **view_options: str) -> object:
    from pyramid.config import Configurator

    with Configurator() as config:
        config.add_route("home", "/")
        config.add_view(view, route_name="home", **view_options)
        return config.make_wsgi_app()


# The view's coroutine is never awaited, which is the point.
@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_pyramid_raises_for_an_async_view_without_a_renderer_as_the_catalogue_says() -> None:
    from webob import Request

    async def view(request: object) -> str:
        return "hello"

    try:
        response = Request.blank("/").get_response(_pyramid_app(view))
    except Exception as exc:
        raised = type(exc).__name__
    else:
        pytest.fail(f"an async view without a renderer answered {response.status}")
    rendered = Request.blank("/").get_response(_pyramid_app(view, renderer="string"))

    fact = framework("pyramid").facts.async_handlers
    assert fact.value == "no"
    # The error is what a user meets first: the detail must name it.
    assert raised in fact.detail, f"the async detail should say the view raises {raised}"
    # With a string renderer the coroutine object itself is the body.
    assert rendered.status_code == 200
    assert rendered.text.startswith("<coroutine object")
    assert 'renderer="string"' in fact.detail


def test_every_server_runner_pyramid_registers_is_in_its_server_fact() -> None:
    runners = [
        ep
        for ep in metadata.distribution("pyramid").entry_points
        if ep.group == "paste.server_runner"
    ]

    assert runners, "pyramid registers no paste.server_runner: its server fact needs a new look"
    fact = framework("pyramid").facts.server
    for runner in runners:
        assert f"egg:pyramid#{runner.name}" in fact.detail, runner.name
        assert runner.name in fact.source, runner.name


def test_pyramids_cherrypy_runner_needs_cheroot_which_pyramid_does_not_require() -> None:
    # A cheroot that cannot be imported, ahead of the installed one on the path.
    code = (
        "import sys; sys.modules['cheroot'] = sys.modules['cheroot.wsgi'] = None\n"
        "from pyramid.scripts.pserve import cherrypy_server_runner\n"
        "cherrypy_server_runner(lambda environ, start_response: [], host='127.0.0.1', port='0')\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, timeout=60
    )

    assert done.returncode != 0
    assert _RAISED.findall(done.stderr)[-1:] == ["ModuleNotFoundError"], done.stderr
    fw = framework("pyramid")
    assert "cheroot" not in fw.facts.dependencies.value  # type: ignore[operator]
    assert "cheroot" in fw.facts.server.detail


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_an_upper_bound_on_setuptools_is_stated_with_the_dependencies(fw: Framework) -> None:
    """A cap on setuptools decides which Python environments the framework can share."""
    requirements = [
        Requirement(text) for text in metadata.distribution(fw.pypi).requires or () if text
    ]
    caps = [
        str(r.specifier)
        for r in requirements
        if r.name == "setuptools"
        and any(s.operator in ("<", "<=", "==", "~=") for s in r.specifier)
        and (r.marker is None or "extra" not in str(r.marker))
    ]
    for cap in caps:
        assert f"setuptools{cap}" in said(fw.facts.dependencies), (
            f"{fw.id} requires setuptools{cap}; its dependencies fact should say so"
        )


def test_pyramid_imports_pkg_resources_which_is_why_it_caps_setuptools() -> None:
    code = "import sys, pyramid.config; print('pkg_resources' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, timeout=60
    )

    assert done.stdout.strip() == "True", done.stderr
    assert "pkg_resources" in framework("pyramid").facts.dependencies.detail


# --- FastAPI ----------------------------------------------------------------------


def test_the_fastapi_command_without_its_standard_extra_fails_as_the_catalogue_says(
    tmp_path: Path,
) -> None:
    scripts = {
        ep.name: ep.value
        for ep in metadata.distribution("fastapi").entry_points
        if ep.group == "console_scripts"
    }
    assert scripts.get("fastapi") == "fastapi.cli:main"
    # fastapi-cli comes with fastapi[standard]; a package of that name that
    # cannot be imported, first on the path, stands for a plain install.
    shadow = tmp_path / "fastapi_cli"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('not installed')\n")

    done = subprocess.run(
        [str(BIN / "fastapi"), "run", "app.py"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": str(BIN), "PYTHONPATH": str(tmp_path)},
    )

    fact = framework("fastapi").facts.server
    raised = _RAISED.findall(done.stderr)
    assert raised, f"expected a traceback, got exit {done.returncode}: {done.stderr[-500:]}"
    assert raised[-1] in fact.detail, f"the server detail should say it raises {raised[-1]}"
    assert f"exit status {done.returncode}" in fact.detail


# --- modules cited as sources -----------------------------------------------------

# A path in a source: "litestar/plugins/jinja.py", "django/db/models/", "bottle.py".
_PATH = re.compile(r"(?<![\w./-])((?:[A-Za-z_]\w*/)*[A-Za-z_]\w*(?:\.py|/))(?![\w/])")


def _installed_paths(fw: Framework) -> tuple[set[str], set[str]]:
    """Every file and folder the distribution installs, and its top-level names."""
    files = {str(f) for f in metadata.distribution(fw.pypi).files or ()}
    paths = set(files)
    for file in files:
        parts = file.split("/")
        paths |= {"/".join(parts[:n]) + "/" for n in range(1, len(parts))}
    tops = {
        f.split("/")[0]
        for f in files
        if not f.startswith("..") and not f.split("/")[0].endswith((".dist-info", ".data"))
    }
    return paths, tops


def cited_paths(text: str, paths: set[str], tops: set[str]) -> Iterator[str]:
    """The framework's own paths a source names; a short one ("plugins/mako.py")
    is read beside the path cited before it.  Other projects' paths are left out."""
    previous = ""
    for match in _PATH.finditer(text):
        path = match.group(1)
        if path.split("/")[0] in tops or path.rstrip("/") in tops:
            previous = path
            yield path
            continue
        folder = posixpath.dirname(previous.rstrip("/"))
        while folder:
            if f"{folder}/{path}" in paths:
                previous = f"{folder}/{path}"
                yield previous
                break
            folder = posixpath.dirname(folder)


def _cited_facts(fw: Framework) -> list[tuple[str, Fact]]:
    facts = [(name, getattr(fw.facts, name)) for name in fw.facts._fields]
    return facts + [(f"features.{name}", fact) for name, fact in (fw.features or {}).items()]


def _is_catalogued_release(fw: Framework) -> bool:
    return metadata.version(fw.pypi) == str(fw.version.value)


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=IDS)
def test_every_module_a_source_cites_is_installed_and_not_a_deprecated_shim(
    fw: Framework,
) -> None:
    paths, tops = _installed_paths(fw)
    cited: dict[str, str] = {}  # path -> the fact citing it
    for name, fact in _cited_facts(fw):
        for path in cited_paths(f"{fact.source} {fact.detail}", paths, tops):
            cited.setdefault(path, name)
    # The sources describe the newest release; an older line installed for
    # this Python (other_releases) may lack a module that release added.
    if _is_catalogued_release(fw):
        missing = [f"{path} ({name})" for path, name in cited.items() if path not in paths]
        assert not missing, f"{fw.id} {fw.version.value} has no {', '.join(missing)}"
    modules = {
        path.removesuffix(".py").removesuffix("/").removesuffix("/__init__").replace("/", "."): n
        for path, n in cited.items()
        if path in paths and (path.endswith(".py") or f"{path}__init__.py" in paths)
    }

    shims = []
    for found in _probe(list(modules), SETUPS.get(fw.id, "")):
        # A module may fail to import for want of an optional package; a shim
        # imports and warns that it is deprecated when its names are used.
        module = found["target"]
        if any(module in message for message in found["deprecations"]):
            shims.append(f"{module} ({modules[module]}): {found['deprecations'][0][:200]}")
    assert not shims, f"{fw.id} cites deprecated modules: {shims}"


# Frameworks whose modules import only once the framework is set up (see import_probe.py).
SETUPS = {"django": "django"}


def _probe(targets: list[str], setup: str = "") -> list[dict[str, object]]:
    args = [sys.executable, str(PROBE), *([f"--setup={setup}"] if setup else []), *targets]
    with warnings.catch_warnings():
        done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result
