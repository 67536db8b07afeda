"""The files fwpick reads and writes: only regular files, bounded, never blocking, atomic writes.

Root ignores file modes, so the hostile files here are FIFOs, device nodes
made with ``os.mknod``, sockets and symbolic links; full and read-only disks
are simulated by making a system call fail.  Anything that could block runs
in a real process with a timeout.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import catalog_yaml, framework_yaml
from typer.testing import Result

from fwpick import files, starter
from fwpick import files as report
from fwpick.catalog import load_catalog
from fwpick.errors import FwpickError

LONG_NAME = "a" * 300
_STARTER = """\
    starter:
      requirements: ["alpha>=1.0,<2"]
      expect: Hello from Alpha
      run: python app.py
      app: |
        print("Hello from Alpha")
"""
STARTER_NAMES = ["README.md", "app.py", "requirements.txt"]


def one_error_line(result: Result | subprocess.CompletedProcess[str], *pieces: str) -> str:
    """The single ``fwpick: error:`` line of a failed run, checked to contain ``pieces``."""
    err = result.stderr
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("fwpick: error: "), err
    for piece in pieces:
        assert piece in lines[0], lines[0]
    return lines[0]


# --- hostile files -----------------------------------------------------------


def _make(kind: str, path: Path) -> Path:
    """Create a file of ``kind`` at ``path``; return the path to give fwpick."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "char device":  # a private /dev/null
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    elif kind == "zero device":  # a private /dev/zero: endless bytes
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    elif kind == "block device":  # a private /dev/loop0; never opened
        os.mknod(path, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    elif kind == "directory":
        path.mkdir()
    elif kind == "dangling link":
        path.symlink_to(path.parent / "nowhere.yaml")
    elif kind == "link loop":
        path.symlink_to(path)
    elif kind == "link to fifo":
        target = path.parent.resolve() / "fifo-target"
        os.mkfifo(target)
        path.symlink_to(target)
    else:  # pragma: no cover
        raise AssertionError(kind)
    return path


READ_KINDS = {
    "fifo": "is not a regular file (a FIFO)",
    "char device": "is not a regular file (a character device)",
    "zero device": "is not a regular file (a character device)",
    "block device": "is not a regular file (a block device)",
    "socket": "is not a regular file (a socket)",
    "directory": "is a directory",
    "dangling link": "is a symbolic link to a file that does not exist",
    "link loop": "is a symbolic link that loops",
    "link to fifo": "is not a regular file (a FIFO)",
}


def run_real(
    fwpick_script: Path, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The console script in a real process: a FIFO is a real FIFO, and a hang is a failure."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FWPICK_")}
    full_env["COLUMNS"] = "100"
    full_env.update(env or {})
    return subprocess.run(
        [str(fwpick_script), *args],
        cwd=cwd,
        env=full_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=10,
    )


@pytest.mark.parametrize("kind", list(READ_KINDS))
def test_a_catalogue_that_is_not_a_regular_file_is_refused_at_once(
    kind: str, tmp_path: Path, fwpick_script: Path
) -> None:
    path = _make(kind, tmp_path / "cat.yaml")

    for args in (["validate", str(path)], ["compare", "--catalog", str(path)]):
        result = run_real(fwpick_script, *args, cwd=tmp_path)

        assert result.returncode == 1
        one_error_line(result, str(path), READ_KINDS[kind])


@pytest.mark.parametrize("kind", list(READ_KINDS))
def test_an_answers_file_that_is_not_a_regular_file_is_refused_at_once(
    kind: str, tmp_path: Path, fwpick_script: Path
) -> None:
    path = _make(kind, tmp_path / "answers.yaml")

    result = run_real(
        fwpick_script, "recommend", "--defaults", "--answers", str(path), cwd=tmp_path
    )

    assert result.returncode == 1
    one_error_line(result, str(path), READ_KINDS[kind])
    assert result.stdout == ""


