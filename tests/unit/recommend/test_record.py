"""The decision record's machine-readable block: written by --report, read back by review."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from builders import answers, make_catalog, make_framework
from markdown_it import MarkdownIt

from fwpick.errors import RecordError
from fwpick.output.decision_record import build_report
from fwpick.recommend.ranking import Ranking, rank
from fwpick.recommend.record import START, read_record

WRITTEN = date(2026, 2, 1)


def _ranking(**changes: str) -> Ranking:
    catalog = make_catalog(
        make_framework("alpha", docs=5, templating="x --> <!-- y"),
        make_framework("beta", requires_python=">=3.14"),
        make_framework("gamma", docs=2),
    )
    return rank(catalog, answers(**changes), python=(3, 11))


def _record(**changes: str) -> str:
    return build_report(_ranking(**changes), WRITTEN)


def test_a_record_reads_back_the_answers_python_catalogue_and_ranking_it_was_made_of() -> None:
    ranking = _ranking(docs="high")

    recorded = read_record(build_report(ranking, WRITTEN), "0001.md")

    assert recorded.answers == ranking.answers.as_dict()
    assert recorded.python == (3, 11)
    assert recorded.date == WRITTEN
    assert recorded.catalog.checked == ranking.catalog.checked
    assert recorded.leader == "alpha"
    assert recorded.close_call is False
    assert recorded.max_score == ranking.max_score
    assert [(e.id, e.rank, e.version, e.score) for e in recorded.entries] == [
        (e.framework.id, e.rank, e.release.version, e.score) for e in ranking.entries
    ]
    first = ranking.entries[0]
    assert {
        c: (found.points, found.evidence) for c, found in recorded.entries[0].criteria.items()
    } == {c.criterion: (c.points, c.evidence) for c in first.contributions}
    assert [(x.id, x.reason) for x in recorded.excluded] == [("beta", ranking.excluded[0].reason)]


def test_the_block_is_a_comment_markdown_hides_and_catalogue_text_cannot_close_it() -> None:
    text = _record()

    blocks = [t for t in MarkdownIt().parse(text) if t.type == "html_block"]
    (block,) = [t for t in blocks if t.content.startswith(START)]
    # The whole block is one comment, ended by its own last line only.
    assert block.content.rstrip("\n").endswith("\n-->")
    assert block.content.count("-->") == 1
    assert "fwpick_record" not in MarkdownIt().render(text).split(START)[0]
    # ... and the text that could have closed it is read back exactly.
    evidence = read_record(text, "r.md").entries[0].criteria["kind"].evidence
    assert "x --> <!-- y" in evidence


def test_the_block_closes_the_more_information_section() -> None:
    text = _record()

    more = text.split("\n## More Information\n", 1)[1]
    assert START in more
    assert "\n## " not in more


def test_edits_around_the_block_leave_it_readable() -> None:
    text = _record()
    fake = f"```markdown\n{START} an example quoted in the notes\n{{}}\n-->\n```\n"
    edited = (
        text.replace("status: proposed", "status: accepted")
        .replace(
            "## Decision Outcome\n", f"## Decision Outcome\n\nWe agreed. <!-- ok -->\n\n{fake}"
        )
        .replace("\n", "\r\n")
    ) + "\r\n## Later\r\n\r\nRevisited in March.\r\n"

    assert read_record(edited, "r.md") == read_record(text, "r.md")._replace(
        line=read_record(edited, "r.md").line
    )


def test_a_block_laid_out_again_by_hand_still_reads() -> None:
    text = _record()
    start = text.index(START)
    body_start = text.index("\n", start) + 1
    body_end = text.index("\n-->", body_start)
    data = json.loads(text[body_start:body_end])
    relaid = text[:body_start] + json.dumps(data, indent=4) + text[body_end:]

    assert read_record(relaid, "r.md") == read_record(text, "r.md")


def _line_of(text: str, piece: str) -> int:
    return text[: text.index(piece)].count("\n") + 1


def _damage(text: str, old: str, new: str) -> tuple[str, int]:
    """``text`` with ``old`` replaced once, and the line it was on."""
    assert text.count(old) == 1, old
    return text.replace(old, new), _line_of(text, old)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('"max_score": ', '"max_score": twelve', "not valid JSON"),
        ('"leader": "alpha"', '"leader": 3', "leader"),
        ('"date": "2026-02-01"', '"date": "1st of February"', "date"),
        ('"python": "3.11"', '"python": "eleven"', "python"),
        ('"fwpick_record": 1', '"fwpick_record": 9', "newer fwpick"),
        ('"leader": "alpha"', '"leader": "omega"', "omega"),
    ],
    ids=["broken JSON", "wrong type", "bad date", "bad python", "newer format", "unknown leader"],
)
def test_a_damaged_block_is_an_error_naming_the_file_and_line(
    old: str, new: str, words: str
) -> None:
    damaged, line = _damage(_record(), old, new)

    with pytest.raises(RecordError) as caught:
        read_record(damaged, "docs/0001.md")

    assert str(caught.value).startswith(f"docs/0001.md:{line}: ")
    assert words in str(caught.value)
    assert caught.value.exit_code == 2


def test_a_damaged_ranked_framework_is_reported_on_its_own_line() -> None:
    text = _record()
    row = next(line for line in text.splitlines() if line.startswith('{"rank": 2,'))
    damaged = text.replace(row, re.sub(r'"score": [0-9.]+', '"score": "high"', row))

    with pytest.raises(RecordError, match=rf"^r\.md:{_line_of(text, row)}: .*score"):
        read_record(damaged, "r.md")


def test_a_file_without_a_block_or_with_an_unclosed_or_second_block_is_an_error() -> None:
    text = _record()
    unclosed = text.replace("\n-->\n", "\n")
    twice = text + "\n" + text[text.index(START) :]

    with pytest.raises(RecordError, match=r"^notes\.md: no fwpick block"):
        read_record("# Our notes\n\nNothing here.\n", "notes.md")
    with pytest.raises(RecordError, match=rf"^r\.md:{_line_of(text, START)}: .*never closed"):
        read_record(unclosed, "r.md")
    with pytest.raises(RecordError, match=r"^r\.md:\d+: a second fwpick block"):
        read_record(twice, "r.md")


def test_hostile_text_in_a_hand_edited_block_is_read_cleaned() -> None:
    text = _record()
    hostile = text.replace('"name": "Alpha"', '"name": "Al\\u001b[31mpha\\u202e"', 1)

    recorded = read_record(hostile, "r.md")

    assert recorded.entries[0].name == "Al[31mpha"
