"""How long each fwpick command takes to answer, against two baselines.

fwpick's own work is tiny, so its speed is almost all interpreter start-up and
imports.  This script times every command as a user runs it (the installed
console script, in a fresh process) beside:

* the floor: ``python -c pass`` with the same interpreter;
* a minimal two-command Typer app, written to a temporary directory, whose
  command prints a one-row Rich table: the fixed cost of the libraries fwpick
  stands on.

All commands run interleaved (a shuffled round of every command, repeated),
after warm-up runs, so that a slow moment of the machine hits them alike.  The
budget: each command's median is at most 10x the floor and at most 1.15x the
minimal Typer app.  The cached part of the scale benchmark (benchmarks/scale.py:
generated catalogues of 100, 1,000 and 10,000 frameworks) follows.

Run it with the Python of the environment fwpick is installed in (not a
pyenv shim, which would add its own start-up to every figure):

    .venv/bin/python benchmarks/startup.py             # about five minutes
    .venv/bin/python benchmarks/startup.py --no-scale  # the commands only
    .venv/bin/python benchmarks/startup.py --quick     # a rough look, in seconds

It exits 1 when a command is over budget or a scale target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: no CPU times, wall times only
    resource = None  # type: ignore[assignment]

MAX_FLOOR_RATIO = 10.0
MAX_TYPER_RATIO = 1.15
SCALE_SIZES = (100, 1_000, 10_000)

# The baseline: what any Typer + Rich command costs before doing anything of its own.
MINIMAL_APP = '''\
import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def table(name: str = "fwpick") -> None:
    """Print a one-row table."""
    grid = Table("Name", "Length")
    grid.add_row(name, str(len(name)))
    Console().print(grid)


@app.command()
def hello(name: str = "fwpick") -> None:
    """Say hello."""
    print(f"Hello {name}")


def main() -> None:
    app()
'''
# Started the way a console script starts its entry point, so that the app's
# module is byte-compiled once and cached, as fwpick's modules are.
MINIMAL_LAUNCHER = "import sys\nfrom minimal_app import main\nsys.exit(main())\n"
# fwpick's entry point freezes the heap on the way out, which spares the
# interpreter's last garbage collection.  The same launcher with that one line
# shows how much of fwpick's lead over the baseline is that trick rather than
# fwpick's own work (reported, not budgeted).
MINIMAL_FROZEN_LAUNCHER = (
    "import gc, sys\nfrom minimal_app import main\ntry:\n    main()\nfinally:\n    gc.freeze()\n"
)

# Variables that would change what is imported or printed, or how Python runs.
_CLEAN_ENV = (
    "FWPICK_CATALOG",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONDEVMODE",
    "PYTHONWARNINGS",
    "PYTHONTRACEMALLOC",
    "PYTHONSTARTUP",
    "FORCE_COLOR",
    "NO_COLOR",
    "TTY_COMPATIBLE",
)


@dataclass
class Command:
    label: str
    argv: list[str]
    budget: bool = True
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu_times) if self.cpu_times else None


def fwpick_script() -> Path:
    """The fwpick console script of the environment this interpreter belongs to."""
    folder = Path(sys.executable).parent
    for name in ("fwpick", "fwpick.exe"):
        if (folder / name).is_file():
            return folder / name
    sys.exit(
        f"no fwpick console script next to {sys.executable}; run this with the Python of"
        " the environment fwpick is installed in, e.g. .venv/bin/python benchmarks/startup.py"
    )


def check_interpreter(script: Path) -> None:
    """Warn when the console script would start another Python than the baselines."""
    with script.open("rb") as handle:
        first = handle.readline().decode("utf-8", "replace").strip()
    if not first.startswith("#!"):
        return
    shebang = Path(first[2:].split()[0])
    if shebang.resolve() != Path(sys.executable).resolve():
        print(
            f"warning: {script} starts {shebang}, the baselines use {sys.executable};"
            " the ratios compare different interpreters",
            file=sys.stderr,
        )


def environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEAN_ENV}
    # Output goes nowhere, but is rendered as for a colour terminal of fixed
    # size, which is what a user waits for.
    env.update(COLUMNS="120", LINES="40", FORCE_COLOR="1", TERM="xterm-256color")
    # fwpick's catalogue cache goes in the benchmark's own folder; the warm-up
    # runs fill it, as a user's first run does.
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def _children_cpu() -> float | None:
    """CPU seconds used by finished child processes so far (None where unknown)."""
    if resource is None:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float | None]:
    """Wall and CPU time of one run in ms; stops the benchmark if the command fails."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        sys.exit(f"{' '.join(argv)} failed (exit {done.returncode}):\n{message}")
    cpu_after = _children_cpu()
    if cpu_before is None or cpu_after is None:
        return elapsed, None
    return elapsed, (cpu_after - cpu_before) * 1000


