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
from json.encoder import encode_basestring

from fwpick.catalog.cache import CachedFrameworks
from fwpick.catalog.filters import Selection
from fwpick.catalog.model import framework_keys, months_between
from fwpick.output import CatalogView, enveloped
from fwpick.output.json_stream import Template, document, hole, scalar
from fwpick.output.words import signal_for

# The modules whose code decides a framework's JSON text (for the kept copy).
MODULES = ("output/catalog_stream.py", "output/catalog_text.py", "output/json_stream.py")
# Where the framework's level of the document is: a list in the top-level object.
_LEVEL = 2
_CUT = "\x00"  # between the pieces of a kept text; JSON text never holds it raw


def streams(view: CatalogView) -> bool:
    """Whether ``view`` is some of a cached catalogue's frameworks, whose texts can be kept."""
    chosen = view.frameworks
    return isinstance(chosen, Selection) and isinstance(chosen.frameworks, CachedFrameworks)


def compare_pieces(view: CatalogView) -> Iterator[str]:
    """The text of ``compare_json(view)``, a piece at a time."""
    from fwpick.output.catalog_text import compare_data

    chosen = view.frameworks
    assert isinstance(chosen, Selection) and isinstance(chosen.frameworks, CachedFrameworks)
    every = chosen.frameworks
    kept = every.derived_records("compare", MODULES, lambda: _texts(every))
    keys = framework_keys(every)
    holes = ("months", "signal")
    maintenance = Template(
        {"months_since_release": hole("months"), "signal": hole("signal")}, 3, holes
    )

    def texts() -> Iterator[str]:
        for number, text in zip(chosen.numbers, kept.every(chosen.numbers), strict=True):
            released, before, between, after = text.decode("utf-8").split(_CUT)
            months = months_between(date.fromisoformat(released), view.today)
            filled = maintenance.fill(str(months), encode_basestring(signal_for(months)))
            installed = scalar(view.installed.get(keys[number][0]))
            yield before + filled + between + installed + after

    top = enveloped("compare", view.catalog, compare_data(view, hole("frameworks")))
    yield from document(top, {"frameworks": texts()})


def _texts(frameworks: CachedFrameworks) -> list[bytes]:
    """Each framework's JSON at its level of the document, cut where the two values go."""
    from fwpick.output.catalog_text import framework_dict

    found = []
    for fw in frameworks:
        released: date = fw.released.value  # type: ignore[assignment]
        data = framework_dict(fw, released, None)
        data["maintenance"], data["installed_version"] = hole("maintenance"), hole("installed")
        pieces = Template(data, _LEVEL, ("maintenance", "installed")).pieces
        found.append(_CUT.join([released.isoformat(), *pieces]).encode("utf-8"))
    return found
