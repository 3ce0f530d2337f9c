"""A cache of validated datasets, so that the second command on the same
files does not parse and validate them again.

A planner runs several commands on one dataset (`unlinked`, then `gaps`, then
`map`); at a million enterprises, reading and validating takes most of each
run, and on a province's files still a tenth of it (0.06 s of the sample's
map; reading the entry back takes 0.006 s). The first load of an input writes
the validated tables (Arrow IPC, uncompressed: read back
as a memory map) and the load report to a folder of the user's cache;
the next load of the same files reads them back. The key is the files' path,
size, modification and change times and inode (and, up to `HASH_BYTES`, their
content), the decimal option, the loader's source and the versions of numpy,
pandas and pyarrow: editing an input, the loader or those libraries misses
the cache. Entries hold Arrow tables, numpy arrays and JSON, never a pickle,
with a checksum of every file: a damaged entry is a miss and is replaced.
Nothing is ever written next to the inputs.

`VALUECHAIN_CACHE=0` (or `--no-cache`) turns it off; `VALUECHAIN_CACHE_DIR`
moves it (default `$XDG_CACHE_HOME/valuechain`, else `~/.cache/valuechain`).
A cache that cannot be read or written is ignored: the data is then loaded
from the files, as without a cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["enabled", "cache_root", "key", "read", "write"]

KEEP = 3  # datasets kept; older ones are removed
HASH_BYTES = 64_000_000  # files up to this size are known by their content too (≤ 0.1 s)
FORMAT = 2  # entries without pickle, with checksums
_FRAMES = ("enterprises", "offers", "links")


def enabled() -> bool:
    return os.environ.get("VALUECHAIN_CACHE", "1").strip().lower() not in ("0", "no", "off", "")


def cache_root() -> Path:
    if os.environ.get("VALUECHAIN_CACHE_DIR"):
        return Path(os.environ["VALUECHAIN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "valuechain"


def key(path: Path, files: list[Path], decimal: str | None) -> str:
    """The cache key of a load of `files`: changes whenever any input, the
    loader or the libraries it parses with change. (Not valuechain's version:
    the loader's source is what makes an entry, and reading the installed
    version costs a command 10–40 ms.)"""
    import pyarrow

    libraries = [np.__version__, pd.__version__, pyarrow.__version__]
    parts: list[object] = [FORMAT, decimal, str(path), _loader_digest(), libraries]
    for path in files:
        st = path.stat()
        # The change time too: an edit that keeps size and modification time
        # (a tool that restores mtime) still changes ctime.
        part = [str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        if st.st_size <= HASH_BYTES:
            # And the content: a USB stick's FAT keeps times to two seconds and
            # no inode, and a one-digit edit keeps the size.
            part.append(_checksum(path))
        parts.append(part)
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]


def _loader_digest() -> str:
    """A digest of the loader's own code and data: every file of the `loading`
    package and the shared text, array and printing helpers it uses. Any
    change to what the loader produces changes the key, with no list of files
    to keep."""
    here = Path(__file__).resolve().parent
    sources = sorted(here.glob("*.py")) + sorted(here.glob("*.csv"))
    sources += [here.parent / name for name in ("text.py", "arrays.py", "printing.py")]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def read(entry: str) -> Any:
    """The cached dataset for `entry`, or None (absent, damaged, unreadable: any
    error is a miss, and a damaged entry is removed so the next load replaces it).

    Nothing in an entry is executed: tables are Arrow IPC, the rest JSON, and
    every file is checked against the checksums written with it."""
    folder = cache_root() / entry
    try:
        if not (folder / "manifest.json").is_file():
            return None
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for name, expected in manifest["files"].items():
            if _checksum(folder / name) != expected:
                shutil.rmtree(folder, ignore_errors=True)
                return None
        return _read_entry(folder)
    except Exception:  # damaged, half-removed, someone else's: read the files instead
        return None


def _read_entry(folder: Path) -> Any:
    import pyarrow.feather as feather

    from valuechain.loading.report import LoadReport

    def table(name: str) -> pd.DataFrame:
        return feather.read_table(folder / f"{name}.arrow", memory_map=True).to_pandas()

    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    frames = {name: table(name) for name in _FRAMES}
    for name, dtypes in meta.pop("dtypes").items():
        frame = frames[name]
        changed = {c: d for c, d in dtypes.items() if str(frame[c].dtype) != d}
        if changed:
            frames[name] = frame.astype(changed)
    products = table("products")
    products["made_from"] = [list(v) for v in products["made_from"]]
    report = LoadReport(problems=meta.pop("problems"), counts=meta.pop("counts"))
    for problem in report.problems:
        problem["row"] = None if problem["row"] is None else int(problem["row"])
    info = dict(
        meta,
        products=products,
        clusters=table("clusters") if (folder / "clusters.arrow").exists() else None,
        chains=table("chains") if (folder / "chains.arrow").exists() else None,
        report=report,
    )
    ends = np.load(folder / "ends.npy", allow_pickle=False)
    offer_rows = np.load(folder / "offer_rows.npy", allow_pickle=False)
    os.utime(folder)  # recently used: kept longest
    return frames, info, ends, offer_rows


def _checksum(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def write(
    entry: str, frames: dict[str, pd.DataFrame], meta: dict[str, Any], ends: Any, offer_rows: Any
) -> None:
    """Store a validated dataset under `entry` (atomically: a temporary folder,
    then a rename); drop the oldest entries beyond `KEEP` and temporary folders
    left by a killed process. Errors are ignored."""
    import pyarrow.feather as feather

    root = cache_root()
    tmp: Path | None = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        _clean_stale(root)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        tables = dict(frames, products=meta["products"])
        for optional in ("clusters", "chains"):
            if meta[optional] is not None:
                tables[optional] = meta[optional]
        for name, frame in tables.items():
            # Uncompressed, so that reading back is a memory map, not a decompression.
            feather.write_feather(frame, tmp / f"{name}.arrow", compression="uncompressed")
        np.save(tmp / "ends.npy", ends, allow_pickle=False)
        np.save(tmp / "offer_rows.npy", offer_rows, allow_pickle=False)
        report = meta["report"]
        plain_meta = {
            "path": meta["path"],
            "default_catalog": bool(meta["default_catalog"]),
            "years": [int(y) for y in meta["years"]],
            "about": dict(meta["about"]),
            "dtypes": {n: {c: str(d) for c, d in frames[n].dtypes.items()} for n in _FRAMES},
            "problems": report.problems,
            "counts": report.counts,
        }
        (tmp / "meta.json").write_text(json.dumps(plain_meta, default=_jsonable), "utf-8")
        files = {p.name: _checksum(p) for p in sorted(tmp.iterdir())}
        (tmp / "manifest.json").write_text(json.dumps({"files": files}), "utf-8")
        try:
            tmp.rename(root / entry)
        except OSError:  # another process wrote it first
            shutil.rmtree(tmp, ignore_errors=True)
        _evict(root)
    except Exception:  # no cache is better than a failed command
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _jsonable(value: object) -> object:
    """numpy numbers in the load report's parameters, as JSON numbers or text."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return str(value)


STALE_SECONDS = 3600  # a temporary folder this old belongs to a process that died


def _clean_stale(root: Path) -> None:
    import time

    for tmp in root.glob(".tmp-*"):
        try:
            if time.time() - tmp.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            continue


def _evict(root: Path) -> None:
    entries = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
