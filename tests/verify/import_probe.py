"""Import targets in a fresh interpreter and say what each import did, as JSON on stdout.

    python import_probe.py [--setup=FRAMEWORK] [--only=DIST,...] TARGET...

A target is ``module`` or ``module:attribute.path``.  For each, in order: whether
it imported (else the exception's type and message), the deprecation warnings
it raised, and the top-level packages it loaded that were not loaded before.
A module target also reads every name in the module's ``__all__``, because a
deprecated module often warns only when a name is taken from it.

With ``--only`` the interpreter behaves as if only those distributions were
installed: a top-level package that only other installed distributions
provide cannot be imported (ModuleNotFoundError), as in a plain install of a
framework whose dependency closure ``--only`` lists.  A module that only tries an
optional package (``try: import ujson``) still imports; one that needs it does
not.

Run by the verify tests in a subprocess, so that one framework's imports,
warnings and settings never leak into another's check.
"""

from __future__ import annotations

import importlib
import json
import sys
import warnings
from importlib import metadata

_DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def _setup_django() -> None:
    # Django's contrib apps import only with settings and a loaded app registry.
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    )
    import django

    django.setup()


SETUPS = {"django": _setup_django}


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _top_names(dist: metadata.Distribution) -> set[str]:
    """The top-level names a distribution makes importable, its own ``_vendor`` folder's too

    (setuptools puts ``setuptools/_vendor`` on ``sys.path`` and imports from it)."""
    names = set()
    for file in dist.files or ():
        parts = file.parts
        if parts[0] in ("..", "__pycache__") or parts[0].endswith((".dist-info", ".data")):
            continue
        if len(parts) > 2 and parts[1] == "_vendor":
            parts = parts[2:]
        if len(parts) > 1 or parts[0].endswith((".py", ".so", ".pyd")):
            names.add(parts[0].split(".")[0])
    return names


def only_these(allowed: set[str]) -> None:
    """Make every top-level name that only other distributions provide unimportable.

    A ``None`` in ``sys.modules`` makes ``import name`` raise ModuleNotFoundError and
    ``importlib.util.find_spec(name)`` answer None, as when it is not installed.
    """
    mine: set[str] = set()
    others: set[str] = set()
    for dist in metadata.distributions():
        names = _top_names(dist)
        if _canonical(dist.metadata["Name"] or "") in allowed:
            mine |= names
        else:
            others |= names
    for name in others - mine - set(sys.stdlib_module_names):
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]


def _top_levels() -> set[str]:
    return {name.partition(".")[0] for name in sys.modules}


def probe(target: str) -> dict[str, object]:
    module_name, _, attribute = target.partition(":")
    before = _top_levels()
    result: dict[str, object] = {"target": target, "error": None, "deprecations": []}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            obj: object = importlib.import_module(module_name)
            if attribute:
                for part in attribute.split("."):
                    obj = getattr(obj, part)
            else:
                for name in getattr(obj, "__all__", ()):
                    getattr(obj, name, None)
        except BaseException as exc:  # any failure is the answer, not a crash of the probe
            result["error"] = f"{type(exc).__name__}: {exc}"
    result["deprecations"] = [
        str(w.message) for w in caught if issubclass(w.category, _DEPRECATIONS)
    ]
    result["loaded"] = sorted(_top_levels() - before)
    return result


def main(args: list[str]) -> None:
    while args and args[0].startswith("--"):
        option, _, value = args.pop(0).partition("=")
        if option == "--only":
            only_these({_canonical(n) for n in value.split(",")})
        elif option == "--setup":
            SETUPS[value]()
    json.dump([probe(target) for target in args], sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
