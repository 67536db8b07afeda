"""``fwpick review`` through the installed console script: records written by --report, re-checked.

Each record is written with the bundled catalogue and reviewed against a copy
of it, edited here the way a catalogue refresh would change it.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import BUNDLED_CATALOG

Run = Callable[..., subprocess.CompletedProcess[str]]

# Flask leads clearly for a small site where a track record matters (9.50 of
# 12, 0.75 ahead of Bottle), and CherryPy for a threaded built-in server.
FLASK_ANSWERS = ("--kind", "website", "--core", "small", "--maturity", "high")
CHERRYPY_ANSWERS = ("--async", "no", "--server", "required", "--docs", "low", "--maturity", "low")
BUNDLED = BUNDLED_CATALOG.read_text(encoding="utf-8")


def _write_record(run_fwpick: Run, path: Path, answers: tuple[str, ...]) -> Path:
    done = run_fwpick(
        "recommend", *answers, "--defaults", "--python", "3.11", "--report", str(path)
    )
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def flask_record(run_fwpick: Run, tmp_path: Path) -> Path:
    return _write_record(run_fwpick, tmp_path / "0001-web-framework.md", FLASK_ANSWERS)


def _entry(text: str, framework: str) -> tuple[int, int]:
    """Where a framework's entry starts and ends in the catalogue text."""
    start = text.index(f"\n  - id: {framework}\n") + 1
    following = re.compile(r"^  - id: |^[a-z_]+:", re.M)
    found = following.search(text, text.index("\n", start) + 1)
    assert found is not None
    return start, found.start()


def _catalog_copy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "frameworks.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def test_a_leader_whose_last_release_is_now_over_a_year_old_is_named_and_exits_1(
    run_fwpick: Run, flask_record: Path, tmp_path: Path
) -> None:
    checked = date.fromisoformat(re.search(r"^checked: (\S+)", BUNDLED, re.M)[1])  # type: ignore[index]
    start, end = _entry(BUNDLED, "flask")
    old = re.compile(r"(\n    released:\n      value: )\d{4}-\d\d-\d\d")
    assert old.search(BUNDLED, start, end)
    stale = _months_before(checked, 13).isoformat()
    edited = BUNDLED[:start] + old.sub(rf"\g<1>{stale}", BUNDLED[start:end], 1) + BUNDLED[end:]

    done = run_fwpick(
        "review", str(flask_record), "--catalog", str(_catalog_copy(tmp_path, edited))
    )

    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert f"{flask_record}: the decision no longer stands" in out
    # Flask loses its lead: to another framework, or into a near-tie.
    assert "the leader changed:" in out or "the verdict became a near-tie between" in out
    assert re.search(r"\n    - Flask [^:]+: 9\.50 → [0-8]\.[0-9]+", out)
    assert "maturity: first release 2010 → first release 2010, none for 13 months" in out


def test_a_leader_removed_from_the_catalogue_is_named_and_exits_1(
    run_fwpick: Run, tmp_path: Path
) -> None:
    record = _write_record(run_fwpick, tmp_path / "0002.md", CHERRYPY_ANSWERS)
    start, end = _entry(BUNDLED, "cherrypy")
    without = _catalog_copy(tmp_path, BUNDLED[:start] + BUNDLED[end:])

    done = run_fwpick("review", str(record), "--catalog", str(without))

    assert done.returncode == 1, done.stderr
    assert "the recorded leader, CherryPy, is no longer in the catalogue" in done.stdout
    assert "CherryPy 18.10.0 is no longer in the catalogue (it was rank 1," in done.stdout


def test_the_same_catalogue_exits_0_and_says_the_decision_stands(
    run_fwpick: Run, flask_record: Path, tmp_path: Path
) -> None:
    copy = _catalog_copy(tmp_path, BUNDLED)

    bundled = run_fwpick("review", str(flask_record))
    same_bytes = run_fwpick("review", str(flask_record), "--catalog", str(copy))

    for done in (bundled, same_bytes):
        assert done.returncode == 0, done.stderr
        assert f"{flask_record}: the decision stands" in done.stdout
        assert "the same as the record's" in done.stdout
        assert "No framework's score, release or place changed." in done.stdout


