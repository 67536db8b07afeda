"""The catalogue as typed, immutable Python objects.

Everything here is plain data: loading and validation live in ``catalog.py``,
and nothing in this module reads files or prints.

The classes are ``NamedTuple``s rather than frozen dataclasses: they are as
immutable and as typed, and defining them costs a tenth of the time at import,
which every command pays.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from fwpick.features import BATTERIES as BATTERIES
from fwpick.features import FEATURES as FEATURES

# The fixed vocabularies of the catalogue.  They are tuples (ordered) so that
# help texts and error messages list them in a stable order.
INTERFACES = ("wsgi", "asgi", "own-server")
ASYNC_SUPPORT = ("yes", "partly", "no")
SERVER_KINDS = ("none", "development", "production")
# Judgements a catalogue gives on the 1-5 scale.  "performance" is derived
# from measured throughput wherever the catalogue has measurements.
SCORE_NAMES = ("docs", "community", "maturity", "performance")
FEATURE_LEVELS = ("yes", "extra", "no")
SERVES = ("wsgi", "asgi", "rsgi")
AVOID_STATUSES = ("abandoned", "renamed", "inactive")
SCORE_MIN, SCORE_MAX = 1, 5


class Fact(NamedTuple):
    """One checked fact: its value, where it was checked and when.

    ``detail`` is a short human sentence qualifying the value (for example
    what "partly" async means for this framework).  A feature's fact may also
    carry its proof, which the verify suite checks against the installed
    package: ``api``, a ``module:attribute`` that a plain install imports (for
    "yes"), and ``extra``, the distribution's extra that brings it (for "extra").
    """

    value: object
    source: str
    checked: date
    detail: str = ""
    api: str = ""
    extra: str = ""


class Score(NamedTuple):
    """A judgement on the 1-5 scale with the one-line reason behind it."""

    value: int
    rationale: str


class SeedClaim(NamedTuple):
    """A statement of the seed text that is no longer true, beside today's fact."""

    claim: str
    current: str


class OtherRelease(NamedTuple):
    """A second supported release line, e.g. the newest release for older Pythons."""

    version: str
    requires_python: str
    note: str


class Starter(NamedTuple):
    """A minimal runnable hello-world app and how to serve it.

    ``run`` is always ``python app.py``-style; ``preferred_run`` is the
    framework's own command where it has one.  ``expect`` is text the body of
    ``GET /`` contains.  ``server`` is the entry of the catalogue's servers
    section that serves app.py's ``app`` in production, ``serve`` its command
    for it (port 8000), and ``requirements`` then name that server too.
    """

    app: str
    run: str
    expect: str
    requirements: tuple[str, ...]
    preferred_run: str = ""
    server: Server | None = None
    serve: str = ""


class Facts(NamedTuple):
    """The structured facts every framework has, each with its source."""

    licence: Fact  # value: str (SPDX-like expression)
    requires_python: Fact  # value: str specifier, e.g. ">=3.9"
    dependencies: Fact  # value: tuple[str, ...] of unconditional runtime deps
    conditional_dependencies: Fact  # value: tuple[str, ...] "name; marker"
    interface: Fact  # value: tuple of INTERFACES, e.g. ("wsgi", "asgi")
    async_handlers: Fact  # value: one of ASYNC_SUPPORT
    single_file: Fact  # value: bool
    server: Fact  # value: one of SERVER_KINDS
    templating: Fact  # value: str, "" when none is built in


class ReleaseHistory(NamedTuple):
    """What the package index says of a project's releases, for the maintenance signal."""

    first_release: Fact  # value: date
    releases_last_12_months: Fact  # value: int
    release_count: Fact  # value: int
    development_status: Fact  # value: str classifier, e.g. "5 - Production/Stable", or ""


class Measured(NamedTuple):
    """Figures ``fwpick bench`` measured for a framework (see :class:`Measurements`).

    Throughput is the ratio of the framework's requests per second to a bare
    app's on the same server, measured in the same run: the figure that
    carries across machines.  Any of them may be missing.
    """

    plaintext_ratio: Fact | None = None  # value: float
    api_ratio: Fact | None = None  # value: float
    distributions: Fact | None = None  # value: int, the framework and its dependencies
    installed_mb: Fact | None = None  # value: float
    import_ms: Fact | None = None  # value: float, cold import of the starter's imports
    # The saved bench run the throughput was taken from (recommend --bench);
    # "" for the catalogue's own figures.
    origin: str = ""


class Measurements(NamedTuple):
    """How, when and on what the catalogue's measured figures were taken."""

    command: str
    date: date
    machine: str  # CPU model and count, Python version, wrk version
    results: str  # the results file the figures come from, in the repository


class Links(NamedTuple):
    """Where to read more: home page, documentation and source code."""

    homepage: str
    docs: str
    source: str


