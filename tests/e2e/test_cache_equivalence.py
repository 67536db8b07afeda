"""What fwpick prints from its cache is what it prints from the file itself.

From the cache, a big catalogue is ranked from kept columns, its frameworks
loaded one by one when printed and its compare JSON written from kept texts;
with ``FWPICK_NO_CACHE=1`` every run parses the file and works all of it out
again (the comparison with the plain ranking itself is
tests/unit/recommend/test_column_ranking.py).  The installed console script
must print exactly the same either way, on the first (cache-filling) run and
on later ones.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import varied_catalog_yaml

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "frameworks.yaml"
    path.write_text(varied_catalog_yaml(80, seed=7), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("recommend", "--defaults"),
        ("recommend", "--defaults", "--all"),
        ("recommend", "--defaults", "--format", "json"),
        ("recommend", "--defaults", "--async", "required", "--docs", "high", "--format", "json"),
        ("recommend", "--defaults", "--python", "any", "--format", "markdown"),
        ("compare", "--format", "json"),
        ("compare", "--interface", "asgi", "--async", "yes,partly", "--format", "json"),
        ("compare", "--only", "fw042,fw007", "--format", "json"),
        ("compare",),
        ("validate",),
        ("validate", "--format", "json"),
    ],
    ids=lambda args: " ".join(args),
)
def test_the_cache_changes_nothing_that_is_printed(
    run_fwpick: Run, big_catalog: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    command = (
        (*args, str(big_catalog))
        if args[0] == "validate"
        else (*args, "--catalog", str(big_catalog))
    )
    cached_env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}

    plain = run_fwpick(*command, env={"FWPICK_NO_CACHE": "1"}, columns=120)
    first = run_fwpick(*command, env=cached_env, columns=120)
    later = run_fwpick(*command, env=cached_env, columns=120)

    assert plain.returncode == 0, plain.stderr
    assert (first.returncode, first.stdout, first.stderr) == (0, plain.stdout, plain.stderr)
    assert (later.returncode, later.stdout, later.stderr) == (0, plain.stdout, plain.stderr)


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "ascii"])
def test_kept_texts_print_as_any_other_text_in_any_output_encoding(
    fwpick_script: Path, tmp_path: Path, encoding: str
) -> None:
    # compare's kept texts are UTF-8 bytes, written as they are only where
    # stdout takes UTF-8; elsewhere they degrade as all of fwpick's text does.
    text = varied_catalog_yaml(3, seed=2).replace(
        "comparison_notes: ", "comparison_notes: Déjà vu → 日本 ", 1
    )
    assert "日本" in text
    path = tmp_path / "frameworks.yaml"
    path.write_text(text, encoding="utf-8")

    def run(**env: str) -> bytes:
        done = subprocess.run(
            [str(fwpick_script), "compare", "--format", "json", "--catalog", str(path)],
            env={**os.environ, "PYTHONIOENCODING": encoding, **env},
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    plain = run(FWPICK_NO_CACHE="1")
    run(XDG_CACHE_HOME=str(tmp_path / "cache"))  # fills the cache
    later = run(XDG_CACHE_HOME=str(tmp_path / "cache"))

    assert later == plain
    shown = {"utf-8": "Déjà vu → 日本", "latin-1": "Déjà vu > ??", "ascii": "D?j? vu > ??"}
    assert shown[encoding].encode(encoding) in later
