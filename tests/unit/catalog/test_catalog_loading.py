"""Every way a catalogue can be wrong gives one clear message: file, line, framework, field."""

from __future__ import annotations

import os
import pickle
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TOO_DEEP, catalog_yaml, framework_yaml, line_of, replace_once
from typer.testing import Result

from fwpick.catalog import load_catalog
from fwpick.errors import CatalogError

# One framework, so that each piece a test replaces occurs once.
BASE = catalog_yaml(framework_yaml("alpha"))
ALPHA_START = line_of(BASE, "  - id: alpha")


def load_error(path: Path) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    return str(info.value)


def test_the_minimal_test_catalogue_is_valid(write_catalog: Callable[..., Path]) -> None:
    catalog = load_catalog(write_catalog())

    assert [fw.id for fw in catalog.frameworks] == ["alpha", "beta"]
    assert load_catalog(write_catalog(BASE)).names() == ["alpha"]
    assert catalog.get("ALPHA").description == "Alpha is a tiny test framework."


def test_a_missing_file_is_named_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"

    assert load_error(path) == f"{path}: no such file"


def test_a_directory_is_reported_as_not_a_yaml_file(tmp_path: Path) -> None:
    assert load_error(tmp_path) == f"{tmp_path}: is a directory, not a YAML file"


def test_an_unreadable_file_says_permission_denied(write_catalog: Callable[..., Path]) -> None:
    path = write_catalog()
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read a mode-000 file (root)")
        assert load_error(path) == f"{path}: cannot read it (permission denied)"
    finally:
        path.chmod(0o644)


def test_a_permission_error_while_reading_becomes_a_clear_message(
    write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same case as above, made to happen even for root, who can read anything.
    path = write_catalog()

    def refuse(file: object, flags: int, *args: object) -> int:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(os, "open", refuse)

    assert load_error(path) == f"{path}: cannot read it (permission denied)"


def test_a_file_that_is_not_utf8_names_the_line_and_the_byte(
    write_catalog: Callable[..., Path],
) -> None:
    latin1 = replace_once(BASE, "tiny test", "tïny test").encode("latin-1")
    path = write_catalog(latin1)

    message = load_error(path)

    assert message.startswith(f"{path}:{line_of(BASE, 'tiny test')}: not UTF-8 text")
    assert "0xef" in message
    assert "save the file as UTF-8" in message


def test_a_yaml_syntax_error_gives_the_line(write_catalog: Callable[..., Path]) -> None:
    text = replace_once(BASE, '    pypi: "alpha"', '\tpypi: "alpha"')
    path = write_catalog(text)

    message = load_error(path)

    assert message.startswith(f"{path}:{line_of(text, chr(9))}: YAML syntax error")


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "# only a comment\n", "---\n# nothing here\n"],
    ids=["empty", "blank", "comment", "document marker only"],
)
def test_an_empty_file_is_reported_as_empty(write_catalog: Callable[..., Path], text: str) -> None:
    path = write_catalog(text)

    assert load_error(path) == f"{path}: the file is empty"


@pytest.mark.parametrize(
    ("text", "found"),
    [("- flask\n- bottle\n", "found a list"), ("just some words\n", "found 'just some words'")],
    ids=["list", "text"],
)
def test_a_top_level_that_is_not_a_mapping_says_what_it_should_be(
    write_catalog: Callable[..., Path], text: str, found: str
) -> None:
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:1: the top level must be a mapping with schema_version, checked and frameworks"
        in message
    )
    assert found in message


def test_an_empty_framework_list_is_rejected(write_catalog: Callable[..., Path]) -> None:
    path = write_catalog("schema_version: 1\nchecked: 2026-01-15\nframeworks: []\n")

    message = load_error(path)

    assert (
        f"{path}:3: field 'frameworks': expected a non-empty list of frameworks, got an empty list"
    ) in message


def test_an_unsupported_schema_version_is_rejected(write_catalog: Callable[..., Path]) -> None:
    path = write_catalog(replace_once(BASE, "schema_version: 1", "schema_version: 7"))

    assert f"{path}:1: field 'schema_version': unsupported schema_version 7" in load_error(path)


