"""Big catalogues: the ranking table shows the top rows, compare says how to narrow the list.

JSON (and Markdown) always carry every framework; only the tables for people
are cut short, and they say by how much and how to see the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import catalog_yaml, framework_yaml, replace_once
from typer.testing import Result

from fwpick.output import COMPARE_MAX_ROWS, TOP_ROWS

Cli = Callable[..., Result]


def _framework(number: int, *, interface: str = "wsgi", async_handlers: str = "no") -> str:
    text = framework_yaml(f"fw{number:03d}")
    text = replace_once(text, "value: [wsgi]\n", f"value: [{interface}]\n")
    return replace_once(text, 'value: "no"\n', f'value: "{async_handlers}"\n')


@pytest.fixture
def catalog_of(write_catalog: Callable[..., Path]) -> Callable[..., Path]:
    """A catalogue of ``count`` frameworks fw000, fw001, ...; every third one is async, ASGI."""

    def write(count: int) -> Path:
        entries = [
            _framework(n, interface="asgi", async_handlers="yes") if n % 3 == 0 else _framework(n)
            for n in range(count)
        ]
        return write_catalog(catalog_yaml(*entries))

    return write


def _ranked_ids(cli: Cli, path: Path, *args: str) -> list[str]:
    result = cli("recommend", "--defaults", "--catalog", str(path), *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [entry["id"] for entry in json.loads(result.stdout)["ranking"]]


def _stacked_rows(output: str) -> list[str]:
    """The "N. Name" heads of the stacked ranking, in the order printed."""
    return re.findall(r"^(\d+)\. (Fw\d+)", output, flags=re.MULTILINE)


# --- recommend ----------------------------------------------------------------


def test_the_ranking_shows_the_top_rows_and_says_how_many_more_there_are(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    path = catalog_of(TOP_ROWS + 7)
    every = _ranked_ids(cli, path)

    result = cli("recommend", "--defaults", "--catalog", str(path), columns=80)

    assert result.exit_code == 0, result.output
    shown = _stacked_rows(result.stdout)
    assert [name.lower() for _, name in shown] == every[:TOP_ROWS]
    out = " ".join(result.stdout.split())
    assert f"the top {TOP_ROWS} of {TOP_ROWS + 7} ranked" in out
    assert "7 more frameworks ranked, not shown: --all prints every row" in out


def test_the_ranking_table_stops_at_the_top_rows_too(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    path = catalog_of(TOP_ROWS + 1)

    result = cli("recommend", "--defaults", "--catalog", str(path), columns=140)

    assert result.exit_code == 0, result.output
    assert re.search(rf"│ +{TOP_ROWS} │", result.stdout)
    assert not re.search(rf"│ +{TOP_ROWS + 1} │", result.stdout)
    assert "1 more framework ranked, not shown" in " ".join(result.stdout.split())


def test_all_prints_every_row_of_the_ranking(cli: Cli, catalog_of: Callable[..., Path]) -> None:
    path = catalog_of(TOP_ROWS + 7)

    result = cli("recommend", "--defaults", "--all", "--catalog", str(path), columns=80)

    assert result.exit_code == 0, result.output
    assert [name.lower() for _, name in _stacked_rows(result.stdout)] == _ranked_ids(cli, path)
    assert "not shown" not in result.stdout


def test_a_short_ranking_is_printed_whole_without_a_note(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    path = catalog_of(TOP_ROWS)

    result = cli("recommend", "--defaults", "--catalog", str(path), columns=80)

    assert len(_stacked_rows(result.stdout)) == TOP_ROWS
    assert "not shown" not in result.stdout
    assert f"({TOP_ROWS} of {TOP_ROWS} frameworks)" in result.stdout


def test_the_excluded_frameworks_are_cut_short_the_same_way(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    # Two in three frameworks have no async handlers, so --async required excludes them.
    path = catalog_of(3 * TOP_ROWS)
    args = ("recommend", "--defaults", "--async", "required", "--catalog", str(path))

    short = cli(*args, columns=80)
    everything = cli(*args, "--all", columns=80)

    excluded = 2 * TOP_ROWS
    out = " ".join(short.stdout.split())
    assert out.count("native async is required") == TOP_ROWS
    assert f"{excluded - TOP_ROWS} more frameworks excluded, not shown" in out
    assert " ".join(everything.stdout.split()).count("native async is required") == excluded


def test_json_and_markdown_list_every_framework_whatever_the_table_shows(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    path = catalog_of(TOP_ROWS + 7)

    markdown = cli("recommend", "--defaults", "--catalog", str(path), "--format", "markdown")

    assert len(_ranked_ids(cli, path)) == TOP_ROWS + 7
    assert len(re.findall(r"^\| \d+ \| Fw\d+ \|", markdown.stdout, flags=re.MULTILINE)) == (
        TOP_ROWS + 7
    )


# --- compare ------------------------------------------------------------------


def test_compare_of_a_big_catalogue_says_how_to_narrow_it_instead_of_a_table(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    count = COMPARE_MAX_ROWS + 1
    path = catalog_of(count)

    result = cli("compare", "--catalog", str(path), columns=120)

    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert f"{count} frameworks match: too many for one table" in out
    assert "--only NAME,NAME" in out and "--all" in out and "--format json" in out
    # How many each filter would keep: 17 of the 51 are ASGI with async handlers.
    assert "--interface LIST (interface: wsgi 34, asgi 17, own-server 0)" in out
    assert "--async LIST (async handlers: yes 17, partly 0, no 34)" in out
    assert "Fw000" not in out and "│" not in out


def test_compare_prints_the_table_up_to_the_limit(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    result = cli("compare", "--catalog", str(catalog_of(COMPARE_MAX_ROWS)), columns=120)

    assert result.exit_code == 0, result.output
    assert f"{COMPARE_MAX_ROWS} of {COMPARE_MAX_ROWS}" in result.stdout
    assert "Fw049" in result.stdout


def test_compare_all_prints_the_table_of_a_big_catalogue(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    count = COMPARE_MAX_ROWS + 1

    result = cli("compare", "--all", "--catalog", str(catalog_of(count)), columns=120)

    assert result.exit_code == 0, result.output
    assert f"{count} of {count}" in result.stdout
    assert "Fw000" in result.stdout and f"Fw{count - 1:03d}" in result.stdout


def test_compare_json_lists_every_framework_of_a_big_catalogue(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    count = COMPARE_MAX_ROWS + 1

    result = cli("compare", "--catalog", str(catalog_of(count)), "--format", "json")

    assert len(json.loads(result.stdout)["frameworks"]) == count


def test_a_filter_that_narrows_a_big_catalogue_enough_gives_the_table(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    path = catalog_of(COMPARE_MAX_ROWS + 1)

    result = cli("compare", "--interface", "ASGI", "--catalog", str(path), columns=120)

    assert result.exit_code == 0, result.output
    assert f"17 of {COMPARE_MAX_ROWS + 1}" in result.stdout
    assert "Fw003" in result.stdout and "Fw001" not in result.stdout


def test_filters_keep_frameworks_with_any_of_the_values_given(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    path = str(catalog_of(6))

    def ids(*args: str) -> list[str]:
        result = cli("compare", *args, "--catalog", path, "--format", "json")
        assert result.exit_code == 0, result.output
        return [fw["id"] for fw in json.loads(result.stdout)["frameworks"]]

    assert ids("--async", "yes") == ["fw000", "fw003"]
    assert ids("--async", "yes,no") == [f"fw{n:03d}" for n in range(6)]
    assert ids("--async", "no", "--interface", "asgi") == []
    assert ids("--interface", "wsgi", "--only", "fw001,fw000") == ["fw001"]


def test_an_unknown_filter_value_exits_2_and_lists_the_valid_ones(
    cli: Cli, catalog_of: Callable[..., Path]
) -> None:
    result = cli("compare", "--async", "yes,required", "--catalog", str(catalog_of(2)))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--async: 'required' is not one of yes, partly, no" in result.stderr
    assert "Traceback" not in result.stderr


def test_filter_values_complete_after_the_last_comma(cli: Cli) -> None:
    env = {
        "_FWPICK_COMPLETE": "complete_bash",
        "COMP_WORDS": "fwpick compare --interface wsgi,as",
        "COMP_CWORD": "3",
    }

    result = cli(env=env)

    assert result.stdout.split() == ["wsgi,asgi"]
