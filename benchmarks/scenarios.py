"""Benchmark the commands that act on the analyses: priorities, whatif, critical.

    python benchmarks/scenarios.py                  # sample, 10k, 100k, 1M enterprises
    python benchmarks/scenarios.py --sizes 10000 --repeat 3

Each command runs as a whole process, cold (`--no-cache`), next to `coupling`
on the same data (whatif's budget is twice coupling's). `critical` tests every
enterprise up to 20,000 and the default candidates beyond. Prints a table and
writes it into benchmarks/RESULTS.md, between the markers of its section.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from run import dataset, measure, valuechain, write_section

BEGIN = "<!-- scenarios: begin -->"
END = "<!-- scenarios: end -->"
BUDGET = {  # seconds, from the issues that asked for these commands
    "critical": {"sample": 2.0, 10_000: 60.0, 1_000_000: 120.0},
    "priorities": {1_000_000: 30.0},
}


def commands(folder: Path | None) -> dict[str, list[str]]:
    where = [str(folder)] if folder else []
    remove = "CB-TUYEN-CD" if folder is None else "E1"
    return {
        "coupling": ["coupling", *where, "--format", "csv"],
        "whatif --remove": ["whatif", *where, "--remove", remove, "--format", "json"],
        "priorities": ["priorities", *where, "--format", "csv"],
        "critical": ["critical", *where, "--format", "csv"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path("/tmp/vc-bench"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = []
    for size in ["sample", *sizes]:
        folder = None if size == "sample" else dataset(size, args.data)
        for name, argv in commands(folder).items():
            seconds, mib, code = measure(
                [valuechain(), "--lang", "en", "--no-cache", *argv], args.repeat
            )
            budget = BUDGET.get(name, {}).get(size)
            if name == "whatif --remove":
                coupling = next(r[2] for r in rows if r[0] == size and r[1] == "coupling")
                budget = 2 * coupling
            rows.append((size, name, seconds, mib, code, budget))
            print(size, name, f"{seconds:.2f} s", f"{mib:,.0f} MiB", code, flush=True)
    write(rows, args)


def write(rows: list[tuple], args) -> None:
    lines = [
        "",
        f"Command: `python benchmarks/scenarios.py --sizes {args.sizes} --repeat {args.repeat}`, "
        f"{dt.date.today()}. Cold runs (`--no-cache`), median of {args.repeat}; the budget is the "
        "issue's (whatif: twice coupling on the same data).",
        "",
        "| dataset | command | seconds | peak MiB | budget s | exit |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for size, name, seconds, mib, code, budget in rows:
        label = size if size == "sample" else f"{size:,}"
        within = "" if budget is None else f"{budget:.1f}"
        lines.append(f"| {label} | {name} | {seconds:.2f} | {mib:,.0f} | {within} | {code} |")
    write_section(BEGIN, END, "Priorities, what-if, critical enterprises", lines)


if __name__ == "__main__":
    main()
