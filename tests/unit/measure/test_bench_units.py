"""The measuring core without measuring: wrk's output, the score, environments, the record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fwpick.catalog import load_catalog
from fwpick.catalog.throughput import combined_ratio
from fwpick.catalog.throughput import score_for as performance_score
from fwpick.errors import FwpickError
from fwpick.measure import environments, results, runner, scenarios, servers
from fwpick.measure.footprint import Footprint, starter_imports
from fwpick.measure.runner import FrameworkResult, ScenarioResult, Series, Settings
from fwpick.measure.wrk import WRK_MISSING, SocketErrors, parse_wrk, post_script, wrk_command

REPO = Path(__file__).resolve().parents[3]
# Real reports of wrk 4.1.0, captured on the machine the bench was built on.
SAMPLES = Path(__file__).parent / "wrk_output"
CATALOG = load_catalog()


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


# --- wrk's report ---


def test_a_clean_wrk_report_gives_rate_percentiles_and_no_errors() -> None:
    result = parse_wrk(sample("plaintext-normal.txt"))

    assert result.requests_per_second == 2787.87
    assert result.requests == 5585
    assert result.latency_p50_ms == 10.62
    assert result.latency_p99_ms == 19.12
    assert result.errors == SocketErrors(0, 0, 0, 0)
    assert result.non_2xx == 0


def test_socket_errors_and_non_2xx_answers_are_read_and_microseconds_become_ms() -> None:
    result = parse_wrk(sample("socket-errors-and-non2xx.txt"))

    assert result.errors == SocketErrors(connect=0, read=2711, write=0, timeout=0)
    assert result.errors.total == 2711
    assert result.non_2xx == 5421
    assert result.latency_p50_ms == pytest.approx(0.344)
    assert result.latency_p99_ms == 199.9


def test_non_2xx_answers_without_socket_errors_are_counted() -> None:
    result = parse_wrk(sample("non2xx.txt"))

    assert result.non_2xx == result.requests == 3617
    assert result.errors.total == 0


def test_a_report_without_a_rate_is_an_error_that_shows_what_wrk_said() -> None:
    with pytest.raises(FwpickError, match="unable to connect"):
        parse_wrk("unable to connect to 127.0.0.1:8123 Connection refused\n")


def test_the_wrk_command_uses_one_thread_latency_and_the_post_script() -> None:
    api = scenarios.SCENARIOS["api"]

    command = wrk_command("wrk", 8123, api, 5, 32, Path("/tmp/api.lua"))

    assert command == [
        "wrk", "-t1", "-c32", "-d5s", "--latency", "-s", "/tmp/api.lua",
        "http://127.0.0.1:8123/api/users/42?q=fwpick",
    ]  # fmt: skip


def test_the_post_script_sends_the_json_body_with_its_content_type() -> None:
    script = post_script(scenarios.SCENARIOS["api"])

    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = [[{"name": "bench"}]]' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script


def test_without_wrk_on_path_bench_says_how_to_install_it_in_one_line(
    run_fwpick: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()

    done = run_fwpick("bench", "flask", "--here", env={"PATH": str(empty)})

    assert done.returncode == 1
    assert done.stderr == f"fwpick: error: {WRK_MISSING}\n"
    assert "apt-get install wrk" in done.stderr and "brew install wrk" in done.stderr
    assert done.stdout == ""


# --- the derived score ---


@pytest.mark.parametrize(
    ("ratios", "score"),
    [
        ((1.0, 1.0), 5),
        ((0.9, 0.9), 5),
        ((2.0, 3.0), 5),
        ((0.89, 0.89), 4),
        ((0.7, 0.7), 4),
        ((0.6, 0.6), 3),
        ((0.5, 0.5), 3),
        ((0.4, 0.4), 2),
        ((0.3, 0.3), 2),
        ((0.29, 0.29), 1),
        ((0.05,), 1),
    ],
)
def test_the_score_follows_the_fixed_thresholds(ratios: tuple[float, ...], score: int) -> None:
    assert performance_score(ratios) == score


def test_the_score_combines_scenarios_by_their_geometric_mean() -> None:
    # Twice as slow in one scenario, as fast in the other: 0.707, not 0.75.
    assert combined_ratio([0.5, 1.0]) == pytest.approx(0.5**0.5)
    assert performance_score([0.5, 1.0]) == 4
    assert performance_score([0.25, 1.0]) == 3


def test_a_zero_or_missing_ratio_has_no_score() -> None:
    with pytest.raises(ValueError):
        performance_score([0.0, 1.0])
    with pytest.raises(ValueError):
        performance_score([])


# --- what each framework runs on, and with what ---


# Catalogued since the last full bench run: fwpick bench measures them (each
# has a server and an app), and their entries get measured figures from the
# next full run (scripts/update_measurements.py).  Empty this set then: the
# catalogue and this list must agree.
NOT_YET_MEASURED: set[str] = set()


def test_every_catalogued_framework_has_a_server_and_a_benchmark_app() -> None:
    for fw in CATALOG.frameworks:
        kind = servers.server_for(fw.id)
        assert kind.baseline in ("baseline_asgi", "baseline_wsgi", "baseline_rsgi"), fw.id
        assert "Hello, World!" in scenarios.app_source(fw.id), fw.id
        assert "Hello, World!" in scenarios.app_source(kind.baseline)


def test_the_bench_knows_no_framework_the_catalogue_does_not_list() -> None:
    assert set(servers.SERVERS) == {fw.id for fw in CATALOG.frameworks}


def test_exactly_the_frameworks_not_yet_measured_have_no_measurements() -> None:
    unmeasured = {fw.id for fw in CATALOG.frameworks if fw.measured is None}
    assert unmeasured == NOT_YET_MEASURED


def test_every_server_the_bench_starts_that_the_catalogue_lists_is_its_catalogued_release() -> None:
    catalogued = {server.id: server for server in CATALOG.servers}
    started = {kind.name for kind in servers.KINDS.values() if kind.pypi}
    checked = 0
    for kind in servers.KINDS.values():
        server = catalogued.get(kind.name)
        if server is None:
            continue
        assert kind.pypi == server.pypi, kind.name
        assert kind.version == server.version.value, kind.name
        assert kind.interface in server.facts["serves"].value, kind.name
        checked += 1
    # Palfrey (Ravyn's own server) is the one the catalogue has no entry for.
    assert started - set(catalogued) == {"palfrey"}
    assert checked == len(started) - 1


def test_each_framework_is_served_through_an_interface_its_entry_lists() -> None:
    for fw in CATALOG.frameworks:
        kind = servers.server_for(fw.id)
        interfaces = fw.facts.interface.value
        if kind.interface == "rsgi":
            # Not in the catalogue's vocabulary of interfaces; the entry says it in words.
            assert "RSGI" in fw.facts.interface.detail, fw.id
        else:
            assert kind.interface in interfaces, (fw.id, kind.interface, interfaces)


def test_the_verify_extra_pins_every_server_the_bench_installs() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pins = set(project["project"]["optional-dependencies"]["verify"])
    for kind in servers.KINDS.values():
        if kind.pypi:
            # --here measures this interpreter, which the verify extra installs.
            assert f"{kind.pypi}=={kind.version}" in pins, kind.name


def test_an_unknown_framework_has_no_server_and_the_error_says_where_to_add_it() -> None:
    with pytest.raises(FwpickError, match=r"SERVERS in fwpick/measure/servers\.py"):
        servers.server_for("nosuchframework")


def test_own_server_frameworks_are_compared_with_the_bare_asgi_app_on_uvicorn() -> None:
    for fw_id in ("aiohttp", "tornado", "sanic", "microdot", "robyn"):
        kind = servers.server_for(fw_id)
        assert kind.pypi == ""
        assert (kind.baseline, kind.baseline_server) == ("baseline_asgi", "uvicorn")


@pytest.mark.parametrize(
    ("specifier", "version", "admitted"),
    [
        (">=3.12", (3, 11, 7), False),
        (">=3.12", (3, 12, 0), True),
        ("<4.0,>=3.8", (3, 11, 7), True),
        ("", (3, 11, 7), True),
        (">=3.10", (3, 9, 18), False),
    ],
)
def test_python_requirements_are_read_without_packaging(
    specifier: str, version: tuple[int, ...], admitted: bool
) -> None:
    assert environments.python_admits(specifier, version) is admitted


def test_older_pythons_get_the_release_line_the_catalogue_lists_for_them() -> None:
    django, quart = CATALOG.get("django"), CATALOG.get("quart")
    assert django is not None and quart is not None

    assert environments.pinned_release(django, (3, 11, 7)) == "5.2.19"
    assert environments.pinned_release(django, (3, 12, 1)) == "6.1.3"
    assert environments.pinned_release(quart, (3, 12, 1)) == "0.22.0"
    assert environments.pinned_release(quart, (3, 13, 0)) == "0.23.1"


def test_a_venv_holds_the_framework_its_server_and_the_baselines_server() -> None:
    flask, sanic, fastapi = (CATALOG.get(n) for n in ("flask", "sanic", "fastapi"))
    assert flask is not None and sanic is not None and fastapi is not None

    assert environments.pins(flask, (3, 11, 7)) == ("flask==3.1.3", "gunicorn==27.0.1")
    assert environments.pins(sanic, (3, 11, 7)) == ("sanic==25.12.1", "uvicorn==0.54.0")
    assert environments.pins(fastapi, (3, 11, 7)) == ("fastapi==0.165.0", "uvicorn==0.54.0")


def test_emmett_and_ravyn_are_compared_with_a_bare_app_on_their_own_server() -> None:
    emmett, ravyn = CATALOG.get("emmett"), CATALOG.get("ravyn")
    assert emmett is not None and ravyn is not None

    assert environments.pins(emmett, (3, 11, 7)) == ("emmett==2.8.2", "granian==2.8.9")
    assert environments.pins(ravyn, (3, 11, 7)) == ("ravyn==0.4.3", "palfrey==0.2.0")
    assert runner.baseline_label(servers.server_for("emmett")) == "bare RSGI app on granian 2.8.9"
    assert runner.baseline_label(servers.server_for("ravyn")) == "bare ASGI app on palfrey 0.2.0"


def test_the_venv_folder_is_named_after_the_framework_and_a_digest_of_its_pins() -> None:
    flask = CATALOG.get("flask")
    assert flask is not None

    one = environments.venv_folder(flask, ("flask==3.1.3", "gunicorn==27.0.1"))
    other = environments.venv_folder(flask, ("flask==3.1.2", "gunicorn==27.0.1"))

    assert one.parent.name == "bench" and one.parent.parent.name == "fwpick"
    assert one.name.startswith("flask-") and one != other


def test_the_footprint_times_the_starters_own_imports_not_the_standard_library() -> None:
    django = CATALOG.get("django")
    assert django is not None

    code = starter_imports(django)

    assert "from django.conf import settings" in code
    assert "import os" not in code and "contextlib" not in code


def _fake_distribution(site: Path, name: str, *requires: str) -> None:
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("packaging", [True, False], ids=["packaging", "no-packaging"])
def test_the_footprint_follows_the_extras_a_requirement_asks_for(
    tmp_path: Path, packaging: bool
) -> None:
    from fwpick.measure.footprint import _CLOSURE

    # As Emmett requires emmett-core[granian], whose granian is an extra's requirement.
    _fake_distribution(
        tmp_path,
        "fwpick-fake-app",
        "fwpick-fake-core[server]>=1",
        "fwpick-fake-docs; extra == 'docs'",
    )
    _fake_distribution(
        tmp_path,
        "fwpick-fake-core",
        "fwpick-fake-server; extra == 'server'",
        "fwpick-fake-cli; extra == 'cli'",
    )
    for name in ("fwpick-fake-server", "fwpick-fake-cli", "fwpick-fake-docs"):
        _fake_distribution(tmp_path, name)
    # Without pip's packaging the closure reads requirements by itself.
    hide = (
        ""
        if packaging
        else "import sys; sys.modules['pip._vendor.packaging.requirements'] = None\n"
    )

    done = subprocess.run(
        [sys.executable, "-c", hide + _CLOSURE, "fwpick-fake-app"],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )

    closure = json.loads(done.stdout)["distributions"]
    assert [n for n in closure if n.startswith("fwpick-fake-")] == [
        "fwpick-fake-app", "fwpick-fake-core", "fwpick-fake-server",
    ]  # fmt: skip


# --- the expected answers ---


def test_plain_text_must_match_byte_for_byte() -> None:
    plain = scenarios.SCENARIOS["plaintext"]

    assert scenarios.body_matches(plain, b"Hello, World!")
    assert not scenarios.body_matches(plain, b"Hello, World!\n")


def test_a_json_answer_may_order_its_keys_freely_but_not_change_types() -> None:
    api = scenarios.SCENARIOS["api"]

    assert scenarios.body_matches(api, b'{"name":"bench","id":42,"q":"fwpick"}')
    assert not scenarios.body_matches(api, b'{"name":"bench","id":"42","q":"fwpick"}')
    assert not scenarios.body_matches(api, b'{"name":"bench","id":42.0,"q":"fwpick"}')
    assert not scenarios.body_matches(api, b"not json")


# --- the record ---


def _result() -> FrameworkResult:
    trial = parse_wrk(sample("plaintext-normal.txt"))
    series = Series((trial, trial, trial), "wrk -t1 -c32 -d5s --latency http://127.0.0.1:1/x")
    return FrameworkResult(
        id="flask",
        name="Flask",
        version="3.1.3",
        server_name="gunicorn",
        server_version="27.0.1",
        own_server=False,
        baseline="bare WSGI app on gunicorn 27.0.1",
        pins=("flask==3.1.3", "gunicorn==27.0.1"),
        here=True,
        scenarios=(ScenarioResult("plaintext", series, series),),
        footprint=Footprint(("flask", "werkzeug"), 5.0, 80.0, "from flask import Flask"),
    )


def test_the_json_record_holds_the_machine_the_settings_and_each_scenarios_figures() -> None:
    started = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)

    record = results.build_record([_result()], Settings(), "wrk 4.1.0", True, started, 60.0, [])

    assert {
        "fwpick_version", "date", "python", "cpu_model", "cpu_count", "wrk_version", "frameworks",
    } <= set(record)  # fmt: skip
    framework = record["frameworks"][0]
    assert framework["version"] == "3.1.3"
    assert framework["server"] == {"name": "gunicorn", "version": "27.0.1", "own": False}
    plaintext = framework["scenarios"]["plaintext"]
    assert set(plaintext) >= {
        "requests_per_second", "spread", "latency_p50_ms", "latency_p99_ms", "socket_errors",
        "non_2xx", "baseline_requests_per_second", "ratio", "wrk_command",
    }  # fmt: skip
    assert plaintext["ratio"] == 1.0 and plaintext["spread"] == 0.0
    assert framework["footprint"]["distributions"] == 2
    assert json.loads(results.to_json(record)) == record


def test_save_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "run.json"
    target.write_text("old", encoding="utf-8")

    with pytest.raises(FwpickError, match="--force"):
        results.save(target, "new", force=False)
    assert target.read_text(encoding="utf-8") == "old"

    results.save(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_bench_checks_the_save_file_before_measuring_anything(
    run_fwpick: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    (tmp_path / "taken.json").write_text("{}", encoding="utf-8")

    done = run_fwpick("bench", "flask", "--here", "--save", "taken.json")

    assert done.returncode == 1
    assert "taken.json exists; add --force to replace it" in done.stderr


def test_here_refuses_an_interpreter_without_the_catalogued_release(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib import metadata

    flask = CATALOG.get("flask")
    assert flask is not None
    monkeypatch.setattr(metadata, "version", lambda name: "3.0.0")

    with pytest.raises(FwpickError, match=r"it has flask 3\.0\.0; .* flask==3\.1\.3"):
        environments.here(flask)


def test_the_results_table_and_chart_show_each_ratio_and_name_the_baseline() -> None:
    import io

    from rich.console import Console

    from fwpick.output.bench_views import results_view

    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(results_view([_result()]))
    text = out.getvalue()

    assert "Flask 3.1.3" in text and "gunicorn 27.0.1" in text
    assert "2,788" in text and "1.00" in text
    assert "bare WSGI app on gunicorn 27.0.1" in text
    assert "flask plaintext" in text and "█" in text
    assert "from flask import Flask" in text
