"""Import targets in a fresh interpreter and say what each import did, as JSON on stdout.

    python import_probe.py [--setup=FRAMEWORK] TARGET...

A target is ``module`` or ``module:attribute.path``.  For each, in order: whether
it imported (else the exception's type and message), the deprecation warnings
it raised, and the top-level packages it loaded that were not loaded before.
A module target also reads every name in the module's ``__all__``, because a
deprecated module often warns only when a name is taken from it.

Run by the verify tests in a subprocess, so that one framework's imports,
warnings and settings never leak into another's check.
"""

from __future__ import annotations

import importlib
import json
import sys
import warnings

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
    if args and args[0].startswith("--setup="):
        SETUPS[args.pop(0).removeprefix("--setup=")]()
    json.dump([probe(target) for target in args], sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
