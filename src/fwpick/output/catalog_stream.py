"""``compare --format json`` of a cached catalogue, a piece at a time.

Each framework's JSON is the same whenever it is asked for, but for two
values: its maintenance (months since its release, on the day of the run) and
the version installed where fwpick looked.  So the text of each framework,
cut at those two, is worked out once and kept with the cached catalogue
(:meth:`~fwpick.catalog.cache.CachedFrameworks.derived_records`); a run reads
it back framework by framework and fills in the two.  At 10,000 frameworks
that is 100 MB of JSON written in a fraction of a second and never held in
memory whole.  The kept texts are UTF-8 bytes, written out as they are where
stdout takes UTF-8: decoding and encoding 100 MB again would cost more than
the rest.  A test compares the text with the plain renderer's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple, cast

from fwpick.catalog import model
from fwpick.catalog.cache import CachedFrameworks
from fwpick.catalog.filters import Selection
from fwpick.catalog.model import framework_keys
from fwpick.output import CatalogView, enveloped
from fwpick.output.catalog_text import compare_data, framework_dict, maintenance_dict
from fwpick.output.json_stream import BATCH, Runs, Template, document, hole, scalar, separator

# The modules whose code decides a framework's JSON text (for the kept copy).
MODULES = (
    "output/catalog_stream.py",
    "output/catalog_text.py",
    "output/json_stream.py",
    "output/words.py",
)
# Where the framework's level of the document is: a list in the top-level object.
_LEVEL = 2


class _Released(NamedTuple):
    """What a framework's maintenance is worked out from, as the plain renderer reads it."""

    released: model.Fact
    release_history: model.ReleaseHistory | None

    def months_since_release(self, today: date) -> int:
        return model.Framework.months_since_release(cast(model.Framework, self), today)


def streams(view: CatalogView) -> bool:
    """Whether ``view`` is some of a cached catalogue's frameworks, whose texts can be kept."""
    chosen = view.frameworks
    return isinstance(chosen, Selection) and isinstance(chosen.frameworks, CachedFrameworks)


def compare_pieces(view: CatalogView) -> Iterator[str | bytes]:
    """The text of ``compare_json(view)``, a piece at a time: the frameworks as UTF-8 bytes."""
    chosen = view.frameworks
    assert isinstance(chosen, Selection) and isinstance(chosen.frameworks, CachedFrameworks)
    every = chosen.frameworks
    kept = every.derived_records("compare", MODULES, lambda: _texts(every))
    # What each framework's maintenance is worked out from (its release day
    # and history): one list of plain values, unpickled at once.  Frameworks
    # with the same ones share their maintenance, worked out once a run.
    released = every.derived("released", MODULES, lambda: [_released(fw) for fw in every])
    if not isinstance(released, list) or len(released) != len(every):  # a tampered cache
        released = [_released(fw) for fw in every]
    maintenance: dict[tuple[int, model.ReleaseHistory | None], bytes] = {}
    keys = framework_keys(every)
    layout = _maintenance_template()
    between = separator(_LEVEL - 1).encode()
    installed = {ident: scalar(version).encode() for ident, version in view.installed.items()}

    def runs() -> Iterator[bytes]:
        parts: list[bytes | memoryview] = []
        for number, record in zip(chosen.numbers, kept.every(chosen.numbers), strict=True):
            # Views, not copies, of the three pieces: the join below copies them once.
            first = record.index(0)
            second = record.index(0, first + 1)
            text = memoryview(record)
            inputs = released[number]
            made = maintenance.get(inputs)
            if made is None:
                made = maintenance[inputs] = _maintenance(layout, inputs, view.today)
            version = installed.get(keys[number][0], b"null") if installed else b"null"
            parts += (between, text[:first], made, text[first + 1 : second], version)
            parts.append(text[second + 1 :])
            if len(parts) == 6 * BATCH:
                parts[0] = b""  # the run's first item: json_list writes what comes before it
                yield b"".join(parts)
                parts = []
        if parts:
            parts[0] = b""
            yield b"".join(parts)

    top = enveloped("compare", view.catalog, compare_data(view, hole("frameworks")))
    yield from document(top, {"frameworks": Runs(runs())})


def _maintenance_template() -> Template:
    """The maintenance object's layout, with a hole for each of its values."""
    sample = maintenance_dict(cast(model.Framework, _Released(_SAMPLE, None)), date(2000, 1, 1))
    return Template({name: hole(name) for name in sample}, _LEVEL + 1, list(sample))


_SAMPLE = model.Fact(date(2000, 1, 1), "", date(2000, 1, 1))


def _released(fw: model.Framework) -> tuple[int, model.ReleaseHistory | None]:
    """The day of a framework's latest release (as an ordinal: a number unpickles
    faster than a date) and its release history: all its maintenance reads."""
    return (cast(date, fw.released.value).toordinal(), fw.release_history)


def _maintenance(
    layout: Template, inputs: tuple[int, model.ReleaseHistory | None], today: date
) -> bytes:
    """The maintenance object of a framework released and with a history as ``inputs`` say."""
    day, history = inputs
    released = model.Fact(date.fromordinal(day), "", date.fromordinal(day))
    # The plain renderer's own function, given what it reads of a framework.
    fw = cast(model.Framework, _Released(released, history))
    return layout.fill(*map(scalar, maintenance_dict(fw, today).values())).encode()


def _texts(frameworks: CachedFrameworks) -> list[bytes]:
    """Each framework's JSON at its level of the document, cut where the two values go:
    ``before NUL between NUL after`` in UTF-8 (no JSON text holds a NUL: the encoder
    escapes it)."""
    found = []
    for fw in frameworks:
        data = framework_dict(fw, fw.released.value, None)  # type: ignore[arg-type]
        data["maintenance"], data["installed_version"] = hole("maintenance"), hole("installed")
        pieces = Template(data, _LEVEL, ("maintenance", "installed")).pieces
        found.append(b"\0".join(piece.encode("utf-8", "replace") for piece in pieces))
    return found
