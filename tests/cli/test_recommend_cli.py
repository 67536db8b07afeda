"""``fwpick recommend`` without a terminal: flags, --answers, formats, --report."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import ESC, catalog_yaml, framework_yaml, replace_once
from typer.testing import Result

from fwpick.errors import FwpickError
from fwpick.recommend.quiz import QUESTIONS

ALL_DEFAULTS = ("--defaults",)


def _beta() -> str:
    text = framework_yaml("beta", notes="Beta is the async one.")
    text = replace_once(text, 'value: "no"\n', 'value: "yes"\n')
    text = replace_once(text, "value: true\n", "value: false\n")
    return replace_once(text, "value: development\n", "value: production\n")


@pytest.fixture
def catalog(write_catalog: Callable[..., Path]) -> Path:
    """alpha: no async, single file, development server; beta: async, production server.

    Default answers: alpha 4.0 (docs 1 + performance 1 + community 0.5 +
    maturity 1.5), beta 6.0 (the same plus 2 for async).
    """
    return write_catalog(catalog_yaml(framework_yaml("alpha"), _beta()))


@pytest.fixture
def recommend(cli: Callable[..., Result], catalog: Path) -> Callable[..., Result]:
    def run(*args: str, columns: int = 100) -> Result:
        # Async preferred unless the test says otherwise: it is what tells the two apart.
        preferred = () if "--async" in args or "--answers" in args else ("--async", "preferred")
        return cli("recommend", "--catalog", str(catalog), *preferred, *args, columns=columns)

    return run


def test_json_output_has_answers_an_explained_ranking_and_the_exclusions(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--async", "required", "--defaults", "--format", "json")

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["answers"]["async"] == "required"
    assert data["answers"]["docs"] == "medium"
    assert data["hard_constraints"] == ["async"]
    (beta,) = data["ranking"]
    assert (beta["rank"], beta["id"], beta["name"], beta["score"]) == (1, "beta", "Beta", 5.0)
    assert sum(item["points"] for item in beta["breakdown"]) == beta["score"]
    assert {item["criterion"] for item in beta["breakdown"]} == {q.id for q in QUESTIONS}
    (alpha,) = data["excluded"]
    assert alpha["id"] == "alpha"
    assert alpha["reason"] == "native async is required, but it has no async/await handlers"
    assert data["what_would_change"]["text"].endswith("Alpha would lead.")


def test_json_output_contains_no_terminal_codes(recommend: Callable[..., Result]) -> None:
    result = recommend("--defaults", "--format", "json")

    assert ESC not in result.stdout
    assert [e["id"] for e in json.loads(result.stdout)["ranking"]] == ["beta", "alpha"]


def test_without_a_terminal_unanswered_questions_exit_2_and_name_the_flags(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--async", "required", "--docs", "high")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "8 questions unanswered and no terminal to ask" in result.stderr
    assert "--single-file required|preferred|indifferent" in result.stderr
    assert "--defaults" in result.stderr
    assert "Traceback" not in result.output


def test_an_invalid_answer_is_refused_with_the_valid_ones(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--single-file", "maybe", "--defaults")

    assert result.exit_code == 2
    assert "--single-file: 'maybe' is not a valid answer" in result.stderr
    assert "required, preferred, indifferent" in result.stderr


def test_an_answers_file_answers_the_quiz_and_flags_win_over_it(
    recommend: Callable[..., Result], tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    lines = [f"{q.id}: {q.default}" for q in QUESTIONS if q.id != "async"]
    answers.write_text("async: required\n" + "\n".join(lines) + "\n", encoding="utf-8")

    from_file = recommend("--answers", str(answers), "--format", "json")
    overridden = recommend("--answers", str(answers), "--async", "indifferent", "--format", "json")

    assert from_file.exit_code == 0, from_file.output
    assert json.loads(from_file.stdout)["answers"]["async"] == "required"
    assert json.loads(overridden.stdout)["answers"]["async"] == "indifferent"


def test_a_bad_answers_file_exits_1_pointing_at_the_line(
    recommend: Callable[..., Result], tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("docs: high\nasync: sometimes\n", encoding="utf-8")

    result = recommend("--answers", str(answers), "--defaults")

    assert result.exit_code == 1
    assert f"{answers}:2: field 'async': 'sometimes' is not a valid answer" in result.stderr
    assert result.stdout == ""


def test_the_table_shows_scores_reasons_exclusions_and_what_would_change(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--async", "required", "--defaults", columns=120)

    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Ranking for your answers (1 of 2 frameworks)" in out
    assert "5.00 / 9" in out
    assert "async handlers: yes (+3 of 3)" in out
    assert "Beta is the async one." in out
    assert "Excluded by your hard constraints: Alpha native async is required" in out
    assert "Beta is the only framework that meets the hard constraints" in out
    assert (
        "What would change the answer: If you wrote plain sync code"
        " (--async no instead of required), Alpha would lead."
    ) in out
    assert "Same answers without the quiz: fwpick recommend --kind both" in out
    assert "--async required" in out


def test_markdown_output_is_a_table_ready_to_paste(recommend: Callable[..., Result]) -> None:
    result = recommend("--defaults", "--format", "markdown")

    assert result.exit_code == 0, result.output
    assert "| # | Framework | Score | Why (points) | Comparison notes |" in result.stdout
    assert "| 1 | Beta | 4.00 / 8 |" in result.stdout
    assert "**Beta leads with 4.00 of 8 possible, 2.00 ahead of Alpha.**" in result.stdout


def test_report_writes_a_madr_decision_record(
    recommend: Callable[..., Result], tmp_path: Path
) -> None:
    record = tmp_path / "0001-web-framework.md"

    result = recommend("--async", "required", "--defaults", "--report", str(record))

    assert result.exit_code == 0, result.output
    assert f"wrote the decision record to {record}" in result.stderr
    text = record.read_text(encoding="utf-8")
    assert text.startswith(f"---\nstatus: proposed\ndate: {date.today().isoformat()}\n---\n")
    assert "# Use Beta as our Python web framework" in text
    for heading in (
        "## Context and Problem Statement",
        "## Decision Drivers",
        "## Considered Options",
        "## Decision Outcome",
        "## Pros and Cons of the Options",
        "## More Information",
    ):
        assert f"\n{heading}\n" in text
    assert "**required** (weight 3) **(hard constraint)**" in text
    assert "* Alpha 1.0 (excluded: native async is required" in text
    assert 'Chosen option: "Beta"' in text
    assert "* Good, because it has native async/await handlers" in text
    assert "schema version 1, facts checked 2026-01-15" in text
    assert "`fwpick recommend --kind both --core either --must-have none --async required" in text


def test_report_never_overwrites_without_force(
    recommend: Callable[..., Result], tmp_path: Path
) -> None:
    record = tmp_path / "decision.md"
    record.write_text("our own notes\n", encoding="utf-8")

    refused = recommend("--defaults", "--report", str(record))

    assert refused.exit_code == 1
    assert "already exists; pass --force" in refused.stderr
    assert refused.stdout == ""
    assert record.read_text(encoding="utf-8") == "our own notes\n"

    forced = recommend("--defaults", "--report", str(record), "--force")

    assert forced.exit_code == 0, forced.output
    assert record.read_text(encoding="utf-8").startswith("---\nstatus: proposed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.yaml", "decision.md"]


def test_a_report_that_fails_midway_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fwpick import files as report

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report.os, "fsync", broken_fsync)
    target = tmp_path / "decision.md"

    with pytest.raises(FwpickError, match="cannot write the report \\(No space left on device\\)"):
        report.write_report(target, "# record\n", force=False)

    assert list(tmp_path.iterdir()) == []


def test_a_report_into_a_missing_directory_is_refused_before_anything_else(
    recommend: Callable[..., Result], tmp_path: Path
) -> None:
    result = recommend("--report", str(tmp_path / "docs" / "decisions" / "0001.md"))

    assert result.exit_code == 1
    assert "no such directory for the report" in result.stderr


def test_help_lists_every_question_flag_with_its_choices(cli: Callable[..., Result]) -> None:
    result = cli("recommend", "--help", columns=200)

    assert result.exit_code == 0
    words = " ".join(result.stdout.split())
    for question in QUESTIONS:
        # Short lists as the metavar; a long one (the must-have) in the help text.
        listed = f"One of: {', '.join(question.choices)}."
        assert question.usage() in words or listed in words, question.flag
    assert "--must-have FEATURE" in words
    assert "Example: fwpick recommend" in result.stdout


def test_each_question_flag_is_helped_by_the_question_the_quiz_asks_and_its_default(
    cli: Callable[..., Result],
) -> None:
    result = cli("recommend", "--help", columns=100)
    words = " ".join(result.stdout.split())

    for question in QUESTIONS:
        assert question.prompt in words, question.flag
        after = words.split(question.prompt, 1)[1]
        assert f"[default: {question.default}]" in after.split(" --", 1)[0], question.flag


def test_answer_values_complete_for_every_question_flag(cli: Callable[..., Result]) -> None:
    for question in QUESTIONS:
        first = question.choices[0]
        result = cli(
            env={
                "_FWPICK_COMPLETE": "complete_bash",
                "COMP_WORDS": f"fwpick recommend {question.flag} {first[:2].upper()}",
                "COMP_CWORD": "3",
            }
        )
        # Spelt as typed, so that the shell keeps it; fwpick reads any case.
        assert result.stdout.split() == [first[:2].upper() + first[2:]], question.flag


def test_catalogue_markup_and_escapes_are_shown_as_typed(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    evil = framework_yaml("evil", name="Evil[bold]X[/bold]", notes=f"[red]n[/red] {ESC}[2Jgone")
    path = write_catalog(catalog_yaml(evil, _beta()))

    for fmt in ("table", "markdown"):
        result = cli(
            "recommend", "--catalog", str(path), "--defaults", "--format", fmt, columns=200
        )

        assert result.exit_code == 0, result.output
        assert ESC not in result.stdout
        assert "Evil[bold]X[/bold]" in result.stdout
        assert "[red]n[/red] [2Jgone" in result.stdout


# --- near-ties, the catalogue in the re-run command, narrow terminals ---


def _gamma() -> str:
    """Like alpha, but with templating and weaker docs: 0.5 points ahead under the defaults."""
    text = framework_yaml("gamma", notes="Gamma has templates.")
    text = replace_once(text, 'value: ""\n', "value: Jinja2\n")
    return replace_once(text, "      docs:\n        value: 3\n", "      docs:\n        value: 2\n")


def test_a_report_on_a_near_tie_chooses_nothing_and_lists_what_separates_the_contenders(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_catalog(catalog_yaml(framework_yaml("alpha"), _gamma()))
    record = tmp_path / "decision.md"

    result = cli("recommend", "--catalog", str(path), "--defaults", "--report", str(record))

    assert result.exit_code == 0, result.output
    text = record.read_text(encoding="utf-8")
    assert "\nstatus: proposed\n" in text
    assert "\n# Choose between Gamma and Alpha (too close to call)\n" in text
    assert "Use Gamma" not in text
    assert "Chosen option" not in text
    assert "### Consequences" not in text
    outcome = text.split("## Decision Outcome\n", 1)[1].split("\n## ", 1)[0]
    assert outcome.startswith("\nNo option is chosen yet. Too close to call: Gamma and Alpha")
    gamma, alpha = outcome.split("* **Gamma**", 1)[1].split("* **Alpha**", 1)
    assert "Good, because templating is built in (Jinja2)" in gamma
    assert "Bad, because docs 2/5" in gamma
    assert "Neutral, because no templating is built in" in alpha
    assert "Neutral, because docs 3/5" in alpha
    # What they share does not separate them.
    assert "single file with no dependencies" not in outcome
    assert "Decide between Gamma and Alpha as a team" in outcome


def test_a_clear_leader_is_still_the_chosen_option(
    recommend: Callable[..., Result], tmp_path: Path
) -> None:
    record = tmp_path / "decision.md"

    result = recommend("--defaults", "--report", str(record))

    assert result.exit_code == 0, result.output
    text = record.read_text(encoding="utf-8")
    assert "\n# Use Beta as our Python web framework\n" in text
    assert 'Chosen option: "Beta"' in text
    assert "too close to call" not in text.lower()


def test_the_rerun_commands_name_a_catalogue_that_is_not_the_bundled_one(
    recommend: Callable[..., Result], catalog: Path, tmp_path: Path
) -> None:
    record = tmp_path / "decision.md"
    table = recommend("--defaults", "--report", str(record), columns=300)
    markdown = recommend("--defaults", "--format", "markdown")

    assert table.exit_code == 0, table.output
    expected = f"--community medium --maturity medium --catalog {catalog}"
    assert "Same answers without the quiz: fwpick recommend --kind both" in table.stdout
    assert f"{expected}\n" in table.stdout
    assert f"{expected}`\n" in markdown.stdout
    text = record.read_text(encoding="utf-8")
    assert "* Re-check this decision with: `fwpick recommend --kind both" in text
    assert f"{expected}` (add --report FILE to write a new record)." in text
    assert f"* Catalogue: `{catalog}`, schema version 1" in text
    assert f"frameworks in the catalogue `{catalog}`, ranked" in text


def test_the_rerun_commands_leave_out_the_bundled_catalogue(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    record = tmp_path / "decision.md"
    table = cli("recommend", "--defaults", "--report", str(record), columns=300)
    markdown = cli("recommend", "--defaults", "--format", "markdown")

    assert table.exit_code == 0, table.output
    assert "Same answers without the quiz: fwpick recommend --kind" in table.stdout
    assert "--catalog" not in table.stdout
    assert "--catalog" not in markdown.stdout
    text = record.read_text(encoding="utf-8")
    assert "--maturity medium` (add --report FILE to write a new record)." in text
    assert "--catalog" not in text
    assert "* Catalogue: the one bundled with fwpick, schema version" in text


def test_a_report_into_a_read_only_directory_is_refused_before_any_question(
    recommend: Callable[..., Result], tmp_path: Path
) -> None:
    locked = tmp_path / "decisions"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write into a mode-555 directory (root)")
        # No answers and no terminal: without the early check this would exit 2.
        result = recommend("--report", str(locked / "0001.md"))
    finally:
        locked.chmod(0o755)

    assert result.exit_code == 1
    assert f"{locked / '0001.md'}: cannot write the report (Permission denied)" in result.stderr
    assert result.stdout == ""
    assert list(locked.iterdir()) == []


def test_a_long_framework_name_folds_and_every_column_keeps_its_header_at_100_columns(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    name = "Extremely-Long-Framework-Name-" + "X" * 29
    assert len(name) == 59
    path = write_catalog(catalog_yaml(framework_yaml("alpha", name=name), _beta()))

    result = cli("recommend", "--catalog", str(path), "--defaults", columns=100)

    assert result.exit_code == 0, result.output
    # The command to copy is the one line left unwrapped on purpose.
    lines = [
        line
        for line in result.stdout.splitlines()
        if not line.startswith("Same answers without the quiz:")
    ]
    assert max(len(line) for line in lines) <= 100
    header = next(line for line in lines if "Framework" in line)
    for title in ("#", "Framework", "Score", "Why (points)", "Comparison notes"):
        assert title in header
    # The other columns keep their content, not only their headers.
    assert "Beta is the async" in result.stdout
    assert "(judgement)" in result.stdout
    assert "Extremely-Long" in result.stdout


# --- --explain NAME: one framework's whole score ------------------------------


def test_explain_lists_every_criterion_and_adds_up_to_the_score_in_the_ranking(
    recommend: Callable[..., Result],
) -> None:
    ranked = json.loads(recommend("--defaults", "--format", "json").stdout)
    alpha = next(entry for entry in ranked["ranking"] if entry["id"] == "alpha")

    result = recommend("--defaults", "--explain", "Alpha", "--format", "json")

    assert result.exit_code == 0, result.output
    explained = json.loads(result.stdout)["explain"]
    assert explained["id"] == "alpha"
    assert explained["rank"] == alpha["rank"] == 2
    assert [c["criterion"] for c in explained["breakdown"]] == [q.id for q in QUESTIONS]
    assert sum(c["points"] for c in explained["breakdown"]) == explained["score"] == alpha["score"]
    assert explained["summary"].startswith(f"Alpha is number 2 of 2: {alpha['score']:.2f} of")
    assert "behind Beta" in explained["summary"]


def test_explain_as_a_table_shows_each_criterion_its_points_and_which_are_judgements(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--defaults", "--explain", "beta")

    assert result.exit_code == 0, result.output
    assert "Beta is number 1 of 2" in result.stdout
    for label in ("native async", "throughput", "docs", "community", "maturity", "Total"):
        assert label in result.stdout
    assert "(judgement)" in result.stdout  # docs and community are 1-5 opinions


def test_explain_of_an_excluded_framework_says_which_hard_constraint_excludes_it(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--async", "required", "--defaults", "--explain", "alpha")

    assert result.exit_code == 0, result.output
    assert "Alpha is not ranked for these answers: native async is required" in result.stdout


def test_explain_of_an_unknown_name_fails_before_any_question_with_a_suggestion(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--defaults", "--explain", "alpah")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no framework called 'alpah'" in result.stderr
    assert "Did you mean 'alpha'?" in result.stderr


# --- recommend --bench FILE: throughput measured on this machine ---


def _bench_file(tmp_path: Path, ratios: dict[str, tuple[float, float]]) -> Path:
    """A results file as fwpick bench --save writes it, with only the keys --bench reads."""
    frameworks = [
        {
            "id": fw_id,
            "baseline": "bare WSGI app on gunicorn 27.0.1",
            "scenarios": {"plaintext": {"ratio": plain}, "api": {"ratio": api}},
        }
        for fw_id, (plain, api) in ratios.items()
    ]
    path = tmp_path / "run.json"
    record = {"format": 1, "date": "2026-12-02T09:30:00+00:00", "frameworks": frameworks}
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def _throughput(entry: dict[str, Any]) -> dict[str, Any]:
    (item,) = [c for c in entry["breakdown"] if c["criterion"] == "throughput"]
    return item


def test_bench_ranks_throughput_on_the_files_figures_and_says_whose_they_are(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    # CherryPy's catalogued throughput scores below 5; the file makes it as fast as can be.
    bench = _bench_file(tmp_path, {"cherrypy": (3.0, 3.0)})
    args = ("recommend", "--defaults", "--throughput", "high", "--format", "json")

    before = json.loads(cli(*args).stdout)["ranking"]
    result = cli(*args, "--bench", str(bench))

    assert result.exit_code == 0, result.output
    after = json.loads(result.stdout)["ranking"]
    old, new = (next(e for e in ranking if e["id"] == "cherrypy") for ranking in (before, after))
    assert _throughput(old)["points"] < _throughput(old)["weight"]
    assert _throughput(new)["points"] == _throughput(new)["weight"]
    assert new["rank"] < old["rank"]
    assert [e["id"] for e in after] != [e["id"] for e in before]
    assert _throughput(new)["evidence"].endswith("(measured in run.json)")
    (flask,) = [e for e in after if e["id"] == "flask"]
    assert "measured in" not in _throughput(flask)["evidence"]
    assert "CherryPy" in result.stderr and str(bench) in result.stderr
    assert "the other frameworks keep the catalogue's figures" in result.stderr


def test_the_rerun_command_names_the_bench_file(cli: Callable[..., Result], tmp_path: Path) -> None:
    bench = _bench_file(tmp_path, {"cherrypy": (3.0, 3.0)})

    markdown = cli("recommend", "--defaults", "--format", "markdown", "--bench", str(bench))

    assert markdown.exit_code == 0, markdown.output
    assert f"--bench {bench.resolve()}`\n" in markdown.stdout


def test_a_bad_bench_file_is_an_error_naming_the_file_and_field(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    bench = _bench_file(tmp_path, {"flask": (1.0, -2.0)})

    result = cli("recommend", "--defaults", "--bench", str(bench))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"fwpick: error: {bench}: framework 'flask': ")
    assert "field 'frameworks[0].scenarios.api.ratio'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_bench_file_is_an_error_naming_it(
    run_fwpick: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    done = run_fwpick("recommend", "--defaults", "--bench", "nothing-here.json")

    assert done.returncode == 1
    assert done.stderr.startswith("fwpick: error: ")
    assert "nothing-here.json" in done.stderr and "Traceback" not in done.stderr