def recommend_flags() -> list[str]:
    """Every recommend question answered by a flag, so that nothing waits for a terminal."""
    from fwpick.recommend.quiz import Answers

    return Answers.defaults().as_flags()


def supports(script: Path, env: dict[str, str], command: str) -> bool:
    help_text = subprocess.run(
        [str(script), command, "--help"], env=env, capture_output=True, text=True
    )
    return help_text.returncode == 0


def measure(commands: list[Command], runs: int, warmup: int, env: dict[str, str]) -> None:
    """Time every command ``runs`` times, in a freshly shuffled order each round."""
    rng = random.Random(5)
    for _ in range(warmup):
        for command in commands:
            run_once(command.argv, {**env, **command.env})
    for number in range(runs):
        order = commands[:]
        rng.shuffle(order)
        for command in order:
            wall, cpu = run_once(command.argv, {**env, **command.env})
            command.times.append(wall)
            if cpu is not None:
                command.cpu_times.append(cpu)
        if sys.stderr.isatty():
            print(f"\r  round {number + 1}/{runs}", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print("\r" + " " * 20 + "\r", end="", file=sys.stderr, flush=True)


def report(commands: list[Command], floor: Command, minimal: Command) -> bool:
    """Print the table of medians and ratios; True when every budgeted command passes."""
    width = max(len(c.label) for c in commands)
    print(
        f"{'command':<{width}}  {'median':>8}  {'min':>7}  {'max':>7}"
        f"  {'x floor':>7}  {'x typer':>7}  budget  {'CPU':>7}  {'x typer':>7}"
    )
    all_pass = True
    for command in commands:
        to_floor = command.median / floor.median
        to_typer = command.median / minimal.median
        verdict = ""
        if command.budget:
            ok = to_floor <= MAX_FLOOR_RATIO and to_typer <= MAX_TYPER_RATIO
            all_pass &= ok
            verdict = "PASS" if ok else "FAIL"
        cpu = ""
        if command.cpu_median is not None and minimal.cpu_median:
            cpu_ratio = command.cpu_median / minimal.cpu_median
            cpu = f"  {command.cpu_median:5.1f}ms  {cpu_ratio:6.2f}x"
        print(
            f"{command.label:<{width}}  {command.median:6.1f}ms  {min(command.times):5.1f}ms"
            f"  {max(command.times):5.1f}ms  {to_floor:6.2f}x  {to_typer:6.2f}x  {verdict:<6}{cpu}"
        )
    limit_floor = MAX_FLOOR_RATIO * floor.median
    limit_typer = MAX_TYPER_RATIO * minimal.median
    print(
        f"budget (on the wall-time medians): <= {MAX_FLOOR_RATIO:g}x floor ({limit_floor:.1f} ms)"
        f" and <= {MAX_TYPER_RATIO:g}x minimal Typer app ({limit_typer:.1f} ms)"
    )
    print("CPU: median user+system time of the process, steadier than wall time on a busy machine")
    return all_pass


def describe_setup(script: Path) -> str:
    versions = []
    for dist in ("typer", "rich", "PyYAML"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist} missing")
    try:
        from yaml import CSafeLoader  # noqa: F401

        versions.append("libyaml: yes")
    except ImportError:
        versions.append("libyaml: no")
    return (
        f"Python {platform.python_version()} ({sys.executable}), {', '.join(versions)};"
        f" {os.cpu_count()} CPUs; {script}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command (20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (3)")
    parser.add_argument(
        "--scale-runs", type=int, default=5, help="runs of each command per catalogue size (5)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="5 runs, 1 warm-up, no scale benchmark: rough figures"
    )
    parser.add_argument("--no-scale", action="store_true", help="skip the scale benchmark")
    parser.add_argument(
        "--catalog", help="time the commands on this catalogue instead of the bundled one"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.warmup, args.no_scale = 5, 1, True
    if args.runs < 1 or args.scale_runs < 1:
        parser.error("--runs and --scale-runs must be at least 1")

    script = fwpick_script()
    check_interpreter(script)
    fw = [str(script)]
    with tempfile.TemporaryDirectory(prefix="fwpick-bench-") as tmp:
        folder = Path(tmp)
        env = environment(folder / "cache")
        if args.catalog:
            env["FWPICK_CATALOG"] = str(Path(args.catalog).resolve())
        (folder / "minimal_app.py").write_text(MINIMAL_APP, encoding="utf-8")
        (folder / "launch_minimal.py").write_text(MINIMAL_LAUNCHER, encoding="utf-8")
        (folder / "launch_frozen.py").write_text(MINIMAL_FROZEN_LAUNCHER, encoding="utf-8")
        floor = Command("python -c pass (floor)", [sys.executable, "-c", "pass"], budget=False)
        minimal = Command(
            "minimal Typer + Rich table",
            [sys.executable, str(folder / "launch_minimal.py"), "table"],
            budget=False,
        )
        # What bash runs on each Tab press after "fwpick show fl".
        tab = {
            "_FWPICK_COMPLETE": "complete_bash",
            "COMP_WORDS": "fwpick show fl",
            "COMP_CWORD": "2",
        }
        frozen = Command(
            "minimal Typer, gc.freeze() at exit",
            [sys.executable, str(folder / "launch_frozen.py"), "table"],
            budget=False,
        )
        commands = [
            floor,
            minimal,
            frozen,
            Command("fwpick --version", [*fw, "--version"]),
            Command("fwpick --help", [*fw, "--help"]),
            Command("fwpick show fl<Tab>", fw, env=tab),
            Command("fwpick show flask", [*fw, "show", "flask"]),
            Command("fwpick compare", [*fw, "compare"]),
            Command("fwpick compare --format json", [*fw, "compare", "--format", "json"]),
        ]
        has_recommend = supports(script, env, "recommend")
        if has_recommend:
            recommend = [*fw, "recommend", *recommend_flags()]
            commands.append(Command("fwpick recommend (all flags)", recommend))
        # Not budgeted: what the first run after installing or editing the
        # catalogue costs, when the cache is empty or stale.
        no_cache = {"FWPICK_NO_CACHE": "1"}
        commands.append(
            Command("fwpick compare, first run", [*fw, "compare"], budget=False, env=no_cache)
        )
        print(describe_setup(script))
        print(f"{args.runs} runs each, interleaved, after {args.warmup} warm-up runs\n")
        measure(commands, args.runs, args.warmup, env)
        ok = report(commands, floor, minimal)
        if not has_recommend:
            print("fwpick recommend: not available in this fwpick, not timed")
        if args.no_scale:
            pass
        elif not has_recommend:
            print("scale benchmark skipped: it times fwpick recommend")
        else:
            import scale  # benchmarks/scale.py, beside this script

            print()
            scale_args = ["--cached-only", "--runs", str(args.scale_runs)]
            if args.catalog:
                scale_args += ["--source", args.catalog]
            ok &= scale.main(scale_args) == 0
    if args.quick:
        print("\n(--quick: few runs, the figures are rough)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
