"""Write the figures of saved ``fwpick bench`` runs into the catalogue as sourced facts.

    python scripts/update_measurements.py RESULTS.json [RESULTS.json ...]

For every framework measured, the catalogue gets a ``measured:`` block: each
throughput ratio is the median over the runs given (each run's ratio is
already paired with a bare app measured in the same run), with every run's
figure in the detail; the footprint is the latest run's count and size and
the median import time.  The top-level ``measurements:`` block says how, when
and on what.  The catalogue is edited as text, so comments and layout stay.

Nothing is written when the latest run is dated after the catalogue's
``checked:`` date (a fact may not be newer than its catalogue; re-check the
catalogue first), or when a framework of the latest run is missing from one
of the others.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "data" / "frameworks.yaml"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _fact(name: str, value: object, source: str, checked: str, detail: str) -> list[str]:
    lines = [f"      {name}:", f"        value: {value}", f"        source: {_quote(source)}"]
    lines += [f"        checked: {checked}", f"        detail: {_quote(detail)}"]
    return lines


def measured_block(fw_id: str, runs: list[dict], files: list[str]) -> list[str]:
    entries = [next(f for f in run["frameworks"] if f["id"] == fw_id) for run in runs]
    day = runs[-1]["date"][:10]
    trials = runs[-1]["settings"]["trials"]
    source = f"fwpick bench, {len(runs)} runs ({', '.join(files)})"
    lines = ["    measured:"]
    for scenario in ("plaintext", "api"):
        ratios = [e["scenarios"][scenario]["ratio"] for e in entries if scenario in e["scenarios"]]
        if not ratios:
            continue
        median = statistics.median(ratios)
        baseline = entries[-1]["baseline"]
        detail = (
            f"median of {len(ratios)} runs ({', '.join(f'{r:.2f}' for r in ratios)}), each the"
            f" median of {trials} trials over a {baseline} measured in the same run"
        )
        lines += _fact(f"{scenario}_ratio", round(median, 2), source, day, detail)
    footprint = entries[-1]["footprint"]
    imports = [e["footprint"]["import_ms"] for e in entries]
    lines += _fact(
        "distributions",
        footprint["distributions"],
        source,
        day,
        "installed in a fresh venv, the framework itself included: "
        + ", ".join(footprint["distribution_names"]),
    )
    lines += _fact(
        "installed_mb", footprint["installed_mb"], source, day, "the distributions' files on disk"
    )
    lines += _fact(
        "import_ms",
        round(statistics.median(imports), 1),
        source,
        day,
        f"cold import of `{footprint['import_code']}` less `python -c pass`, median over"
        f" {len(imports)} runs ({', '.join(f'{m:.0f}' for m in imports)} ms)",
    )
    return lines


def _shown(path: Path) -> str:
    """The results file as the catalogue names it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def _refusal(text: str, runs: list[dict], files: list[str], ids: set[str]) -> str:
    """Why the runs cannot go into the catalogue as they are, or ""."""
    checked = re.search(r"^checked: ([0-9-]+)$", text, re.M)
    day = runs[-1]["date"][:10]
    if checked and day > checked[1]:
        return (
            f"the latest run is of {day}, after the catalogue's checked date {checked[1]};"
            " re-check the catalogue (scripts/refresh_catalog.py), set its checked: date"
            f" to {day} or later, then run this again"
        )
    for run, name in zip(runs, files, strict=True):
        missing = sorted(ids - {f["id"] for f in run["frameworks"]})
        if missing:
            return f"{name} has no figures for {', '.join(missing)}, which the latest run has"
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path)
    args = parser.parse_args()
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in args.results]
    files = [_shown(path) for path in args.results]
    text = CATALOG.read_text(encoding="utf-8")
    lines = text.split("\n")
    measured_ids = {f["id"] for f in runs[-1]["frameworks"]}
    problem = _refusal(text, runs, files, measured_ids)
    if problem:
        print(f"update_measurements: {problem}; nothing written", file=sys.stderr)
        return 1
    out: list[str] = []
    current = None
    skipping = False
    for line in lines:
        match = re.match(r"^  - id: (\S+)$", line)
        if match:
            current = match[1]
        if re.match(r"^[a-z]", line):  # a top-level key: frameworks ended
            current = None
        if skipping:
            if re.match(r"^    \S", line) or not line.startswith("    "):
                skipping = False
            else:
                continue
        if current in measured_ids and line == "    measured:":
            skipping = True
            continue
        if current in measured_ids and line == "    scores:":
            out += measured_block(current, runs, files)
        out.append(line)
    text = "\n".join(out)
    text = re.sub(r"\nmeasurements:\n(?:  .*\n)+", "\n", text)
    last = runs[-1]
    machine = (
        f"{last['cpu_model']}, {last['cpu_count']} CPUs (server pinned to one, wrk to the"
        f" other); Python {last['python']}; {last['wrk_version']}"
    )
    command = "fwpick bench --save FILE (default settings: 5 s, 32 connections, 3 trials)"
    block = (
        "measurements:\n"
        f"  command: {_quote(command)}\n"
        f"  date: {last['date'][:10]}\n"
        f"  machine: {_quote(machine)}\n"
        f"  results: {_quote(', '.join(files))}\n"
    )
    text = re.sub(r"(\nchecked: [0-9-]+\n)", r"\1" + block.replace("\\", "\\\\"), text, count=1)
    CATALOG.write_text(text, encoding="utf-8")
    print(f"wrote measurements for {len(measured_ids)} frameworks into {CATALOG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