def test_the_real_dev_zero_and_dev_urandom_are_refused(fwpick_script: Path, tmp_path: Path) -> None:
    for device in ("/dev/zero", "/dev/urandom"):
        result = run_real(fwpick_script, "validate", device, cwd=tmp_path)

        assert result.returncode == 1
        one_error_line(result, device, "is not a regular file (a character device)")


def test_shell_completion_with_a_fifo_catalogue_returns_at_once(
    tmp_path: Path, fwpick_script: Path
) -> None:
    fifo = _make("fifo", tmp_path / "fifo.yaml")
    env = {
        "_FWPICK_COMPLETE": "complete_bash",
        "COMP_WORDS": "fwpick show f",
        "COMP_CWORD": "2",
        "FWPICK_CATALOG": str(fifo),
    }

    result = run_real(fwpick_script, cwd=tmp_path, env=env)  # timeout=10: a hang fails

    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == ""


def test_shell_completion_still_completes_from_a_regular_catalogue(
    tmp_path: Path, fwpick_script: Path, write_catalog: Callable[..., Path]
) -> None:
    env = {
        "_FWPICK_COMPLETE": "complete_bash",
        "COMP_WORDS": "fwpick show al",
        "COMP_CWORD": "2",
        "FWPICK_CATALOG": str(write_catalog()),
    }

    result = run_real(fwpick_script, cwd=tmp_path, env=env)

    assert result.stdout.split() == ["alpha"]


def test_a_catalogue_larger_than_the_limit_is_refused_without_reading_it(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # sparse: no disk space used
        handle.truncate(files.MAX_READ_BYTES + 1)

    result = cli("validate", str(big))

    assert result.exit_code == 1
    one_error_line(result, str(big), "is larger than 64 MiB")


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "limit.yaml"
    with path.open("wb") as handle:
        handle.truncate(files.MAX_READ_BYTES)

    assert len(files.read_regular_file(path)) == files.MAX_READ_BYTES


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file whose size says little (like those in /proc) is still bounded.
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"x" * 5000)
    monkeypatch.setattr(files, "MAX_READ_BYTES", 4096)
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[stat.ST_SIZE] = 0
        return os.stat_result(info)

    monkeypatch.setattr(files.os, "fstat", small_fstat)

    with pytest.raises(FwpickError, match="is larger than 4,096 bytes"):
        files.read_regular_file(path)


