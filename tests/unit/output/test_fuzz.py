"""Fuzzing the readers and the renderers: any input gives a result or fwpick's error.

The catalogue and answers readers get arbitrary bytes, YAML-like token soup,
arbitrary YAML structures and mutations of the bundled catalogue; each either
returns a valid result or raises :class:`~fwpick.errors.FwpickError`, never
another exception.  Every renderer gets catalogues whose prose and names hold
arbitrary text (controls, bidi and zero-width characters, Rich markup) and must
not fail nor let a control character through.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import answer_sets
from conftest import BUNDLED_CATALOG, catalog_yaml, framework_yaml, replace_once
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from fwpick import output
from fwpick.catalog.model import Catalog
from fwpick.catalog.schema import catalog_from_bytes
from fwpick.errors import FwpickError
from fwpick.output.decision_record import build_report
from fwpick.recommend.quiz import BY_ID, QUESTIONS, Answers, load_answers_file
from fwpick.recommend.ranking import rank
from fwpick.recommend.record import read_record
from fwpick.recommend.review import review

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BUNDLED = BUNDLED_CATALOG.read_bytes()

# --- inputs ------------------------------------------------------------------

# Pieces of text that have meant trouble for terminals, Rich or Markdown.
_HOSTILE_PIECES = (
    "[bold]",
    "[/]",
    "[/bold]",
    "[link=x]",
    "[link=https://evil.example]",
    "[/link]",
    "[red on white]",
    "\\[",
    "\x1b[31m",
    "\x1b]0;PWNED\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x9b2J",
    "\x85",
    "\x7f",
    "\x00",
    "\r",
    "\x08",
    "\n",
    "\t",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u200f",
    "\u061c",
    "\u2028",
    "# heading",
    "\n## section\n",
    "|",
    "`",
    "```",
    "<script>",
    "](x)",
    "&amp;",
    "*",
    "_",
    "e\u0301",
    "\U0001f600",
    "ﬁ",
)
hostile_text = st.lists(
    st.one_of(st.sampled_from(_HOSTILE_PIECES), st.text(max_size=6)), max_size=10
).map("".join)


_YAML_TOKENS = (
    "schema_version: 1\n",
    "checked: 2026-01-15\n",
    "frameworks:\n",
    "- ",
    "  ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!python/object:os.system ",
    "!!timestamp ",
    "!!float ",
    "!!int ",
    "!!str ",
    "!foo ",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "#",
    '"',
    "'",
    "\\x1b",
    "\\u202e",
    "\t",
    "\n",
    "\r\n",
    "\ufeff",
    "\x85",
    "\u2028",
    "2026-02-30",
    "2026-13-45 10:00:00",
    "0x1F",
    "0o17",
    "1_000",
    "1:30:00",
    ".nan",
    "-.inf",
    "1e999",
    "9" * 30,
    "~",
    "null",
    "yes",
    "no",
    "=",
    "id",
    "name",
    "docs",
    "high",
    "required",
    "é",
    "\U0001f600",
)

yaml_soup = st.lists(st.sampled_from(_YAML_TOKENS), max_size=40).map("".join)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), children, max_size=4),
    ),
    max_leaves=20,
)


def dump(data: Any) -> bytes:
    # Not sorted: keys of mixed types cannot be.
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


def _scalar_paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _scalar_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _scalar_paths(value, (*path, index))
    else:
        yield path


_BUNDLED_DATA = yaml.safe_load(BUNDLED)
_BUNDLED_PATHS = list(_scalar_paths(_BUNDLED_DATA))


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


_BUNDLED_TEXT_PATHS = [p for p in _BUNDLED_PATHS if isinstance(_value_at(_BUNDLED_DATA, p), str)]


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _set(data[path[0]], path[1:], value)
    return copy


@st.composite
def mutated_catalogues(draw: st.DrawFn) -> bytes:
    """The bundled catalogue with one to three scalars replaced by something else.

    Half the time a text is replaced by other text, which often leaves the
    catalogue valid, so that the renderers see it too.
    """
    data = _BUNDLED_DATA
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            data = _set(data, draw(st.sampled_from(_BUNDLED_TEXT_PATHS)), draw(hostile_text))
        else:
            data = _set(data, draw(st.sampled_from(_BUNDLED_PATHS)), draw(structures))
    return dump(data)


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    """The bundled catalogue's bytes with a few bytes changed, removed or inserted."""
    data = bytearray(BUNDLED)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        what = draw(st.sampled_from(("flip", "cut", "insert")))
        if what == "flip":
            data[at] = draw(st.integers(0, 255))
        elif what == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


