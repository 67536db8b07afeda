"""fwpick bench for real, on this interpreter's frameworks (--here: no network), on 127.0.0.1.

Every process fwpick starts inherits its environment, so a unique variable in
it marks them all: after fwpick ends, finished or interrupted, none may remain.
No timing is asserted; the machine may be slow or busy.  Every framework's
bench app (and each bare app) is also served once on its own server and must
answer both scenarios exactly, without wrk.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from fwpick.catalog import load_catalog
from fwpick.measure import servers
from fwpick.measure.runner import smoke_check
from fwpick.measure.scenarios import SCENARIOS, app_source

pytestmark = pytest.mark.verify
needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)"
)

BIN = Path(sys.executable).parent
MARK = "FWPICK_BENCH_TEST_MARK"
QUICK = ("--duration", "1", "--trials", "1")


def marked_processes(token: str) -> list[str]:
    """Live processes whose environment holds ``MARK=token``, as 'pid command' lines."""
    found = []
    needle = f"{MARK}={token}".encode()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if needle not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if state != "Z":
            found.append(f"{proc.name} {command}")
    return found


def bench_env(token: str, cache: Path) -> dict[str, str]:
    return {**os.environ, MARK: token, "XDG_CACHE_HOME": str(cache), "COLUMNS": "100"}


# One framework per kind of server: gunicorn, Granian (RSGI, a worker process
# of its own), and an own server with threads of its own (Robyn's, in Rust).
MEASURED = {"flask": "gunicorn", "emmett": "granian", "robyn": "robyn"}


@needs_wrk
def test_bench_here_measures_one_framework_per_kind_of_server_and_leaves_no_server(
    tmp_path: Path,
) -> None:
    token = uuid.uuid4().hex
    done = subprocess.run(
        [str(BIN / "fwpick"), "bench", *MEASURED, "--here", *QUICK, "--format", "json"],
        env=bench_env(token, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert [fw["id"] for fw in record["frameworks"]] == list(MEASURED)
    for fw in record["frameworks"]:
        assert fw["server"]["name"] == MEASURED[fw["id"]]
        assert set(fw["scenarios"]) == {"plaintext", "api"}
        for name, scenario in fw["scenarios"].items():
            where = f"{fw['id']} {name}"
            assert scenario["requests_per_second"] > 0, where
            assert scenario["baseline_requests_per_second"] > 0, where
            assert scenario["socket_errors"] == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
            assert scenario["non_2xx"] == 0, where
            assert scenario["wrk_command"].startswith(shutil.which("wrk") or "wrk")
        assert fw["footprint"]["distributions"] >= 1
    assert marked_processes(token) == []


@needs_wrk
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_bench_stops_every_server_and_wrk_it_started(
    tmp_path: Path, sig: signal.Signals
) -> None:
    token = uuid.uuid4().hex
    bench = subprocess.Popen(
        [str(BIN / "fwpick"), "bench", "bottle", "--here", "--duration", "5", "--trials", "3"],
        env=bench_env(token, tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Mid-run: once wrk is loading one of the servers.
        deadline = time.monotonic() + 120
        while not any(" -t1 " in line for line in marked_processes(token)):
            assert bench.poll() is None, bench.communicate()[1]
            assert time.monotonic() < deadline, "wrk never started"
            time.sleep(0.1)
        servers = [line for line in marked_processes(token) if "gunicorn" in line]
        assert servers, marked_processes(token)

        bench.send_signal(sig)
        _, stderr = bench.communicate(timeout=60)
    finally:
        if bench.poll() is None:
            bench.kill()
            bench.wait()

    assert bench.returncode == 130, stderr
    assert "interrupted" in stderr
    assert marked_processes(token) == []


def _serve_and_check(
    who: str, source: str, kind: str, folder: Path, first_signal: int = signal.SIGTERM
) -> None:
    """Serve one app, check both answers, and check it stops when asked, not by force."""
    (folder / "app.py").write_text(app_source(source), encoding="utf-8")
    port = servers.free_port()
    command = servers.server_command(kind, Path(sys.executable), "app", port)
    log = folder / "app.log"
    with servers.serving(command, folder, port, log, frozenset(), first_signal) as running:
        for scenario in SCENARIOS.values():
            smoke_check(who, running, scenario)
        group = running.process.pid
        stopping = time.monotonic()
    assert time.monotonic() - stopping < servers.STOP_TIMEOUT, f"{who} had to be killed"
    assert servers.group_members(group) == []


@pytest.mark.parametrize("fw_id", [fw.id for fw in load_catalog().frameworks])
def test_every_bench_app_answers_both_scenarios_exactly_on_its_server(
    fw_id: str, tmp_path: Path
) -> None:
    _serve_and_check(fw_id, fw_id, servers.SERVERS[fw_id], tmp_path, servers.stop_signal(fw_id))


@pytest.mark.parametrize(
    "kind", sorted({k.baseline_server for k in servers.KINDS.values()}), ids=str
)
def test_every_bare_app_answers_both_scenarios_exactly_on_its_server(
    kind: str, tmp_path: Path
) -> None:
    _serve_and_check(f"the bare app on {kind}", servers.KINDS[kind].baseline, kind, tmp_path)
