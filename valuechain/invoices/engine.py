"""Invoice lines to links on a Dask cluster: read, clean and sum, partition by
partition, so no process ever holds the lines; only the summed links (a
region's, far fewer) come back to this one.

`run_invoices` is the whole step: it reads the registry and national table,
starts or joins a cluster, and writes the dataset folder.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from valuechain.errors import LoadError, OutputError, UsageError, ValuechainError
from valuechain.i18n import Words
from valuechain.invoices.lines import (
    CLEAN_DTYPES,
    KEY,
    LINE_COLUMNS,
    REASONS,
    SUMMED,
    clean_lines,
    links_table,
    reason_counts,
    tax_codes,
)

__all__ = [
    "InvoiceRun",
    "run_invoices",
    "dask_client",
    "line_files",
    "read_registry",
    "read_national",
]

REQUIRED = ("seller", "buyer", "date", "amount")


@dataclass
class InvoiceRun:
    """What a run read and wrote: lines read, used and left out by reason, links
    written, each worker's peak memory (bytes), and the credit notes among the
    lines used."""

    folder: Path
    read: int
    used: int
    left_out: dict[str, int]
    links: int
    workers_peak: dict[str, int] = field(default_factory=dict)
    credit_notes: int = 0  # lines used with a negative amount, netted into their link


def _need_dask() -> None:
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise OutputError(key="no_dask") from exc


LINE_SUFFIXES = (".parquet", ".csv", ".txt", ".tsv")


def line_files(lines: str | Path) -> list[Path]:
    """The invoice files named by `lines`: a file, a folder (its .parquet or its
    .csv files, at any depth: any partitioning) or a glob. A folder or glob
    mixing Parquet and CSV is refused, never half read; so is a file that is
    neither (a workbook given as the lines)."""
    path = Path(lines)
    if path.is_dir():
        files = sorted(f for f in path.rglob("*") if f.suffix.lower() in LINE_SUFFIXES)
    elif path.is_file():
        files = [path]
    else:
        files = sorted(Path(p) for p in glob.glob(str(lines), recursive=True) if Path(p).is_file())
    if not files:
        raise LoadError(key="no_invoice_files", path=str(lines))
    odd = [f for f in files if f.suffix.lower() not in LINE_SUFFIXES]
    if odd:
        raise LoadError(key="invoice_not_lines", file=str(odd[0]))
    kinds = {f.suffix.lower() == ".parquet" for f in files}
    if len(kinds) > 1:
        parquet = sum(f.suffix.lower() == ".parquet" for f in files)
        raise LoadError(
            key="invoice_mixed", path=str(lines), parquet=parquet, csv=len(files) - parquet
        )
    return files


@dataclass(frozen=True)
class _CsvDress:
    encoding: str
    delimiter: str


def _csv_header(path: Path) -> tuple[list[str], _CsvDress]:
    """A CSV part's header (quotes removed, as R's write.csv quotes it) and dress."""
    import csv

    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    encoding = "utf-16" if utf16 else "utf-8-sig"
    # (the first 64 KiB may end inside a character: only the header line counts)
    text = head[: len(head) - len(head) % 2 if utf16 else None].decode(encoding, errors="replace")
    line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    delimiter = max((",", ";", "\t"), key=line.count) if line else ","
    header = next(csv.reader([line], delimiter=delimiter), [])
    return [c.strip() for c in header], _CsvDress(encoding, delimiter)


def _parquet_columns(path: Path) -> list[str]:
    """A Parquet part's columns, from its footer; a damaged part is refused here,
    before any cluster starts."""
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise LoadError(key="bad_parquet", file=str(path), reason=str(exc)) from exc


def check_parts(files: list[Path]) -> tuple[list[str], dict[_CsvDress, list[Path]]]:
    """(the line columns every part has, the CSV parts by their dress). Every
    part is looked at — its footer or header, not its lines — so a damaged part
    or one without a required column is named before the work starts."""
    present: set[str] | None = None
    dresses: dict[_CsvDress, list[Path]] = {}
    for path in files:
        if path.suffix.lower() == ".parquet":
            columns = _parquet_columns(path)
        else:
            columns, dress = _csv_header(path)
            dresses.setdefault(dress, []).append(path)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise LoadError(
                key="invoice_columns",
                file=str(path),
                missing=", ".join(missing),
                found=", ".join(columns) or "–",
            )
        known = {c for c in LINE_COLUMNS if c in columns}
        present = known if present is None else present & known
    return [c for c in LINE_COLUMNS if c in (present or set())], dresses


def _read(files: list[Path]):
    """A Dask DataFrame of the lines' columns that every part has (text as read
    from CSV, in each part's own encoding and delimiter)."""
    import dask.dataframe as dd

    wanted, dresses = check_parts(files)
    if files[0].suffix.lower() == ".parquet":
        return dd.read_parquet([str(f) for f in files], columns=wanted)
    frames = [
        dd.read_csv(
            [str(f) for f in group],
            usecols=wanted,
            dtype=str,
            keep_default_na=False,
            encoding=dress.encoding,
            sep=dress.delimiter,
            # A UTF-16 file cannot be cut at any byte: one block per file.
            blocksize=None if dress.encoding == "utf-16" else "64MB",
        )
        for dress, group in dresses.items()
    ]
    return frames[0] if len(frames) == 1 else dd.concat(frames)