def test_a_framework_missing_a_required_field_names_the_framework_and_the_field(
    write_catalog: Callable[..., Path],
) -> None:
    path = write_catalog(replace_once(BASE, '    pypi: "alpha"\n', ""))

    message = load_error(path)

    assert (
        f"{path}:{ALPHA_START}: framework 'alpha': field 'pypi': missing required field" in message
    )
    assert "(1 problem)" in message


def test_a_missing_fact_is_named_by_its_full_field_path(write_catalog: Callable[..., Path]) -> None:
    alpha = framework_yaml("alpha")
    start = alpha.index("      templating:")
    end = alpha.index("    scores:")
    path = write_catalog(catalog_yaml(alpha[:start] + alpha[end:]))

    assert "framework 'alpha': field 'facts.templating': missing required field" in load_error(path)


def test_an_unquoted_version_number_tells_you_to_quote_it(
    write_catalog: Callable[..., Path],
) -> None:
    text = replace_once(BASE, 'value: "1.0"', "value: 2.1")
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:{line_of(text, 'value: 2.1')}: framework 'alpha': field 'version.value':"
        ' expected text, got the number 2.1: quote it: "2.1"'
    ) in message


@pytest.mark.parametrize(
    ("written", "read_as"),
    [("3.10", "3.1"), ("2.0", "2.0"), ("1_000", "1000"), ("0x10", "16"), ("1:30", "90")],
)
def test_the_hint_for_an_unquoted_version_quotes_exactly_what_was_written(
    write_catalog: Callable[..., Path], written: str, read_as: str
) -> None:
    path = write_catalog(replace_once(BASE, 'value: "1.0"', f"value: {written}"))

    message = load_error(path)

    assert f'expected text, got the number {read_as}: quote it: "{written}"' in message


def test_a_field_of_the_wrong_type_says_what_was_expected(
    write_catalog: Callable[..., Path],
) -> None:
    text = replace_once(BASE, "        value: MIT", "        value: [MIT, BSD]")
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:{line_of(text, '[MIT, BSD]')}: framework 'alpha': field 'facts.licence.value':"
        " expected text, got a list"
    ) in message


def test_a_score_outside_the_scale_is_rejected(write_catalog: Callable[..., Path]) -> None:
    text = replace_once(
        BASE,
        '        value: 3\n        rationale: "Short',
        '        value: 9\n        rationale: "Short',
    )
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:{line_of(text, 'value: 9')}: framework 'alpha': field 'scores.docs.value'"
        in message
    )
    assert "out of range 1-5" in message


def test_an_unknown_field_suggests_the_likely_typo(write_catalog: Callable[..., Path]) -> None:
    text = replace_once(BASE, "    comparison_notes:", "    comparison_note:")
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:{line_of(text, 'comparison_note:')}: framework 'alpha': field 'comparison_note':"
        " unknown field 'comparison_note' (did you mean 'comparison_notes'?)"
    ) in message


def test_an_unknown_field_inside_facts_suggests_the_likely_typo(
    write_catalog: Callable[..., Path],
) -> None:
    text = replace_once(BASE, "      licence:", "      license:")
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:{line_of(text, 'license:')}: framework 'alpha': field 'facts.license':"
        " unknown field 'license' (did you mean 'licence'?)"
    ) in message


def test_duplicate_framework_ids_are_rejected_naming_both_lines(
    write_catalog: Callable[..., Path],
) -> None:
    text = catalog_yaml(
        framework_yaml("alpha"), framework_yaml("alpha", name="Other", pypi="other")
    )
    path = write_catalog(text)
    second = line_of(text, "  - id: alpha", text.index("  - id: alpha") + 1)

    message = load_error(path)

    assert (
        f"{path}:{second}: framework 'alpha': field 'id': the id 'alpha' is already used"
        f" by another framework (line {ALPHA_START})"
    ) in message


def test_two_ids_for_the_same_pypi_package_are_rejected(
    write_catalog: Callable[..., Path],
) -> None:
    text = catalog_yaml(framework_yaml("alpha"), framework_yaml("beta", pypi="Alpha"))
    path = write_catalog(text)
    alpha_pypi = line_of(text, 'pypi: "alpha"')

    assert (
        "framework 'beta': field 'pypi': the PyPI name 'Alpha' is already used by"
        f" framework 'alpha' (line {alpha_pypi})"
    ) in load_error(path)


