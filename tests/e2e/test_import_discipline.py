"""Each command imports only what it needs, which is what keeps start-up fast.

Timings are too noisy for a test, so these tests check the cause instead: the
set of modules a command has imported when it finishes.  benchmarks/startup.py
measures the time itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

# Runs the real entry point, then reports every module the command imported.
_DRIVER = """\
import json, sys
report, sys.argv = sys.argv[1], ["fwpick", *sys.argv[2:]]
try:
    from fwpick.cli import main
    main()
except SystemExit:
    pass
finally:
    with open(report, "w") as handle:
        json.dump(sorted(sys.modules), handle)
"""

YAML = ("yaml", "fwpick.catalog.strict_yaml")
# importlib.metadata pulls in the email parser; installed versions are read without it.
METADATA = ("importlib.metadata", "email")
HIGHLIGHTING = ("pygments", "rich.syntax")
TABLES = ("rich.table",)
PROMPTS = ("rich.prompt",)
EVERY_EXTRA = (*YAML, *METADATA, *HIGHLIGHTING, *TABLES, *PROMPTS, "rich.markdown")


@pytest.fixture
def imports(tmp_path: Path) -> Callable[..., set[str]]:
    """Run fwpick with these arguments in a fresh interpreter; return the modules it imported.

    The catalogue cache lives in a temporary folder, warmed by one earlier run
    of the same command, which is the state of every run but a user's first.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("FWPICK_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["COLUMNS"] = "100"
    report = tmp_path / "modules.json"

    def run(*args: str, extra_env: dict[str, str] | None = None, warm: bool = True) -> set[str]:
        command = [sys.executable, "-c", _DRIVER, str(report), *args]
        full_env = {**env, **(extra_env or {})}
        for _ in range(2 if warm else 1):
            subprocess.run(
                command, env=full_env, stdin=subprocess.DEVNULL, capture_output=True, check=True
            )
        return set(json.loads(report.read_text()))

    return run


def loaded(modules: set[str], packages: Iterable[str]) -> list[str]:
    """The modules of ``packages`` (or the packages themselves) among ``modules``."""
    return sorted(m for m in modules for p in packages if m == p or m.startswith(p + "."))


def test_version_imports_no_catalogue_rich_or_yaml(imports: Callable[..., set[str]]) -> None:
    modules = imports("--version")

    assert loaded(modules, (*EVERY_EXTRA, "rich", "fwpick.catalog", "fwpick.catalog.model")) == []


def test_help_imports_no_rich(imports: Callable[..., set[str]]) -> None:
    # Typer's rich help formatting would import most of Rich to print a usage text.
    assert loaded(imports("--help"), ("rich", *YAML)) == []


def test_compare_as_json_imports_no_rich_and_no_yaml(imports: Callable[..., set[str]]) -> None:
    modules = imports("compare", "--format", "json")

    assert loaded(modules, ("rich", *EVERY_EXTRA)) == []


@pytest.mark.parametrize(
    "args",
    [
        ("recommend", "--defaults", "--format", "json"),
        ("recommend", "--defaults", "--format", "markdown"),
        ("show", "flask", "--format", "json"),
        ("show", "flask", "--format", "markdown"),
        ("show", "uvicorn", "--format", "json"),
        ("compare", "--format", "markdown"),
        ("validate", "--format", "json"),
    ],
    ids=lambda args: " ".join(args),
)
def test_text_formats_import_no_rich(
    imports: Callable[..., set[str]], args: tuple[str, ...]
) -> None:
    modules = imports(*args)

    assert "fwpick.catalog.model" in modules  # it did read the catalogue
    assert loaded(modules, ("rich", *EVERY_EXTRA)) == []


def test_validate_prints_its_plain_line_without_rich(imports: Callable[..., set[str]]) -> None:
    # What a pre-commit hook or CI runs on every commit.
    modules = imports("validate")

    assert "fwpick.output.catalog_text" in modules
    assert loaded(modules, ("rich", *EVERY_EXTRA)) == []


