"""Every catalogued starter, written by the installed ``fwpick new`` and served for real.

Each server runs in its own process group, bound to 127.0.0.1 on a free port,
and the whole group is stopped afterwards whatever happened, so a failing
test leaves nothing behind.
"""

from __future__ import annotations

import importlib.metadata
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from fwpick.catalog import load_catalog
from fwpick.catalog.model import Framework

# Never skipped: a framework that is missing fails.  -m 'not verify' leaves these out.
pytestmark = pytest.mark.verify

FRAMEWORKS = load_catalog().frameworks
BIN = Path(sys.executable).parent
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
# How long a server gets to stop on SIGTERM before its whole group is killed.
STOP_GRACE = 3.0
# Proxy settings in the environment must not reroute requests to loopback.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


PREFERRED = [fw for fw in FRAMEWORKS if fw.starter is not None and fw.starter.preferred_run]
DEFAULT_PORT = "8000"
# Frameworks whose own command has no port option, so preferred_run cannot
# name the port: the starter it runs reads $PORT (default 8000) instead.
# Robyn 0.88: robyn/argument_parser.py defines no --port, and Robyn.start
# takes its port from the call (or $ROBYN_PORT).
PORT_FROM_ENV = frozenset({"robyn"})


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=[fw.id for fw in FRAMEWORKS])
def test_starter_written_by_fwpick_new_answers_its_hello_page(
    fw: Framework, tmp_path: Path
) -> None:
    assert fw.starter is not None, f"{fw.id} has no starter in the catalogue"
    directory = _fwpick_new(fw, tmp_path)

    _assert_serves(fw, shlex.split(fw.starter.run), directory, _free_port(), tmp_path)


@pytest.mark.parametrize("fw", PREFERRED, ids=[fw.id for fw in PREFERRED])
def test_the_frameworks_own_command_in_the_readme_serves_the_starter_too(
    fw: Framework, tmp_path: Path
) -> None:
    assert fw.starter is not None
    directory = _fwpick_new(fw, tmp_path)
    readme = (directory / "README.md").read_text(encoding="utf-8")
    assert fw.starter.preferred_run in readme
    port = _free_port()
    if fw.id in PORT_FROM_ENV:
        # The command leaves the port to the starter, which must then read
        # $PORT with 8000 as its default; _serving sets $PORT to the free port.
        assert DEFAULT_PORT not in fw.starter.preferred_run
        assert f'os.environ.get("PORT", "{DEFAULT_PORT}")' in fw.starter.app
        command = shlex.split(fw.starter.preferred_run)
    else:
        # The README's command names port 8000; move it to a free one.
        if DEFAULT_PORT not in fw.starter.preferred_run:
            pytest.fail(f"{fw.id}: preferred_run should name port {DEFAULT_PORT} explicitly")
        command = shlex.split(fw.starter.preferred_run.replace(DEFAULT_PORT, str(port)))

    _assert_serves(fw, command, directory, port, tmp_path)


SERVED = [fw for fw in FRAMEWORKS if fw.starter is not None and fw.starter.server is not None]


@pytest.mark.parametrize("fw", SERVED, ids=[fw.id for fw in SERVED])
def test_the_server_the_catalogue_names_serves_the_starter_with_its_command(
    fw: Framework, tmp_path: Path
) -> None:
    assert fw.starter is not None and fw.starter.server is not None
    directory = _fwpick_new(fw, tmp_path)
    readme = (directory / "README.md").read_text(encoding="utf-8")
    requirements = (directory / "requirements.txt").read_text(encoding="utf-8").splitlines()
    server = fw.starter.server
    assert fw.starter.serve in readme
    assert f"{server.pypi}>={server.version.value}" in requirements or any(
        line.startswith(server.pypi) for line in requirements
    )
    # The catalogue's server is the one installed here, at the version it describes.
    installed = importlib.metadata.version(server.pypi)
    assert installed == server.version.value, f"{server.pypi} {installed} is installed"
    port = _free_port()
    command = shlex.split(fw.starter.serve.replace(DEFAULT_PORT, str(port)))

    _assert_serves(fw, command, directory, port, tmp_path)


def _fwpick_new(fw: Framework, tmp_path: Path) -> Path:
    """Write the starter with the installed console script, as a user would."""
    directory = tmp_path / f"{fw.id}-starter"
    created = subprocess.run(
        [str(BIN / "fwpick"), "new", fw.id, str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    assert fw.starter is not None and fw.starter.run in created.stdout
    return directory


def _assert_serves(
    fw: Framework, command: list[str], directory: Path, port: int, tmp_path: Path
) -> None:
    assert fw.starter is not None
    log = tmp_path / "server.log"
    with _serving(command, directory, port, log) as server:
        status, body = _get_when_up(server, port, log)
        listening = _listening_addresses(port)

    assert status == 200, f"GET / answered {status}: {body[:500]}"
    assert fw.starter.expect in body, f"GET / answered {body[:500]!r}"
    # On Linux, also check the starter did not open itself to the network.
    assert listening <= {"127.0.0.1"}, f"{fw.id} listens on {sorted(listening)}, not 127.0.0.1"


@contextmanager
def _serving(
    command: list[str], cwd: Path, port: int, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "PORT": str(port),
        # "python" in a run command means this test's interpreter, with the frameworks.
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield server
        finally:
            leftovers = _stop_group(server)
    assert not leftovers, f"processes left after stopping the server: {leftovers}"


def _stop_group(server: subprocess.Popen[bytes]) -> list[int]:
    """Stop the server's whole process group; return any process that survived.

    SIGTERM first, then, after a short grace period, SIGKILL to the whole
    group.  Not every server stops on SIGTERM: Robyn 0.88, with no terminal
    (stdout redirected, as here), shuts its Rust server down but the Python
    process stays alive, because its single-process signal handler only kills
    an empty process pool.  The SIGKILL makes sure nothing is left behind.
    """
    group = server.pid  # start_new_session made the server its group's leader
    _signal_group(group, signal.SIGTERM)
    try:
        server.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        _signal_group(group, signal.SIGKILL)
        server.wait(timeout=STOP_TIMEOUT)
    # Workers or reloader children may outlive the leader; they keep the group
    # id alive, so signalling it can only reach them.
    deadline = time.monotonic() + STOP_TIMEOUT
    while (members := _group_members(group)) and time.monotonic() < deadline:
        _signal_group(group, signal.SIGKILL)
        time.sleep(0.1)
    return members


def _signal_group(group: int, sig: int) -> None:
    with suppress(ProcessLookupError):
        os.killpg(group, sig)


def _group_members(group: int) -> list[int]:
    """Live processes in a process group, read from /proc (empty where there is none)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, pgrp.  Zombies are already dead.
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _get_when_up(server: subprocess.Popen[bytes], port: int, log: Path) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.poll() is not None:
            pytest.fail(
                f"the server exited with {server.returncode} before answering:\n{_tail(log)}"
            )
        try:
            with _OPENER.open(url, timeout=5) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                pytest.fail(f"no answer on {url} within {START_TIMEOUT:.0f} s:\n{_tail(log)}")
            time.sleep(0.1)


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (Linux /proc/net only)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(_address(address))
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:  # IPv4, little-endian
        return socket.inet_ntop(socket.AF_INET, bytes.fromhex(hex_address)[::-1])
    words = [bytes.fromhex(hex_address[i : i + 8])[::-1] for i in range(0, 32, 8)]
    address = socket.inet_ntop(socket.AF_INET6, b"".join(words))
    return address.removeprefix("::ffff:")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