class Framework(NamedTuple):
    """One catalogue entry: a framework and everything known about it."""

    id: str
    name: str
    pypi: str
    description: str
    comparison_notes: str
    from_seed: bool
    version: Fact  # value: str, the newest release on the package index
    released: Fact  # value: date of that release
    facts: Facts
    scores: dict[str, Score]
    links: Links
    starter: Starter | None = None
    seed_claims: tuple[SeedClaim, ...] = ()
    other_releases: tuple[OtherRelease, ...] = ()
    line: int | None = None  # where the entry starts in its YAML file
    features: dict[str, Fact] | None = None  # FEATURES -> Fact of a FEATURE_LEVELS value
    release_history: ReleaseHistory | None = None
    measured: Measured | None = None

    def months_since_release(self, today: date) -> int:
        """Whole months between the latest release and ``today``."""
        released: date = self.released.value  # type: ignore[assignment]
        months = (today.year - released.year) * 12 + today.month - released.month
        if today.day < released.day:
            months -= 1
        return max(months, 0)


class Catalog(NamedTuple):
    """A whole validated catalogue.

    ``path`` is where it was read from; ``digest`` is the SHA-256 of the file's
    bytes in hex ("" when it was not read from a file), which tells a reader of
    a decision record whether the catalogue has changed since.
    """

    schema_version: int
    checked: date
    # A tuple, or from the cache a sequence that loads each framework when used.
    frameworks: Sequence[Framework]
    path: str = ""
    digest: str = ""
    servers: tuple[Server, ...] = ()
    addons: tuple[Addon, ...] = ()
    avoid: tuple[Avoided, ...] = ()
    measurements: Measurements | None = None

    def find(self, name: str) -> Framework | Server | Addon | Avoided | None:
        """Any entry by id, display name or PyPI name, ignoring case: frameworks first."""
        found = self.get(name)
        if found is not None:
            return found
        wanted = name.strip().casefold()
        entries: list[Server | Addon | Avoided] = [*self.addons, *self.servers, *self.avoid]
        for entry in entries:
            if wanted in (entry.id.casefold(), entry.name.casefold(), entry.pypi.casefold()):
                return entry
        return None

    def get(self, name: str) -> Framework | None:
        """Find a framework by id, display name or PyPI name, ignoring case."""
        number = self.number(name)
        return None if number is None else self.frameworks[number]

    def number(self, name: str) -> int | None:
        """The place in ``frameworks`` of the framework :meth:`get` finds."""
        wanted = name.strip().casefold()
        finder = getattr(self.frameworks, "number_of", None)  # a cached catalogue's index
        if finder is not None:
            found: int | None = finder(wanted)
            return found
        for number, keys in enumerate(framework_keys(self.frameworks)):
            if wanted in (key.casefold() for key in keys):
                return number
        return None

    def names(self) -> list[str]:
        return [ident for ident, _, _ in framework_keys(self.frameworks)]


def framework_keys(frameworks: Sequence[Framework]) -> Sequence[tuple[str, str, str]]:
    """The id, name and PyPI name of each framework.

    A catalogue from the cache loads each framework when it is first used and
    keeps these apart (``keys``), so that looking a name up loads nothing.
    """
    keys = getattr(frameworks, "keys", None)
    if isinstance(keys, Sequence):
        return keys
    if callable(keys):  # a selection of some of them works them out
        found: Sequence[tuple[str, str, str]] = keys()
        return found
    return [(fw.id, fw.name, fw.pypi) for fw in frameworks]


class Server(NamedTuple):
    """An HTTP server that runs WSGI or ASGI apps (uvicorn, gunicorn, ...)."""

    id: str
    name: str
    pypi: str
    description: str
    version: Fact
    released: Fact
    facts: dict[str, Fact]  # licence, requires_python, dependencies, serves, workers, ...
    links: Links
    release_history: ReleaseHistory | None = None
    run: Fact | None = None  # value: a command with {app}, {port} and maybe {interface}


class Addon(NamedTuple):
    """A package that adds features to a framework (Django Ninja on Django)."""

    id: str
    name: str
    pypi: str
    base: str  # the id of the framework it extends
    description: str
    comparison_notes: str
    version: Fact
    released: Fact
    facts: dict[str, Fact]  # licence, requires_python, dependencies, ...
    adds: Fact  # value: tuple of FEATURES
    links: Links
    release_history: ReleaseHistory | None = None


class Avoided(NamedTuple):
    """A framework not to start with today: abandoned, renamed or inactive, and why."""

    id: str
    name: str
    pypi: str
    status: str  # one of AVOID_STATUSES
    last_release: Fact  # value: date
    evidence: tuple[Fact, ...]
    instead: tuple[str, ...]  # ids of catalogue frameworks to use instead
    note: str
