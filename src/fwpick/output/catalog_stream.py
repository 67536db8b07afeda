"""``compare --format json`` of a cached catalogue, a piece at a time.

Each framework's JSON is the same whenever it is asked for, but for two
values: its maintenance (months since its release, on the day of the run) and
the version installed where fwpick looked.  So the text of each framework,
cut at those two, is worked out once and kept with the cached catalogue
(:meth:`~fwpick.catalog.cache.CachedFrameworks.derived_records`); a run reads
it back framework by framework and fills in the two.  At 10,000 frameworks
that is 100 MB of JSON written in a fraction of a second and never held in
memory whole.  A test compares the text with the plain renderer's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple, cast

from fwpick.catalog import model
from fwpick.catalog.cache import _ALLOWED, CachedFrameworks
from fwpick.catalog.filters import Selection
from fwpick.catalog.model import framework_keys
from fwpick.catalog.records import dumps, loads
from fwpick.output import CatalogView, enveloped
from fwpick.output.catalog_text import compare_data, framework_dict, maintenance_dict
from fwpick.output.json_stream import Template, document, hole, scalar

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


def compare_pieces(view: CatalogView) -> Iterator[str]:
    """The text of ``compare_json(view)``, a piece at a time."""
    chosen = view.frameworks
    assert isinstance(chosen, Selection) and isinstance(chosen.frameworks, CachedFrameworks)
    every = chosen.frameworks
    kept = every.derived_records("compare", MODULES, lambda: _texts(every))
    keys = framework_keys(every)
    layout = _maintenance_template()

    def texts() -> Iterator[str]:
        for number, record in zip(chosen.numbers, kept.every(chosen.numbers), strict=True):
            released, before, between, after = loads(record, _ALLOWED)
            # The plain renderer's own function, given what it reads of a framework.
            fw = cast(model.Framework, _Released(*released))
            maintenance = layout.fill(*map(scalar, maintenance_dict(fw, view.today).values()))
            installed = scalar(view.installed.get(keys[number][0]))
            yield before + maintenance + between + installed + after

    top = enveloped("compare", view.catalog, compare_data(view, hole("frameworks")))
    yield from document(top, {"frameworks": texts()})


def _maintenance_template() -> Template:
    """The maintenance object's layout, with a hole for each of its values."""
    sample = maintenance_dict(cast(model.Framework, _Released(_SAMPLE, None)), date(2000, 1, 1))
    return Template({name: hole(name) for name in sample}, _LEVEL + 1, list(sample))


_SAMPLE = model.Fact(date(2000, 1, 1), "", date(2000, 1, 1))


def _texts(frameworks: CachedFrameworks) -> list[bytes]:
    """Each framework's JSON at its level of the document, cut where the two values go, with
    what its maintenance is worked out from."""
    found = []
    for fw in frameworks:
        data = framework_dict(fw, fw.released.value, None)  # type: ignore[arg-type]
        data["maintenance"], data["installed_version"] = hole("maintenance"), hole("installed")
        pieces = Template(data, _LEVEL, ("maintenance", "installed")).pieces
        found.append(dumps((tuple(_Released(fw.released, fw.release_history)), *pieces)))
    return found
