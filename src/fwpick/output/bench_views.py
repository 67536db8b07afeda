"""Rich output of fwpick bench: the progress display, the results tables and the ratio chart.

The only module of :mod:`fwpick.measure` that imports Rich.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console, Group, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from fwpick.measure.runner import FrameworkResult, Step

BAR_WIDTH = 40


@contextmanager
def progress_display(console: Console) -> Iterator[Callable[[Step], None]]:
    """A progress bar on ``console`` (stderr) naming framework, scenario and trial."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("starting", total=None)

        def show(step: Step) -> None:
            where = " ".join(filter(None, (step.framework, step.scenario, step.what)))
            progress.update(task, description=where, completed=step.done, total=step.total)

        yield show


def results_view(results: list[FrameworkResult]) -> RenderableType:
    """The throughput table, the ratio chart and the footprint table (what was measured)."""
    parts: list[RenderableType] = []
    if any(r.scenarios for r in results):
        parts += [throughput_table(results), Text(""), ratio_chart(results)]
    if any(r.footprint for r in results):
        parts += [Text(""), footprint_table(results)]
    return Group(*parts)


def throughput_table(results: list[FrameworkResult]) -> Table:
    """One row per framework and scenario; nine narrow columns fit 80 columns."""
    table = Table(title="Throughput on this machine (medians of the trials)", title_justify="left")
    table.add_column("Framework / server")
    table.add_column("Scenario")
    for header in ("req/s", "baseline", "ratio", "spread", "p50/p99 ms", "errors", "score"):
        table.add_column(header, justify="right")
    for result in results:
        for index, s in enumerate(result.scenarios):
            first = index == 0
            errors = s.errors.total + s.non_2xx
            p50 = statistics.median(t.latency_p50_ms for t in s.framework.trials)
            p99 = statistics.median(t.latency_p99_ms for t in s.framework.trials)
            who = f"{result.name} {result.version}" if first else result.server
            table.add_row(
                who,
                s.scenario,
                f"{s.framework.median:,.0f}",
                f"{s.baseline.median:,.0f}",
                f"{s.ratio:.2f}",
                f"{s.framework.spread:.0%}",
                f"{p50:.1f}/{p99:.1f}",
                str(errors),
                str(result.score or "") if first else "",
                end_section=index == len(result.scenarios) - 1 and index > 0,
            )
            if len(result.scenarios) == 1:
                table.add_row(result.server, *[""] * 8, end_section=True)
    baselines = sorted({r.baseline.split(" (")[0] for r in results})
    caption = "ratio = req/s / the baseline's req/s, the baseline being the " + " or the ".join(
        baselines
    )
    if any(r.own_server for r in results):
        caption += "; own servers (no bare app runs on them) against the bare ASGI app on uvicorn"
    table.caption = caption + ". errors: socket errors + non-2xx answers."
    return table


def ratio_chart(results: list[FrameworkResult]) -> Table:
    """One horizontal bar per framework and scenario, 1.0 marked: the bare app's speed."""
    ratios = [s.ratio for r in results for s in r.scenarios]
    top = max([1.0, *ratios])
    chart = Table.grid(padding=(0, 1))
    chart.title = "Ratio to the bare app on the same server (| = 1.0)"
    chart.title_justify = "left"
    chart.add_column()
    chart.add_column()
    chart.add_column(justify="right")
    one = round(BAR_WIDTH / top)
    for result in results:
        for s in result.scenarios:
            filled = round(s.ratio / top * BAR_WIDTH)
            bar = ["█" if i < filled else " " for i in range(BAR_WIDTH)]
            if one < BAR_WIDTH and bar[one] == " ":
                bar[one] = "|"
            chart.add_row(
                f"{result.id} {s.scenario}", Text("".join(bar), style="cyan"), f"{s.ratio:.2f}"
            )
    return chart


def footprint_table(results: list[FrameworkResult]) -> Table:
    table = Table(title="Footprint in a fresh venv", title_justify="left")
    table.add_column("Framework")
    table.add_column("distributions", justify="right")
    table.add_column("installed MB", justify="right")
    table.add_column("import ms", justify="right")
    table.add_column("imports")
    for result in results:
        if result.footprint is None:
            continue
        fp = result.footprint
        table.add_row(
            f"{result.name} {result.version}",
            str(len(fp.distributions)),
            f"{fp.size_mb:.1f}",
            f"{fp.import_ms:.0f}",
            fp.import_code.replace("\n", "; "),
        )
    table.caption = (
        "distributions: the framework and its dependencies;"
        " import: a cold start less `python -c pass`"
    )
    return table
