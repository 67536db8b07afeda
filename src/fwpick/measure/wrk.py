"""Running the load generator wrk and reading what it prints."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

from fwpick.errors import FwpickError
from fwpick.measure.scenarios import Scenario
from fwpick.measure.servers import pin_to

WRK_MISSING = (
    "wrk is not installed; install it with 'apt-get install wrk' (Debian/Ubuntu) "
    "or 'brew install wrk' (macOS)"
)
# wrk has no option for the end of a run; a stuck one is stopped after this margin.
_MARGIN = 30.0


class SocketErrors(NamedTuple):
    connect: int = 0
    read: int = 0
    write: int = 0
    timeout: int = 0

    @property
    def total(self) -> int:
        return self.connect + self.read + self.write + self.timeout


class WrkResult(NamedTuple):
    """What one wrk run measured."""

    requests_per_second: float
    requests: int
    latency_p50_ms: float
    latency_p99_ms: float
    errors: SocketErrors
    non_2xx: int


def find_wrk() -> str:
    """The path of wrk, or the error that says how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise FwpickError(WRK_MISSING)
    return found


def wrk_version(wrk: str) -> str:
    """wrk's own version line, e.g. ``wrk 4.2.0 [epoll] ...`` (it exits 1 after printing it)."""
    done = subprocess.run(
        [wrk, "--version"], capture_output=True, text=True, timeout=10, check=False
    )
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0].split(" Copyright")[0] if first else "unknown"


def post_script(scenario: Scenario) -> str:
    """The Lua script that makes wrk send the scenario's request (a long string: no escaping)."""
    body = scenario.body.decode()
    if "]]" in body:
        raise ValueError("a request body with ']]' does not fit in a Lua long string")
    return (
        f'wrk.method = "{scenario.method}"\n'
        f"wrk.body = [[{body}]]\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )


def wrk_command(
    wrk: str, port: int, scenario: Scenario, duration: float, connections: int, script: Path | None
) -> list[str]:
    """``wrk -t1 -cN -dDs --latency [-s script] URL``: one thread, as the load CPU is one core."""
    command = [wrk, "-t1", f"-c{connections}", f"-d{duration:g}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    return [*command, f"http://127.0.0.1:{port}{scenario.path}"]


def run_wrk(command: list[str], cpus: frozenset[int], duration: float) -> WrkResult:
    """Run wrk pinned to ``cpus``; it is stopped whatever ends the wait (Ctrl-C included).

    wrk gets its own session so that a Ctrl-C in the terminal reaches fwpick
    alone, which then stops wrk and every server in its ``finally`` blocks.
    """
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=pin_to(cpus),
    )
    try:
        out, err = process.communicate(timeout=duration + _MARGIN)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0:
        raise FwpickError(f"wrk failed ({' '.join(command)}): {(err or out).strip()}")
    return parse_wrk(out)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_NUMBER = r"([0-9.]+)"


def parse_wrk(text: str) -> WrkResult:
    """Read wrk's ``--latency`` report."""
    rate = re.search(r"^Requests/sec:\s+" + _NUMBER, text, re.M)
    count = re.search(r"^\s*(\d+) requests in ", text, re.M)
    if rate is None or count is None:
        raise FwpickError(f"wrk printed no result:\n{text.strip()}")
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        requests=int(count.group(1)),
        latency_p50_ms=_percentile(text, "50"),
        latency_p99_ms=_percentile(text, "99"),
        errors=SocketErrors(*map(int, errors.groups())) if errors else SocketErrors(),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def _percentile(text: str, which: str) -> float:
    # In the "Latency Distribution" block: "     99%   19.12ms"
    found = re.search(rf"^\s+{which}%\s+{_NUMBER}(us|ms|s|m)\s*$", text, re.M)
    if found is None:
        raise FwpickError(f"wrk printed no {which}th percentile (was --latency given?)")
    return float(found.group(1)) * _UNITS_MS[found.group(2)]