def test_duplicate_keys_in_a_mapping_are_rejected_naming_the_framework_and_both_lines(
    write_catalog: Callable[..., Path],
) -> None:
    text = replace_once(BASE, '    pypi: "alpha"\n', '    pypi: "alpha"\n    pypi: "alpha-two"\n')
    path = write_catalog(text)

    message = load_error(path)

    assert message == (
        f"{path}: invalid catalogue (1 problem)\n"
        f"  {path}:{line_of(text, 'alpha-two')}: framework 'alpha': field 'pypi':"
        f" duplicate key 'pypi' (first at line {line_of(text, 'pypi:')});"
        " YAML would silently keep only the last value"
    )


def test_duplicate_keys_are_named_by_their_full_field_path_at_any_level(
    write_catalog: Callable[..., Path],
) -> None:
    text = replace_once(BASE, "        value: MIT\n", "        value: MIT\n        value: BSD\n")
    text = replace_once(
        text, "checked: 2026-01-15\nframeworks:", "checked: 2026-01-15\nchecked: x\nframeworks:"
    )
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:{line_of(text, 'value: BSD')}: framework 'alpha': field 'facts.licence.value':"
        f" duplicate key 'value' (first at line {line_of(text, 'value: MIT')})"
    ) in message
    assert f"{path}:3: field 'checked': duplicate key 'checked' (first at line 2)" in message
    assert "(2 problems)" in message


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "OFF"])
def test_a_yaml11_boolean_word_where_true_or_false_belongs_is_rejected_with_a_hint(
    write_catalog: Callable[..., Path], word: str
) -> None:
    text = replace_once(BASE, "        value: true", f"        value: {word}")
    path = write_catalog(text)

    message = load_error(path)

    line = line_of(text, f"value: {word}")
    assert (
        f"{path}:{line}: framework 'alpha': field 'facts.single_file.value':"
        f" expected true or false, got {word!r}:"
        " fwpick reads YAML 1.2 booleans: write true or false"
    ) in message


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "n", "NO"])
def test_an_unquoted_yaml11_boolean_word_where_text_belongs_stays_that_text(
    write_catalog: Callable[..., Path], word: str
) -> None:
    text = replace_once(BASE, 'name: "Alpha"', f"name: {word}")
    text = replace_once(text, 'value: "no"', "value: no")

    catalog = load_catalog(write_catalog(text))

    alpha = catalog.frameworks[0]
    assert alpha.name == word
    assert alpha.facts.async_handlers.value == "no"


def test_a_yaml_merge_key_is_refused_with_a_hint_to_write_the_fields_out(
    write_catalog: Callable[..., Path],
) -> None:
    text = replace_once(BASE, "    links:\n", "    links:\n      <<: {homepage: https://x.org/}\n")
    path = write_catalog(text)

    assert load_error(path) == (
        f"{path}:{line_of(text, '<<:')}: YAML merge keys (<<) are not supported;"
        " write the fields out"
    )


def test_a_lone_equals_sign_is_read_as_text(write_catalog: Callable[..., Path]) -> None:
    catalog = load_catalog(write_catalog(replace_once(BASE, 'name: "Alpha"', "name: =")))

    assert catalog.frameworks[0].name == "="


def test_an_impossible_date_is_reported_not_crashed_on(write_catalog: Callable[..., Path]) -> None:
    text = replace_once(BASE, "value: 2025-12-01\n", "value: 2025-13-45\n")
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:{line_of(text, '2025-13-45')}: framework 'alpha': field 'released.value':"
        " expected a date (YYYY-MM-DD), got '2025-13-45', which is not a real date:"
        " write a real date as YYYY-MM-DD"
    ) in message


def test_a_date_written_as_text_in_the_wrong_shape_asks_for_yyyy_mm_dd(
    write_catalog: Callable[..., Path],
) -> None:
    text = replace_once(BASE, "value: 2025-12-01\n", 'value: "1 Dec 2025"\n')
    path = write_catalog(text)

    message = load_error(path)

    assert (
        f"{path}:{line_of(text, '1 Dec 2025')}: framework 'alpha': field 'released.value'"
        in message
    )
    assert "write it as YYYY-MM-DD" in message