any_bytes = st.one_of(
    st.binary(max_size=400),
    yaml_soup.map(lambda text: text.encode("utf-8")),
    st.text(max_size=200).map(lambda text: text.encode("utf-8")),
)


# --- readers -----------------------------------------------------------------

# Found by this file: an empty or sign-only scalar tagged !!int or !!float
# (`!!float`, `docs: !!int`, `!!int "-"`) made PyYAML index an empty string.
KNOWN_EMPTY_NUMBER = (b"!!float", b"!!int", b"docs: !!int\n", b'!!int "-"', b"- !!float _")


@pytest.mark.parametrize("reader", ["catalogue", "answers"])
@pytest.mark.parametrize("data", KNOWN_EMPTY_NUMBER)
def test_an_empty_number_tag_is_fwpicks_error(answers_file: Path, data: bytes, reader: str) -> None:
    answers_file.write_bytes(data)
    with pytest.raises(FwpickError):
        if reader == "catalogue":
            catalog_from_bytes(data, "fuzz.yaml")
        else:
            load_answers_file(answers_file)


def read_catalogue(data: bytes) -> Catalog | None:
    """The catalogue, or None when fwpick refused it with its own error."""
    try:
        catalog = catalog_from_bytes(data, "fuzz.yaml")
    except FwpickError as error:
        assert str(error)
        event("catalogue refused")
        return None
    event("catalogue read")
    assert isinstance(catalog, Catalog)
    assert catalog.frameworks
    return catalog


@pytest.fixture(scope="module")
def answers_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "answers.yaml"


