"""One bench run: for each framework, its environment, footprint and timed scenarios.

The order of work for a framework: make (or reuse) its venv, weigh its
footprint, start the framework's server and the bare baseline's server side
by side, check every endpoint answers exactly what it should, then per
scenario a warm-up of each and the timed trials, baseline and framework taking
turns (B F, F B, B F, ...) so that a slow spell of a noisy machine falls on
both.  Every server and wrk is stopped in a ``finally``: Ctrl-C or SIGTERM at
any moment leaves no process behind.
"""

from __future__ import annotations

import signal
import statistics
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import FrameType
from typing import NamedTuple

from fwpick.catalog.model import Framework
from fwpick.catalog.throughput import score_for as performance_score
from fwpick.errors import FwpickError
from fwpick.measure import environments, servers
from fwpick.measure.footprint import Footprint, measure_footprint
from fwpick.measure.scenarios import SCENARIOS, Scenario, app_source, body_matches
from fwpick.measure.servers import CpuPlan, Running, ServerKind
from fwpick.measure.wrk import SocketErrors, WrkResult, post_script, run_wrk, wrk_command

SPREAD_WARNING = 0.10
WARM_UP_SECONDS = 2.0


class Settings(NamedTuple):
    duration: float = 5.0
    connections: int = 32
    trials: int = 3
    scenarios: tuple[str, ...] = ("plaintext", "api")
    here: bool = False
    throughput: bool = True  # False: --footprint-only
    footprint: bool = True


class Step(NamedTuple):
    """Where the run is, for a progress display."""

    framework: str
    scenario: str
    what: str  # "installing", "footprint", "warm-up", "trial 2/3", ...
    done: int
    total: int


class Series(NamedTuple):
    """The timed trials of one app in one scenario."""

    trials: tuple[WrkResult, ...]
    command: str  # the exact wrk command of the last trial

    @property
    def median(self) -> float:
        return statistics.median(t.requests_per_second for t in self.trials)

    @property
    def spread(self) -> float:
        rates = [t.requests_per_second for t in self.trials]
        median = statistics.median(rates)
        return (max(rates) - min(rates)) / median if median else 0.0


class ScenarioResult(NamedTuple):
    scenario: str
    framework: Series
    baseline: Series

    @property
    def ratio(self) -> float:
        return self.framework.median / self.baseline.median if self.baseline.median else 0.0

    @property
    def errors(self) -> SocketErrors:
        return SocketErrors(*(sum(t.errors[i] for t in self.framework.trials) for i in range(4)))

    @property
    def non_2xx(self) -> int:
        return sum(t.non_2xx for t in self.framework.trials)


class FrameworkResult(NamedTuple):
    id: str
    name: str
    version: str
    server_name: str  # "gunicorn", or the framework's PyPI name for its own server
    server_version: str
    own_server: bool
    baseline: str  # "bare WSGI app on gunicorn 27.0.1"
    pins: tuple[str, ...]
    here: bool
    scenarios: tuple[ScenarioResult, ...]
    footprint: Footprint | None

    @property
    def server(self) -> str:
        own = " (own server)" if self.own_server else ""
        return f"{self.server_name} {self.server_version}{own}"

    @property
    def score(self) -> int | None:
        ratios = [s.ratio for s in self.scenarios if s.ratio > 0]
        return performance_score(ratios) if ratios else None


Progress = Callable[[Step], None]


def steps_per_framework(settings: Settings) -> int:
    timed = (2 + 2 * settings.trials) * len(settings.scenarios) if settings.throughput else 0
    return 1 + int(settings.footprint) + timed


def run_bench(
    frameworks: list[Framework],
    settings: Settings,
    wrk: str,
    progress: Progress,
    warn: Callable[[str], None],
) -> list[FrameworkResult]:
    """Measure every framework in turn; SIGTERM stops it as Ctrl-C does."""
    plan = servers.cpu_plan()
    total = steps_per_framework(settings) * len(frameworks)
    counter = _Counter(total, progress)
    with _sigterm_as_interrupt():
        return [_one(fw, settings, wrk, plan, counter, warn) for fw in frameworks]


class _Counter:
    def __init__(self, total: int, progress: Progress) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def step(self, fw: Framework, scenario: str, what: str) -> None:
        self.progress(Step(fw.id, scenario, what, self.done, self.total))
        self.done += 1


def _one(
    fw: Framework,
    settings: Settings,
    wrk: str,
    plan: CpuPlan,
    counter: _Counter,
    warn: Callable[[str], None],
) -> FrameworkResult:
    kind = servers.server_for(fw.id)
    counter.step(fw, "", "checking" if settings.here else "installing")
    env = environments.here(fw) if settings.here else environments.prepare(fw)
    footprint = None
    if settings.footprint:
        counter.step(fw, "", "footprint")
        footprint = measure_footprint(fw, env.python, plan.server)
    results: list[ScenarioResult] = []
    if settings.throughput:
        results = _throughput(fw, kind, env, settings, wrk, plan, counter)
        for result in results:
            for label, series in (("", result.framework), ("baseline ", result.baseline)):
                if series.spread > SPREAD_WARNING:
                    warn(
                        f"{fw.id} {result.scenario}: the {label}trials spread "
                        f"{series.spread:.0%} (over {SPREAD_WARNING:.0%}); the machine is noisy,"
                        " try more --trials or a longer --duration"
                    )
    return FrameworkResult(
        id=fw.id,
        name=fw.name,
        version=env.framework_version,
        server_name=kind.name if kind.pypi else fw.pypi,
        server_version=kind.version if kind.pypi else env.framework_version,
        own_server=not kind.pypi,
        baseline=baseline_label(kind),
        pins=env.pins,
        here=env.here,
        scenarios=tuple(results),
        footprint=footprint,
    )


def baseline_label(kind: ServerKind) -> str:
    base = servers.KINDS[kind.baseline_server]
    app = base.interface.upper()
    label = f"bare {app} app on {base.name} {base.version}"
    return label + (" (no bare app runs on an own server)" if not kind.pypi else "")


def _throughput(
    fw: Framework,
    kind: ServerKind,
    env: environments.Environment,
    settings: Settings,
    wrk: str,
    plan: CpuPlan,
    counter: _Counter,
) -> list[ScenarioResult]:
    with tempfile.TemporaryDirectory(prefix=f"fwpick-bench-{fw.id}-") as name, ExitStack() as stack:
        folder = Path(name)
        (folder / "app.py").write_text(app_source(fw.id), encoding="utf-8")
        (folder / "baseline.py").write_text(app_source(kind.baseline), encoding="utf-8")
        scenarios = [SCENARIOS[s] for s in settings.scenarios]
        # Both servers run throughout; the idle one takes no CPU while the other is measured.
        apps = {}
        for label, module, server_kind, first_signal in (
            ("baseline", "baseline", kind.baseline_server, signal.SIGTERM),
            (fw.id, "app", servers.SERVERS[fw.id], servers.stop_signal(fw.id)),
        ):
            port = servers.free_port()
            command = servers.server_command(server_kind, env.python, module, port)
            log = folder / f"{module}.log"
            apps[label] = stack.enter_context(
                servers.serving(command, folder, port, log, plan.server, first_signal)
            )
        for label, running in apps.items():
            for scenario in scenarios:
                smoke_check(
                    fw.id if label != "baseline" else f"{fw.id}'s baseline", running, scenario
                )
        results = []
        for scenario in scenarios:
            script = None
            if scenario.method != "GET":
                script = folder / f"{scenario.name}.lua"
                script.write_text(post_script(scenario), encoding="utf-8")
            results.append(
                _scenario(
                    fw,
                    scenario,
                    apps[fw.id],
                    apps["baseline"],
                    script,
                    settings,
                    wrk,
                    plan,
                    counter,
                )
            )
        return results


def smoke_check(who: str, running: Running, scenario: Scenario) -> None:
    """One request with urllib before any timing: the answer must be exactly the expected one."""
    status, _content_type, body = servers.fetch(
        running.port, scenario.method, scenario.path, scenario.body
    )
    if status != 200 or not body_matches(scenario, body):
        raise FwpickError(
            f"{who}, scenario {scenario.name}: {scenario.method} {scenario.path} should answer "
            f"200 {scenario.expected.decode()!r}, got {status} "
            f"{body[:300].decode('utf-8', 'replace')!r}"
        )


def _scenario(
    fw: Framework,
    scenario: Scenario,
    framework: Running,
    baseline: Running,
    script: Path | None,
    settings: Settings,
    wrk: str,
    plan: CpuPlan,
    counter: _Counter,
) -> ScenarioResult:
    def command(running: Running, seconds: float) -> list[str]:
        return wrk_command(wrk, running.port, scenario, seconds, settings.connections, script)

    warm_up = min(WARM_UP_SECONDS, settings.duration)
    for label, running in (("baseline", baseline), (fw.id, framework)):
        counter.step(fw, scenario.name, f"warm-up {label}")
        run_wrk(command(running, warm_up), plan.load, warm_up)
    timed: dict[str, list[WrkResult]] = {"baseline": [], "framework": []}
    for trial in range(settings.trials):
        order = [("baseline", baseline), ("framework", framework)]
        if trial % 2:
            order.reverse()
        for label, running in order:
            counter.step(fw, scenario.name, f"trial {trial + 1}/{settings.trials} {label}")
            timed[label].append(
                run_wrk(command(running, settings.duration), plan.load, settings.duration)
            )
    return ScenarioResult(
        scenario=scenario.name,
        framework=Series(
            tuple(timed["framework"]), " ".join(command(framework, settings.duration))
        ),
        baseline=Series(tuple(timed["baseline"]), " ".join(command(baseline, settings.duration))),
    )


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is so that every ``finally`` stops its servers."""


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
