"""A cache of validated datasets, so that the second command on the same large
files does not parse and validate them again.

A planner runs several commands on one dataset (`unlinked`, then `gaps`, then
`map`); at a million enterprises, reading and validating takes most of each
run. The first load of an input of at least `MIN_BYTES` writes the validated
tables (Arrow IPC, uncompressed: read back
as a memory map) and the load report to a folder of the user's cache;
the next load of the same files reads them back. The key is the files' path,
size, modification time and inode, the decimal option, and the version and
loader source of valuechain: editing an input, or valuechain, misses the
cache. Nothing is ever written next to the inputs.

`VALUECHAIN_CACHE=0` (or `--no-cache`) turns it off; `VALUECHAIN_CACHE_DIR`
moves it (default `$XDG_CACHE_HOME/valuechain`, else `~/.cache/valuechain`).
A cache that cannot be read or written is ignored: the data is then loaded
from the files, as without a cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["MIN_BYTES", "enabled", "cache_root", "key", "read", "write"]

MIN_BYTES = 20_000_000  # smaller inputs load in well under a second
KEEP = 3  # datasets kept; older ones are removed
FORMAT = 1
_FRAMES = ("enterprises", "offers", "links")


def enabled() -> bool:
    return os.environ.get("VALUECHAIN_CACHE", "1").strip().lower() not in ("0", "no", "off", "")


def cache_root() -> Path:
    if os.environ.get("VALUECHAIN_CACHE_DIR"):
        return Path(os.environ["VALUECHAIN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "valuechain"


def key(path: Path, files: list[Path], decimal: str | None) -> str:
    """The cache key of a load of `files`: changes whenever any input or the
    loader changes."""
    from valuechain import __version__

    parts: list = [FORMAT, __version__, decimal, str(path), _loader_digest()]
    for path in files:
        st = path.stat()
        # The change time too: an edit that keeps size and modification time
        # (a tool that restores mtime) still changes ctime.
        parts.append([str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]


def _loader_digest() -> str:
    """A digest of the loader's own code and data: every file of the `loading`
    package and the shared text and array helpers it uses. Any change to what
    the loader produces changes the key, with no list of files to keep."""
    here = Path(__file__).resolve().parent
    sources = sorted(here.glob("*.py")) + sorted(here.glob("*.csv"))
    sources += [here.parent / "text.py", here.parent / "arrays.py"]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def read(entry: str):
    """The cached dataset for `entry`, or None (absent, unreadable, or stale)."""
    import pyarrow.feather as feather

    folder = cache_root() / entry
    if not (folder / "meta.pickle").is_file():
        return None
    try:
        with (folder / "meta.pickle").open("rb") as fh:
            meta = pickle.load(fh)
        frames = {
            name: feather.read_table(folder / f"{name}.arrow", memory_map=True).to_pandas()
            for name in _FRAMES
        }
        ends = np.load(folder / "ends.npy")
        offer_rows = np.load(folder / "offer_rows.npy")
    except Exception:  # a damaged or half-removed entry is a miss, never an error
        return None
    for name, dtypes in meta.pop("dtypes").items():
        frame = frames[name]
        changed = {c: d for c, d in dtypes.items() if frame[c].dtype != d}
        if changed:
            frames[name] = frame.astype(changed)
    os.utime(folder)  # recently used: kept longest
    return frames, meta, ends, offer_rows


def write(entry: str, frames: dict[str, pd.DataFrame], meta: dict, ends, offer_rows) -> None:
    """Store a validated dataset under `entry` (atomically: a temporary folder,
    then a rename); drop the oldest entries beyond `KEEP`. Errors are ignored."""
    import pyarrow.feather as feather

    root = cache_root()
    tmp: Path | None = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        for name in _FRAMES:
            # Uncompressed, so that reading back is a memory map, not a decompression.
            feather.write_feather(frames[name], tmp / f"{name}.arrow", compression="uncompressed")
        np.save(tmp / "ends.npy", ends)
        np.save(tmp / "offer_rows.npy", offer_rows)
        meta = dict(meta, dtypes={n: frames[n].dtypes.to_dict() for n in _FRAMES})
        with (tmp / "meta.pickle").open("wb") as fh:
            pickle.dump(meta, fh, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            tmp.rename(root / entry)
        except OSError:  # another process wrote it first
            shutil.rmtree(tmp, ignore_errors=True)
        _evict(root)
    except Exception:  # no cache is better than a failed command
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _evict(root: Path) -> None:
    entries = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
