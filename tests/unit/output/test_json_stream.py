"""JSON written a piece at a time is the same text ``json.dumps(indent=2)`` writes, and the
compare JSON from texts kept with a cached catalogue is the plain renderer's."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import varied_catalog_yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fwpick.catalog import cache as catalog_cache
from fwpick.catalog.filters import Selection
from fwpick.output import CatalogView
from fwpick.output.catalog_text import compare_json
from fwpick.output.json_stream import Template, document, dumps, hole, json_list, scalar

# Strings as a catalogue can hold them: any text but NUL, which marks a hole.
text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


def plain(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(scalars)
def test_a_scalar_is_written_as_the_encoder_writes_it(value: Any) -> None:
    assert scalar(value) == plain(value)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, max_size=30), st.integers(0, 3))
def test_a_list_written_an_item_at_a_time_is_the_encoders_list(
    items: list[Any], level: int
) -> None:
    written = "".join(json_list([dumps(item, level + 1) for item in items], level))

    assert written == dumps(items, level)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(text, values, max_size=5), values, values, st.integers(0, 3))
def test_a_template_filled_in_is_the_encoders_text(
    rest: dict[str, Any], first: Any, second: Any, level: int
) -> None:
    value = {**rest, "\x01first": hole("first"), "\x01second": hole("second")}
    template = Template(value, level, ("first", "second"))

    filled = template.fill(dumps(first, level + 1), dumps(second, level + 1))

    assert filled == dumps({**rest, "\x01first": first, "\x01second": second}, level)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(text, values, max_size=5), st.lists(values, max_size=1200))
def test_a_document_with_its_long_list_streamed_is_the_encoders_document(
    rest: dict[str, Any], items: list[Any]
) -> None:
    # More items than one piece of output holds, so that the batches join up.
    top = {**rest, "\x01items": hole("items")}

    pieces = list(document(top, {"items": (dumps(item, 2) for item in items)}))

    assert "".join(pieces) == plain({**rest, "\x01items": items}) + "\n"


@pytest.mark.parametrize("day", [date(2026, 1, 15), date(2026, 3, 1), date(2031, 12, 31)])
def test_compare_json_from_kept_texts_is_the_plain_renderers_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_catalog: Callable[..., Path], day: date
) -> None:
    # Maintenance is worked out on the day of the run, whenever the texts were kept.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = write_catalog(varied_catalog_yaml(60, seed=3))
    catalog_cache.load_catalog(path)  # fills the cache
    catalog = catalog_cache.load_catalog(path)
    installed = {"fw000": "0.1", "fw059": "9.9"}
    for numbers in ([*range(60)], [59, 3, 0], []):
        for avoided in (False, True):
            chosen = Selection(catalog.frameworks, numbers)
            view = CatalogView(catalog, chosen, day, installed, avoided, "the test's venv")
            streamed = compare_json(view, 80)
            plain = compare_json(view._replace(frameworks=tuple(chosen)), 80)

            assert not isinstance(streamed, str)
            # The kept texts come as UTF-8 bytes, to be written as they are.
            text = "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in streamed)
            assert text == plain