def read_registry(path: str | Path) -> pd.DataFrame:
    """The region's enterprises table (CSV or Excel), every cell as text, its
    `id` in tax-code form. CSV is read by the dataset loader's own reader, so a
    registry in Windows-1258 or UTF-16, or with semicolons, reads as a dataset
    would."""
    from valuechain.loading.files import read_csv_table

    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str)
        else:  # in any encoding, delimiter and dress the dataset loader reads
            raw = read_csv_table(path)
            frame = raw.frame.drop(columns="_row").set_axis(raw.headers, axis=1)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise LoadError(key="cannot_read_table", file=str(path), reason=str(exc)) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if "id" not in frame:
        raise LoadError(key="registry_no_id", file=str(path), found=", ".join(frame.columns))
    return frame.assign(id=tax_codes(frame["id"]).to_numpy())


def read_national(path: str | Path | None) -> pd.Series:
    """Province by tax code, from the national table (`id`, `province`)."""
    if path is None:
        return pd.Series(dtype=object)
    frame = read_registry(path)
    if "province" not in frame:
        raise LoadError(key="national_no_province", file=str(path), found=", ".join(frame.columns))
    frame = frame[frame["id"] != ""].drop_duplicates("id")
    return pd.Series(frame["province"].str.strip().to_numpy(), index=frame["id"].to_numpy())


CONNECT_TIMEOUT = "15s"


def _connect(address: str):
    """A client of the scheduler at `address`: a malformed address is a usage
    error, one where no Dask scheduler answers an error of the environment —
    each a line, within `CONNECT_TIMEOUT`."""
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (ValueError, TypeError) as exc:
        raise UsageError(key="bad_scheduler", address=address, reason=str(exc)) from exc
    except Exception as exc:  # refused, timed out, or something that is no scheduler answered
        raise OutputError(key="no_scheduler", address=address, reason=_short(exc)) from exc


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int, memory_limit: str) -> Iterator:
    """A client of the cluster at `scheduler`, else of a local cluster of
    `workers` processes (one thread each) with `memory_limit` each."""
    _need_dask()
    import logging

    from distributed import Client, LocalCluster

    # Dask logs a lost connection with its traceback; the run says it in one line.
    names = [n for n in logging.Logger.manager.loggerDict if n.split(".")[0] == "distributed"]
    loggers = [logging.getLogger(n) for n in ["distributed", *names]]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        if scheduler:
            with _connect(scheduler) as client:
                yield client
            return
        # The worker processes start with Ctrl-C ignored (an ignored signal stays
        # ignored in a new process): a Ctrl-C at the terminal reaches every process
        # of its group, and this one alone answers it, closing the cluster.
        with _ctrl_c_ignored():
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                memory_limit=memory_limit,
                processes=True,
                # No dashboard; its HTTP server (which the scheduler starts even so)
                # on a free port: 8787 may belong to another cluster or program.
                dashboard_address=":0",
                silence_logs=logging.CRITICAL,  # a task that fails still raises here
            )
        with cluster, Client(cluster) as client:
            yield client
    finally:
        for lg, lv in zip(loggers, levels, strict=True):
            lg.setLevel(lv)


