"""At every width from 0 to 200 columns every command prints all of its content.

A long word may fold across lines but nothing is cut: every word of the
bundled catalogue's text is found in the output once whitespace and box
drawing are removed, and Rich's ellipsis never appears.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator

import pytest
from typer.testing import Result

from fwpick.catalog import load_catalog
from fwpick.catalog.model import Framework
from fwpick.output.catalog_text import fact_rows, interface_label, python_requirement
from fwpick.recommend.ranking import rank

Cli = Callable[..., Result]

WIDTHS = (0, 1, 10, 20, 30, 40, 50, 60, 79, 80, 120, 179, 180, 200)
CATALOG = load_catalog(None)
_NOT_CONTENT = re.compile(r"[\s\u2500-\u257f]")


def _squashed(output: str) -> str:
    return _NOT_CONTENT.sub("", output)


def _layout_width(columns: int) -> int:
    """The width fwpick lays out for: 0 is "not known" (80), and never under 20."""
    return 80 if columns == 0 else max(columns, 20)


def _words(*texts: str) -> Iterator[str]:
    for text in texts:
        yield from text.split()


def assert_all_printed(result: Result, columns: int, *texts: str) -> None:
    assert result.exit_code == 0, result.output
    output = result.stdout
    assert "\u2026" not in output, "an ellipsis means something was cut"
    squashed = _squashed(output)
    missing = [word for word in _words(*texts) if word not in squashed]
    assert missing == [], f"cut at {columns} columns: {missing[:10]}"
    width = _layout_width(columns)
    for line in output.splitlines():
        if not line.startswith("Same answers without the quiz:"):
            assert len(line) <= width, f"line wider than {width}: {line!r}"


def _compare_texts(fw: Framework) -> list[str]:
    f = fw.facts
    return [
        fw.name,
        fw.version.value,
        fw.description,
        fw.comparison_notes,
        *(claim.current for claim in fw.seed_claims),
        str(f.async_handlers.value),
        interface_label(f.interface.value),
        str(f.server.value),
        str(f.licence.value),
        python_requirement(fw, " "),
    ]


@pytest.mark.parametrize("columns", WIDTHS)
def test_compare_prints_every_framework_whole_at_any_width(cli: Cli, columns: int) -> None:
    result = cli("compare", columns=columns)

    texts = [text for fw in CATALOG.frameworks for text in _compare_texts(fw)]
    assert_all_printed(result, columns, *texts)


@pytest.mark.parametrize("sources", [False, True], ids=["show", "show --sources"])
@pytest.mark.parametrize("columns", WIDTHS)
def test_show_prints_every_fact_whole_at_any_width(cli: Cli, columns: int, sources: bool) -> None:
    for fw in CATALOG.frameworks:
        args = ["show", fw.id] + (["--sources"] if sources else [])
        result = cli(*args, columns=columns)

        texts = [fw.name, fw.description, fw.comparison_notes]
        texts += [value for _, value, _ in fact_rows(fw)]
        texts += [score.rationale for score in fw.scores.values()]
        texts += [fw.links.homepage, fw.links.docs, fw.links.source]
        if sources:
            texts += [fact.source for _, _, fact in fact_rows(fw)]
        assert_all_printed(result, columns, *texts)


@pytest.mark.parametrize("columns", WIDTHS)
def test_recommend_prints_every_ranked_framework_whole_at_any_width(cli: Cli, columns: int) -> None:
    from fwpick.recommend import quiz

    ranking = rank(CATALOG, quiz.complete({}, True), python=sys.version_info[:2])
    # Every row, not only the top ones: each must survive every width.
    result = cli("recommend", "--defaults", "--all", columns=columns)

    texts = [ranking.verdict(), ranking.what_if_text()]
    for entry in ranking.entries:
        texts += [entry.framework.name, entry.framework.comparison_notes, *entry.reasons()]
    assert_all_printed(result, columns, *texts)


@pytest.mark.parametrize("columns", WIDTHS)
def test_recommend_lists_every_excluded_framework_whole_at_any_width(
    cli: Cli, columns: int
) -> None:
    from fwpick.recommend import quiz

    answers = {"single_file": "required"}
    ranking = rank(CATALOG, quiz.complete(answers, True))
    assert ranking.excluded, "the test needs a hard constraint that excludes someone"
    result = cli("recommend", "--single-file", "required", "--defaults", "--all", columns=columns)

    texts = [text for ex in ranking.excluded for text in (ex.framework.name, ex.reason)]
    assert_all_printed(result, columns, *texts)


@pytest.mark.parametrize("columns", WIDTHS)
def test_validate_prints_every_name_whole_at_any_width(cli: Cli, columns: int) -> None:
    result = cli("validate", columns=columns)

    assert_all_printed(result, columns, *(fw.name for fw in CATALOG.frameworks))


@pytest.mark.parametrize("columns", [0, 1])
@pytest.mark.parametrize(
    "args", [("compare",), ("show", "flask"), ("recommend", "--defaults"), ("validate",)]
)
def test_a_width_of_0_or_1_still_prints_the_content(
    cli: Cli, columns: int, args: tuple[str, ...]
) -> None:
    result = cli(*args, columns=columns)

    assert result.exit_code == 0, result.output
    assert "Flask" in result.stdout
    assert len(result.stdout.splitlines()) > 1 or args == ("validate",)


def test_the_stacked_layout_is_used_below_the_table_threshold(cli: Cli) -> None:
    narrow = cli("recommend", "--defaults", columns=60)
    wide = cli("recommend", "--defaults", columns=120)

    assert "Why (points):" in narrow.stdout and "\u2502" not in narrow.stdout
    assert "\u2502" in wide.stdout  # a table, with its column rules