def test_a_record_edited_by_hand_around_its_block_still_reviews(
    run_fwpick: Run, flask_record: Path
) -> None:
    text = flask_record.read_text(encoding="utf-8")
    text = text.replace("status: proposed", "status: accepted")
    text = text.replace(
        "## Decision Outcome\n",
        "## Decision Outcome\n\nAgreed at the design review. <!-- minutes in the wiki -->\n\n"
        "```\n<!-- fwpick:record quoted from another record\n-->\n```\n",
    )
    flask_record.write_text(text + "\n## Follow-up\n\nRevisit in a year.\n", encoding="utf-8")

    done = run_fwpick("review", str(flask_record))

    assert done.returncode == 0, done.stderr
    assert "the decision stands" in done.stdout


def test_a_damaged_block_is_an_error_naming_the_file_and_line_and_exits_2(
    run_fwpick: Run, flask_record: Path
) -> None:
    lines = flask_record.read_text(encoding="utf-8").splitlines(keepends=True)
    (index,) = [i for i, line in enumerate(lines) if line.startswith('"max_score": ')]
    lines[index] = '"max_score": twelve,\n'
    flask_record.write_text("".join(lines), encoding="utf-8")

    done = run_fwpick("review", str(flask_record))

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"fwpick: error: {flask_record}:{index + 1}: ")
    assert "damaged" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_file_without_a_block_is_an_error_naming_it_and_exits_2(
    run_fwpick: Run, tmp_path: Path
) -> None:
    notes = tmp_path / "0003-notes.md"
    notes.write_text("# Use PostgreSQL\n\nWritten by hand.\n", encoding="utf-8")

    done = run_fwpick("review", str(notes))

    assert done.returncode == 2
    assert done.stderr.startswith(f"fwpick: error: {notes}: no fwpick block")
    assert "Traceback" not in done.stderr


def test_several_records_exit_1_when_any_moved_and_each_is_reported(
    run_fwpick: Run, flask_record: Path, tmp_path: Path
) -> None:
    cherrypy = _write_record(run_fwpick, tmp_path / "0002.md", CHERRYPY_ANSWERS)
    start, end = _entry(BUNDLED, "cherrypy")
    without = _catalog_copy(tmp_path, BUNDLED[:start] + BUNDLED[end:])

    done = run_fwpick("review", str(flask_record), str(cherrypy), "--catalog", str(without))

    assert done.returncode == 1, done.stderr
    assert f"{flask_record}: the decision stands" in done.stdout
    assert f"{cherrypy}: the decision no longer stands" in done.stdout
    assert "2 records reviewed: 1 stand, 1 no longer stand." in done.stdout


def test_json_names_each_cause_and_markdown_the_same_changes(
    run_fwpick: Run, tmp_path: Path
) -> None:
    record = _write_record(run_fwpick, tmp_path / "0002.md", CHERRYPY_ANSWERS)
    start, end = _entry(BUNDLED, "cherrypy")
    without = str(_catalog_copy(tmp_path, BUNDLED[:start] + BUNDLED[end:]))

    as_json = run_fwpick("review", str(record), "--catalog", without, "--format", "json")
    as_markdown = run_fwpick("review", str(record), "--catalog", without, "--format", "markdown")

    assert (as_json.returncode, as_markdown.returncode) == (1, 1)
    data = json.loads(as_json.stdout)
    (found,) = data["records"]
    assert data["stands"] is found["stands"] is False
    assert found["recorded"]["leader"] == "cherrypy"
    assert found["findings"][0]["kind"] == "leader_gone"
    assert {"id": "cherrypy", "change": "gone"}.items() <= found["frameworks"][-1].items()
    assert "## `" in as_markdown.stdout and "### What moved" in as_markdown.stdout
    assert "* the recorded leader, CherryPy, is no longer in the catalogue" in as_markdown.stdout