def test_a_file_name_that_is_too_long_to_read_is_one_line(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = cli("validate", str(tmp_path / LONG_NAME))

    assert result.exit_code == 1
    one_error_line(result, LONG_NAME, "cannot read it (the file name is too long)")


@pytest.mark.parametrize(
    "error", [errno.EIO, errno.EMFILE, errno.ENOMEM], ids=["EIO", "EMFILE", "ENOMEM"]
)
def test_any_error_while_reading_is_one_line_naming_the_file(
    error: int, tmp_path: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalog()

    def fail(fd: int, size: int) -> bytes:
        raise OSError(error, "whatever the OS says")

    monkeypatch.setattr(files.os, "read", fail)

    with pytest.raises(FwpickError) as info:
        files.read_regular_file(path)

    assert str(info.value).startswith(f"{path}: cannot read it (")
    assert "whatever the OS says" not in str(info.value)
    assert "\n" not in str(info.value)


def test_the_reader_opens_without_blocking_and_checks_the_open_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A FIFO put in place of the file between the look and the open is still
    # refused, and the open itself cannot block.
    path = tmp_path / "swapped.yaml"
    path.write_text("x: 1\n", encoding="utf-8")
    fifo = _make("fifo", tmp_path / "fifo")
    real_open = os.open
    seen: list[int] = []

    def swapping_open(file: object, flags: int, *args: object) -> int:
        seen.append(flags)
        return real_open(fifo, flags)

    monkeypatch.setattr(files.os, "open", swapping_open)

    with pytest.raises(FwpickError, match="is not a regular file \\(a FIFO\\)"):
        files.read_regular_file(path)
    assert seen and seen[0] & os.O_NONBLOCK and seen[0] & os.O_NOCTTY


def test_textfile_still_offers_read_bytes_and_decode(tmp_path: Path) -> None:
    from fwpick import textfile

    path = tmp_path / "t.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")

    assert textfile.decode(textfile.read_bytes(path), str(path)) == "a: 1\n"


# --- --report ------------------------------------------------------------------


@pytest.fixture
def catalog(write_catalog: Callable[..., Path]) -> Path:
    return write_catalog()


@pytest.fixture
def recommend(
    cli: Callable[..., Result], catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    def run(*args: str) -> Result:
        return cli("recommend", "--catalog", str(catalog), *args)

    return run


def test_a_report_name_that_is_too_long_is_one_line(recommend: Callable[..., Result]) -> None:
    result = recommend("--defaults", "--report", LONG_NAME + ".md")

    assert result.exit_code == 1
    one_error_line(result, LONG_NAME, "cannot write the report")
    assert result.stdout == ""


@pytest.mark.parametrize("call", ["lstat", "access"])
def test_any_os_error_while_checking_the_report_path_is_one_line(
    call: str, recommend: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("decision.md").write_text("old\n", encoding="utf-8")
    real = getattr(os, call)

    def fail(path: object, *args: object, **kwargs: object) -> object:
        if "decision" in str(path) or call == "access":
            raise OSError(errno.EIO, "whatever the OS says", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, call, fail)

    result = recommend("--defaults", "--report", "decision.md", "--force")

    assert result.exit_code == 1
    one_error_line(result, "decision.md", "cannot write the report")


def test_a_dangling_link_as_report_is_refused_before_anything_is_asked(
    recommend: Callable[..., Result],
) -> None:
    Path("dang.md").symlink_to("nowhere.md")

    # No answers and no terminal would be exit 2; the report's problem comes first.
    result = recommend("--report", "dang.md")

    assert result.exit_code == 1
    one_error_line(result, "dang.md", "already exists (a symbolic link); pass --force")
    assert result.stdout == ""
    assert not Path("nowhere.md").exists()


def test_check_writable_sees_a_dangling_link(tmp_path: Path) -> None:
    link = tmp_path / "dangling.md"
    link.symlink_to(tmp_path / "missing-target.md")

    with pytest.raises(FwpickError, match="already exists"):
        report.check_writable(link, force=False)
    report.check_writable(link, force=True)


def test_force_replaces_a_dangling_link_itself_not_its_target(
    recommend: Callable[..., Result],
) -> None:
    Path("dang.md").symlink_to("nowhere.md")

    result = recommend("--defaults", "--report", "dang.md", "--force")

    assert result.exit_code == 0, result.stderr
    assert not Path("dang.md").is_symlink()
    assert Path("dang.md").read_text(encoding="utf-8").startswith("---\nstatus: proposed")
    assert not Path("nowhere.md").exists()
    assert sorted(os.listdir(".")) == ["dang.md"]


def test_force_replaces_a_link_to_a_regular_file_and_leaves_the_target(
    recommend: Callable[..., Result], tmp_path: Path
) -> None:
    target = tmp_path / "theirs.md"
    target.write_text("theirs\n", encoding="utf-8")
    Path("rec.md").symlink_to(target)

    result = recommend("--defaults", "--report", "rec.md", "--force")

    assert result.exit_code == 0, result.stderr
    assert not Path("rec.md").is_symlink()
    assert target.read_text(encoding="utf-8") == "theirs\n"


REFUSED_KINDS = {
    "fifo": stat.S_ISFIFO,
    "char device": stat.S_ISCHR,
    "block device": stat.S_ISBLK,
    "socket": stat.S_ISSOCK,
    "link to fifo": stat.S_ISFIFO,
}


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("kind", list(REFUSED_KINDS))
def test_a_report_never_replaces_anything_but_a_regular_file(
    kind: str, force: bool, recommend: Callable[..., Result]
) -> None:
    path = _make(kind, Path("node"))
    before = os.lstat(path)

    result = recommend("--defaults", "--report", "node", *(["--force"] if force else []))

    assert result.exit_code == 1
    line = one_error_line(result, "node", "is not a regular file", "fwpick only replaces regular")
    assert "--force to replace" not in line
    after = os.lstat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert REFUSED_KINDS[kind](os.stat(path).st_mode)
    assert not [name for name in os.listdir(".") if name.endswith(".tmp")]


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("how", ["directory", "link to a directory"])
def test_a_report_never_replaces_a_directory(
    how: str, force: bool, recommend: Callable[..., Result]
) -> None:
    Path("real").mkdir()
    path = Path("real") if how == "directory" else Path("link")
    if how != "directory":
        path.symlink_to("real")

    result = recommend("--defaults", "--report", str(path), *(["--force"] if force else []))

    assert result.exit_code == 1
    one_error_line(result, str(path), "is a directory")
    assert Path("real").is_dir() and os.listdir("real") == []


@pytest.mark.parametrize("spelling", ["same", "relative", "via link", "dot-dot"])
def test_force_never_replaces_the_catalogue_of_the_same_run(
    spelling: str, cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    cat = tmp_path / "sub" / "cat.yaml"
    cat.write_text(catalog_yaml(), encoding="utf-8")
    before = cat.read_bytes()
    Path("cat-link.yaml").symlink_to(cat)
    report_path = {
        "same": str(cat),
        "relative": "cat.yaml",
        "via link": "cat-link.yaml",
        "dot-dot": "../sub/cat.yaml",
    }[spelling]

    result = cli(
        "recommend", "--defaults", "--catalog", str(cat), "--report", report_path, "--force"
    )

    assert result.exit_code == 1
    one_error_line(result, report_path, "is the catalogue this run reads", "never replaces it")
    assert cat.read_bytes() == before


def test_force_never_replaces_the_answers_file_of_the_same_run(
    recommend: Callable[..., Result],
) -> None:
    Path("answers.yaml").write_text("docs: high\n", encoding="utf-8")

    result = recommend(
        "--defaults", "--answers", "answers.yaml", "--report", "answers.yaml", "--force"
    )

    assert result.exit_code == 1
    one_error_line(result, "answers.yaml", "is the answers file this run reads")
    assert Path("answers.yaml").read_text(encoding="utf-8") == "docs: high\n"


def test_force_never_replaces_the_bundled_catalogue_when_none_is_given(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fwpick import catalog as catalog_module

    bundled = tmp_path / "bundled.yaml"
    bundled.write_text(catalog_yaml(), encoding="utf-8")
    monkeypatch.setattr(catalog_module, "bundled_catalog_path", lambda: bundled)

    result = cli("recommend", "--defaults", "--report", str(bundled), "--force")

    assert result.exit_code == 1
    one_error_line(result, str(bundled), "is the catalogue this run reads")
    assert bundled.read_text(encoding="utf-8") == catalog_yaml()


def test_report_dash_is_refused_rather_than_written_to_a_file_called_dash(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--defaults", "--report", "-")

    assert result.exit_code == 1
    one_error_line(result, "give a file name", "does not write to standard output")
    assert os.listdir(".") == []


def test_a_file_called_dash_can_still_be_named_as_dot_slash_dash(
    recommend: Callable[..., Result],
) -> None:
    result = recommend("--defaults", "--report", "./-")

    assert result.exit_code == 0, result.stderr
    assert "fwpick: wrote the decision record to ./-" in result.stderr
    assert Path("-").read_text(encoding="utf-8").startswith("---\nstatus: proposed")


def test_an_empty_report_name_is_refused_as_empty(recommend: Callable[..., Result]) -> None:
    result = recommend("--defaults", "--report", "")

    assert result.exit_code == 1
    line = one_error_line(result, "--report needs a file name")
    assert "is a directory" not in line


def test_a_read_only_file_system_is_named_as_such_before_asking(
    recommend: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    class ReadOnly:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    monkeypatch.setattr(os, "statvfs", lambda path: ReadOnly())

    result = recommend("--report", "r.md")

    assert result.exit_code == 1
    line = one_error_line(result, "r.md", "cannot write the report")
    assert "read-only file system" in line.lower()
    assert "permission" not in line.lower()


def test_a_read_only_file_system_at_write_time_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "whatever the OS says")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)

    with pytest.raises(FwpickError) as info:
        report.write_report(tmp_path / "r.md", "# r\n", force=False)

    assert "read-only file system" in str(info.value).lower()
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_fails_after_the_quiz_prints_the_command_to_run_again(
    recommend: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "whatever the OS says")

    monkeypatch.setattr(files.os, "fsync", full)

    result = recommend("--docs", "high", "--defaults", "--report", "my record.md")

    assert result.exit_code == 1
    line = one_error_line(result, "my record.md", "cannot write the report", "run again")
    assert "fwpick recommend --kind " in line
    assert "--docs high" in line
    assert "--report 'my record.md'" in line
    assert os.listdir(".") == []


def test_the_success_line_comes_as_soon_as_the_record_exists(
    recommend: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C while the ranking prints: the record is there, and the user is told.
    from fwpick.output import ranking_table as ranking_render

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(ranking_render, "ranking_table", interrupted)

    result = recommend("--defaults", "--report", "rec.md")

    assert result.exit_code == 130
    assert "fwpick: wrote the decision record to rec.md" in result.stderr
    assert Path("rec.md").read_text(encoding="utf-8").startswith("---\nstatus: proposed")


def test_a_report_interrupted_by_ctrl_c_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)

    with pytest.raises(KeyboardInterrupt):
        report.write_report(tmp_path / "r.md", "# r\n", force=False)

    assert list(tmp_path.iterdir()) == []


# A real process, whose fsync sends itself SIGTERM: the signal arrives while the
# record is being written, at a known point, with nothing changed in fwpick.
_SIGTERM_DRIVER = """\
import os, signal, sys
def fsync(fd):
    os.kill(os.getpid(), signal.SIGTERM)
os.fsync = fsync
sys.argv = ["fwpick", *sys.argv[1:]]
from fwpick.cli import main
main()
"""


def _run_driver(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FWPICK_")}
    return subprocess.run(
        [sys.executable, "-c", _SIGTERM_DRIVER, *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_sigterm_while_the_report_is_written_leaves_no_temporary_file(
    tmp_path: Path, catalog: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()

    result = _run_driver(
        ["recommend", "--defaults", "--catalog", str(catalog), "--report", "rec.md"], work
    )

    assert result.returncode == 143, result.stderr
    assert "Traceback" not in result.stderr
    assert os.listdir(work) == []


def test_the_sigterm_handler_is_removed_after_writing(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)

    report.write_report(tmp_path / "r.md", "# r\n", force=False)

    assert signal.getsignal(signal.SIGTERM) is before
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == "# r\n"


def test_a_report_that_appears_meanwhile_is_not_replaced_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.md"
    real_link = os.link

    def race(src: object, dst: object, **kwargs: object) -> None:
        target.symlink_to("elsewhere")  # a dangling link appears before the link
        real_link(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "link", race)

    with pytest.raises(FwpickError, match="already exists"):
        report.write_report(target, "# r\n", force=False)

    assert target.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


# --- new -------------------------------------------------------------------------


@pytest.fixture
def starter_catalog(write_catalog: Callable[..., Path]) -> Path:
    return write_catalog(catalog_yaml(framework_yaml("alpha") + _STARTER), name="starter.yaml")


@pytest.fixture
def new(
    cli: Callable[..., Result],
    starter_catalog: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Result]:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    # The catalogue cache renames its entries into place; keep it out of the counts.
    monkeypatch.setenv("FWPICK_NO_CACHE", "1")

    def run(*args: str) -> Result:
        return cli("new", "alpha", *args, "--catalog", str(starter_catalog))

    return run


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


class FailOn:
    """Make the ``n``-th call of a function fail with ``error``; count the calls."""

    def __init__(self, real: Callable[..., object], n: int, error: BaseException) -> None:
        self.real, self.n, self.error, self.calls = real, n, error, 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        if self.calls == self.n:
            raise self.error
        return self.real(*args, **kwargs)


@pytest.fixture(params=["new directory", "new parents", "empty directory"])
def where(request: pytest.FixtureRequest, new: Callable[..., Result]) -> str:
    """Where the starter goes (after ``new`` has moved into the scratch directory)."""
    if request.param == "empty directory":
        Path("site").mkdir()
    return "deep/down/site" if request.param == "new parents" else "site"


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_a_full_disk_while_writing_a_starter_leaves_nothing_and_a_rerun_works(
    nth: int, where: str, new: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = everything_under(Path("."))
    real_fsync = os.fsync
    failing = FailOn(os.fsync, nth, OSError(errno.ENOSPC, "whatever the OS says"))
    monkeypatch.setattr(os, "fsync", failing)

    result = new(where)

    assert result.exit_code == 1
    line = one_error_line(result, where, "cannot write the starter", "No space left on device")
    assert not line.endswith("None")
    assert "whatever the OS says" not in line
    assert everything_under(Path(".")) == before
    monkeypatch.setattr(os, "fsync", real_fsync)

    again = new(where)

    assert again.exit_code == 0, again.stderr
    assert sorted(os.listdir(where)) == STARTER_NAMES


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_ctrl_c_while_writing_a_starter_leaves_nothing(
    nth: int, where: str, new: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = everything_under(Path("."))
    monkeypatch.setattr(os, "fsync", FailOn(os.fsync, nth, KeyboardInterrupt()))

    result = new(where)

    assert result.exit_code == 130
    assert "Traceback" not in result.stderr
    assert everything_under(Path(".")) == before


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_a_failure_while_renaming_into_an_empty_directory_empties_it_again(
    nth: int, new: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("site").mkdir()
    monkeypatch.setattr(os, "replace", FailOn(os.replace, nth, OSError(errno.EIO, "x")))

    result = new("site")

    assert result.exit_code == 1
    one_error_line(result, "site", "cannot write the starter")
    assert os.listdir("site") == []


def test_a_full_disk_with_force_keeps_the_existing_files(
    new: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("site").mkdir()
    Path("site/app.py").write_text("mine\n", encoding="utf-8")
    Path("site/notes.txt").write_text("notes\n", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", FailOn(os.fsync, 3, OSError(errno.ENOSPC, "x")))

    result = new("site", "--force")

    assert result.exit_code == 1
    one_error_line(result, "site", "cannot write the starter")
    assert sorted(os.listdir("site")) == ["app.py", "notes.txt"]
    assert Path("site/app.py").read_text(encoding="utf-8") == "mine\n"


def test_a_failure_with_no_file_name_does_not_print_none(
    tmp_path: Path, starter_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fw = load_catalog(starter_catalog).get("alpha")
    assert fw is not None
    monkeypatch.setattr(os, "fsync", FailOn(os.fsync, 1, OSError(errno.ENOSPC, "x")))

    with pytest.raises(FwpickError) as info:
        starter.write_starter(fw, tmp_path / "site")

    assert "None" not in str(info.value)
    assert str(tmp_path / "site") in str(info.value)


def test_sigterm_while_writing_a_starter_leaves_nothing(
    tmp_path: Path, starter_catalog: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "empty").mkdir()

    for where in ("site", "empty"):
        result = _run_driver(["new", "alpha", where, "--catalog", str(starter_catalog)], work)

        assert result.returncode == 143, result.stderr
        assert "Traceback" not in result.stderr
        assert everything_under(work) == ["empty"]


def test_a_new_starter_directory_gets_the_usual_mode(new: Callable[..., Result]) -> None:
    umask = os.umask(0o022)
    try:
        assert new("site").exit_code == 0
    finally:
        os.umask(umask)

    assert stat.S_IMODE(os.stat("site").st_mode) == 0o755
    assert stat.S_IMODE(os.stat("site/app.py").st_mode) == 0o644


def test_a_starter_in_a_new_directory_leaves_no_temporary_folder(
    new: Callable[..., Result],
) -> None:
    assert new("deep/site").exit_code == 0

    assert everything_under(Path(".")) == ["deep", "deep/site"] + [
        f"deep/site/{name}" for name in STARTER_NAMES
    ]


def test_a_dangling_link_as_starter_directory_gets_a_clear_message(
    new: Callable[..., Result],
) -> None:
    Path("dlink").symlink_to("missing-dir")

    result = new("dlink")

    assert result.exit_code == 1
    one_error_line(result, "dlink", "is a symbolic link to a directory that does not exist")
    assert not Path("missing-dir").exists()


def test_a_starter_directory_name_that_is_too_long_is_one_line(
    new: Callable[..., Result],
) -> None:
    result = new(LONG_NAME)

    assert result.exit_code == 1
    one_error_line(result, LONG_NAME, "cannot write the starter")
    assert os.listdir(".") == []


@pytest.mark.parametrize("kind", ["fifo", "char device", "socket", "directory", "link to fifo"])
def test_force_never_replaces_a_starter_file_that_is_not_a_regular_file(
    kind: str, new: Callable[..., Result]
) -> None:
    Path("site").mkdir()
    node = _make(kind, Path("site/README.md"))
    before = os.lstat(node)

    result = new("site", "--force")

    assert result.exit_code == 1
    one_error_line(result, "README.md", "is not a regular file", "fwpick only replaces regular")
    after = os.lstat(node)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    # Nothing else was written either: the check comes before any file.
    assert "app.py" not in os.listdir("site")


def test_force_through_a_linked_directory_writes_into_it(
    new: Callable[..., Result], tmp_path: Path
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    Path("linked").symlink_to(real)

    result = new("linked", "--force")

    assert result.exit_code == 0, result.stderr
    assert Path("linked").is_symlink()
    assert sorted(os.listdir(real)) == STARTER_NAMES


def test_the_atomic_writer_never_writes_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "out.md"
    link.symlink_to(outside)

    files.write_atomically(link, "new\n", replace=True)

    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8") == "new\n"


def test_fwpick_words_its_own_reasons() -> None:
    # The reason shown never comes from the OS's message text.
    assert files.os_reason(OSError(errno.ENOSPC, "whatever")) == "No space left on device"
    assert files.os_reason(OSError(errno.EROFS, "whatever")) == "Read-only file system"
    assert "whatever" not in files.os_reason(OSError(errno.ECHILD, "whatever"))
    assert files.os_reason(OSError("no errno")) == "system error"


# --- in a real terminal ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dangling link", "fifo", "char device"])
def test_in_a_terminal_a_bad_report_path_stops_before_the_first_question(
    kind: str, fwpick_script: Path, tmp_path: Path
) -> None:
    import pexpect

    target = _make(kind, tmp_path / "rec.md")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FWPICK_")}
    env.update({"NO_COLOR": "1", "TERM": "dumb"})
    child = pexpect.spawn(
        str(fwpick_script),
        ["recommend", "--report", str(target)],
        env=env,
        encoding="utf-8",
        timeout=10,
        dimensions=(40, 200),
    )
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 1
    assert f"fwpick: error: {target}: " in child.before
    assert "Do you need native async" not in child.before
    assert "Traceback" not in child.before
