"""A saved ``fwpick bench`` run applied to a catalogue: throughput measured here, not there.

``fwpick bench --save FILE`` writes a record of what it measured (see
``fwpick.measure.results``).  :func:`apply_bench_results` gives a catalogue in
which every framework the record measured has the record's throughput ratios,
and the performance score derived from them, in place of the catalogue's own;
the others keep theirs.  Only throughput is taken: it is what a run on this
machine can change, where a footprint is the same everywhere.

:func:`read_bench_results` reads the file; the rest is pure.  A record that
is not what ``fwpick bench`` writes is an error naming the file and the field.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from fwpick.catalog import model
from fwpick.catalog.throughput import performance_score
from fwpick.errors import FwpickError, Problem

# The ``format`` of the records this reader understands; fwpick bench writes it.
FORMAT = 1
SCENARIOS = ("plaintext", "api")


class BenchApplied(NamedTuple):
    """A catalogue with a bench record's throughput in it, and what was taken from the record."""

    catalog: model.Catalog
    taken: tuple[str, ...]  # ids of the frameworks whose throughput is the record's
    unknown: tuple[str, ...]  # ids the record measured that the catalogue has not
    origin: str  # the file the record was read from

    def notes(self) -> tuple[str, ...]:
        """What a user should be told: whose figures were replaced, and what was left unused."""
        from fwpick.text import and_list

        names = [fw.name for fw in self.catalog.frameworks if fw.id in self.taken]
        if names:
            said = [
                f"throughput from {self.origin} for {and_list(names)};"
                " the other frameworks keep the catalogue's figures"
            ]
        else:
            said = [f"{self.origin} measured none of the catalogue's frameworks"]
        if self.unknown:
            said.append(
                f"{self.origin} also measured {and_list(self.unknown)},"
                " which the catalogue does not list"
            )
        return tuple(said)


def read_bench_results(path: str | Path) -> Any:
    """The JSON value of a file, or an error naming the file (and the line, for bad JSON)."""
    from fwpick.files import read_regular_file
    from fwpick.textfile import decode

    file = Path(path)
    text = decode(read_regular_file(file, FwpickError), str(file), FwpickError)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FwpickError(
            f"{file}:{exc.lineno}: not JSON ({exc.msg}); expected a file written by"
            " fwpick bench --save"
        ) from None


def apply_bench_results(catalog: model.Catalog, record: Any, origin: str) -> BenchApplied:
    """``catalog`` with the throughput of the bench ``record`` read from the file ``origin``.

    A framework the record measured gets the record's ratios only (a scenario
    the record left out is left out of its score too), each sourced to
    ``origin``, and its performance score derived again from them.
    """
    measured = _read_record(record, origin)
    if not measured.ratios:
        raise FwpickError(
            f"{origin}: measures no throughput (no ratio in any framework's scenarios;"
            " a --footprint-only run?)"
        )
    known = {fw.id for fw in catalog.frameworks}
    frameworks = []
    taken = []
    for fw in catalog.frameworks:
        ratios = measured.ratios.get(fw.id)
        if ratios is None:
            frameworks.append(fw)
            continue
        frameworks.append(_with_ratios(fw, ratios, measured, origin))
        taken.append(fw.id)
    unknown = tuple(i for i in measured.ratios if i not in known)
    return BenchApplied(
        catalog._replace(frameworks=tuple(frameworks)), tuple(taken), unknown, origin
    )


class _Record(NamedTuple):
    day: date
    machine: str
    ratios: dict[str, dict[str, float]]  # framework id -> scenario -> ratio
    baselines: dict[str, str]  # framework id -> what its baseline was


def _with_ratios(
    fw: model.Framework, ratios: dict[str, float], record: _Record, origin: str
) -> model.Framework:
    source = f"fwpick bench --save {origin} ({record.machine})"
    detail = f"median of the trials over a {record.baselines[fw.id]} measured in the same run"
    facts = {
        f"{name}_ratio": model.Fact(ratios[name], source, record.day, detail)
        if name in ratios
        else None
        for name in SCENARIOS
    }
    base = fw.measured if fw.measured is not None else model.Measured()
    measured = base._replace(**facts, origin=origin)
    score = performance_score(measured)
    assert score is not None  # the record gave at least one positive ratio
    return fw._replace(measured=measured, scores={**fw.scores, "performance": score})


def _fail(origin: str, field: str, message: str, framework: str | None = None) -> FwpickError:
    return FwpickError(str(Problem(origin, message, framework=framework, field=field)))


def _read_record(record: Any, origin: str) -> _Record:
    from fwpick.catalog.fields import describe_value

    if not isinstance(record, dict) or record.get("format") != FORMAT:
        got = record.get("format") if isinstance(record, dict) else record
        found = describe_value(got)
        raise _fail(
            origin,
            "format",
            f"expected {FORMAT} (a file written by fwpick bench --save), found {found}",
        )
    day_text = record.get("date")
    try:
        day = date.fromisoformat(str(day_text)[:10])
    except ValueError:
        raise _fail(origin, "date", f"expected a date, found {describe_value(day_text)}") from None
    machine = ", ".join(
        str(record[key]) for key in ("cpu_model", "python") if isinstance(record.get(key), str)
    )
    machine = f"{day.isoformat()}, {machine}" if machine else day.isoformat()
    entries = record.get("frameworks")
    if not isinstance(entries, list):
        raise _fail(origin, "frameworks", f"expected a list, found {describe_value(entries)}")
    ratios: dict[str, dict[str, float]] = {}
    baselines: dict[str, str] = {}
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        field = f"frameworks[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise _fail(origin, f"{field}.id", "expected each framework to have a text id")
        ident = entry["id"]
        if ident in seen:
            raise _fail(origin, f"{field}.id", f"{ident!r} is measured twice")
        seen.add(ident)
        scenarios = entry.get("scenarios")
        if not isinstance(scenarios, dict):
            found = describe_value(scenarios)
            raise _fail(origin, f"{field}.scenarios", f"expected a mapping, found {found}", ident)
        found_ratios = {}
        for name in SCENARIOS:
            if name not in scenarios:
                continue
            value = scenarios[name].get("ratio") if isinstance(scenarios[name], dict) else None
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value <= 0
            ):
                raise _fail(
                    origin,
                    f"{field}.scenarios.{name}.ratio",
                    f"expected a positive number, found {describe_value(value)}",
                    ident,
                )
            found_ratios[name] = float(value)
        if found_ratios:
            ratios[ident] = found_ratios
            baseline = entry.get("baseline")
            baselines[ident] = baseline if isinstance(baseline, str) else "bare app"
    return _Record(day, machine, ratios, baselines)
