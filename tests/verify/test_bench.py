"""fwpick bench for real, on this interpreter's frameworks (--here: no network), on 127.0.0.1.

Every process fwpick starts inherits its environment, so a unique variable in
it marks them all: after fwpick ends, finished or interrupted, none may remain.
No timing is asserted; the machine may be slow or busy.
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

pytestmark = [
    pytest.mark.verify,
    pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)"),
]

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


def test_bench_here_measures_bottle_and_flask_without_errors_and_leaves_no_server(
    tmp_path: Path,
) -> None:
    token = uuid.uuid4().hex
    done = subprocess.run(
        [str(BIN / "fwpick"), "bench", "bottle", "flask", "--here", *QUICK, "--format", "json"],
        env=bench_env(token, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert [fw["id"] for fw in record["frameworks"]] == ["bottle", "flask"]
    for fw in record["frameworks"]:
        assert fw["server"]["name"] == "gunicorn"
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
