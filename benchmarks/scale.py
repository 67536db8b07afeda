"""How fwpick's commands grow with the catalogue: 100, 1,000 and 10,000 frameworks.

Each size is a generated catalogue (varied copies of the real entries, see
:func:`generate_catalog`).  On each, the commands a user of a big catalogue
runs are timed as the installed console script in a fresh process:

* ``recommend`` (every answer a flag) as a table and as JSON,
* ``compare --format json``, and ``validate``,

each with the catalogue cache warm ("cached") and turned off ("no cache",
``FWPICK_NO_CACHE=1``), and ``recommend`` once more with an empty cache that
the run fills ("first run": parsing plus writing the cache).  Beside them, in
the same run: ``python -c pass`` (the floor every figure is a ratio to) and a
process that only loads the file with PyYAML's C loader (what the uncached
commands are held against).

Every process runs interleaved with the others, in a freshly shuffled order
each round, so that a slow moment of the machine hits them alike; the figures
are medians.  Peak memory is the child's own ``ru_maxrss`` (from ``wait4``,
see :data:`RUNNER`).
The per-entry cost of a command at a size is what it costs beyond the
smallest catalogue, divided by the entries it has beyond it; linear growth
keeps it flat from 1,000 to 10,000.

    .venv/bin/python benchmarks/scale.py                  # 7 runs cached, 3 uncached (~25 min)
    .venv/bin/python benchmarks/scale.py --cached-only    # the cached commands only (~2 min)
    .venv/bin/python benchmarks/scale.py --keep /tmp/cats # reuse generated catalogues

Generating the 10,000-entry file takes about a minute; ``--keep DIR`` keeps
the files for the next run.  It exits 1 when a target (``TARGETS``) is missed.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import (  # the folder of this script, put on the path just above
    check_interpreter,
    describe_setup,
    environment,
    fwpick_script,
    recommend_flags,
)

SIZES = (100, 1_000, 10_000)
# Bumped whenever generate_catalog writes something else, so that --keep
# never reuses a catalogue of an older recipe.
GENERATOR_VERSION = 5

# The targets, on the largest catalogue: seconds (median wall time) of the
# cached commands, their peak memory, how much slower than PyYAML's C loader
# alone an uncached command may be, and how much the per-entry cost may grow
# from the second-largest to the largest catalogue.
TARGETS = {
    ("recommend", "cached"): 0.3,
    ("recommend --format json", "cached"): 0.3,
    ("compare --format json", "cached"): 0.5,
    ("validate", "cached"): 0.3,
}
MAX_CACHED_MIB = 100.0
MAX_TO_YAML = 1.3
MAX_GROWTH = 1.1
NOISE_MS = 5.0  # how far apart two medians must be to count as a difference

LOAD_WITH_YAML = (
    "import sys, yaml\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


@dataclass
class Case:
    command: str  # what it is, e.g. "recommend --format json"
    size: int  # entries of the catalogue, 0 for the floor
    mode: str  # cached, no cache, first run, baseline
    argv: list[str]
    runs: int
    env: dict[str, str] = field(default_factory=dict)
    fresh_cache: bool = False  # an empty cache folder for each run
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)  # MiB

    @property
    def median(self) -> float:
        return statistics.median(self.times)


# Starts each measured process and reports its resources.  A process started
# from this script would report this script's memory as its own peak: Linux
# carries the parent's resident size over into a spawned child's ru_maxrss.
# So the children are started from this small process (about 9 MiB, less than
# any Python child), which runs for the whole benchmark.
RUNNER = """\
import json, os, sys, time
for line in sys.stdin:
    job = json.loads(line)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, job["stderr"], os.O_WRONLY | os.O_TRUNC, 0),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(job["argv"][0], job["argv"], job["env"], file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    done = [os.waitstatus_to_exitcode(status), wall, cpu, usage.ru_maxrss]
    print(json.dumps(done), flush=True)
"""


class Runner:
    """The small process that starts every measured one (see :data:`RUNNER`)."""

    def __init__(self, folder: Path) -> None:
        self.errors = folder / "stderr.txt"
        self.errors.touch()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", RUNNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, argv: Sequence[str], env: dict[str, str]) -> tuple[float, float, float]:
        """Wall and CPU seconds and peak memory (MiB) of one run; stops the benchmark on failure."""
        import json

        assert self.process.stdin is not None and self.process.stdout is not None
        job = {"argv": list(argv), "env": env, "stderr": str(self.errors)}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        code, wall, cpu, maxrss = json.loads(self.process.stdout.readline())
        if code != 0:
            message = self.errors.read_text(encoding="utf-8", errors="replace").strip()
            sys.exit(f"{' '.join(argv)} failed (exit {code}):\n{message}")
        # Linux reports KiB, macOS bytes.
        return wall, cpu, maxrss / (2**20 if sys.platform == "darwin" else 2**10)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def run_case(
    case: Case, runner: Runner, env: dict[str, str], folder: Path
) -> tuple[float, float, float]:
    full = {**env, **case.env}
    if not case.fresh_cache:
        return runner.run(case.argv, full)
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=folder))
    try:
        return runner.run(case.argv, {**full, "XDG_CACHE_HOME": str(cache)})
    finally:
        shutil.rmtree(cache, ignore_errors=True)


# --- the catalogues ---


def generate_catalog(source: Path, size: int, target: Path) -> None:
    """Write a valid catalogue of ``size`` frameworks, varied copies of the real entries.

    Their facts, scores and release dates vary with their number, so that the
    ranking has many distinct score signatures, as a real catalogue would.
    """
    import yaml  # fwpick depends on PyYAML, so it is installed wherever fwpick is

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C emitter is 3x faster
    document = yaml.load(source.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    templates = document["frameworks"]
    frameworks = []
    for number in range(size):
        entry = copy.deepcopy(templates[number % len(templates)])
        tag = f"{number:05d}"
        entry["id"] = f"bench-{tag}"
        entry["name"] = f"Bench {tag}"
        entry["pypi"] = f"fwpick-bench-{tag}"
        entry["version"]["value"] = f"{number % 7}.{number % 13}.{number % 3}"
        entry["released"]["value"] -= timedelta(days=number % 1500)
        facts = entry["facts"]
        facts["async_handlers"]["value"] = ("yes", "partly", "no")[number % 3]
        facts["single_file"]["value"] = number % 11 == 0
        facts["server"]["value"] = ("none", "development", "production")[number % 3]
        # A third of the ASGI ones are async-first, so every filter has something to keep.
        facts["interface"]["value"] = [["wsgi"], ["asgi"], ["wsgi", "asgi"]][(number // 3) % 3]
        for offset, score in enumerate(entry["scores"].values()):
            score["value"] = (number + offset) % 5 + 1
        # Mostly unique texts, as a real catalogue's would be.
        entry["description"] = f"{entry['description']} (variant {tag})"
        entry.pop("seed_claims", None)
        entry["from_seed"] = False
        # Measurements, starters, release histories and the notes on each
        # feature belong to the real packages, so copies leave them out
        # (maturity is then read from the score); without them 10,000
        # entries fit in fwpick's 64 MiB limit.
        for own in ("measured", "starter", "release_history"):
            entry.pop(own, None)
        for feature in (entry.get("features") or {}).values():
            feature.pop("detail", None)
        frameworks.append(entry)
    document["frameworks"] = frameworks
    text = yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)


def catalogues(source: Path, sizes: Sequence[int], folder: Path) -> dict[int, Path]:
    """A generated catalogue of each size in ``folder``, reusing one made from the same source."""
    stamp = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    files = {}
    for size in sizes:
        files[size] = folder / f"catalog-{size}-{stamp}-v{GENERATOR_VERSION}.yaml"
        if not files[size].is_file():
            print(f"generating {size:,} frameworks ...", file=sys.stderr, flush=True)
            generate_catalog(source, size, files[size])
    return files


# --- the run ---


def plan(
    script: Path, files: dict[int, Path], runs: int, uncached_runs: int, cached_only: bool
) -> list[Case]:
    fw = str(script)
    flags = recommend_flags()
    cases = [Case("python -c pass", 0, "baseline", [sys.executable, "-c", "pass"], runs)]
    for size, path in files.items():
        catalog = ["--catalog", str(path)]
        commands = {
            "recommend": [fw, "recommend", *flags, *catalog],
            "recommend --format json": [fw, "recommend", *flags, *catalog, "--format", "json"],
            "compare --format json": [fw, "compare", *catalog, "--format", "json"],
            "validate": [fw, "validate", str(path)],
        }
        for command, argv in commands.items():
            cases.append(Case(command, size, "cached", argv, runs))
        if cached_only:
            continue
        for command, argv in commands.items():
            no_cache = {"FWPICK_NO_CACHE": "1"}
            cases.append(Case(command, size, "no cache", argv, uncached_runs, env=no_cache))
        first = commands["recommend"]
        cases.append(Case("recommend", size, "first run", first, uncached_runs, fresh_cache=True))
        load = [sys.executable, "-c", LOAD_WITH_YAML, str(path)]
        cases.append(Case("PyYAML C loader alone", size, "baseline", load, uncached_runs))
    return cases


def measure(cases: list[Case], env: dict[str, str], folder: Path) -> None:
    """One untimed run of every cached command (it fills the cache), then the shuffled rounds."""
    runner = Runner(folder)
    for case in cases:
        if case.mode == "cached":
            run_case(case, runner, env, folder)
    rng = random.Random(13)
    rounds = max(case.runs for case in cases)
    for number in range(rounds):
        order = [case for case in cases if number < case.runs]
        rng.shuffle(order)
        for done, case in enumerate(order, 1):
            if sys.stderr.isatty():
                progress = f"\r  round {number + 1}/{rounds}: {done}/{len(order)}"
                print(progress, end="", file=sys.stderr, flush=True)
            wall, cpu, peak = run_case(case, runner, env, folder)
            case.times.append(wall)
            case.cpu.append(cpu)
            case.peak.append(peak)
    runner.close()
    if sys.stderr.isatty():
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr, flush=True)


def per_entry_costs(cases: list[Case], sizes: Sequence[int]) -> dict[tuple[str, str], list[float]]:
    """(command, mode) -> ms per entry beyond the smallest catalogue, at each larger size."""
    found: dict[tuple[str, str], dict[int, float]] = {}
    for case in cases:
        if case.size:
            found.setdefault((case.command, case.mode), {})[case.size] = case.median
    costs = {}
    smallest = sizes[0]
    for key, medians in found.items():
        costs[key] = [
            1000 * (medians[size] - medians[smallest]) / (size - smallest) for size in sizes[1:]
        ]
    return costs


def report(cases: list[Case], files: dict[int, Path], sizes: Sequence[int]) -> bool:
    """Print every figure and the targets; True when every target is met."""
    floor = next(case for case in cases if case.size == 0)
    print(
        f"floor: python -c pass {1000 * floor.median:.1f} ms,"
        f" {statistics.median(floor.peak):.0f} MiB (median of {len(floor.times)})\n"
    )
    print(
        f"{'entries':>8}  {'file':>8}  {'command':<26} {'mode':<10} {'median':>8}"
        f"  {'x floor':>8}  {'CPU':>7}  {'peak':>8}  runs"
    )
    for size in sizes:
        mib = files[size].stat().st_size / 2**20
        for case in (c for c in cases if c.size == size):
            print(
                f"{size:>8,}  {mib:>5.1f}MiB  {case.command:<26} {case.mode:<10}"
                f" {case.median:>7.3f}s  {case.median / floor.median:>7.1f}x"
                f"  {statistics.median(case.cpu):>6.2f}s"
                f"  {statistics.median(case.peak):>5.0f}MiB  {len(case.times)}"
            )
    ok = True
    print(f"\nPer-entry cost (ms per framework beyond the {sizes[0]:,}-entry catalogue):")
    costs = per_entry_costs(cases, sizes)
    # A command whose time hardly moves from the smallest catalogue to the next
    # has a per-entry cost there that is noise; it is taken as at least this
    # much over the step, so that noise does not pass for a slope.
    least = NOISE_MS / (sizes[-2] - sizes[0])
    for (command, mode), steps in costs.items():
        if len(steps) < 2:
            continue
        below = steps[-2] < least
        growth = steps[-1] / max(steps[-2], least)
        verdict = "PASS" if growth <= MAX_GROWTH else "FAIL"
        if mode == "baseline":
            verdict = "(baseline)"
        else:
            ok &= growth <= MAX_GROWTH
        shown = "  ".join(
            f"{size:,}: {cost:.4f}" for size, cost in zip(sizes[1:], steps, strict=True)
        )
        print(
            f"  {command:<26} {mode:<10} {shown}   {sizes[-1]:,} vs {sizes[-2]:,}:"
            f" {growth:.2f}x  {verdict} (<= {MAX_GROWTH}x)"
            + (f"  ({sizes[-2]:,} within {NOISE_MS:g} ms of {sizes[0]:,})" if below else "")
        )
    largest = sizes[-1]
    print(f"\nTargets on {largest:,} frameworks:")
    by_key = {(c.command, c.mode, c.size): c for c in cases}
    for (command, mode), limit in TARGETS.items():
        case = by_key[command, mode, largest]
        peak = statistics.median(case.peak)
        good = case.median <= limit and peak <= MAX_CACHED_MIB
        ok &= good
        print(
            f"  {command:<26} {mode:<10} {case.median:.3f}s (<= {limit}s),"
            f" {peak:.0f} MiB (<= {MAX_CACHED_MIB:.0f} MiB)  {'PASS' if good else 'FAIL'}"
        )
    yaml_case = by_key.get(("PyYAML C loader alone", "baseline", largest))
    if yaml_case is not None:
        for case in cases:
            if case.size == largest and case.mode in ("no cache", "first run"):
                ratio = case.median / yaml_case.median
                ok &= ratio <= MAX_TO_YAML
                print(
                    f"  {case.command:<26} {case.mode:<10} {ratio:.2f}x PyYAML's C loader alone"
                    f" ({yaml_case.median:.2f}s) (<= {MAX_TO_YAML}x)"
                    f"  {'PASS' if ratio <= MAX_TO_YAML else 'FAIL'}"
                )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the cached commands (7)")
    parser.add_argument(
        "--uncached-runs", type=int, default=3, help="timed runs without a cache (3)"
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="catalogue sizes, comma-separated, smallest first (100,1000,10000)",
    )
    parser.add_argument("--cached-only", action="store_true", help="skip the uncached runs")
    parser.add_argument("--keep", metavar="DIR", help="generate the catalogues here and reuse them")
    parser.add_argument("--source", metavar="FILE", help="the catalogue to copy entries from")
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    if len(sizes) < 3 or args.runs < 1 or args.uncached_runs < 1:
        parser.error("give at least three sizes, and at least one run of each kind")

    from fwpick.catalog import bundled_catalog_path

    script = fwpick_script()
    check_interpreter(script)
    source = Path(args.source) if args.source else bundled_catalog_path()
    with tempfile.TemporaryDirectory(prefix="fwpick-scale-") as tmp:
        folder = Path(tmp)
        keep = Path(args.keep) if args.keep else folder
        keep.mkdir(parents=True, exist_ok=True)
        files = catalogues(source, sizes, keep)
        env = environment(folder / "cache")
        cases = plan(script, files, args.runs, args.uncached_runs, args.cached_only)
        print(describe_setup(script))
        print(
            f"{args.runs} runs cached, {args.uncached_runs} without a cache, interleaved;"
            f" catalogues generated from {source}\n"
        )
        measure(cases, env, folder)
        ok = report(cases, files, sizes)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
