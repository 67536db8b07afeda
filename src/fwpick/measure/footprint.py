"""What a framework costs before it serves anything: distributions, disk, import time.

Counted in the framework's venv, over the framework and its dependencies only
(walked from its metadata), so the servers fwpick installs beside it are left
out, and so are pip and setuptools.  Import time is the cold start of a fresh
interpreter importing what the catalogue's starter imports, less the start of
one that imports nothing.
"""

from __future__ import annotations

import ast
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

from fwpick.catalog.model import Framework
from fwpick.errors import FwpickError
from fwpick.measure.servers import child_environment, pin_to

IMPORT_RUNS = 7
# What venv itself puts in a new environment (setuptools up to Python 3.11).
# They stay out of the count even when a framework requires one (Pyramid and
# Sanic require setuptools), so that counts compare across Python versions;
# the record lists them apart.
VENV_TOOLS = frozenset({"pip", "setuptools", "wheel"})

# Run by the venv's Python: the framework's dependency closure from the
# installed metadata, following the extras a requirement names (Emmett
# requires emmett-core[granian], which is what brings Granian).  Markers are
# evaluated with the packaging copy inside pip when there is one; without it,
# a requirement counts when it is installed and its marker names no extra, or
# one of those requested.
_CLOSURE = r"""
import json, re, sys
from importlib import metadata

try:
    from pip._vendor.packaging.requirements import Requirement
except ImportError:
    Requirement = None

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

dists = {}
for dist in metadata.distributions():
    dists.setdefault(norm(dist.metadata["Name"]), dist)

def parse(text):
    # (name, extras it requests, marker or None)
    if Requirement is not None:
        req = Requirement(text)
        return req.name, set(req.extras), req.marker
    found = re.match(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?", text)
    extras = {e.strip() for e in (found.group(2) or "").split(",") if e.strip()}
    return found.group(1), extras, text.partition(";")[2]

def needed(marker, extra):
    if Requirement is not None:
        return marker is None or marker.evaluate({"extra": extra})
    named = re.findall(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker or "")
    return not named if not extra else extra in named

done, todo = {}, [(norm(sys.argv[1]), set())]
while todo:
    name, extras = todo.pop()
    if name not in dists:
        continue
    wanted = ({""} | extras) - done.setdefault(name, set())
    if not wanted:
        continue
    done[name] |= wanted
    for text in dists[name].requires or []:
        dep, dep_extras, marker = parse(text)
        if any(needed(marker, extra) for extra in wanted):
            todo.append((norm(dep), dep_extras))

seen = set(done)
sizes = dict.fromkeys(seen, 0)
for name in seen:
    for file in dists[name].files or []:
        try:
            sizes[name] += file.locate().stat().st_size
        except OSError:
            pass
print(json.dumps({"distributions": sorted(seen), "bytes": sizes}))
"""


class Footprint(NamedTuple):
    distributions: tuple[str, ...]  # normalised names, the framework's own included
    size_mb: float  # sum of the sizes of the files in their RECORDs
    import_ms: float  # median cold import of the starter's imports, less an empty start
    import_code: str  # what was imported
    venv_tools: tuple[str, ...] = ()  # VENV_TOOLS the framework requires, not counted


def starter_imports(fw: Framework) -> str:
    """The starter's top-level imports that are not in the standard library, one per line."""
    if fw.starter is None:
        return f"import {fw.pypi}"
    tree = ast.parse(fw.starter.app)
    lines = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            top = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            top = {node.module.split(".")[0]}
        else:
            continue
        if not top <= sys.stdlib_module_names:
            lines.append(ast.unparse(node))
    return "\n".join(lines) or f"import {fw.pypi}"


def measure_footprint(
    fw: Framework, python: Path, cpus: frozenset[int], runs: int = IMPORT_RUNS
) -> Footprint:
    """Count, weigh and time the framework in the environment of ``python``."""
    env = child_environment()
    # Bytecode is compiled once by the first import below, then read as any user's would be.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [str(python), "-c", _CLOSURE, fw.pypi],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise FwpickError(f"could not read what {fw.name} installed: {done.stderr.strip()}")
    closure = json.loads(done.stdout)
    code = starter_imports(fw)
    empty = [str(python), "-X", "frozen_modules=on", "-c", "pass"]
    full = [str(python), "-X", "frozen_modules=on", "-c", code]
    _timed(full, env, cpus)  # writes any missing bytecode; not counted
    bare, loaded = [], []
    # Interleaved, so a slow moment of the machine touches both series alike.
    for _ in range(runs):
        bare.append(_timed(empty, env, cpus))
        loaded.append(_timed(full, env, cpus))
    import_ms = max(statistics.median(loaded) - statistics.median(bare), 0.0) * 1000
    names = closure["distributions"]
    return Footprint(
        distributions=tuple(n for n in names if n not in VENV_TOOLS),
        size_mb=sum(b for n, b in closure["bytes"].items() if n not in VENV_TOOLS) / 1_000_000,
        import_ms=import_ms,
        import_code=code,
        venv_tools=tuple(n for n in names if n in VENV_TOOLS),
    )


def _timed(command: list[str], env: dict[str, str], cpus: frozenset[int]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=pin_to(cpus),
        cwd=os.path.dirname(command[0]),
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise FwpickError(f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}")
    return elapsed