def aggregate(client, files: list[Path], region: pd.Index, province: pd.Series, *, progress: bool):
    """(summed links, lines per reason) of the lines in `files`, on `client`."""
    lines = _read(files)
    # The region's codes and the national table go to every worker once, not
    # inside every task. Under keys of their own (hash=False): keys named by the
    # data would be the previous run's on a shared scheduler, and a scatter racing
    # that run's release of them can leave this run's tasks cancelled (open Dask
    # issues 3703 and 8576).
    region_f = client.scatter(region, broadcast=True, hash=False)
    province_f = client.scatter(province, broadcast=True, hash=False)
    meta = pd.DataFrame({c: pd.Series(dtype=d) for c, d in CLEAN_DTYPES.items()})
    clean = lines.map_partitions(clean_lines, region_f, province_f, meta=meta)
    used = clean[clean["reason"] == 0]
    summed = used.groupby(KEY).agg(
        dict.fromkeys(SUMMED, "sum"), split_out=max(1, lines.npartitions // 64)
    )
    counts = clean["reason"].value_counts()
    futures = client.compute([summed, counts])
    try:
        _await(client, futures, progress=progress)
        return client.gather(futures)
    except (KeyboardInterrupt, ValuechainError):
        raise
    except Exception as exc:
        raise _run_failure(exc, client) from exc


# Seconds the run waits with no worker, or no scheduler, before it counts the
# cluster as lost (a worker restarting or a scheduler briefly unreachable
# comes back well within it).
LOST_AFTER = 20.0


def _await(client, futures, *, progress: bool) -> None:
    """Wait for `futures`, drawing the progress bar on stderr, and give up with
    `_lost` when the scheduler or every worker is gone for `LOST_AFTER`
    seconds: Dask would wait for workers forever."""
    import time

    from distributed import wait
    from distributed.diagnostics.progressbar import TextProgressBar

    if progress:
        bar = TextProgressBar(futures, start=False)
        # distributed's bar writes to stdout, which carries the csv: stderr instead
        setattr(bar, "_draw_bar", _on_stderr(bar._draw_bar))  # noqa: B010
        setattr(bar, "_draw_stop", _on_stderr(bar._draw_stop))  # noqa: B010
        client.loop.add_callback(bar.listen)
    alone_since = None
    try:
        while True:
            try:
                wait(futures, timeout=1)
                return
            except TimeoutError:
                pass
            if _cluster_alive(client):
                alone_since = None
                continue
            now = time.monotonic()
            alone_since = alone_since or now
            if now - alone_since > LOST_AFTER:
                raise _lost(client)
    finally:
        if progress:  # the bar's line ends before anything else is said
            sys.stderr.write("\n")


def _on_stderr(draw):
    def drawn(*args, **kwargs):
        with contextlib.redirect_stdout(sys.stderr):
            draw(*args, **kwargs)

    return drawn


def _cluster_alive(client) -> bool:
    """Whether the client reaches its scheduler and the scheduler has a worker."""
    if client.status != "running":
        return False
    try:
        info = client.sync(client._update_scheduler_info, n_workers=-1, callback_timeout=5)
    except Exception:  # the scheduler did not answer in time
        return False
    return bool((info or client._scheduler_identity).get("workers"))


def _lost(client, exc: Exception | None = None) -> OutputError:
    """The cluster lost, in the user's words: its scheduler gone, every worker
    gone, or (workers still up) a task's data it could not compute again."""
    if client.status != "running":
        return OutputError(key="cluster_lost", reason=Words("lost_no_scheduler"))
    if exc is None or not _cluster_alive(client):
        return OutputError(key="cluster_lost", reason=Words("lost_no_worker"))
    return OutputError(key="cluster_lost_data", error=type(exc).__name__)


def _run_failure(exc: Exception, client) -> Exception:
    """What a failure while the cluster works means for the user: the cluster
    lost (its workers or scheduler gone: exit 1), or lines that could not be
    read (exit 3)."""
    from distributed.client import FuturesCancelledError
    from distributed.comm import CommClosedError
    from distributed.scheduler import KilledWorker

    lost = FuturesCancelledError | KilledWorker | CommClosedError | TimeoutError | ConnectionError
    if isinstance(exc, lost) or "ancel" in type(exc).__name__:
        return _lost(client, exc)
    return LoadError(key="invoice_read_failed", reason=_short(exc))


def _peaks(client) -> dict[str, int]:
    """Each worker's peak resident memory in bytes (Linux reports KiB); where
    the resource module is missing (Windows), its memory now."""

    def peak() -> int:
        try:
            import resource
        except ImportError:
            import psutil  # a dependency of distributed

            return int(psutil.Process().memory_info().rss)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    return client.run(peak)


def _check_output(folder: Path, lines: str | Path) -> None:
    """The output must be a new or empty folder outside the lines: a second run
    must read the same lines, and a dataset is written whole, with no table of
    an older one beside it. A killed run's temporary files do not count (they
    are removed)."""
    root = Path(lines)
    if root.is_file():  # one file: only the file itself is the input
        inside = folder.resolve() == root.resolve()
    else:  # a folder or a glob: anything under it may be read again
        root = root if root.is_dir() else _glob_root(str(lines))
        out, base = folder.resolve(), root.resolve()
        inside = out == base or base in out.parents
    if inside:
        raise UsageError(key="output_inside_input", output=folder, lines=root)
    if folder.is_dir():
        for stale in folder.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        found = sorted(p.name for p in folder.iterdir())
        if found:
            raise UsageError(key="output_not_empty", output=folder, found=", ".join(found[:4]))
    elif folder.exists():
        raise UsageError(key="output_not_empty", output=folder, found=folder.name)


def _glob_root(pattern: str) -> Path:
    """The folder a glob pattern starts from (before its first wildcard)."""
    parts = Path(pattern).parts
    fixed = [p for p in itertools.takewhile(lambda p: not glob.has_magic(p), parts)]
    return Path(*fixed) if fixed else Path(".")


def _check_registry(ent: pd.DataFrame, path: str | Path) -> None:
    """A tax code twice in the registry would give a dataset that fails `validate`:
    refused here, naming the codes, before any work."""
    ids = ent.loc[ent["id"] != "", "id"]
    repeated = ids[ids.duplicated()].unique()
    if len(repeated):
        shown = ", ".join(repeated[:5]) + (" …" if len(repeated) > 5 else "")
        raise LoadError(key="registry_duplicates", file=str(path), codes=shown)


def run_invoices(
    lines: str | Path,
    registry: str | Path,
    output: str | Path,
    *,
    national: str | Path | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    memory_limit: str = "2GiB",
    progress: bool = False,
) -> InvoiceRun:
    """Turn invoice lines into a dataset folder for the registry's region:
    `enterprises.csv` (the registry), `links.csv` (one row per seller, buyer,
    product, year), `invoices_report.csv` (lines read, used, left out by reason)."""
    from valuechain.output.formats import to_csv
    from valuechain.output.html import write_atomic_together

    _need_dask()
    files = line_files(lines)
    folder = Path(output)
    _check_output(folder, lines)
    ent = read_registry(registry)
    _check_registry(ent, registry)
    region = pd.Index(ent.loc[ent["id"] != "", "id"].unique())
    province = read_national(national)
    with dask_client(scheduler, workers, memory_limit) as client:
        summed, counts = aggregate(client, files, region, province, progress=progress)
        peaks = _peaks(client)
    links = links_table(summed)
    counts = reason_counts(counts)
    left_out = {r: int(counts[r]) for r in REASONS}
    credit_notes = int(summed["credit"].sum()) if len(summed) else 0
    report = pd.DataFrame(
        {
            "lines": ["read", "used", "credit_notes", *REASONS],
            "count": [int(counts.sum()), int(counts[""]), credit_notes, *left_out.values()],
        }
    )
    write_atomic_together(
        {
            folder / "enterprises.csv": to_csv(ent),
            folder / "links.csv": to_csv(links),
            folder / "invoices_report.csv": to_csv(report),
        }
    )
    return InvoiceRun(
        folder, int(counts.sum()), int(counts[""]), left_out, len(links), peaks, credit_notes
    )
