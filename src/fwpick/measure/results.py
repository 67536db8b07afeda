"""The bench record: what was measured, on what, with which commands; JSON and --save."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from fwpick import __version__
from fwpick.catalog.bench_results import FORMAT  # defined where recommend --bench reads it
from fwpick.errors import FwpickError
from fwpick.measure.footprint import Footprint
from fwpick.measure.runner import FrameworkResult, ScenarioResult, Series, Settings


def cpu_model() -> str:
    """The CPU's ``model name`` from /proc/cpuinfo, else what :mod:`platform` says."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def build_record(
    results: list[FrameworkResult],
    settings: Settings,
    wrk_version: str,
    pinned: bool,
    started: datetime,
    seconds: float,
    warnings: list[str],
) -> dict[str, Any]:
    """Everything needed to judge and repeat a run, as plain JSON values."""
    return {
        "format": FORMAT,
        "fwpick_version": __version__,
        "date": started.isoformat(timespec="seconds"),
        "wall_time_s": round(seconds, 1),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "wrk_version": wrk_version,
        "pinned": pinned,
        "settings": {
            "duration_s": settings.duration,
            "connections": settings.connections,
            "trials": settings.trials,
            "scenarios": list(settings.scenarios) if settings.throughput else [],
            "here": settings.here,
        },
        "frameworks": [_framework(r) for r in results],
        "warnings": warnings,
    }


def _framework(result: FrameworkResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "name": result.name,
        "version": result.version,
        "server": {
            "name": result.server_name,
            "version": result.server_version,
            "own": result.own_server,
        },
        "baseline": result.baseline,
        "installed": list(result.pins),
        "environment": "this interpreter (--here)" if result.here else "own venv",
        "scenarios": {s.scenario: _scenario(s) for s in result.scenarios},
        "performance_score": result.score,
        "footprint": _footprint(result.footprint),
    }


def _scenario(result: ScenarioResult) -> dict[str, Any]:
    framework, baseline = result.framework, result.baseline
    return {
        "requests_per_second": round(framework.median, 1),
        "spread": round(framework.spread, 4),
        "latency_p50_ms": round(_median_of(framework, "latency_p50_ms"), 3),
        "latency_p99_ms": round(_median_of(framework, "latency_p99_ms"), 3),
        "socket_errors": result.errors._asdict(),
        "non_2xx": result.non_2xx,
        "baseline_requests_per_second": round(baseline.median, 1),
        "baseline_spread": round(baseline.spread, 4),
        "ratio": round(result.ratio, 4),
        "trials_requests_per_second": [t.requests_per_second for t in framework.trials],
        "baseline_trials_requests_per_second": [t.requests_per_second for t in baseline.trials],
        "wrk_command": framework.command,
        "baseline_wrk_command": baseline.command,
    }


def _median_of(series: Series, field: str) -> float:
    import statistics

    return statistics.median(getattr(t, field) for t in series.trials)


def _footprint(footprint: Footprint | None) -> dict[str, Any] | None:
    if footprint is None:
        return None
    return {
        "distributions": len(footprint.distributions),
        "distribution_names": list(footprint.distributions),
        "installed_mb": round(footprint.size_mb, 2),
        "import_ms": round(footprint.import_ms, 1),
        "import_code": footprint.import_code,
        "requires_but_not_counted": list(footprint.venv_tools),
    }


def to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def check_writable(path: Path, force: bool) -> None:
    """Refuse, before any measuring, to replace a file without --force."""
    if path.exists() and not force:
        raise FwpickError(f"{path} exists; add --force to replace it")
    if path.exists() and path.is_dir():
        raise FwpickError(f"{path} is a folder, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise FwpickError(f"there is no folder {parent} to save {path.name} in")


def save(path: Path, text: str, force: bool) -> None:
    """Write atomically: a reader sees the old file or the whole new one, never half."""
    check_writable(path, force)
    parent = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as output:
            output.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if not sys.platform.startswith("win"):
        os.chmod(path, 0o644)
