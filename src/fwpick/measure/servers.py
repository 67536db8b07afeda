"""Which server runs each framework, and starting and stopping those servers.

One worker process each, pinned to one CPU, bound to 127.0.0.1 on a free port.
Each framework runs on the server it is deployed with, and is compared with a
bare app on that same server wherever a bare app can run on it:

* ASGI frameworks without a server of their own, and those whose own way to
  serve is uvicorn (FastHTML's ``serve()``, Responder's ``api.run()``), run on
  uvicorn, forced to its pure-Python stack (``--loop asyncio --http h11``):
  uvicorn picks uvloop and httptools when they happen to be installed (Sanic
  and ``uvicorn[standard]`` bring both), and the baseline must be the same
  server in every venv.
* WSGI frameworks run on gunicorn with one sync worker.  gunicorn is the WSGI
  server most production deployments use, and its sync worker has no thread
  pool or event loop of its own, so what differs between a framework and the
  bare WSGI app is the framework's own work per request.
* Emmett runs on Granian with the RSGI interface, as ``emmett serve`` does, and
  is compared with a bare RSGI app on Granian; Ravyn runs on Palfrey, the ASGI
  server that comes with it, and is compared with the bare ASGI app on Palfrey.
  Both servers get the same pure-Python asyncio loop as uvicorn.
* Frameworks with their own production server (aiohttp, Tornado, Sanic,
  Microdot, Robyn) run on it; no server of theirs serves a bare app, so their
  baseline is the bare ASGI app on uvicorn, which the output says.

The servers that are entries of the catalogue's ``servers`` section (uvicorn,
gunicorn, granian) are pinned to the release catalogued there, and a unit test
keeps the two in step.

Every server starts in its own session (process group) so that stopping it
stops its children too (gunicorn's and Granian's worker), whatever ended the run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

from fwpick.errors import FwpickError

START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
# Proxy settings in the environment must not reroute requests to loopback.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerKind(NamedTuple):
    """A way of serving an app: the server's distribution and the bare app it is compared with."""

    name: str
    pypi: str  # "" for a framework's own server
    version: str  # the pinned release; "" for a framework's own server
    baseline: str  # the bare app's name in apps/
    baseline_server: str  # the key in KINDS that serves the bare app
    interface: str  # how the app is called: "asgi", "wsgi", "rsgi" or "own-server"


# Each release is the one the catalogue's servers section lists (palfrey, not
# an entry there, the one Ravyn's starter names), and the one the verify
# extra pins, so that --here finds it installed.
KINDS: dict[str, ServerKind] = {
    "uvicorn": ServerKind("uvicorn", "uvicorn", "0.54.0", "baseline_asgi", "uvicorn", "asgi"),
    "gunicorn": ServerKind("gunicorn", "gunicorn", "27.0.1", "baseline_wsgi", "gunicorn", "wsgi"),
    "granian": ServerKind("granian", "granian", "2.8.9", "baseline_rsgi", "granian", "rsgi"),
    "palfrey": ServerKind("palfrey", "palfrey", "0.2.0", "baseline_asgi", "palfrey", "asgi"),
    "own": ServerKind("own", "", "", "baseline_asgi", "uvicorn", "own-server"),
}

# The server for each framework id: a new framework is one line here (and an app in apps/).
SERVERS: dict[str, str] = {
    "aiohttp": "own",
    "blacksheep": "uvicorn",
    "bottle": "gunicorn",
    "cherrypy": "gunicorn",
    "connexion": "uvicorn",
    "django": "gunicorn",
    "emmett": "granian",
    "falcon": "gunicorn",
    "fastapi": "uvicorn",
    "fasthtml": "uvicorn",
    "flask": "gunicorn",
    "litestar": "uvicorn",
    "microdot": "own",
    "pyramid": "gunicorn",
    "quart": "uvicorn",
    "ravyn": "palfrey",
    "responder": "uvicorn",
    "robyn": "own",
    "sanic": "own",
    "starlette": "uvicorn",
    "tornado": "own",
}


# Own servers that SIGTERM does not stop: Robyn's single-process server keeps
# serving (ran it: still answering a minute after SIGTERM), and ends on SIGINT,
# the KeyboardInterrupt that robyn/processpool.py spawn_process waits for.
# Without this each stop would wait STOP_TIMEOUT before killing it.
STOPPED_BY_SIGINT = frozenset({"robyn"})


def stop_signal(framework_id: str) -> int:
    """The signal that asks a framework's server to stop: SIGTERM, or SIGINT where it needs that."""
    return signal.SIGINT if framework_id in STOPPED_BY_SIGINT else signal.SIGTERM