def test_a_raw_control_character_in_the_file_is_reported_with_its_line(
    write_catalog: Callable[..., Path],
) -> None:
    text = replace_once(BASE, "tiny test", "tiny \x1b[31mtest")
    path = write_catalog(text)

    message = load_error(path)

    assert message.startswith(f"{path}:{line_of(text, 'tiny')}: character U+001B is not allowed")
    assert "\x1b" not in message


def test_a_catalogue_with_an_alias_bomb_is_refused(write_catalog: Callable[..., Path]) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 8):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    path = write_catalog("\n".join(lines) + "\n")

    assert "too many values" in load_error(path)


def test_an_alias_used_twice_without_a_loop_is_fine(write_catalog: Callable[..., Path]) -> None:
    text = replace_once(
        BASE,
        "      dependencies:\n        value: []",
        "      dependencies:\n        value: &none []",
    )
    text = replace_once(
        text,
        "      conditional_dependencies:\n        value: []",
        "      conditional_dependencies:\n        value: *none",
    )

    facts = load_catalog(write_catalog(text)).frameworks[0].facts

    assert facts.dependencies.value == facts.conditional_dependencies.value == ()


SELF_REFERENCES = {
    "list": "x: &a [*a]\n",
    "mapping": "x: &a\n  y: *a\n",
    "through two levels": "x: &a\n  - [1, *a]\n",
}


@pytest.mark.parametrize("text", SELF_REFERENCES.values(), ids=SELF_REFERENCES)
def test_an_alias_that_contains_itself_is_refused_not_expanded_forever(
    write_catalog: Callable[..., Path], text: str
) -> None:
    path = write_catalog(text)

    assert load_error(path) == (
        f"{path}:1: recursive alias: the value anchored here contains an alias to itself,"
        " so it cannot be expanded"
    )


def deep_lists(levels: int) -> str:
    return "[" * levels + "]" * levels + "\n"


def deep_mappings(levels: int) -> str:
    return "{a: " * levels + "1" + "}" * levels + "\n"


def deep_block_lists(levels: int) -> str:
    return "".join(f"{'  ' * level}-\n" for level in range(levels))


DEEP = {
    "5000 lists": (deep_lists(5000), 1),
    "3000 mappings": (deep_mappings(3000), 1),
    # Deep enough to overflow the C stack of libyaml's composer if it were let loose on it.
    "100000 lists": (deep_lists(100_000), 1),
    "100000 mappings": (deep_mappings(100_000), 1),
    "200 indented lists": (deep_block_lists(200), 65),
    # Deeper than fwpick's limit, shallower than any parser's own.
    "70 lists": (deep_lists(70), 1),
}


@pytest.mark.parametrize(("text", "line"), DEEP.values(), ids=DEEP)
def test_very_deep_nesting_is_refused_at_the_line_where_it_goes_too_deep(
    write_catalog: Callable[..., Path], text: str, line: int
) -> None:
    path = write_catalog(text)

    assert load_error(path) == f"{path}:{line}: {TOO_DEEP}"


def test_validate_refuses_a_file_nested_100000_deep_without_crashing(
    run_fwpick: Callable[..., subprocess.CompletedProcess[str]], write_catalog: Callable[..., Path]
) -> None:
    # A real process: a C stack overflow would kill it with a signal, not an exception.
    path = write_catalog(deep_lists(100_000))

    result = run_fwpick("validate", str(path))

    assert result.returncode == 1
    assert result.stderr == f"fwpick: error: {path}:1: {TOO_DEEP}\n"
    assert "Traceback" not in result.stderr


def test_nesting_64_levels_deep_is_still_read(write_catalog: Callable[..., Path]) -> None:
    path = write_catalog(deep_lists(64))

    assert "the top level must be a mapping" in load_error(path)


def test_a_loaded_catalogue_holds_only_values_the_cache_can_store(
    write_catalog: Callable[..., Path],
) -> None:
    # The cache reads back only the model's own classes, not the YAML reader's numbers.
    from fwpick.catalog.cache import _ALLOWED
    from fwpick.catalog.records import loads

    catalog = load_catalog(write_catalog(), cache=False)

    assert loads(pickle.dumps(catalog), _ALLOWED) == catalog


