"""The cache of validated datasets (`valuechain.loading.cache`): a hit gives exactly
what loading the files gives; any change to the inputs misses; a damaged or
unwritable cache is ignored; nothing is written beside the inputs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
from valuechain.analysis.weights import resolve_weight
from valuechain.cli import main
from valuechain.loading import cache as _cache
from valuechain.loading.dataset import bundled_sample, load


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the bundled sample."""
    folder = tmp_path / "bac_kan"
    shutil.copytree(bundled_sample(), folder)
    # A rejected row and a merged duplicate, so the report is not empty.
    with (folder / "links.csv").open("a", encoding="utf-8") as fh:
        fh.write("NOBODY,EXT,log,1,1,2024\n")
    # The optional tables go through the cache too.
    (folder / "chains.csv").write_text("code,name,name_en\ntimber,Lâm sản gỗ,Wood\n", "utf-8")
    return folder


def _same(a, b) -> None:
    for name in ("enterprises", "offers", "links", "products"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    pd.testing.assert_frame_equal(a.clusters, b.clusters)
    pd.testing.assert_frame_equal(a.chains, b.chains)
    assert a.about == b.about and a.about["region"].startswith("Bắc Kạn")
    assert a.report.problems == b.report.problems
    assert a.report.counts == b.report.counts
    assert a.years == b.years
    for x, y in zip(a.endpoint_rows(), b.endpoint_rows(), strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(a.offer_rows(), b.offer_rows())


def test_a_hit_is_what_the_files_give(sample: Path) -> None:
    fresh = load(sample)  # no cache asked: files only, nothing written
    assert not any(_cache.cache_root().iterdir())
    first = load(sample, cache=True)
    second = load(sample, cache=True)
    assert not first.from_cache and second.from_cache
    assert second.report.rejected_rows == 1
    _same(fresh, first)
    _same(fresh, second)
    a, b = fresh.for_year(None), second.for_year(None)
    w = resolve_weight(a.links)[1]
    pd.testing.assert_frame_equal(unlinked_producers(a), unlinked_producers(b))
    pd.testing.assert_frame_equal(enterprise_flags(a, w), enterprise_flags(b, w))


def test_a_changed_input_misses(sample: Path) -> None:
    load(sample, cache=True)
    links = sample / "links.csv"
    text = links.read_text(encoding="utf-8")
    # An edit changes the file's size or modification time (both are in the key).
    links.write_text(text.replace("NOBODY,EXT,log,1,1,2024\n", ""), encoding="utf-8")
    again = load(sample, cache=True)
    assert not again.from_cache
    assert again.report.rejected_rows == 0


def test_a_damaged_cache_is_ignored(sample: Path) -> None:
    load(sample, cache=True)
    (entry,) = [p for p in _cache.cache_root().iterdir() if not p.name.startswith(".")]
    (entry / "links.arrow").write_bytes(b"not arrow")
    again = load(sample, cache=True)
    assert not again.from_cache
    _same(load(sample), again)


def test_an_unwritable_cache_is_ignored(sample: Path, monkeypatch, tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    monkeypatch.setenv("VALUECHAIN_CACHE_DIR", str(blocker / "cache"))
    ds = load(sample, cache=True)
    assert len(ds.enterprises) > 0 and not ds.from_cache


def test_off_switches_and_nothing_beside_the_inputs(sample: Path, monkeypatch) -> None:
    before = sorted(p.name for p in sample.iterdir())
    stamps = {p.name: p.stat().st_mtime_ns for p in sample.iterdir()}
    monkeypatch.setenv("VALUECHAIN_CACHE", "0")
    load(sample, cache=True)
    assert not _cache.cache_root().exists() or not any(_cache.cache_root().iterdir())
    monkeypatch.delenv("VALUECHAIN_CACHE")
    runner = CliRunner()
    assert runner.invoke(main, ["--no-cache", "summary", str(sample)]).exit_code == 0
    assert not _cache.cache_root().exists() or not any(_cache.cache_root().iterdir())
    result = runner.invoke(main, ["-v", "--lang", "en", "summary", str(sample)])
    assert result.exit_code == 0
    result = runner.invoke(main, ["-v", "--lang", "en", "summary", str(sample)])
    assert "validated copy in the cache" in result.stderr
    assert sorted(p.name for p in sample.iterdir()) == before
    assert {p.name: p.stat().st_mtime_ns for p in sample.iterdir()} == stamps


def test_old_entries_are_evicted(sample: Path, monkeypatch) -> None:
    for i in range(_cache.KEEP + 2):
        os.utime(sample / "links.csv", ns=(i * 10**9, i * 10**9))
        load(sample, cache=True)
    entries = [p for p in _cache.cache_root().iterdir() if not p.name.startswith(".")]
    assert len(entries) == _cache.KEEP


def test_a_damaged_entry_is_found_by_its_checksum_and_replaced(sample: Path) -> None:
    load(sample, cache=True)
    (entry,) = [p for p in _cache.cache_root().iterdir() if not p.name.startswith(".")]
    arrow = entry / "enterprises.arrow"
    data = bytearray(arrow.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle: still "valid" Arrow
    arrow.write_bytes(bytes(data))
    again = load(sample, cache=True)
    assert not again.from_cache  # the damage was seen, the files read
    _same(load(sample), again)
    assert load(sample, cache=True).from_cache  # and the entry was written anew


def test_the_cache_runs_no_code_from_its_entries(sample: Path) -> None:
    # Entries are Arrow, numpy without pickles, and JSON: a planted pickle is
    # never read, and nothing in the module can unpickle.
    import inspect

    load(sample, cache=True)
    (entry,) = [p for p in _cache.cache_root().iterdir() if not p.name.startswith(".")]
    assert sorted(p.suffix for p in entry.iterdir()) == sorted(
        # enterprises, offers, links, products, clusters, chains; meta, manifest; two index arrays
        [".arrow"] * 6 + [".json", ".json", ".npy", ".npy"]
    )
    (entry / "meta.pickle").write_bytes(b"cos\nsystem\n(S'touch /tmp/pwned'\ntR.")
    assert load(sample, cache=True).from_cache
    assert "import pickle" not in inspect.getsource(_cache)


def test_a_killed_writer_leaves_nothing_for_long(sample: Path) -> None:
    root = _cache.cache_root()
    root.mkdir(parents=True, exist_ok=True)
    stale = root / ".tmp-killed"
    stale.mkdir()
    (stale / "links.arrow").write_bytes(b"half")
    old = 2 * _cache.STALE_SECONDS
    os.utime(stale, (os.path.getmtime(stale) - old, os.path.getmtime(stale) - old))
    fresh = root / ".tmp-running"
    fresh.mkdir()  # another process writing now: left alone
    load(sample, cache=True)
    assert not stale.exists() and fresh.exists()


def test_an_edit_that_keeps_size_and_time_is_still_noticed(sample: Path) -> None:
    import time

    load(sample, cache=True)
    links = sample / "links.csv"
    st = links.stat()
    text = links.read_text(encoding="utf-8").replace("NOBODY,EXT", "NOBODZ,EXT")
    time.sleep(0.01)
    links.write_text(text, encoding="utf-8")  # same size
    os.utime(links, ns=(st.st_atime_ns, st.st_mtime_ns))  # same modification time
    again = load(sample, cache=True)
    assert not again.from_cache  # the change time differs


def test_an_edit_the_file_system_cannot_see_is_noticed_by_content(sample, monkeypatch) -> None:
    # On a FAT USB stick times have two seconds' resolution and there is no
    # inode: an edit of one digit within them leaves every stat field as it
    # was. Files up to HASH_BYTES are also known by their content.
    links = sample / "links.csv"
    fixed = links.stat()
    monkeypatch.setattr(Path, "stat", lambda self, **kw: fixed)
    files = [links]
    before = _cache.key(sample, files, None)
    links.write_text(links.read_text(encoding="utf-8").replace("NOBODY", "NOBODZ"), "utf-8")
    assert _cache.key(sample, files, None) != before
    monkeypatch.setattr(_cache, "HASH_BYTES", 0)  # stat fields alone: blind to it
    after = _cache.key(sample, files, None)
    links.write_text(links.read_text(encoding="utf-8").replace("NOBODZ", "NOBODY"), "utf-8")
    assert _cache.key(sample, files, None) == after


def test_another_pandas_or_pyarrow_misses(sample, monkeypatch) -> None:
    # The cached tables are what this pandas and pyarrow parsed: an upgrade of
    # either may parse the same files into other types, so it reads them again.
    import pyarrow

    files = [sample / "enterprises.csv", sample / "links.csv"]
    before = _cache.key(sample, files, None)
    assert _cache.key(sample, files, None) == before
    monkeypatch.setattr(pd, "__version__", "0.1")
    after_pandas = _cache.key(sample, files, None)
    monkeypatch.setattr(pyarrow, "__version__", "0.1")
    assert len({before, after_pandas, _cache.key(sample, files, None)}) == 3