def server_for(framework_id: str) -> ServerKind:
    """The server a framework is measured on."""
    try:
        return KINDS[SERVERS[framework_id]]
    except KeyError:
        raise FwpickError(
            f"fwpick does not know which server runs {framework_id!r}; "
            "add it to SERVERS in fwpick/measure/servers.py"
        ) from None


def server_command(kind: str, python: Path, module: str, port: int) -> list[str]:
    """The command that serves ``module`` (a file in the working folder) on ``port``."""
    if kind in ("uvicorn", "palfrey"):
        # Palfrey takes uvicorn's options.
        return [
            str(python), "-m", kind, f"{module}:app",
            "--host", "127.0.0.1", "--port", str(port),
            "--loop", "asyncio", "--http", "h11",
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
    if kind == "gunicorn":
        return [
            str(python), "-m", "gunicorn",
            "--workers", "1", "--worker-class", "sync",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            f"{module}:app",
        ]  # fmt: skip
    if kind == "granian":
        # What `emmett serve` starts (emmett_core/server.py), one worker, no access log.
        return [
            str(python), "-m", "granian", "--interface", "rsgi",
            "--host", "127.0.0.1", "--port", str(port),
            "--workers", "1", "--runtime-mode", "st", "--loop", "asyncio",
            "--log-level", "warning", "--no-access-log",
            f"{module}:app",
        ]  # fmt: skip
    return [str(python), f"{module}.py"]


class CpuPlan(NamedTuple):
    """Which CPUs the server and the load generator may use; empty when not pinned."""

    server: frozenset[int]
    load: frozenset[int]

    @property
    def pinned(self) -> bool:
        return bool(self.server)


def cpu_plan() -> CpuPlan:
    """The server on the first CPU this process may use, wrk on the others.

    Without ``os.sched_setaffinity`` (macOS) or with a single CPU nothing is pinned.
    """
    if not hasattr(os, "sched_setaffinity"):
        return CpuPlan(frozenset(), frozenset())
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return CpuPlan(frozenset(), frozenset())
    return CpuPlan(frozenset(cpus[:1]), frozenset(cpus[1:]))


def pin_to(cpus: frozenset[int]) -> Callable[[], None] | None:
    """A ``preexec_fn`` that pins the child to ``cpus`` (None when there is nothing to pin)."""
    if not cpus:
        return None

    def pin() -> None:
        os.sched_setaffinity(0, cpus)

    return pin


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment without what would make a venv's Python load other code."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.pop("VIRTUAL_ENV", None)
    return {**env, **(extra or {})}


class Running(NamedTuple):
    process: subprocess.Popen[bytes]
    port: int
    log: Path


@contextmanager
def serving(
    command: list[str],
    cwd: Path,
    port: int,
    log: Path,
    cpus: frozenset[int],
    first_signal: int = signal.SIGTERM,
) -> Iterator[Running]:
    """Start a server, wait until it answers, and stop its whole process group afterwards."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=child_environment({"PORT": str(port)}),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=pin_to(cpus),
        )
    try:
        running = Running(process, port, log)
        _wait_until_up(running)
        yield running
    finally:
        stop(process, first_signal)


def stop(process: subprocess.Popen[bytes], first_signal: int = signal.SIGTERM) -> None:
    """Stop a server's process group: politely, then by force; wait for every member."""
    group = process.pid  # start_new_session made it the leader of its own group
    _signal_group(group, first_signal)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        _signal_group(group, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)
    # A worker may outlive its master for a moment; it keeps the group alive.
    deadline = time.monotonic() + STOP_TIMEOUT
    while group_members(group) and time.monotonic() < deadline:
        _signal_group(group, signal.SIGKILL)
        time.sleep(0.05)


def _signal_group(group: int, sig: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(group, sig)


def group_members(group: int) -> list[int]:
    """Live processes in a process group, read from /proc (empty where there is none)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After the command name: state, ppid, pgrp.  Zombies are already dead.
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _wait_until_up(running: Running) -> None:
    url = f"http://127.0.0.1:{running.port}/plaintext"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if running.process.poll() is not None:
            raise FwpickError(
                f"the server exited with {running.process.returncode} before answering "
                f"({' '.join(running.process.args)}):\n{tail(running.log)}"  # type: ignore[arg-type]
            )
        try:
            with _OPENER.open(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers; the smoke check judges the answer
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise FwpickError(
                    f"no answer on {url} within {START_TIMEOUT:.0f} s:\n{tail(running.log)}"
                ) from None
            time.sleep(0.1)


def fetch(port: int, method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
    """One request to 127.0.0.1: status, content type and body."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body if method == "POST" else None,
        method=method,
        headers={"Content-Type": "application/json"} if body else {},
    )
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
