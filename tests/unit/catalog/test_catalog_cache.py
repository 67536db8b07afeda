"""The catalogue cache gives exactly what reading the file gives, whatever happens to the file."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import catalog_yaml, framework_yaml, replace_once

import fwpick
from fwpick.catalog import bundled_catalog_path, load_catalog, records
from fwpick.catalog import cache as catalog_cache
from fwpick.errors import CatalogError

ONE = catalog_yaml(framework_yaml("alpha"))
DOCS_3 = 'value: 3\n        rationale: "Short but complete."'


def docs_score(value: int) -> str:
    """The one-framework catalogue with its docs score changed (1-5 is valid)."""
    return replace_once(ONE, DOCS_3, DOCS_3.replace("3", str(value)))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("FWPICK_NO_CACHE", raising=False)
    return folder / "fwpick"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def test_the_bundled_catalogue_loads_the_same_from_the_cache(cache: Path) -> None:
    first = catalog_cache.load_catalog()
    second = catalog_cache.load_catalog()

    assert first == second == load_catalog()
    assert len(entries(cache)) == 1


def test_a_catalogue_file_loads_the_same_from_the_cache(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog()

    catalog_cache.load_catalog(path)
    cached = catalog_cache.load_catalog(path)

    assert cached == load_catalog(path)
    assert cached.path == str(path)


def test_an_edit_that_keeps_the_size_and_the_time_is_still_seen(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    # The cache compares the bytes, not the file's size and modification time.
    path = write_catalog(ONE)
    catalog_cache.load_catalog(path)
    before = path.stat()

    path.write_text(docs_score(5), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size

    assert catalog_cache.load_catalog(path).frameworks[0].scores["docs"].value == 5


def settled(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the cache remember ``path``'s digest, as it does for a file not changed lately.

    The file's times must still move on a later edit, so the test waits for a
    few ticks of the file system's clock and takes "lately" to be shorter.
    """
    time.sleep(0.05)
    monkeypatch.setattr(catalog_cache, "SETTLED_NS", 10_000_000)


