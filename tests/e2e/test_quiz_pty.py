"""The real quiz: the installed ``fwpick`` console script in a pseudo-terminal.

Standard output goes to a file, as in ``fwpick recommend --format json >
ranking.json``, so these tests also show that the prompts never reach it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pexpect
import pytest

from fwpick.recommend.quiz import BY_ID

# Answer everything but the async and documentation questions by flags, so the
# quiz asks exactly those two.
ASKED = ("async", "docs")
FLAGS = [arg for q in BY_ID.values() if q.id not in ASKED for arg in (q.flag, q.default)]
ENV_DROPPED = ("FWPICK_CATALOG", "FORCE_COLOR", "COLUMNS", "LINES")


def spawn(script: Path, out: Path, *args: str, stdin: str = "") -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROPPED}
    env.update({"NO_COLOR": "1", "TERM": "dumb"})
    redirect = f" < {stdin}" if stdin else ""
    command = f'exec "$@" > "{out}"{redirect}'
    return pexpect.spawn(
        "/bin/bash",
        ["-c", command, "bash", str(script), "recommend", "--format", "json", *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )


def finish(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_answers_typed_in_the_terminal_and_enter_for_the_default_reach_the_ranking(
    fwpick_script: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ranking.json"
    child = spawn(fwpick_script, out, *FLAGS)

    child.expect_exact("(1/2) Do you need native async (async/await handlers)")
    child.expect_exact("(indifferent): ")
    child.sendline("required")
    child.expect_exact("(2/2) How much do you rely on documentation?")
    child.expect_exact("[high/medium/low] (medium): ")
    child.sendline("")
    status, rest = finish(child)

    assert status == 0, rest
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["answers"]["async"] == "required"
    assert data["answers"]["docs"] == "medium"
    assert data["ranking"], "nothing was ranked"


def test_an_invalid_answer_is_explained_and_the_question_asked_again(
    fwpick_script: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ranking.json"
    child = spawn(fwpick_script, out, *FLAGS)

    child.expect_exact("(1/2) Do you need native async")
    child.sendline("maybe")
    child.expect_exact("Please answer one of required, preferred, indifferent")
    child.expect_exact("(1/2) Do you need native async")
    child.sendline("I")  # a unique prefix, in any case
    child.expect_exact("(2/2) How much do you rely on documentation?")
    child.sendline("high")
    status, rest = finish(child)

    assert status == 0, rest
    assert json.loads(out.read_text(encoding="utf-8"))["answers"]["async"] == "indifferent"


def test_ctrl_c_leaves_quietly_with_exit_code_130(fwpick_script: Path, tmp_path: Path) -> None:
    out = tmp_path / "ranking.json"
    child = spawn(fwpick_script, out, *FLAGS)

    child.expect_exact("(1/2) Do you need native async")
    child.sendintr()
    status, rest = finish(child)

    assert status == 130
    assert "Traceback" not in rest
    assert "Aborted" not in rest
    assert out.read_text(encoding="utf-8") == ""


def test_end_of_input_leaves_with_one_line_and_a_non_zero_code(
    fwpick_script: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ranking.json"
    child = spawn(fwpick_script, out, *FLAGS)

    child.expect_exact("(1/2) Do you need native async")
    child.sendeof()
    child.expect_exact("fwpick: end of input before every question was answered; stopped")
    status, rest = finish(child)

    assert status == 1
    assert "Traceback" not in rest
    assert out.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("defaults", [False, True], ids=["unanswered", "defaults"])
def test_with_stdin_not_a_terminal_it_never_prompts(
    fwpick_script: Path, tmp_path: Path, defaults: bool
) -> None:
    out = tmp_path / "ranking.json"
    extra = ("--defaults",) if defaults else ()
    child = spawn(fwpick_script, out, *FLAGS, *extra, stdin="/dev/null")

    status, rest = finish(child)

    assert "Do you need native async" not in rest
    if defaults:
        assert status == 0, rest
        assert json.loads(out.read_text(encoding="utf-8"))["answers"]["async"] == "indifferent"
    else:
        assert status == 2
        assert "2 questions unanswered and no terminal to ask" in rest
        assert "--async required|preferred|indifferent" in rest


def test_a_report_that_cannot_be_written_stops_the_quiz_before_its_first_question(
    fwpick_script: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ranking.json"
    record = tmp_path / "docs" / "decisions" / "0001.md"
    child = spawn(fwpick_script, out, *FLAGS, "--report", str(record))

    status, rest = finish(child)

    assert status == 1
    assert f"{record.parent}: no such directory for the report" in rest
    assert "Do you need native async" not in rest
    assert out.read_text(encoding="utf-8") == ""


def test_answers_can_be_edited_with_the_arrow_keys_and_backspace(
    fwpick_script: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ranking.json"
    child = spawn(fwpick_script, out, *FLAGS)

    child.expect_exact("(1/2) Do you need native async")
    # "requird", Left, "e", End: "required".  Without line editing the arrow
    # key's escape sequence would become part of the answer.
    child.send("requird")
    child.send("\x1b[D")
    child.send("e\r")
    child.expect_exact("(2/2) How much do you rely on documentation?")
    child.send("highx\x7f\r")
    status, rest = finish(child)

    assert status == 0, rest
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["answers"]["async"], data["answers"]["docs"]) == ("required", "high")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("y", "required"), ("yes", "required"), ("req", "required"), ("REQUIRED", "required")],
)
def test_a_need_takes_yes_a_unique_prefix_or_any_case(
    fwpick_script: Path, tmp_path: Path, typed: str, meant: str
) -> None:
    out = tmp_path / "ranking.json"
    child = spawn(fwpick_script, out, *FLAGS)

    child.expect_exact("(1/2) Do you need native async")
    child.sendline(typed)
    if typed.casefold().startswith("y"):
        child.expect_exact(f"({typed} = required)")
    child.expect_exact("required is a hard constraint: it excludes")
    child.expect_exact("(2/2)")
    child.sendline("")
    status, rest = finish(child)

    assert status == 0, rest
    assert json.loads(out.read_text(encoding="utf-8"))["answers"]["async"] == meant


def test_the_quiz_asks_what_separates_first_and_stops_once_the_rest_cannot_change_the_answer(
    fwpick_script: Path, tmp_path: Path
) -> None:
    # Only Connexion generates its routes from an OpenAPI document; it has no
    # server of its own and is no single file, so "single file: required"
    # would leave nothing: that question is asked first.  Once it is answered
    # "preferred", nothing else can unseat Connexion.
    out = tmp_path / "ranking.json"
    child = spawn(
        fwpick_script,
        out,
        "--python",
        "3.11",
        "--must-have",
        "spec_first",
        "--server",
        "indifferent",
    )
    child.expect_exact("(1/8) Must the framework be a single file with no dependencies?")
    child.sendline("pref")
    child.expect_exact("Connexion leads clearly whatever the remaining 7 questions get")
    status, rest = finish(child)

    assert status == 0, rest
    assert "(2/8)" not in rest
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["answers"]["single_file"] == "preferred"
    assert data["answers"]["kind"] == "both"  # not asked: the default
    assert data["ranking"][0]["id"] == "connexion"
    assert data["close_call"] is False
