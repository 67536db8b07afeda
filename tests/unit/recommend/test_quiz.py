"""The quiz as data: flags and --answers files fill the same answers, strictly validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TOO_DEEP

from fwpick.errors import FwpickError, UsageError
from fwpick.recommend.quiz import (
    BY_ID,
    QUESTIONS,
    Answers,
    complete,
    load_answers_file,
    parse_flags,
)

NONE_GIVEN = dict.fromkeys(BY_ID)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_quiz_asks_what_teams_choose_on_and_stays_short() -> None:
    ids = [q.id for q in QUESTIONS]

    assert ids[:2] == ["kind", "core"]  # what you build, and how much you want built in
    assert {"async", "server", "single_file", "throughput", "docs", "community"} <= set(ids)
    assert len(QUESTIONS) <= 10


def test_every_question_has_a_flag_a_default_among_its_choices_and_a_full_scale() -> None:
    flags = [q.flag for q in QUESTIONS]

    assert len(set(flags)) == len(flags)
    assert {"--async", "--single-file", "--docs"} <= set(flags)
    for q in QUESTIONS:
        assert q.default in q.choices
        assert sorted(q.scale) == sorted(q.choices)


def test_need_questions_offer_required_preferred_and_indifferent() -> None:
    for qid in ("server", "single_file"):
        assert BY_ID[qid].choices == ("required", "preferred", "indifferent")
    # Async is a need too, and "no" says the code will be plain sync code.
    assert BY_ID["async"].choices == ("required", "preferred", "indifferent", "no")
    assert BY_ID["docs"].choices == ("high", "medium", "low")


def test_flags_are_read_in_any_case() -> None:
    answers = parse_flags({**NONE_GIVEN, "async": "Required", "docs": "LOW"})

    assert answers == {"async": "required", "docs": "low"}


def test_an_invalid_flag_value_names_the_flag_and_lists_the_valid_ones() -> None:
    with pytest.raises(UsageError) as caught:
        parse_flags({**NONE_GIVEN, "docs": "hgh"})

    assert caught.value.exit_code == 2
    assert str(caught.value) == (
        "--docs: 'hgh' is not a valid answer (did you mean 'high'?);"
        " choose one of high, medium, low"
    )


def test_a_prefix_is_accepted_unless_refused_and_only_when_unambiguous() -> None:
    question = BY_ID["async"]

    assert question.match("r") == "required"
    assert question.match("r", allow_prefix=False) is None
    assert question.match("") is None
    assert BY_ID["docs"].match("m") == "medium"
    assert BY_ID["kind"].match("b", allow_prefix=True) == "both"


def test_an_answers_file_fills_the_answers_it_names(tmp_path: Path) -> None:
    path = write(tmp_path, "# our project\nasync: required\nsingle_file: indifferent\ndocs: High\n")

    assert load_answers_file(path) == {
        "async": "required",
        "single_file": "indifferent",
        "docs": "high",
    }


def test_an_unknown_question_in_the_answers_file_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "async: required\nsingle-file: required\n")

    with pytest.raises(FwpickError) as caught:
        load_answers_file(path)

    (problem,) = caught.value.problems
    assert problem.line == 2
    assert problem.field == "single-file"
    assert "unknown question (did you mean 'single_file'?)" in problem.message
    assert f"{path}:2" in str(caught.value)


def test_a_duplicate_key_in_the_answers_file_is_an_error_with_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "docs: high\nasync: required\ndocs: low\n")

    with pytest.raises(FwpickError) as caught:
        load_answers_file(path)

    assert str(caught.value) == (
        f"{path}: invalid answers file (1 problem)\n"
        f"  {path}:3: field 'docs': duplicate key 'docs' (first at line 1);"
        " YAML would silently keep only the last value"
    )


def test_a_duplicate_key_is_listed_with_every_other_problem_in_line_order(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "docs: high\nasync: sometimes\ndocs: low\nspeed: high\n")

    with pytest.raises(FwpickError) as caught:
        load_answers_file(path)

    problems = caught.value.problems
    assert [(p.line, p.field) for p in problems] == [(2, "async"), (3, "docs"), (4, "speed")]
    assert problems[1].message.startswith("duplicate key 'docs' (first at line 1)")


def test_an_invalid_answer_in_the_file_lists_the_valid_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "async: required\ndocs: 3\nsingle_file: maybe\n")

    with pytest.raises(FwpickError) as caught:
        load_answers_file(path)

    problems = {p.field: p for p in caught.value.problems}
    assert problems["single_file"].line == 3
    assert problems["single_file"].message == (
        "'maybe' is not a valid answer; choose one of required, preferred, indifferent"
    )
    assert problems["docs"].line == 2
    assert "expected one of high, medium, low, got the number 3" in problems["docs"].message


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- async: required\n", "found a list"),
        ("~\n", "found nothing (null)"),
        ("just words\n", "found 'just words'"),
        ("3.10\n", "found the number 3.1"),
    ],
    ids=["list", "null", "text", "number"],
)
def test_an_answers_file_that_is_not_a_mapping_says_what_it_found(
    tmp_path: Path, text: str, found: str
) -> None:
    path = write(tmp_path, text)

    with pytest.raises(FwpickError) as caught:
        load_answers_file(path)

    assert str(caught.value) == (
        f"{path}:1: expected a mapping of question: answer (e.g. 'docs: high'), {found}"
    )


@pytest.mark.parametrize("text", ["", "\n", "# nothing yet\n", "---\n"])
def test_an_empty_answers_file_is_called_empty(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)

    with pytest.raises(FwpickError) as caught:
        load_answers_file(path)

    assert str(caught.value) == f"{path}: the file is empty"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("docs: &a [*a]\n", ":1: recursive alias: the value anchored here contains an alias"),
        ("docs: " + "[" * 5000 + "]" * 5000 + "\n", f":1: {TOO_DEEP}"),
        ("<<: {docs: high}\n", r":1: YAML merge keys \(<<\) are not supported"),
        ("docs:\n  level: high\n", "expected one of high, medium, low, got a mapping"),
        ("docs: [high\n", "YAML syntax error"),
        ("", "the file is empty"),
        ("docs: !!python/name:os.system high\n", "YAML syntax error"),
    ],
    ids=["recursive-alias", "deep", "merge-key", "nested", "syntax", "empty", "python-tag"],
)
def test_a_malformed_answers_file_is_refused_with_a_clear_message(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(FwpickError, match=expected):
        load_answers_file(write(tmp_path, text))


def test_a_missing_answers_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(FwpickError, match="no such file"):
        load_answers_file(tmp_path / "nope.yaml")


def test_unanswered_questions_without_defaults_name_the_flags_to_pass() -> None:
    with pytest.raises(UsageError) as caught:
        complete({"async": "required", "docs": "high"}, use_defaults=False)

    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert message.startswith("8 questions unanswered and no terminal to ask")
    assert "--single-file required|preferred|indifferent" in message
    assert "--throughput high|medium|low" in message
    assert "--async" not in message
    assert "--defaults" in message


def test_defaults_fill_only_the_unanswered_questions() -> None:
    answers = complete({"async": "required"}, use_defaults=True)

    assert answers["async"] == "required"
    assert answers["docs"] == BY_ID["docs"].default
    assert answers == Answers.defaults().replace({"async": "required"})


def test_answers_turned_into_flags_read_back_as_the_same_answers() -> None:
    answers = Answers.defaults().replace({"async": "required", "kind": "api"})
    flags = answers.as_flags()
    given = dict(zip(flags[::2], flags[1::2], strict=True))

    parsed = parse_flags({q.id: given[q.flag] for q in QUESTIONS})

    assert Answers.from_mapping(parsed) == answers
    assert answers.hard() == ("async",)


def test_answers_must_cover_every_question() -> None:
    with pytest.raises(ValueError):
        Answers.from_mapping({"async": "required"})


def test_flags_take_a_unique_prefix_and_yes_or_no_for_a_need() -> None:
    answers = parse_flags(
        {**NONE_GIVEN, "async": "req", "server": "YES", "single_file": "n", "docs": "hi"}
    )

    assert answers == {
        "async": "required",
        "server": "required",
        "single_file": "indifferent",
        "docs": "high",
    }


def test_async_no_is_its_own_answer_and_yes_or_no_mean_nothing_for_a_level() -> None:
    assert BY_ID["async"].match("no") == "no"
    assert BY_ID["docs"].match("yes") is None
    assert BY_ID["async"].match("in") == "indifferent"
    assert BY_ID["kind"].match("b") == "both"


def test_an_answers_file_takes_prefixes_and_yes_too(tmp_path: Path) -> None:
    path = write(tmp_path, "async: yes\ndocs: HI\ncore: bat\n")

    assert load_answers_file(path) == {"async": "required", "docs": "high", "core": "batteries"}


def test_an_ambiguous_prefix_names_the_answers_it_could_be() -> None:
    with pytest.raises(UsageError) as caught:
        parse_flags({"must_have": "http"})

    assert "(it could be http_client or http2)" in str(caught.value)


def test_a_must_have_takes_any_case_and_hyphens_for_underscores() -> None:
    assert parse_flags({"must_have": "Background-Tasks"}) == {"must_have": "background_tasks"}
    assert parse_flags({"must_have": "spec"}) == {"must_have": "spec_first"}
