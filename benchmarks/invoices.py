"""Benchmark `valuechain invoices`: national invoice lines to a region's links on
a local Dask cluster of 2 workers with 2 GiB each.

    python benchmarks/invoices.py                    # 10M and 50M lines
    python benchmarks/invoices.py --sizes 1000000

For each size: the lines' size in memory as pandas holds them (more than one
worker's limit), the command's wall time and lines per second, each worker's
peak memory, and whether its links.csv equals, byte for byte, the plain pandas
aggregation of the same lines done one batch of a million at a time (and the
counts per reason agree). Needs `pip install -e '.[dask]'`. Writes its table
into benchmarks/RESULTS.md between the markers of its section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from run import valuechain, write_section

BEGIN = "<!-- invoices: begin -->"
END = "<!-- invoices: end -->"
WORKERS, MEMORY = 2, "2GiB"


def lines_folder(size: int, data: Path) -> Path:
    folder = data / f"invoices_{size}"
    if not (folder / "national.csv").exists():
        print(f"generating {size:,} invoice lines …", file=sys.stderr, flush=True)
        argv = [
            valuechain(),
            "--lang",
            "en",
            "generate",
            "--invoices",
            str(size),
            "-o",
            str(folder),
        ]
        subprocess.run(argv, check=True)
    return folder


def in_memory_gib(folder: Path) -> float:
    """The lines as pandas holds them: one part's deep size × the parts."""
    parts = sorted((folder / "lines").glob("*.parquet"))
    one = pd.read_parquet(parts[0]).memory_usage(deep=True).sum()
    rows = pd.read_parquet(parts[0]).shape[0]
    total = sum(pd.read_parquet(p, columns=["amount"]).shape[0] for p in parts)
    return one / rows * total / 2**30


def run(folder: Path, out: Path) -> tuple[float, list[float], str]:
    argv = [
        valuechain(), "--lang", "en", "invoices", str(folder / "lines"),
        "--registry", str(folder / "registry.csv"), "--national", str(folder / "national.csv"),
        "-o", str(out), "--workers", str(WORKERS), "--memory-limit", MEMORY,
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    peaks = [
        float(m.replace(",", ""))
        for m in re.findall(r"peak memory of worker \S+: ([\d,]+) MiB", done.stderr)
    ]
    return seconds, peaks, done.stdout


def plain(folder: Path) -> tuple[str, pd.Series, float]:
    """The reference: plain pandas, a batch of a million lines at a time."""
    from valuechain.invoices.engine import line_files, read_national, read_registry
    from valuechain.invoices.lines import reference_links
    from valuechain.output.formats import to_csv

    started = time.perf_counter()
    ent = read_registry(folder / "registry.csv")
    links, counts = reference_links(
        line_files(folder / "lines"), pd.Index(ent["id"]), read_national(folder / "national.csv")
    )
    return to_csv(links), counts, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000000,50000000")
    parser.add_argument("--data", type=Path, default=Path("/tmp/vc-bench"))
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        folder = lines_folder(size, args.data)
        out = args.data / f"invoices_{size}_region"
        gib = in_memory_gib(folder)
        seconds, peaks, stdout = run(folder, out)
        reference, counts, plain_seconds = plain(folder)
        same = (out / "links.csv").read_text(encoding="utf-8") == reference
        read = int(re.search(r"Read ([\d,]+) invoice lines", stdout).group(1).replace(",", ""))
        used = int(re.search(r"used ([\d,]+);", stdout).group(1).replace(",", ""))
        same = same and read == int(counts.sum()) and used == int(counts[""])
        links = sum(1 for _ in (out / "links.csv").open()) - 1
        rows.append((size, gib, seconds, size / seconds, peaks, links, same, plain_seconds))
        rate = f"{size / seconds:,.0f} lines/s"
        print(size, f"{gib:.1f} GiB", f"{seconds:.1f} s", rate, peaks, links, same, flush=True)
    lines = [
        "",
        f"Command: `python benchmarks/invoices.py --sizes {args.sizes}`, {dt.date.today()}. "
        f"`valuechain invoices` on a local cluster of {WORKERS} workers × {MEMORY} (one thread "
        "each) reading Parquet parts of a million lines; the plain aggregation is pandas "
        "alone, a million lines at a time, in one process.",
        "",
        "| lines | in pandas GiB | seconds | lines/s | worker peaks MiB | links "
        "| equal to plain | plain s |",
        "|---:|---:|---:|---:|---|---:|---|---:|",
    ]
    for size, gib, seconds, rate, peaks, links, same, plain_seconds in rows:
        peak_text = " / ".join(f"{p:,.0f}" for p in peaks)
        lines.append(
            f"| {size:,} | {gib:.1f} | {seconds:.1f} | {rate:,.0f} | {peak_text} | {links:,} "
            f"| {'yes' if same else 'NO'} | {plain_seconds:.1f} |"
        )
    write_section(BEGIN, END, "National invoices on Dask", lines)


if __name__ == "__main__":
    main()