def digests(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.digest")) if folder.exists() else []


def test_an_unchanged_file_is_not_hashed_again(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalog(ONE)
    settled(path, monkeypatch)
    first = catalog_cache.load_catalog(path)
    assert len(digests(cache)) == 1

    def no_hashing(file: Path) -> str:
        raise AssertionError(f"{file} was hashed again")

    monkeypatch.setattr(catalog_cache, "_file_digest", no_hashing)
    again = catalog_cache.load_catalog(path)

    assert again == first
    assert again.digest == first.digest == load_catalog(path).digest


def test_an_edit_that_keeps_the_size_and_the_time_is_seen_with_a_remembered_digest(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The change time, which no one can set back, moves with every edit.
    path = write_catalog(ONE)
    settled(path, monkeypatch)
    catalog_cache.load_catalog(path)
    before = path.stat()

    path.write_text(docs_score(5), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    loaded = catalog_cache.load_catalog(path)
    assert loaded.frameworks[0].scores["docs"].value == 5
    assert loaded.digest == load_catalog(path).digest


def test_a_file_replaced_by_another_is_seen(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalog(ONE)
    other = write_catalog(docs_score(4), name="other.yaml")
    settled(path, monkeypatch)
    catalog_cache.load_catalog(path)

    os.replace(other, path)

    assert catalog_cache.load_catalog(path).frameworks[0].scores["docs"].value == 4


def test_a_file_changed_lately_is_hashed_on_every_run(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    # Its times may not move on an edit within the same tick of the clock.
    path = write_catalog(ONE)
    catalog_cache.load_catalog(path)
    catalog_cache.load_catalog(path)

    assert entries(cache) and digests(cache) == []


@pytest.mark.parametrize("text", ["", "garbage", "1 2 3 4 5 " + "0" * 64, "\xff"])
def test_a_damaged_or_wrong_remembered_digest_is_never_trusted_over_the_file(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    path = write_catalog(ONE)
    settled(path, monkeypatch)
    catalog_cache.load_catalog(path)
    (remembered,) = digests(cache)
    info = path.stat()
    # The file's own inode, size and times with a wrong digest: a miss, read from the file.
    stamps = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    wrong = " ".join(map(str, stamps)) + " " + "0" * 64
    for damaged in (text, wrong):
        remembered.write_bytes(damaged.encode("utf-8", "surrogateescape"))
        assert catalog_cache.load_catalog(path) == load_catalog(path)


def test_a_remembered_digest_goes_with_its_entry(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalog(ONE, name="one.yaml")
    settled(path, monkeypatch)
    catalog_cache.load_catalog(path)
    assert len(digests(cache)) == 1
    monkeypatch.setattr(catalog_cache, "MAX_ENTRIES", 1)

    catalog_cache.load_catalog(write_catalog(docs_score(4), name="other.yaml"))

    assert digests(cache) == []


def test_a_file_that_is_no_longer_a_regular_file_is_refused_before_the_cache_is_read(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalog(ONE)
    settled(path, monkeypatch)
    catalog_cache.load_catalog(path)

    path.unlink()
    path.mkdir()

    with pytest.raises(CatalogError, match="is a directory"):
        catalog_cache.load_catalog(path)


def test_an_invalid_catalogue_gives_the_loaders_error_and_is_not_cached(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(docs_score(9))

    with pytest.raises(CatalogError) as cached:
        catalog_cache.load_catalog(path)
    with pytest.raises(CatalogError) as direct:
        load_catalog(path)

    assert str(cached.value) == str(direct.value)
    assert entries(cache) == []


def test_a_catalogue_that_becomes_invalid_is_reported(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(ONE)
    catalog_cache.load_catalog(path)

    write_catalog(docs_score(9))

    with pytest.raises(CatalogError, match="out of range"):
        catalog_cache.load_catalog(path)


def test_a_missing_file_gives_the_loaders_error(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such file"):
        catalog_cache.load_catalog(tmp_path / "absent.yaml")


def test_a_damaged_cache_entry_is_read_again_from_the_file(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog()
    catalog_cache.load_catalog(path)
    (entry,) = entries(cache)
    entry.write_bytes(b"not a pickle")

    assert catalog_cache.load_catalog(path) == load_catalog(path)


def _parts(entry: Path) -> tuple[object, object, list[bytes]]:
    """The key, header and records of a cache entry (read with plain pickle: the test wrote it)."""
    data = entry.read_bytes()[len(records.MAGIC) :]
    parts = []
    for _ in range(3):
        length = int.from_bytes(data[:8], "little")
        parts.append(pickle.loads(data[8 : 8 + length]))
        data = data[8 + length :]
    key, header, (lengths, _) = parts  # type: ignore[misc]
    body = []
    for length in lengths:
        body.append(data[:length])
        data = data[length:]
    return key, header, body


def test_a_tampered_cache_entry_cannot_run_code(
    cache: Path, write_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_catalog()
    catalog_cache.load_catalog(path)
    (entry,) = entries(cache)
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    key, header, body = _parts(entry)
    # A well-formed record, checksum and all, that would run a command if unpickled freely.
    records.write(entry, key, header, [pickle.dumps(Exploit()), *body[1:]])

    assert catalog_cache.load_catalog(path) == load_catalog(path)
    assert not marker.exists()


def test_a_damaged_framework_record_is_read_again_from_the_file(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog()
    catalog_cache.load_catalog(path)
    (entry,) = entries(cache)
    data = bytearray(entry.read_bytes())
    data[-5] ^= 0xFF  # inside the last framework's record
    entry.write_bytes(bytes(data))

    last = catalog_cache.load_catalog(path).frameworks[-1]

    assert entries(cache) == []  # not trusted again: the next run writes a new entry
    assert last == load_catalog(path, cache=False).frameworks[-1]


def test_an_entry_cut_short_is_a_miss(cache: Path, write_catalog: Callable[..., Path]) -> None:
    path = write_catalog()
    catalog_cache.load_catalog(path)
    (entry,) = entries(cache)
    entry.write_bytes(entry.read_bytes()[:-10])

    assert catalog_cache.load_catalog(path) == load_catalog(path)
    assert _parts(entry)[2][-1]  # written again whole


def test_a_cached_catalogue_reads_only_the_frameworks_it_uses(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalog(catalog_yaml(*(framework_yaml(f"fw{n:03d}") for n in range(200))))
    catalog_cache.load_catalog(path)
    loaded: list[int] = []
    real = records.RecordFile.load

    def counting(
        self: records.RecordFile, number: int, allowed: frozenset[tuple[str, str]]
    ) -> object:
        loaded.append(number)
        return real(self, number, allowed)

    monkeypatch.setattr(records.RecordFile, "load", counting)

    cached = catalog_cache.load_catalog(path)
    assert len(cached.frameworks) == 200
    assert cached.names()[150] == "fw150"
    assert cached.get("FW150") is not None

    assert loaded == [150]
    assert cached.frameworks[150] == load_catalog(path).frameworks[150]


def test_derived_data_is_built_once_and_again_only_when_the_catalogue_changes(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    path = write_catalog(ONE)
    builds: list[int] = []

    def docs() -> int:
        catalog = catalog_cache.load_catalog(path)
        frameworks = catalog.frameworks
        assert isinstance(frameworks, catalog_cache.CachedFrameworks)

        def build() -> int:
            builds.append(1)
            return frameworks[0].scores["docs"].value

        return frameworks.derived("docs", ["catalog/cache.py"], build)

    assert docs() == docs() == 3
    assert len(builds) == 1
    write_catalog(docs_score(4))
    assert docs() == 4
    assert len(builds) == 2


def test_the_cache_can_be_turned_off(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FWPICK_NO_CACHE", "1")

    assert catalog_cache.load_catalog(write_catalog()) == load_catalog(write_catalog())
    assert entries(cache) == []


def test_fwpick_no_cache_set_to_0_leaves_the_cache_on(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FWPICK_NO_CACHE", "0")

    catalog_cache.load_catalog(write_catalog())

    assert len(entries(cache)) == 1


def test_an_unwritable_cache_folder_does_not_stop_fwpick(
    tmp_path: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be created under a file")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = write_catalog()

    assert catalog_cache.load_catalog(path) == load_catalog(path)


def test_the_cache_keeps_a_bounded_number_of_catalogues(
    cache: Path, write_catalog: Callable[..., Path]
) -> None:
    for number in range(catalog_cache.MAX_ENTRIES + 3):
        text = catalog_yaml(framework_yaml(f"fw{number}"))
        catalog_cache.load_catalog(write_catalog(text, name=f"catalog-{number}.yaml"))

    assert len(entries(cache)) == catalog_cache.MAX_ENTRIES


def test_the_oldest_entries_go_when_the_cache_grows_too_big_but_never_the_newest(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write_catalog(catalog_yaml(framework_yaml("alpha")), name="first.yaml")
    catalog_cache.load_catalog(first)
    (entry,) = entries(cache)
    monkeypatch.setattr(catalog_cache, "MAX_BYTES", entry.stat().st_size + 10)

    second = write_catalog(catalog_yaml(framework_yaml("beta")), name="second.yaml")
    catalog_cache.load_catalog(second)

    (kept,) = entries(cache)
    assert kept != entry
    monkeypatch.setattr(catalog_cache, "MAX_BYTES", 1)
    catalog_cache.load_catalog(first)
    assert len(entries(cache)) == 1  # the newest stays, however big


def test_derived_data_goes_with_its_entry(
    cache: Path, write_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalog(ONE, name="one.yaml")
    frameworks = catalog_cache.load_catalog(path).frameworks
    assert isinstance(frameworks, catalog_cache.CachedFrameworks)
    frameworks.derived("docs", ["catalog/cache.py"], lambda: 3)
    assert len(list(cache.glob("*.derived"))) == 1
    monkeypatch.setattr(catalog_cache, "MAX_ENTRIES", 1)

    catalog_cache.load_catalog(write_catalog(docs_score(4), name="other.yaml"))

    assert list(cache.glob("*.derived")) == []


def test_the_cache_finds_the_bundled_catalogue_where_the_loader_does(cache: Path) -> None:
    assert catalog_cache.load_catalog().path == str(bundled_catalog_path())


def test_the_cache_key_covers_every_module_that_decides_what_a_catalogue_loads_as() -> None:
    # A change to any of them must make old cache entries miss.
    code = (
        "import sys; from fwpick.catalog.schema import load_catalog; load_catalog();"
        "print(' '.join(m.__file__ for n, m in sys.modules.items() if n.startswith('fwpick.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    package = Path(fwpick.__file__).parent
    # errors: never cached; __init__: only the version, which the key holds.
    used = {Path(name).relative_to(package).as_posix() for name in out.split()} - {
        "errors.py",
        "__init__.py",
    }

    assert used <= set(catalog_cache._LOADER_MODULES)
