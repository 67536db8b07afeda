"""compare, show and validate as a user runs them (in-process, at a fixed width)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_IDS, catalog_yaml, framework_yaml
from typer.testing import Result

import fwpick

# The seed text of the Flask introduction the project started from, corrected
# where the seed file itself was mis-encoded (Sanic's apostrophe).
SEED_DESCRIPTIONS = {
    "flask": "Flask is a microframework for Python based on Werkzeug, Jinja 2 and good"
    " intentions. And before you ask: It's BSD licensed!",
    "bottle": "Bottle is a fast, simple and lightweight WSGI micro web-framework for Python."
    " It is distributed as a single file module and has no dependencies other than the"
    " Python Standard Library.",
    "cherrypy": "CherryPy allows developers to build web applications in much the same way"
    " they would build any other object-oriented Python program. This results in smaller"
    " source code developed in less time.",
    "sanic": "Sanic is a Python 3.6+ web server and web framework that's written to go fast."
    " It allows the usage of the async/await syntax added in Python 3.5, which makes your"
    " code non-blocking and speedy.",
}
SEED_NOTES = {
    "bottle": "Single file distribution model - simplified. It is a much smaller community"
    " of users, however.",
    "cherrypy": "Lacks good, comprehensive documentation",
    "sanic": "Native async i/o.",
}

# The documented JSON contract (README, "JSON output"): keys may be added only
# with a new format_version, so any change here must be deliberate.
ENVELOPE_KEYS = {"format_version", "command", "catalog"}
TOP_KEYS = ENVELOPE_KEYS | {"schema_version", "catalog_checked", "frameworks"}
TOP_KEYS |= {"addons", "servers", "avoid", "installed_in"}
FRAMEWORK_KEYS = {
    "id",
    "name",
    "pypi",
    "from_seed",
    "description",
    "comparison_notes",
    "version",
    "released",
    "maintenance",
    "installed_version",
    "facts",
    "scores",
    "links",
    "seed_claims",
    "other_releases",
    "features",
    "release_history",
    "measured",
    "starter",
}
FACT_NAMES = {
    "licence",
    "requires_python",
    "dependencies",
    "conditional_dependencies",
    "interface",
    "async_handlers",
    "single_file",
    "server",
    "templating",
}
FACT_KEYS = {"value", "detail", "source", "checked"}
MAINTENANCE_KEYS = {
    "months_since_release",
    "days_since_release",
    "releases_last_12_months",
    "first_release",
    "development_status",
    "signal",
}


def straight(text: str) -> str:
    """Typographic apostrophes compare equal to straight ones."""
    return text.replace("\u2019", "'")


def compare_json(cli: Callable[..., Result], *args: str) -> dict[str, Any]:
    result = cli("compare", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def bundled(_cache_home: Path) -> dict[str, Any]:
    """The bundled catalogue, as compare --format json reports it."""
    from typer.testing import CliRunner

    from fwpick.cli import app

    env = {"FWPICK_CATALOG": None, "XDG_CACHE_HOME": str(_cache_home)}
    result = CliRunner().invoke(app, ["compare", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_lists_the_four_seed_frameworks_with_their_seed_text(
    bundled: dict[str, Any],
) -> None:
    by_id = {fw["id"]: fw for fw in bundled["frameworks"]}

    assert set(SEED_IDS) <= set(by_id)
    for fw_id in SEED_IDS:
        fw = by_id[fw_id]
        assert fw["from_seed"] is True
        assert straight(fw["description"]) == SEED_DESCRIPTIONS[fw_id]
        assert "â€" not in fw["description"]
        if fw_id in SEED_NOTES:
            assert fw["comparison_notes"] == SEED_NOTES[fw_id]
    # The seed's "*" for Flask means "the one the others are compared with".
    assert "reference" in by_id["flask"]["comparison_notes"].lower()
    assert by_id["flask"]["comparison_notes"] != "*"


def test_the_compare_table_shows_each_seed_description_and_note(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    # Wide enough that no description needs wrapping.
    result = cli("compare", "--only", ",".join(SEED_IDS), columns=1000)

    assert result.exit_code == 0, result.output
    shown = straight(result.stdout)
    for fw_id in SEED_IDS:
        assert SEED_DESCRIPTIONS[fw_id] in shown
        assert SEED_NOTES.get(fw_id, "Reference") in shown


def test_compare_only_shows_just_the_frameworks_asked_for_in_that_order(
    cli: Callable[..., Result],
) -> None:
    data = compare_json(cli, "--only", "sanic, Flask,sanic")

    assert [fw["id"] for fw in data["frameworks"]] == ["sanic", "flask"]


def test_compare_only_table_has_one_row_per_framework_asked_for(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    result = cli("compare", "--only", "bottle,cherrypy")

    assert result.exit_code == 0, result.output
    assert f"2 of {len(bundled['frameworks'])}" in result.stdout
    assert "Bottle" in result.stdout and "CherryPy" in result.stdout
    assert "Sanic" not in result.stdout


def test_an_unknown_name_in_only_exits_2_and_suggests_the_closest(
    cli: Callable[..., Result],
) -> None:
    result = cli("compare", "--only", "flask,sanik")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no framework called 'sanik'" in result.stderr
    assert "Did you mean 'sanic'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_only_with_no_names_is_a_usage_error(cli: Callable[..., Result]) -> None:
    result = cli("compare", "--only", " , ")

    assert result.exit_code == 2
    assert "--only needs at least one framework name" in result.stderr


def test_compare_json_has_the_documented_keys(cli: Callable[..., Result]) -> None:
    data = compare_json(cli)

    assert set(data) == TOP_KEYS
    assert data["format_version"] == 2
    assert data["command"] == "compare"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["catalog_checked"])
    for fw in data["frameworks"]:
        assert set(fw) == FRAMEWORK_KEYS, fw["id"]
        assert set(fw["facts"]) == FACT_NAMES
        for fact in [*fw["facts"].values(), fw["version"], fw["released"]]:
            assert set(fact) == FACT_KEYS, fw["id"]
        assert set(fw["maintenance"]) == MAINTENANCE_KEYS
        assert set(fw["links"]) == {"homepage", "docs", "source"}
        for score in fw["scores"].values():
            assert set(score) == {"value", "rationale"}
            assert 1 <= score["value"] <= 5


def test_compare_json_of_a_small_catalogue_is_exactly_its_data(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(catalog_yaml(framework_yaml("alpha")))

    fw = compare_json(cli, "--catalog", str(path))["frameworks"][0]

    assert fw["version"] == {
        "value": "1.0",
        "detail": "",
        "source": "package index",
        "checked": "2026-01-15",
    }
    assert fw["facts"]["interface"]["value"] == ["wsgi"]
    assert fw["facts"]["single_file"]["value"] is True
    assert fw["facts"]["dependencies"]["value"] == []
    assert fw["scores"]["docs"] == {"value": 3, "rationale": "Short but complete."}
    assert fw["installed_version"] is None
    assert fw["starter"] is None


def test_compare_markdown_is_a_github_table_with_one_row_per_framework(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    result = cli("compare", "--format", "markdown")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header, rule = lines[0], lines[1]
    columns = header.count("|") - 1
    assert header.startswith("| Framework | Description | Comparison notes |")
    assert rule == "|" + "---|" * columns
    rows = [line for line in lines[2:] if line.startswith("|")]
    assert len(rows) == len(bundled["frameworks"])
    for row, fw in zip(rows, bundled["frameworks"], strict=True):
        assert len(re.findall(r"(?<!\\)\|", row)) - 1 == columns
        assert row.startswith(f"| [{fw['name']}](")
    assert "\x1b" not in result.stdout


def test_compare_markdown_keeps_seed_text_on_one_row(
    cli: Callable[..., Result],
) -> None:
    result = cli("compare", "--format", "markdown", "--only", "bottle")

    row = result.stdout.splitlines()[2]
    assert SEED_DESCRIPTIONS["bottle"] in row
    assert SEED_NOTES["bottle"] in row


def test_compare_fits_an_80_column_terminal_and_names_every_framework(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    result = cli("compare", columns=80)

    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    for fw in bundled["frameworks"]:
        assert fw["name"] in result.stdout


@pytest.mark.parametrize("columns", [80, 200])
def test_compare_names_the_release_to_use_where_the_newest_needs_a_newer_python(
    cli: Callable[..., Result], bundled: dict[str, Any], columns: int
) -> None:
    django = next(fw for fw in bundled["frameworks"] if fw["id"] == "django")
    older = django["other_releases"][0]

    result = cli("compare", "--only", "django", columns=columns)

    assert result.exit_code == 0, result.output
    assert f"({older['version']}: {older['requires_python']})" in result.stdout


def test_compare_on_a_wide_terminal_gives_facts_their_own_columns(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    result = cli("compare", columns=200)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 200
    assert "Licence" in result.stdout and "Interface" in result.stdout
    for fw in bundled["frameworks"]:
        assert fw["name"] in result.stdout


def test_compare_caption_names_the_schema_and_checked_date(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    result = cli("compare", columns=200)

    assert f"facts checked {bundled['catalog_checked']}" in result.stdout
    assert f"schema {bundled['schema_version']}" in result.stdout


@pytest.mark.parametrize("name", ["CherryPy", "CHERRYPY", "cherrypy", " cherrypy "])
def test_show_finds_a_framework_whatever_the_case(cli: Callable[..., Result], name: str) -> None:
    result = cli("show", name)

    assert result.exit_code == 0, result.output
    assert "CherryPy" in result.stdout
    assert "pip install" in result.stdout


def test_show_matches_the_pypi_name_too(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(catalog_yaml(framework_yaml("alpha", pypi="alpha-web")))

    result = cli("show", "ALPHA-WEB", "--catalog", str(path))

    assert result.exit_code == 0, result.output
    assert "Alpha 1.0" in result.stdout
    assert "pip install alpha-web" in result.stdout


def test_show_of_every_seed_framework_by_its_pypi_name(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    for fw in bundled["frameworks"]:
        if fw["id"] in SEED_IDS:
            result = cli("show", fw["pypi"].upper(), "--format", "json")
            assert result.exit_code == 0, result.output
            assert json.loads(result.stdout)["id"] == fw["id"]


def test_show_of_a_misspelt_name_exits_2_and_suggests_the_right_one(
    cli: Callable[..., Result],
) -> None:
    result = cli("show", "flsk")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("fwpick: error: no framework called 'flsk'")
    assert "Did you mean 'flask'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_of_a_name_like_nothing_in_the_catalogue_lists_what_is_known(
    cli: Callable[..., Result],
) -> None:
    result = cli("show", "zzzzzz")

    assert result.exit_code == 2
    assert "Did you mean" not in result.stderr
    assert "Known: " in result.stderr and "flask" in result.stderr


def test_show_sources_reveals_where_and_when_each_fact_was_checked(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(catalog_yaml(framework_yaml("alpha")))

    plain = cli("show", "alpha", "--catalog", str(path), columns=120)
    sourced = cli("show", "alpha", "--sources", "--catalog", str(path), columns=120)

    assert sourced.exit_code == 0, sourced.output
    assert "wheel METADATA Requires-Python" not in plain.stdout
    assert "add --sources" in plain.stdout
    for source in ("wheel METADATA Requires-Python", "wheel METADATA License", "source: alpha.py"):
        assert source in sourced.stdout
    assert "Checked in" in sourced.stdout and "2026-01-15" in sourced.stdout


def test_show_sources_on_the_bundled_catalogue_shows_a_checked_column(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    result = cli("show", "flask", "--sources", columns=200)

    assert result.exit_code == 0, result.output
    flask = next(fw for fw in bundled["frameworks"] if fw["id"] == "flask")
    assert "Checked in" in result.stdout
    assert flask["facts"]["licence"]["checked"] in result.stdout


def test_show_panel_has_description_scores_links_and_install_command(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(catalog_yaml(framework_yaml("alpha")))

    result = cli("show", "alpha", "--catalog", str(path), columns=120)

    out = result.stdout
    assert "Alpha is a tiny test framework." in out
    assert "Comparison notes: Only here for the tests." in out
    assert "●●●○○" in out and "Short but complete." in out
    assert "https://docs.example.org/alpha/" in out
    assert "pip install alpha" in out
    assert "last release" in out


def test_show_json_is_one_framework_with_the_documented_keys(cli: Callable[..., Result]) -> None:
    result = cli("show", "Flask", "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == FRAMEWORK_KEYS | ENVELOPE_KEYS | {"best_fit", "installed_in"}
    assert data["command"] == "show"
    assert data["id"] == "flask"


def test_show_markdown_has_facts_and_scores_tables(cli: Callable[..., Result]) -> None:
    result = cli("show", "sanic", "--format", "markdown")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Sanic\n")
    assert "| Fact | Value | Checked in | When |" in result.stdout
    assert "| Criterion | Score | Why |" in result.stdout
    assert "pip install sanic" in result.stdout


def test_validate_says_the_bundled_catalogue_is_ok(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    result = cli("validate", columns=1000)

    assert result.exit_code == 0, result.output
    assert ": ok, " in result.stdout
    assert f"{len(bundled['frameworks'])} frameworks" in result.stdout
    assert result.stderr == ""


def test_validate_of_a_broken_catalogue_lists_each_problem_and_exits_1(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    alpha = framework_yaml("alpha").replace('    pypi: "alpha"\n', "")
    beta = framework_yaml("beta").replace("        value: true", "        value: yes")
    path = write_catalog(catalog_yaml(alpha, beta))

    result = cli("validate", str(path))

    assert result.exit_code == 1
    assert "(2 problems)" in result.stderr
    assert "framework 'alpha': field 'pypi': missing required field" in result.stderr
    assert "framework 'beta': field 'facts.single_file.value'" in result.stderr


def test_the_fwpick_catalog_variable_is_honoured(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog()

    result = cli("compare", "--format", "json", env={"FWPICK_CATALOG": str(path)})
    checked = cli("validate", env={"FWPICK_CATALOG": str(path)}, columns=200)

    assert [fw["id"] for fw in json.loads(result.stdout)["frameworks"]] == ["alpha", "beta"]
    assert f"{path}: ok, 2 frameworks" in checked.stdout


def test_the_catalog_option_wins_over_the_variable(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    env_path = write_catalog(name="from-env.yaml")
    option_path = write_catalog(catalog_yaml(framework_yaml("gamma")), name="from-option.yaml")

    result = cli(
        "compare",
        "--format",
        "json",
        "--catalog",
        str(option_path),
        env={"FWPICK_CATALOG": str(env_path)},
    )

    assert [fw["id"] for fw in json.loads(result.stdout)["frameworks"]] == ["gamma"]


def test_a_missing_catalogue_from_the_variable_is_a_clean_error(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = cli("compare", env={"FWPICK_CATALOG": str(tmp_path / "gone.yaml")})

    assert result.exit_code == 1
    assert result.stderr == f"fwpick: error: {tmp_path / 'gone.yaml'}: no such file\n"


def test_version_prints_the_package_version(cli: Callable[..., Result]) -> None:
    result = cli("--version")

    assert result.exit_code == 0
    assert result.stdout == f"fwpick {fwpick.__version__}\n"
    assert fwpick.__version__ == version("fwpick")


def test_shell_completion_offers_the_catalogue_names(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(
        catalog_yaml(framework_yaml("alpha"), framework_yaml("albatross"), framework_yaml("beta"))
    )

    result = cli(
        env={
            "_FWPICK_COMPLETE": "complete_bash",
            "COMP_WORDS": "fwpick show al",
            "COMP_CWORD": "2",
            "FWPICK_CATALOG": str(path),
        }
    )

    assert result.stdout.split() == ["alpha", "albatross"]


@pytest.mark.parametrize("columns", [80, 120, 150, 179, 180, 200])
def test_compare_loses_no_word_to_an_ellipsis_at_any_width(
    cli: Callable[..., Result], columns: int
) -> None:
    result = cli("compare", columns=columns)

    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= columns


def test_an_unknown_name_lists_only_the_first_known_names_of_a_big_catalogue(
    cli: Callable[..., Result], write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(catalog_yaml(*(framework_yaml(f"fw{n:02d}") for n in range(40))))

    result = cli("show", "zzz", "--catalog", str(path))

    assert result.exit_code == 2
    assert "fw14" in result.stderr and "fw15" not in result.stderr
    assert "and 25 more" in result.stderr


@pytest.mark.parametrize(
    ("shell", "env", "expected"),
    [
        (
            "bash",
            {"COMP_WORDS": "fwpick compare --only flask,BO", "COMP_CWORD": "3"},
            "flask,BOttle",
        ),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "fwpick compare --only flask,bo"}, "flask,bottle"),
    ],
)
def test_only_completes_the_name_after_the_last_comma_in_bash_and_zsh(
    cli: Callable[..., Result], shell: str, env: dict[str, str], expected: str
) -> None:
    result = cli(env={"_FWPICK_COMPLETE": f"complete_{shell}", **env})

    assert expected in result.stdout


def test_answer_values_complete_in_zsh_too(cli: Callable[..., Result]) -> None:
    result = cli(
        env={
            "_FWPICK_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "fwpick recommend --core ba",
        }
    )

    assert '"batteries"' in result.stdout


# --- measured throughput and footprint (fwpick bench) ---

MEASURED_KEYS = {"plaintext_ratio", "api_ratio", "distributions", "installed_mb", "import_ms"}


def _measured(bundled: dict[str, Any]) -> list[dict[str, Any]]:
    found = [fw for fw in bundled["frameworks"] if fw["measured"] is not None]
    assert found, "the bundled catalogue carries measured figures"
    return found


def _figures(fw: dict[str, Any]) -> tuple[str, str]:
    m = fw["measured"]
    ratios = f"{m['plaintext_ratio']['value']:.2f}x plaintext, {m['api_ratio']['value']:.2f}x api"
    return ratios, f"{m['distributions']['value']} dist"


def test_compare_json_gives_every_measured_framework_both_ratios_and_its_footprint(
    bundled: dict[str, Any],
) -> None:
    for fw in _measured(bundled):
        assert set(fw["measured"]) == MEASURED_KEYS, fw["id"]
        assert all(set(fact) == FACT_KEYS for fact in fw["measured"].values()), fw["id"]


def test_compare_tables_show_both_ratios_and_the_footprint_of_every_measured_framework(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    markdown = cli("compare", "--format", "markdown").stdout
    wide = cli("compare", columns=200).stdout
    compact = cli("compare", columns=150).stdout
    for fw in _measured(bundled):
        ratios, footprint = _figures(fw)
        row = next(line for line in markdown.splitlines() if line.startswith(f"| [{fw['name']}]"))
        assert ratios in row and footprint in row, fw["id"]
        for table in (wide, compact):
            # The table row whose first cell starts with the framework's name.
            (block,) = [
                b for b in table.split("├") if re.search(rf"^│ {re.escape(fw['name'])} +│", b, re.M)
            ]
            cells = " ".join(block.split())
            for figure in (*ratios.split(", "), footprint):
                assert figure in cells, (fw["id"], figure)


def test_show_gives_both_ratios_and_the_footprint_of_every_measured_framework(
    cli: Callable[..., Result], bundled: dict[str, Any]
) -> None:
    for fw in _measured(bundled):
        m = fw["measured"]
        data = json.loads(cli("show", fw["id"], "--format", "json").stdout)
        assert data["measured"] == m, fw["id"]
        text = " ".join(cli("show", fw["id"], columns=160).stdout.split())
        plain, api = (f"{m[k]['value']:.2f}x" for k in ("plaintext_ratio", "api_ratio"))
        assert f"Throughput {plain} (plaintext) and {api} (api)" in text, fw["id"]
        assert f"Footprint {m['distributions']['value']} distribution" in text, fw["id"]
