"""``fwpick bench``: measure the frameworks on this machine."""

# No "from __future__ import annotations": see cli/app.py.

import sys
import time
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fwpick.cli.options import CatalogOption, find_framework, make_console
from fwpick.cli.options import read_catalog as _read_catalog


class BenchFormat(StrEnum):
    table = "table"
    json = "json"


class ScenarioName(StrEnum):
    plaintext = "plaintext"
    api = "api"


def bench(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME]...",
            help="Frameworks to measure (default: every bundled one).",
            show_default=False,
        ),
    ] = None,
    duration: Annotated[
        float, typer.Option("--duration", min=0.5, help="Seconds of load per trial.")
    ] = 5.0,
    connections: Annotated[
        int, typer.Option("--connections", min=1, help="Open connections wrk keeps busy.")
    ] = 32,
    scenario: Annotated[
        list[ScenarioName] | None,
        typer.Option(
            "--scenario",
            help="plaintext or api; repeat for both. [default: both]",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    trials: Annotated[
        int, typer.Option("--trials", min=1, help="Timed trials of each app, interleaved.")
    ] = 3,
    output: Annotated[
        BenchFormat,
        typer.Option("--format", "-f", help="table (for people) or json.", case_sensitive=False),
    ] = BenchFormat.table,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            metavar="FILE",
            readable=False,
            help="Also write the results as JSON to FILE.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Let --save replace a file.")] = False,
    here: Annotated[
        bool,
        typer.Option(
            "--here",
            help="Measure this interpreter's installed packages instead of making a venv each"
            " (they must be the catalogued releases).",
        ),
    ] = False,
    footprint_only: Annotated[
        bool,
        typer.Option(
            "--footprint-only", help="Only count, weigh and time the import of each framework."
        ),
    ] = False,
    catalog: CatalogOption = None,
) -> None:
    """Measure throughput and footprint of frameworks on this machine.

    Each framework serves a plaintext and a JSON api scenario on one worker
    process (pinned to one CPU) under wrk, taking turns with a bare app on the
    same server; the headline figure is the ratio of the two. Each is measured
    in its own venv in the cache folder, made with pip on first use.

    Example: fwpick bench flask falcon --duration 3 --save results.json
    """
    from fwpick.measure import results as record
    from fwpick.measure.runner import Settings, run_bench
    from fwpick.measure.servers import cpu_plan
    from fwpick.measure.wrk import find_wrk, wrk_version

    if save is not None:
        record.check_writable(save, force)
    chosen = list(dict.fromkeys(scenario or [ScenarioName.plaintext, ScenarioName.api]))
    settings = Settings(
        duration=duration,
        connections=connections,
        trials=trials,
        scenarios=tuple(s.value for s in chosen),
        here=here,
        throughput=not footprint_only,
    )
    wrk = "" if footprint_only else find_wrk()
    cat = _read_catalog(catalog)
    frameworks = list(cat.frameworks)
    if names:
        # Framework holds a dict (its scores), so it is not hashable: dedupe by id.
        chosen_by_id = {fw.id: fw for fw in (find_framework(cat, n) for n in names)}
        frameworks = list(chosen_by_id.values())
    errors = make_console(stderr=True)
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        errors.print(f"fwpick: warning: {message}", markup=False, soft_wrap=True)

    plan = cpu_plan()
    if not plan.pinned and not footprint_only:
        warn("cannot pin the server and wrk to separate CPUs here; figures are noisier")
    started, clock = datetime.now().astimezone(), time.monotonic()
    try:
        from fwpick.output.bench_views import progress_display

        with progress_display(errors) as progress:
            results = run_bench(frameworks, settings, wrk, progress, warn)
    except KeyboardInterrupt:
        sys.stderr.write("\nfwpick: interrupted; every server it started is stopped\n")
        raise typer.Exit(130) from None
    version = wrk_version(wrk) if wrk else ""
    data = record.build_record(
        results, settings, version, plan.pinned, started, time.monotonic() - clock, warnings
    )
    text = record.to_json(data)
    if save is not None:
        record.save(save, text, force)
    if output is BenchFormat.json:
        sys.stdout.write(text)
    else:
        from fwpick.output.bench_views import results_view

        make_console().print(results_view(results))
    if save is not None:
        sys.stderr.write(f"fwpick: saved the results to {save}\n")
