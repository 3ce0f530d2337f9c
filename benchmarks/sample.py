"""The bundled sample's budget, as a ratio to what any such tool pays first.

    python benchmarks/sample.py                 # 5 rounds
    python benchmarks/sample.py --repeat 9

A command on the sample is measured against a process that only imports the
libraries it needs before it reads a byte: pandas and scipy.sparse for every
command, and matplotlib too for the report, which draws its charts with it
(matplotlib's import alone is as long as pandas'). Processes run in rounds
(the imports, then every command once) so that the machine's drift falls on
all alike. Budget: a sample command within 1.5× its import, `--help` within
0.35× of the pandas one. Each command runs twice a round: as a planner runs it
a second time on the same files (the validated copy read back from the cache,
filled by the first round) and with `--no-cache` (the files parsed and
validated again). Writes the table into benchmarks/RESULTS.md between the
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
EVERYTHING = [
    sys.executable,
    "-c",
    "import pandas, scipy.sparse, matplotlib.figure, matplotlib.axes",
]
YARDSTICKS = {  # a process's name: (what it imports, in words; its command)
    "import": ("pandas and scipy.sparse", IMPORT),
    "import with matplotlib": ("pandas, scipy.sparse and matplotlib", EVERYTHING),
}
MEASURED_BY = {"report": "import with matplotlib"}  # every other command: "import"
BUDGET = 1.5  # a command, in imports of what it needs
HELP_BUDGET = 0.35  # in imports of pandas and scipy.sparse


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
            **{name: argv for name, (_what, argv) in YARDSTICKS.items()},
            **argvs,
            **{f"{k} cold": v for k, v in cold.items()},
        },
        args.repeat,
    )
    yardstick = {name: seconds for name, (seconds, _mib, _code) in measured.items()}
    lines = [
        "",
        f"Command: `python benchmarks/sample.py --repeat {args.repeat}`, {dt.date.today()}. "
        f"Median of {args.repeat} rounds; `×` divides by a process that only imports what "
        f"the command needs: pandas and scipy.sparse ({yardstick['import']:.2f} s), and "
        f"matplotlib too for the report ({yardstick['import with matplotlib']:.2f} s). "
        f"Budget: {BUDGET}× for a command, {HELP_BUDGET}× for `--help`. "
        "Second run: the validated copy read back from the cache; `--no-cache`: the files "
        "parsed and validated again.",
        "",
        "| command | measured against | second run s | × | `--no-cache` s | × | budget × "
        "| within | exit |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name in argvs:
        seconds, _mib, code = measured[name]
        budget = HELP_BUDGET if name == "--help" else BUDGET
        against = MEASURED_BY.get(name, "import")
        base = yardstick[against]
        again = measured.get(f"{name} cold")
        ratios = [seconds / base] + ([again[0] / base] if again else [])
        within = {True: "yes", False: "**no**"}
        verdict = " / ".join(within[r <= budget] for r in ratios)
        cold_cells = f"{again[0]:.2f} | {again[0] / base:.2f}" if again else "| "
        code = max(code, again[2]) if again else code
        lines.append(
            f"| {name} | {YARDSTICKS[against][0]} | {seconds:.2f} | {ratios[0]:.2f} "
            f"| {cold_cells} | {budget} | {verdict} | {code} |"
        )
        print(name, " ".join(f"{r:.2f}×" for r in ratios), verdict, flush=True)
    plain = measured["report"][0] / yardstick["import"]
    lines += [
        "",
        f"The report against the import of pandas and scipy.sparse alone: {plain:.2f}×.",
    ]
    print("report ÷ import of pandas and scipy.sparse", f"{plain:.2f}×", flush=True)
    write_section(BEGIN, END, "The bundled sample against the imports it needs", lines)


if __name__ == "__main__":
    main()
