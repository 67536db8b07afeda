"""A saved bench run applied to a catalogue (recommend --bench), without running anything."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from fwpick.catalog import load_catalog
from fwpick.catalog.bench_results import apply_bench_results, read_bench_results
from fwpick.errors import FwpickError
from fwpick.measure import results
from fwpick.measure.footprint import Footprint
from fwpick.measure.runner import FrameworkResult, ScenarioResult, Series, Settings
from fwpick.measure.wrk import SocketErrors, WrkResult

CATALOG = load_catalog()


def _series(rate: float) -> Series:
    trial = WrkResult(rate, int(rate * 5), 1.0, 2.0, SocketErrors(), 0)
    return Series((trial, trial, trial), "wrk -t1 -c32 -d5s --latency http://127.0.0.1:1/x")


def _measured(fw_id: str, plaintext: float, api: float | None) -> FrameworkResult:
    fw = CATALOG.get(fw_id)
    assert fw is not None
    scenarios = [ScenarioResult("plaintext", _series(1000 * plaintext), _series(1000))]
    if api is not None:
        scenarios.append(ScenarioResult("api", _series(1000 * api), _series(1000)))
    return FrameworkResult(
        id=fw.id,
        name=fw.name,
        version=str(fw.version.value),
        server_name="gunicorn",
        server_version="27.0.1",
        own_server=False,
        baseline="bare WSGI app on gunicorn 27.0.1",
        pins=(),
        here=False,
        scenarios=tuple(scenarios),
        footprint=Footprint((fw.pypi,), 1.0, 50.0, f"import {fw.pypi}"),
    )


def record(*measured: FrameworkResult) -> dict[str, Any]:
    """What fwpick bench --save writes, from the writer itself."""
    started = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    written = results.build_record(list(measured), Settings(), "wrk 4.1.0", True, started, 9.0, [])
    loaded: dict[str, Any] = json.loads(results.to_json(written))
    return loaded


def test_measured_frameworks_take_the_files_ratios_and_a_score_derived_from_them() -> None:
    cherrypy = CATALOG.get("cherrypy")
    assert cherrypy is not None and cherrypy.scores["performance"].value < 5

    applied = apply_bench_results(CATALOG, record(_measured("cherrypy", 2.0, 1.5)), "run.json")

    new = applied.catalog.get("cherrypy")
    assert new is not None and new.measured is not None
    assert applied.taken == ("cherrypy",)
    assert new.measured.plaintext_ratio is not None and new.measured.api_ratio is not None
    assert (new.measured.plaintext_ratio.value, new.measured.api_ratio.value) == (2.0, 1.5)
    assert "run.json" in new.measured.plaintext_ratio.source
    assert new.measured.plaintext_ratio.checked == date(2026, 12, 2)
    assert new.scores["performance"].value == 5
    assert new.scores["performance"].rationale.startswith("Measured by fwpick bench")
    # The footprint is the catalogue's still: only throughput comes from the file.
    assert new.measured.distributions == cherrypy.measured.distributions  # type: ignore[union-attr]


def test_frameworks_the_file_did_not_measure_keep_the_catalogues_figures() -> None:
    applied = apply_bench_results(CATALOG, record(_measured("cherrypy", 2.0, 1.5)), "run.json")

    for old, new in zip(CATALOG.frameworks, applied.catalog.frameworks, strict=True):
        if old.id != "cherrypy":
            assert new == old


def test_a_scenario_the_file_left_out_is_left_out_of_the_score() -> None:
    applied = apply_bench_results(CATALOG, record(_measured("flask", 0.25, None)), "run.json")

    flask = applied.catalog.get("flask")
    assert flask is not None and flask.measured is not None
    assert flask.measured.api_ratio is None
    assert flask.scores["performance"].value == 1  # from plaintext 0.25 alone


def test_the_notes_name_the_frameworks_taken_and_those_the_catalogue_lacks() -> None:
    data = record(_measured("flask", 1.0, 1.0), _measured("bottle", 1.0, 1.0))
    data["frameworks"][1]["id"] = "nosuchframework"

    applied = apply_bench_results(CATALOG, data, "here.json")

    assert applied.taken == ("flask",)
    assert applied.unknown == ("nosuchframework",)
    first, second = applied.notes()
    assert "here.json" in first and "Flask" in first and "Bottle" not in first
    assert "nosuchframework" in second


def test_a_footprint_only_run_has_no_throughput_to_rank_on() -> None:
    data = record(_measured("flask", 1.0, 1.0))
    data["frameworks"][0]["scenarios"] = {}

    with pytest.raises(FwpickError, match=r"run\.json: measures no throughput"):
        apply_bench_results(CATALOG, data, "run.json")


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("format",), 2, "format"),
        (("date",), "yesterday", "date"),
        (("frameworks",), {"flask": {}}, "frameworks"),
        (("frameworks", 0, "id"), 7, "frameworks[0].id"),
        (("frameworks", 0, "scenarios"), [], "frameworks[0].scenarios"),
        (
            ("frameworks", 0, "scenarios", "api", "ratio"),
            "fast",
            "frameworks[0].scenarios.api.ratio",
        ),
        (("frameworks", 0, "scenarios", "api", "ratio"), 0, "frameworks[0].scenarios.api.ratio"),
        (("frameworks", 0, "scenarios", "api", "ratio"), True, "frameworks[0].scenarios.api.ratio"),
        (
            ("frameworks", 0, "scenarios", "api", "ratio"),
            float("nan"),
            "frameworks[0].scenarios.api.ratio",
        ),
        (
            ("frameworks", 0, "scenarios", "plaintext"),
            None,
            "frameworks[0].scenarios.plaintext.ratio",
        ),
    ],
)
def test_a_bad_record_is_an_error_naming_the_file_and_the_field(
    path: tuple[Any, ...], value: Any, field: str
) -> None:
    data = _set(record(_measured("flask", 1.0, 1.0)), path, value)

    with pytest.raises(FwpickError) as caught:
        apply_bench_results(CATALOG, data, "run.json")

    message = str(caught.value)
    assert message.startswith("run.json: ")
    assert f"field {field!r}" in message


def test_a_framework_measured_twice_is_refused() -> None:
    data = record(_measured("flask", 1.0, 1.0), _measured("flask", 0.5, 0.5))

    with pytest.raises(
        FwpickError, match=r"field 'frameworks\[1\]\.id': 'flask' is measured twice"
    ):
        apply_bench_results(CATALOG, data, "run.json")


def test_something_other_than_a_bench_record_is_refused() -> None:
    for other in ([], "text", {"schema_version": 2}):
        with pytest.raises(FwpickError, match=r"run\.json: field 'format'"):
            apply_bench_results(CATALOG, other, "run.json")


def test_reading_a_file_that_is_not_json_names_it_and_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "run.json"
    bad.write_text('{\n  "format": 1,\n  oops\n}\n', encoding="utf-8")

    with pytest.raises(FwpickError, match=r"run\.json:3: not JSON"):
        read_bench_results(bad)


def test_reading_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(FwpickError, match=r"gone\.json"):
        read_bench_results(tmp_path / "gone.json")


def test_a_saved_file_reads_back_as_the_record_written(tmp_path: Path) -> None:
    data = record(_measured("flask", 1.0, 0.5))
    saved = tmp_path / "run.json"
    results.save(saved, results.to_json(data), force=False)

    assert read_bench_results(saved) == data