def test_validate_lists_a_duplicate_key_with_every_other_problem(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    alpha = replace_once(framework_yaml("alpha"), 'value: "1.0"', "value: 3.10")
    alpha = replace_once(alpha, '    pypi: "alpha"\n', '    pypi: "alpha"\n    pypi: "alpha-two"\n')
    beta = replace_once(framework_yaml("beta"), "    comparison_notes:", "    comparison_note:")
    text = catalog_yaml(alpha, beta)
    path = write_catalog(text)

    result = cli("validate", str(path))

    assert result.exit_code == 1
    assert f"{path}: invalid catalogue (4 problems)" in result.stderr
    for expected in (
        f"{path}:{line_of(text, 'alpha-two')}: framework 'alpha': field 'pypi': duplicate key",
        f"{path}:{line_of(text, 'value: 3.10')}: framework 'alpha': field 'version.value':"
        ' expected text, got the number 3.1: quote it: "3.10"',
        f"{path}:{line_of(text, 'comparison_note:')}: framework 'beta': field 'comparison_note'",
        "framework 'beta': field 'comparison_notes': missing required field",
    ):
        assert expected in result.stderr
    assert "Traceback" not in result.output


def test_validate_lists_every_problem_at_once(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    alpha = replace_once(framework_yaml("alpha"), 'value: "1.0"', "value: 2.1")
    beta = replace_once(framework_yaml("beta"), "    comparison_notes:", "    comparison_note:")
    beta = replace_once(beta, "        value: true", "        value: no")
    text = catalog_yaml(alpha, beta)
    path = write_catalog(text)

    result = cli("validate", str(path))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}: invalid catalogue (4 problems)" in result.stderr
    for expected in (
        f"{path}:{line_of(text, 'value: 2.1')}: framework 'alpha': field 'version.value'",
        f"{path}:{line_of(text, 'comparison_note:')}: framework 'beta': field 'comparison_note'",
        "framework 'beta': field 'comparison_notes': missing required field",
        f"{path}:{line_of(text, 'value: no')}: framework 'beta': field 'facts.single_file.value'",
    ):
        assert expected in result.stderr
    assert "Traceback" not in result.output


BAD_CATALOGUES: dict[str, str | bytes] = {
    "not utf-8": BASE.encode("utf-8").replace(b"tiny", b"t\xffny"),
    "syntax error": replace_once(BASE, '    pypi: "alpha"', '\tpypi: "alpha"'),
    "empty": "",
    "top level a list": "- flask\n",
    "missing field": replace_once(BASE, '    pypi: "alpha"\n', ""),
    "wrong type": replace_once(BASE, 'value: "1.0"', "value: 2.1"),
    "unknown field": replace_once(BASE, "    comparison_notes:", "    comparison_note:"),
    "duplicate id": catalog_yaml(framework_yaml("alpha"), framework_yaml("alpha", pypi="x")),
    "duplicate key": replace_once(
        BASE, '    pypi: "alpha"\n', '    pypi: "alpha"\n    pypi: "b"\n'
    ),
    "yaml 1.1 boolean": replace_once(BASE, "        value: true", "        value: off"),
    "merge key": replace_once(BASE, "    links:\n", "    links:\n      <<: {docs: x}\n"),
    "recursive alias": replace_once(
        BASE,
        "      dependencies:\n        value: []",
        "      dependencies:\n        value: &a [*a]",
    ),
    "5000 nested lists": deep_lists(5000),
    "3000 nested mappings": deep_mappings(3000),
    "impossible date": replace_once(BASE, "value: 2025-12-01\n", "value: 2025-02-30\n"),
    "control character": replace_once(BASE, "tiny", "\x07tiny"),
}


@pytest.mark.parametrize("command", ["compare", "validate", "show"])
@pytest.mark.parametrize("case", BAD_CATALOGUES)
def test_a_bad_catalogue_exits_1_with_a_message_and_no_traceback(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], case: str, command: str
) -> None:
    path = write_catalog(BAD_CATALOGUES[case])
    args = [command, "alpha"] if command == "show" else [command]

    result = cli(*args, "--catalog", str(path))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"fwpick: error: {path}")
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr
