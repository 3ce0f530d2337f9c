"""Benchmark `valuechain backtest`: how often suggestions come true, and how fast.

    python benchmarks/backtest.py                       # 10k and 100k enterprises
    python benchmarks/backtest.py --sizes 10000 --repeat 3

For each size, `valuechain generate --years N` writes survey years whose links
form by a process that is not the score (docs/methods.md, "Generated survey
years"); `backtest` then ranks, at each year, the pairs not yet trading and
checks them against the next year. Prints precision@10/50/100 and average
precision of the evidence score, the nearest-buyer rule and a random
compatible pair, then the time of the whole `backtest` process (cold,
`--no-cache`) beside a process that imports pandas and reads the same two
files, in rounds (the read, then the backtest) so that drift falls on both.
Writes both tables into benchmarks/RESULTS.md between the markers of its
section.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

from run import pandas_read_argv, run_once, summary, valuechain, write_section

BEGIN = "<!-- backtest: begin -->"
END = "<!-- backtest: end -->"
YEARS = {10_000: 3, 100_000: 2}  # 100k: one pair of years of ~460k links each
SEEDS = {10_000: 3, 100_000: 11}
BUDGET_READS = 10.0  # the issue's: within ten pandas reads of the same files
BUDGET_MIB = 4096


def generated(size: int, data: Path) -> Path:
    years = YEARS.get(size, 2)
    folder = data / f"years_{size}_{years}_seed{SEEDS.get(size, 1)}"
    if not (folder / "links.csv").exists():
        print(f"generating {size:,} enterprises, {years} years …", file=sys.stderr, flush=True)
        subprocess.run(
            [valuechain(), "--lang", "en", "generate", "--enterprises", str(size),
             "--links-per-enterprise", "5", "--years", str(years),
             "--seed", str(SEEDS.get(size, 1)), "-o", str(folder)],
            check=True,
        )  # fmt: skip
    return folder


def precision_rows(folder: Path) -> list[dict]:
    out = subprocess.run(
        [valuechain(), "--lang", "en", "backtest", str(folder), "--format", "csv"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return list(csv.DictReader(io.StringIO(out)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/vc-bench"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    quality, speed = [], []
    for size in sizes:
        folder = generated(size, args.data)
        n_links = sum(1 for _ in (folder / "links.csv").open(encoding="utf-8")) - 1
        for row in precision_rows(folder):
            quality.append((size, row))
        reads, runs = [], []
        for _ in range(args.repeat):
            reads.append(run_once(pandas_read_argv(folder)))
            runs.append(
                run_once([valuechain(), "--lang", "en", "--no-cache", "backtest", str(folder)])
            )
        read_s, read_mib, _ = summary(reads)
        seconds, mib, code = summary(runs)
        speed.append((size, n_links, read_s, seconds, mib, code))
        print(size, f"read {read_s:.2f} s", f"backtest {seconds:.2f} s", f"{mib:,.0f} MiB",
              f"{seconds / read_s:.1f}× read", flush=True)  # fmt: skip
    write(quality, speed, args)


def write(quality: list[tuple], speed: list[tuple], args) -> None:
    lines = [
        "",
        f"Command: `python benchmarks/backtest.py --sizes {args.sizes} --repeat {args.repeat}`, "
        f"{dt.date.today()}. Generated survey years (`valuechain generate --years`, seed "
        + ", ".join(f"{SEEDS.get(s, 1)} at {s:,}" for s in {q[0] for q in quality})
        + "); each pair of consecutive years is one backtest.",
        "",
        "| enterprises | years | new local links | ranking | p@10 | p@50 | p@100 "
        "| average precision |",
        "|---:|---|---:|---|---:|---:|---:|---:|",
    ]
    grouped: dict[tuple, dict] = {}
    for size, row in quality:
        key = (size, row["from"], row["to"], row["new_links"], row["method"])
        grouped.setdefault(key, {})[row["k"]] = row
    for (size, t, u, new, method), by_k in grouped.items():
        first = next(iter(by_k.values()))
        cells = [
            f"{float(by_k[k]['precision']):.3f}" if k in by_k else "" for k in ("10", "50", "100")
        ]
        ap = float(first["average_precision"] or 0)
        lines.append(
            f"| {size:,} | {t} → {u} | {int(new):,} | {method} | {' | '.join(cells)} | {ap:.4f} |"
        )
    lines += [
        "",
        f"Whole `backtest` processes, cold (`--no-cache`), median of {args.repeat} rounds; "
        f"budget: {BUDGET_READS:.0f}× the pandas read, {BUDGET_MIB:,} MiB.",
        "",
        "| enterprises | links (all years) | pandas read s | backtest s | × read "
        "| peak MiB | exit |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, n_links, read_s, seconds, mib, code in speed:
        lines.append(
            f"| {size:,} | {n_links:,} | {read_s:.2f} | {seconds:.2f} | {seconds / read_s:.1f} "
            f"| {mib:,.0f} | {code} |"
        )
    write_section(BEGIN, END, "Backtest: suggestions against the next survey year", lines)


if __name__ == "__main__":
    main()
