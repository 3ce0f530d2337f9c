"""The bundled sample's budget, as a ratio to what any such tool pays first.

    python benchmarks/sample.py                 # 5 rounds
    python benchmarks/sample.py --repeat 9

A command on the sample is measured against a process that only imports
pandas and scipy.sparse (what every analysing command needs before it reads a
byte), in rounds (the import, then every command once) so that the machine's
drift falls on all alike. Budget: a sample command within 1.5× that import,
`--help` within 0.35× of it. Each command runs twice a round: as a planner
runs it a second time on the same files (the validated copy read back from
the cache, filled by the first round) and with `--no-cache` (the files parsed
and validated again). Writes the table into benchmarks/RESULTS.md between the
markers of its section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from run import rounds, sample_commands, valuechain, write_section

BEGIN = "<!-- sample: begin -->"
END = "<!-- sample: end -->"
IMPORT = [sys.executable, "-c", "import pandas, scipy.sparse"]
# For reference, not commands: what the report's chart process imports first, and
# everything the report imports, in one process (a yardstick the report's owner
# may prefer for it: #32).
MATPLOTLIB = [sys.executable, "-c", "import matplotlib.figure, matplotlib.axes"]
EVERYTHING = [
    sys.executable,
    "-c",
    "import pandas, scipy.sparse, matplotlib.figure, matplotlib.axes",
]
REFERENCES = {  # a row's name: (what its process imports, in words; its command)
    "import matplotlib": ("matplotlib", MATPLOTLIB),
    "import everything": ("pandas, scipy.sparse and matplotlib", EVERYTHING),
}
BUDGET = 1.5  # a command, in imports of pandas and scipy.sparse
HELP_BUDGET = 0.35


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="vc-sample-"))
    argvs = sample_commands(valuechain(), out)
    cold = sample_commands(valuechain(), out, cache=False)
    del cold["--help"]  # reads no data
    measured = rounds(
        {
            "import": IMPORT,
            **{name: argv for name, (_what, argv) in REFERENCES.items()},
            **argvs,
            **{f"{k} cold": v for k, v in cold.items()},
        },
        args.repeat,
    )
    base = measured["import"][0]
    lines = [
        "",
        f"Command: `python benchmarks/sample.py --repeat {args.repeat}`, {dt.date.today()}. "
        f"Median of {args.repeat} rounds; `× import` divides by a process that only imports "
        f"pandas and scipy.sparse ({base:.2f} s). Budget: {BUDGET}× for a command, "
        f"{HELP_BUDGET}× for `--help`. Second run: the validated copy read back from the "
        "cache; `--no-cache`: the files parsed and validated again.",
        "",
        "| command | second run s | × import | `--no-cache` s | × import | budget × | within "
        "| exit |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name in argvs:
        seconds, _mib, code = measured[name]
        budget = HELP_BUDGET if name == "--help" else BUDGET
        ratio = seconds / base
        again = measured.get(f"{name} cold")
        ratios = [ratio] + ([again[0] / base] if again else [])
        within = {True: "yes", False: "**no**"}
        verdict = " / ".join(within[r <= budget] for r in ratios)
        cold_cells = f"{again[0]:.2f} | {again[0] / base:.2f}" if again else "| "
        code = max(code, again[2]) if again else code
        lines.append(
            f"| {name} | {seconds:.2f} | {ratio:.2f} | {cold_cells} | {budget} | {verdict} "
            f"| {code} |"
        )
        print(name, " ".join(f"{r:.2f}×" for r in ratios), verdict, flush=True)
    for name, (what, _argv) in REFERENCES.items():
        seconds, _mib, code = measured[name]
        lines.append(
            f"| (for reference: a process importing {what}) | {seconds:.2f} | "
            f"{seconds / base:.2f} | | | | | {code} |"
        )
        print(name, f"{seconds / base:.2f}×", flush=True)
    against = measured["report"][0] / measured["import everything"][0]
    lines += ["", f"The report against that process: {against:.2f}×."]
    print("report ÷ import everything", f"{against:.2f}×", flush=True)
    write_section(BEGIN, END, "The bundled sample against an import of pandas", lines)


if __name__ == "__main__":
    main()
