"""What reaches the standard streams: failed writes, closed streams, readers that go away,
encodings that are not UTF-8, copyable commands and paths with control characters.

These run the installed console script in real processes: the behaviour under
test lives in how the process meets its file descriptors.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ESC, catalog_yaml, framework_yaml

from fwpick.catalog import load_catalog
from fwpick.recommend.quiz import QUESTIONS
from fwpick.text import shell_quote

Run = Callable[..., subprocess.CompletedProcess[str]]

TIMEOUT = 60
WRITE_FAILED = "fwpick: error: cannot write the output: "
BEL = "\x07"
HOSTILE = "esc\x1b]0;PWNED\x07\x1b[31mred"

# Every command and format that prints a result on stdout.
OUTPUTS = [
    ("--version",),
    ("--help",),
    ("compare", "--help"),
    ("compare",),
    ("compare", "--format", "json"),
    ("compare", "--format", "markdown"),
    ("show", "flask"),
    ("show", "flask", "--sources"),
    ("show", "flask", "--format", "json"),
    ("show", "flask", "--format", "markdown"),
    ("recommend", "--defaults"),
    ("recommend", "--defaults", "--format", "json"),
    ("recommend", "--defaults", "--format", "markdown"),
    ("validate",),
    ("new", "flask", "starter"),
]
OUTPUT_IDS = [" ".join(args) for args in OUTPUTS]


def _env(**extra: str) -> dict[str, str]:
    drop = ("FWPICK_CATALOG", "FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS", "LINES")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTHONIO")}
    env["COLUMNS"] = "100"
    env.update(extra)
    return env


def _run_raw(
    script: Path, args: tuple[str, ...], cwd: Path, env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(script), *args],
        cwd=cwd,
        env=env or _env(),
        timeout=TIMEOUT,
        **kw,  # type: ignore[call-overload]
    )


def _one_error_line(stderr: str, start: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(start), stderr


# --- A1: a failed write ends with one line --------------------------------


@pytest.mark.parametrize("args", OUTPUTS, ids=OUTPUT_IDS)
def test_a_full_disk_on_stdout_is_one_error_line_in_every_command_and_format(
    fwpick_script: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    with open("/dev/full", "w") as full:
        proc = _run_raw(fwpick_script, args, tmp_path, stdout=full, stderr=subprocess.PIPE)

    stderr = proc.stderr.decode()
    assert proc.returncode == 1, stderr
    _one_error_line(stderr, WRITE_FAILED)
    assert len(stderr.splitlines()[0]) > len(WRITE_FAILED), "the reason is missing"


@pytest.mark.parametrize("args", [("compare",), ("compare", "--format", "json"), ("--help",)])
def test_a_full_disk_on_both_streams_exits_1_silently(
    fwpick_script: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    with open("/dev/full", "w") as full:
        proc = _run_raw(fwpick_script, args, tmp_path, stdout=full, stderr=full)

    assert proc.returncode == 1


def test_a_full_disk_on_stderr_keeps_the_error_exit_code_quiet(
    fwpick_script: Path, tmp_path: Path
) -> None:
    with open("/dev/full", "w") as full:
        proc = _run_raw(
            fwpick_script,
            ("compare", "--catalog", "missing.yaml"),
            tmp_path,
            stdout=subprocess.PIPE,
            stderr=full,
        )

    assert proc.returncode != 0
    assert proc.stdout == b""


# --- A4: closed streams ----------------------------------------------------


def _closing(*fds: int) -> Callable[[], None]:
    def close() -> None:
        for fd in fds:
            os.close(fd)

    return close


def test_recommend_with_stdin_closed_is_the_same_usage_error_as_without_a_terminal(
    fwpick_script: Path, tmp_path: Path
) -> None:
    no_tty = _run_raw(
        fwpick_script, ("recommend",), tmp_path, stdin=subprocess.DEVNULL, capture_output=True
    )
    closed = _run_raw(
        fwpick_script, ("recommend",), tmp_path, preexec_fn=_closing(0), capture_output=True
    )

    assert no_tty.returncode == 2
    assert (closed.returncode, closed.stderr, closed.stdout) == (
        no_tty.returncode,
        no_tty.stderr,
        no_tty.stdout,
    )
    assert b"Traceback" not in closed.stderr


@pytest.mark.parametrize("args", OUTPUTS, ids=OUTPUT_IDS)
def test_a_closed_stdout_is_one_error_line(
    fwpick_script: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    proc = _run_raw(fwpick_script, args, tmp_path, stderr=subprocess.PIPE, preexec_fn=_closing(1))

    assert proc.returncode == 1
    _one_error_line(proc.stderr.decode(), WRITE_FAILED)


def test_a_closed_stdout_never_lets_the_output_land_in_the_report_file(
    fwpick_script: Path, tmp_path: Path
) -> None:
    _run_raw(
        fwpick_script,
        ("recommend", "--defaults", "--report", "record.md"),
        tmp_path,
        stderr=subprocess.PIPE,
        preexec_fn=_closing(1),
    )

    record = tmp_path / "record.md"
    if record.exists():
        assert "Ranking for your answers" not in record.read_text(encoding="utf-8")


def test_a_closed_stdout_via_the_shell_is_one_error_line(
    fwpick_script: Path, tmp_path: Path
) -> None:
    proc = subprocess.run(
        ["bash", "-c", f"{shlex.quote(str(fwpick_script))} compare >&-"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )

    assert proc.returncode == 1
    _one_error_line(proc.stderr, WRITE_FAILED)


@pytest.mark.parametrize(
    ("args", "code"),
    [(("compare",), 0), (("compare", "--catalog", "missing.yaml"), 1), (("show", "nope"), 2)],
)
def test_a_closed_stderr_never_gives_a_traceback_or_changes_the_result(
    fwpick_script: Path, tmp_path: Path, args: tuple[str, ...], code: int
) -> None:
    proc = _run_raw(fwpick_script, args, tmp_path, stdout=subprocess.PIPE, preexec_fn=_closing(2))

    assert proc.returncode == code
    assert b"Traceback" not in proc.stdout
    if code == 0:
        assert b"Flask" in proc.stdout


# --- D10: a reader that goes away means 141 --------------------------------


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 150 frameworks: far more than a pipe holds, in every format."""
    words = " ".join(f"word{i}" for i in range(120))
    entries = [
        framework_yaml(f"fw{i:03d}", description=f"Framework {i}: {words}", notes=words)
        for i in range(150)
    ]
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(catalog_yaml(*entries), encoding="utf-8")
    return path


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
@pytest.mark.parametrize("command", ["compare", "recommend --defaults"])
def test_a_reader_that_goes_away_ends_fwpick_with_141_in_every_format(
    fwpick_script: Path, big_catalog: Path, tmp_path: Path, command: str, fmt: str, unbuffered: bool
) -> None:
    env = _env()
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    # --all: the tables print every row, so that each format is far bigger than a pipe.
    line = (
        f"{shlex.quote(str(fwpick_script))} {command} --all --format {fmt}"
        f" --catalog {shlex.quote(str(big_catalog))} | head -c 100 >/dev/null;"
        ' echo "${PIPESTATUS[0]}"'
    )
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", line],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )

    assert proc.stdout.strip() == "141", proc.stderr
    assert proc.stderr == ""


