"""Invoice lines to links on a Dask cluster: read, clean and sum, partition by
partition, so no process ever holds the lines; only the summed links (a
region's, far fewer) come back to this one.

`run_invoices` is the whole step: it reads the registry and national table,
starts or joins a cluster, and writes the dataset folder.
"""

from __future__ import annotations

import contextlib
import glob
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from valuechain.errors import LoadError, OutputError
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


def line_files(lines: str | Path) -> list[Path]:
    """The invoice files named by `lines`: a file, a folder (its .parquet files,
    else its .csv files, at any depth: any partitioning) or a glob."""
    path = Path(lines)
    if path.is_dir():
        files = sorted(path.rglob("*.parquet")) or sorted(path.rglob("*.csv"))
    elif path.is_file():
        files = [path]
    else:
        files = sorted(Path(p) for p in glob.glob(str(lines), recursive=True) if Path(p).is_file())
    if not files:
        raise LoadError(key="no_invoice_files", path=str(lines))
    return files


def _columns(first: Path) -> list[str]:
    if first.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(first).names)
    with first.open(encoding="utf-8-sig") as handle:
        return [c.strip() for c in handle.readline().rstrip("\r\n").split(",")]


def _read(files: list[Path]):
    """A Dask DataFrame of the lines' known columns (text as read from CSV)."""
    import dask.dataframe as dd

    present = _columns(files[0])
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise LoadError(
            key="invoice_columns",
            file=str(files[0]),
            missing=", ".join(missing),
            found=", ".join(present),
        )
    wanted = [c for c in LINE_COLUMNS if c in present]
    if files[0].suffix == ".parquet":
        return dd.read_parquet([str(f) for f in files], columns=wanted)
    return dd.read_csv(
        [str(f) for f in files],
        usecols=wanted,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        blocksize="64MB",
    )


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


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int, memory_limit: str) -> Iterator:
    """A client of the cluster at `scheduler`, else of a local cluster of
    `workers` processes (one thread each) with `memory_limit` each."""
    _need_dask()
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise OutputError(key="no_scheduler", address=scheduler, reason=str(exc)) from exc
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        memory_limit=memory_limit,
        processes=True,
        # No dashboard; its HTTP server (which the scheduler starts even so) on a
        # free port: 8787 may belong to another cluster or program.
        dashboard_address=":0",
        silence_logs=logging.CRITICAL,  # a task that fails still raises here
    )
    with cluster, Client(cluster) as client:
        yield client


def aggregate(client, files: list[Path], region: pd.Index, province: pd.Series, *, progress: bool):
    """(summed links, lines per reason) of the lines in `files`, on `client`."""
    from distributed import progress as show_progress

    lines = _read(files)
    # The region's codes and the national table go to every worker once, not
    # inside every task.
    region_f = client.scatter(region, broadcast=True)
    province_f = client.scatter(province, broadcast=True)
    meta = pd.DataFrame({c: pd.Series(dtype=d) for c, d in CLEAN_DTYPES.items()})
    clean = lines.map_partitions(clean_lines, region_f, province_f, meta=meta)
    used = clean[clean["reason"] == 0]
    summed = used.groupby(KEY).agg(
        dict.fromkeys(SUMMED, "sum"), split_out=max(1, lines.npartitions // 64)
    )
    counts = clean["reason"].value_counts()
    futures = client.compute([summed, counts])
    if progress:
        with contextlib.redirect_stdout(sys.stderr):
            show_progress(futures)
        sys.stderr.write("\n")
    return client.gather(futures)


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
    ent = read_registry(registry)
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
    folder = Path(output)
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