def test_compare_as_a_table_imports_only_the_table_machinery(
    imports: Callable[..., set[str]],
) -> None:
    modules = imports("compare")

    assert "rich.table" in modules
    assert loaded(modules, (*YAML, *METADATA, *HIGHLIGHTING, *PROMPTS, "rich.markdown")) == []


def test_show_prints_the_starter_without_pygments(imports: Callable[..., set[str]]) -> None:
    modules = imports("show", "flask")

    assert loaded(modules, (*YAML, *METADATA, *HIGHLIGHTING, *PROMPTS, "rich.markdown")) == []


def test_recommend_with_every_answer_given_imports_no_prompt_and_no_yaml(
    imports: Callable[..., set[str]],
) -> None:
    modules = imports("recommend", "--defaults")

    assert "fwpick.recommend.ranking" in modules
    assert loaded(modules, (*YAML, *METADATA, *HIGHLIGHTING, *PROMPTS, "rich.markdown")) == []


def test_completing_a_framework_name_renders_nothing(imports: Callable[..., set[str]]) -> None:
    # The shell runs fwpick on every Tab press.
    completion = {
        "_FWPICK_COMPLETE": "complete_bash",
        "COMP_WORDS": "fwpick show fl",
        "COMP_CWORD": "2",
    }

    modules = imports(extra_env=completion)

    assert "fwpick.catalog.cache" in modules
    assert loaded(modules, ("rich", *EVERY_EXTRA)) == []


def test_the_first_run_parses_the_yaml_and_later_runs_do_not(
    imports: Callable[..., set[str]],
) -> None:
    # The guard above only means something if a cold run does import YAML.
    first = imports("compare", "--format", "json", warm=False)
    second = imports("compare", "--format", "json", warm=False)

    assert "yaml" in first
    assert "yaml" not in second


def test_without_the_cache_every_run_parses_the_yaml(imports: Callable[..., set[str]]) -> None:
    modules = imports("compare", "--format", "json", extra_env={"FWPICK_NO_CACHE": "1"})

    assert "yaml" in modules


@pytest.mark.parametrize(
    "args",
    [
        ("compare", "--format", "json"),
        ("compare",),
        ("show", "flask"),
        ("validate",),
        ("recommend", "--defaults"),
    ],
    ids=lambda args: " ".join(args),
)
def test_commands_that_read_the_catalogue_never_import_the_measuring_code(
    imports: Callable[..., set[str]], args: tuple[str, ...]
) -> None:
    assert loaded(imports(*args), ("fwpick.measure",)) == []


_MEASURE_DRIVER = """\
import json, pkgutil, sys, importlib
import fwpick.measure
for module in pkgutil.iter_modules(fwpick.measure.__path__):
    if module.name != sys.argv[1]:
        importlib.import_module("fwpick.measure." + module.name)
print(json.dumps(sorted(sys.modules)))
"""


def test_the_measuring_code_imports_neither_typer_nor_rich() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE_DRIVER, ""],
        capture_output=True,
        text=True,
        check=True,
    )
    everything = set(json.loads(done.stdout))

    assert "fwpick.measure.runner" in everything
    assert loaded(everything, ("typer", "click", "rich")) == []


def test_review_of_a_record_imports_neither_rich_nor_yaml_nor_the_measuring_code(
    imports: Callable[..., set[str]], tmp_path: Path
) -> None:
    record = tmp_path / "0001.md"
    written = subprocess.run(
        [sys.executable, "-m", "fwpick", "recommend", "--defaults", "--report", str(record)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    assert written.returncode == 0, written.stderr

    modules = imports("review", str(record))

    assert "fwpick.recommend.review" in modules
    assert loaded(modules, ("rich", *YAML, *METADATA, "fwpick.measure")) == []
