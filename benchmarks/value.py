"""`valuechain value` against `valuechain coupling` on the same data.

    python benchmarks/value.py                         # 1M enterprises, 3 rounds
    python benchmarks/value.py --enterprises 100000 --repeat 5

Both read the same generated dataset (made with `valuechain generate` under
--data when missing) through the validated-dataset cache, warmed first, so
that what is compared is the analysis and its output: each round runs
`coupling`, `value --by stage` and `value --by chain` once, as separate
processes. Budget: `value` within 3× `coupling`. Writes the table into
benchmarks/RESULTS.md between the markers of its section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
from pathlib import Path

from run import rounds, run_once, valuechain, write_section

BEGIN = "<!-- value: begin -->"
END = "<!-- value: end -->"
BUDGET = 3.0  # value, in runs of coupling


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/vc-bench"))
    args = parser.parse_args()
    exe = valuechain()
    data = args.data / f"synthetic_{args.enterprises}"
    if not (data / "links.csv").is_file():
        subprocess.run(
            [exe, "generate", "--enterprises", str(args.enterprises), "-o", str(data)], check=True
        )
    argvs = {
        "coupling": [exe, "coupling", str(data), "--format", "csv"],
        "value --by stage": [exe, "value", str(data), "--format", "csv"],
        "value --by chain": [exe, "value", str(data), "--by", "chain", "--format", "csv"],
    }
    run_once(argvs["coupling"])  # fills the cache
    measured = rounds(argvs, args.repeat)
    base = measured["coupling"][0]
    lines = [
        "",
        f"Command: `python benchmarks/value.py --enterprises {args.enterprises} --repeat "
        f"{args.repeat}`, {dt.date.today()}. Median of {args.repeat} rounds, whole processes, "
        f"the validated dataset read from the cache; `× coupling` divides by `coupling` on the "
        f"same data ({base:.2f} s). Budget: {BUDGET}×.",
        "",
        "| command | seconds | × coupling | peak MiB | within | exit |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for name in argvs:
        seconds, mib, code = measured[name]
        within = "yes" if seconds / base <= BUDGET else "**no**"
        lines.append(
            f"| {name} | {seconds:.2f} | {seconds / base:.2f} | {mib:.0f} | {within} | {code} |"
        )
    write_section(BEGIN, END, "Value added against coupling", lines)


if __name__ == "__main__":
    main()