def read_answers(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        answers = load_answers_file(path)
    except FwpickError as error:
        assert str(error)
        event("answers refused")
        return
    event("answers read")
    for qid, choice in answers.items():
        assert choice in BY_ID[qid].choices


@FUZZ
@given(any_bytes)
def test_any_bytes_give_a_catalogue_or_fwpicks_error(data: bytes) -> None:
    read_catalogue(data)


@settings(FUZZ, max_examples=40)
@given(mutated_bytes())
def test_the_bundled_catalogue_with_bytes_changed_gives_a_catalogue_or_fwpicks_error(
    data: bytes,
) -> None:
    read_catalogue(data)


@FUZZ
@given(structures)
def test_any_yaml_structure_gives_a_catalogue_or_fwpicks_error(data: Any) -> None:
    read_catalogue(dump(data))
    read_catalogue(dump({"schema_version": 1, "checked": date(2026, 1, 15), "frameworks": [data]}))


@settings(FUZZ, max_examples=40)
@given(mutated_catalogues(), answer_sets)
def test_the_bundled_catalogue_with_values_replaced_is_read_or_refused_and_renders(
    data: bytes, answers: Answers
) -> None:
    catalog = read_catalogue(data)
    if catalog is not None:
        assert_clean(render_everything(catalog, answers), CONTROL)


@FUZZ
@given(st.one_of(any_bytes, structures.map(dump)))
def test_any_answers_file_gives_answers_or_fwpicks_error(answers_file: Path, data: bytes) -> None:
    read_answers(answers_file, data)


@FUZZ
@given(
    st.dictionaries(
        st.one_of(st.sampled_from([q.id for q in QUESTIONS]), st.text(max_size=8)),
        st.one_of(st.sampled_from(["high", "required", "api", " Low ", "both"]), structures),
        max_size=10,
    )
)
def test_any_question_answer_mapping_gives_answers_or_fwpicks_error(
    answers_file: Path, data: dict[str, Any]
) -> None:
    read_answers(answers_file, dump(data))


# --- renderers ---------------------------------------------------------------

# C0 and C1 controls other than newline and tab, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi controls and zero-width characters.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u061c]")


def yaml_quoted(text: str) -> str:
    """Any text as a YAML double-quoted scalar; unlike JSON, with no surrogate pairs."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def hostile_catalogue(texts: dict[str, str]) -> bytes:
    """alpha with hostile text in every free-text field, and a plain beta."""
    alpha = framework_yaml(
        "alpha",
        name="@name@",
        description="@description@",
        notes="@notes@",
        rationale="@rationale@",
        version="@version@",
    )
    alpha = replace_once(
        alpha,
        "source: wheel METADATA License\n",
        'source: "@source@"\n        detail: "@detail@"\n',
    )
    alpha += '    seed_claims:\n      - claim: "@claim@"\n        current: "@current@"\n'
    # Each field keeps a plain word, so it is never empty once cleaned.
    for field, text in texts.items():
        alpha = replace_once(alpha, f'"@{field}@"', yaml_quoted(f"{text} {field}"))
    return catalog_yaml(alpha, framework_yaml("beta")).encode("utf-8")


_FIELDS = ("name", "description", "notes", "rationale", "version")
_FIELDS += ("source", "detail", "claim", "current")
hostile_fields = st.fixed_dictionaries({field: hostile_text for field in _FIELDS})


def _show(rendered: Any, width: int) -> str:
    """What a renderer's output prints as, at ``width`` columns."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False)
    for part in rendered if isinstance(rendered, list) else [rendered]:
        if isinstance(part, str):
            buffer.write(part)
        elif isinstance(part, output.Unwrapped):
            console.print(part.text, soft_wrap=True)
        else:
            console.print(part)
    return buffer.getvalue()


def render_everything(catalog: Catalog, answers: Answers) -> dict[str, str]:
    """Every output fwpick makes of a catalogue and a ranking: each view, format and width."""
    today = catalog.checked
    frameworks = catalog.frameworks
    ranking = rank(catalog, answers)
    record = build_report(ranking, date(2026, 12, 1))
    # Reviewed against itself, and against the catalogue less its first framework
    # and with the others renamed, so that every change and finding is written.
    fewer = catalog._replace(
        frameworks=tuple(fw._replace(name=f"{fw.name}!") for fw in frameworks[1:]), digest="x"
    )
    reviews = tuple(review(read_record(record, "r\x1b.md"), c, None) for c in (catalog, fewer))
    models: dict[str, list[tuple[str, object]]] = {
        "review": [("", output.ReviewView(catalog, reviews))],
        "compare": [("", output.CatalogView(catalog, frameworks, today, {}))],
        "validate": [("", output.ValidationView(catalog.path, catalog, (), 0))],
        "recommend": [("", output.RankingView(ranking))],
        "show": [
            (f" {fw.id} {sources}", output.FrameworkView(catalog, fw, today, "1.0", sources))
            for fw in frameworks
            for sources in (True, False)
        ],
    }
    out = {"decision record": record}
    for view, cases in models.items():
        for fmt in output.formats(view):
            for label, model in cases:
                for width in (30, 80, 200):
                    rendered = output.render(view, fmt, model, width)
                    out[f"{view}{label} {fmt} {width}"] = _show(rendered, width)
    return out


def assert_clean(outputs: dict[str, str], forbidden: re.Pattern[str]) -> None:
    for name, text in outputs.items():
        found = forbidden.search(text)
        assert found is None, f"{name}: {found.group()!r} at {found.start()}: {text!r}"


def _hostile_catalog(texts: dict[str, str]) -> Catalog:
    catalog = read_catalogue(hostile_catalogue(texts))
    assert catalog is not None, "hostile text in free-text fields must still load"
    return catalog


@settings(FUZZ, max_examples=50)
@given(hostile_fields, answer_sets)
@example(dict.fromkeys(_FIELDS, "".join(_HOSTILE_PIECES)), Answers.defaults())
def test_every_renderer_takes_any_catalogue_text_without_letting_a_control_through(
    texts: dict[str, str], answers: Answers
) -> None:
    outputs = render_everything(_hostile_catalog(texts), answers)

    assert_clean(outputs, CONTROL)


@settings(FUZZ, max_examples=50)
@given(hostile_fields, answer_sets)
@example(dict.fromkeys(_FIELDS, "".join(_HOSTILE_PIECES)), Answers.defaults())
def test_every_renderer_drops_bidi_controls_and_zero_width_characters(
    texts: dict[str, str], answers: Answers
) -> None:
    outputs = render_everything(_hostile_catalog(texts), answers)

    assert_clean(outputs, INVISIBLE)