@pytest.mark.parametrize("args", OUTPUTS, ids=OUTPUT_IDS)
def test_a_pipe_closed_before_the_first_write_gives_141_quietly(
    fwpick_script: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before fwpick writes anything (like "| true")
    try:
        proc = _run_raw(fwpick_script, args, tmp_path, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)

    assert proc.returncode == 141
    assert proc.stderr == b""


# --- A2: output encodings that are not UTF-8 -------------------------------

ENCODINGS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "C locale": {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"},
}
UNI_DESCRIPTION = "Caf\u00e9 \u00c5lborg \u2014 fast \u65e5\u672c \u2588\u2591"


@pytest.fixture(scope="module")
def uni_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    entry = framework_yaml("uni", name="\u00c5lborg", description=UNI_DESCRIPTION)
    path = tmp_path_factory.mktemp("uni") / "uni.yaml"
    path.write_text(catalog_yaml(entry, framework_yaml("beta")), encoding="utf-8")
    return path


def _encoding_of(env: dict[str, str]) -> str:
    return env.get("PYTHONIOENCODING", "ascii")


@pytest.mark.parametrize("name", list(ENCODINGS))
@pytest.mark.parametrize("args", OUTPUTS, ids=OUTPUT_IDS)
def test_every_command_and_format_prints_readable_output_in_any_encoding(
    fwpick_script: Path, tmp_path: Path, args: tuple[str, ...], name: str
) -> None:
    extra = ENCODINGS[name]
    proc = _run_raw(fwpick_script, args, tmp_path, env=_env(**extra), capture_output=True)

    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert b"Traceback" not in proc.stderr
    text = proc.stdout.decode(_encoding_of(extra))  # strict: every byte is in the encoding
    assert "fwpick" in text or "Flask" in text or "starter" in text


@pytest.mark.parametrize("name", list(ENCODINGS))
@pytest.mark.parametrize(
    "args",
    [
        ("compare",),
        ("compare", "--format", "json"),
        ("compare", "--format", "markdown"),
        ("show", "uni"),
        ("show", "uni", "--format", "markdown"),
        ("recommend", "--defaults"),
        ("validate",),
    ],
)
def test_catalogue_text_the_encoding_cannot_carry_shows_as_question_marks(
    fwpick_script: Path, tmp_path: Path, uni_catalog: Path, args: tuple[str, ...], name: str
) -> None:
    extra = ENCODINGS[name]
    env = _env(**extra, FWPICK_CATALOG=str(uni_catalog), COLUMNS="200")
    proc = _run_raw(fwpick_script, args, tmp_path, env=env, capture_output=True)

    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    text = proc.stdout.decode(_encoding_of(extra))
    expected = "?lborg" if _encoding_of(extra) == "ascii" else "\u00c5lborg"
    assert expected in text
    if args[0] in ("compare", "show") and args[-1] != "json":
        assert "fast ??" in text  # CJK has no place in any of these encodings
    if args[0] == "show" and args[-1] != "markdown":
        # fwpick's own dashes and bars become ASCII look-alikes, not question marks.
        assert "\u2014" in text or " - fast" in text


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_an_error_echoing_text_the_encoding_cannot_carry_is_still_one_line(
    fwpick_script: Path, tmp_path: Path, name: str
) -> None:
    proc = _run_raw(
        fwpick_script,
        ("show", "\u00c5lborg-\u65e5"),
        tmp_path,
        env=_env(**ENCODINGS[name]),
        capture_output=True,
    )

    assert proc.returncode == 2
    _one_error_line(proc.stderr.decode(_encoding_of(ENCODINGS[name])), "fwpick: error: ")


# --- E2: copyable commands are one line ------------------------------------


@pytest.mark.parametrize("columns", [40, 80])
def test_the_same_answers_command_is_one_unwrapped_line_that_gives_the_same_answers(
    run_fwpick: Run, columns: int
) -> None:
    proc = run_fwpick("recommend", "--async", "required", "--defaults", columns=columns)

    assert proc.returncode == 0, proc.stderr
    label = "Same answers without the quiz: "
    (line,) = [line for line in proc.stdout.splitlines() if line.startswith(label)]
    argv = shlex.split(line[len(label) :])
    assert argv[:2] == ["fwpick", "recommend"]
    flags = dict(zip(argv[2::2], argv[3::2], strict=True))
    assert set(flags) == {q.flag for q in QUESTIONS}
    assert flags["--async"] == "required"

    again = run_fwpick(*argv[1:], "--format", "json")
    first = run_fwpick("recommend", "--async", "required", "--defaults", "--format", "json")
    assert json.loads(again.stdout)["answers"] == json.loads(first.stdout)["answers"]


@pytest.mark.parametrize("columns", [40, 80])
def test_new_prints_its_cd_and_run_lines_whole(
    run_fwpick: Run, tmp_path: Path, columns: int
) -> None:
    folder = "a folder with a rather long name that is wider than forty columns"
    proc = run_fwpick("new", "flask", folder, columns=columns)

    assert proc.returncode == 0, proc.stderr
    lines = [line.strip() for line in proc.stdout.splitlines()]
    cd_line = next(line for line in lines if line.startswith("cd "))
    assert shlex.split(cd_line) == ["cd", folder]
    flask = load_catalog(None).get("flask")
    assert flask is not None and flask.starter is not None
    assert lines[lines.index(cd_line) + 2] == flask.starter.run
    assert (tmp_path / folder / "app.py").is_file()


# --- C1: paths echoed on success carry no control characters ----------------


def _no_raw_escape(text: str) -> None:
    assert ESC not in text and BEL not in text, repr(text)


def test_validate_echoes_a_hostile_catalogue_path_without_escapes(
    run_fwpick: Run, tmp_path: Path
) -> None:
    path = tmp_path / f"{HOSTILE}.yaml"
    path.write_text(catalog_yaml(), encoding="utf-8")

    proc = run_fwpick("validate", str(path), columns=200)

    assert proc.returncode == 0, proc.stderr
    _no_raw_escape(proc.stdout)
    assert "PWNED" in proc.stdout and ": ok," in proc.stdout


def test_the_report_line_echoes_a_hostile_path_without_escapes(
    run_fwpick: Run, tmp_path: Path
) -> None:
    proc = run_fwpick("recommend", "--defaults", "--report", f"{HOSTILE}.md")

    assert proc.returncode == 0, proc.stderr
    _no_raw_escape(proc.stderr)
    assert "wrote the decision record to" in proc.stderr and "PWNED" in proc.stderr
    assert (tmp_path / f"{HOSTILE}.md").is_file()


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_recommend_with_a_hostile_catalogue_path_prints_no_escapes(
    run_fwpick: Run, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"{HOSTILE}.yaml"
    path.write_text(catalog_yaml(), encoding="utf-8")

    proc = run_fwpick("recommend", "--defaults", "--catalog", str(path), "--format", fmt)

    assert proc.returncode == 0, proc.stderr
    _no_raw_escape(proc.stdout)


def test_new_in_a_hostile_directory_prints_no_escapes_and_a_cd_line_that_is_exact(
    run_fwpick: Run, tmp_path: Path
) -> None:
    proc = run_fwpick("new", "flask", HOSTILE)

    assert proc.returncode == 0, proc.stderr
    _no_raw_escape(proc.stdout)
    assert (tmp_path / HOSTILE / "app.py").is_file()
    cd_line = next(line.strip() for line in proc.stdout.splitlines() if "cd " in line)
    assert cd_line.startswith("cd ")
    echoed = subprocess.run(
        ["bash", "-c", f"printf %s {cd_line[3:]}"],
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert echoed.stdout.decode() == HOSTILE


@pytest.mark.parametrize(
    "word",
    [
        "plain",
        "with space",
        "it's",
        "",
        HOSTILE,
        "tab\there\nnewline\r\\back'quote\"",
        "bidi\u202eevil\u2066zero\u200bwidth",
        "del\x7fand\x01\x9b",
        "caf\u00e9 \u65e5\u672c",
    ],
)
def test_shell_quote_gives_back_the_exact_word_and_prints_no_control_characters(
    word: str,
) -> None:
    quoted = shell_quote(word)

    assert all(ch.isprintable() for ch in quoted), repr(quoted)
    echoed = subprocess.run(
        ["bash", "-c", f"printf %s {quoted}"], capture_output=True, timeout=TIMEOUT
    )
    assert echoed.stdout.decode("utf-8") == word
