"""Benchmark valuechain's commands as whole processes, next to a plain pandas read.

    python benchmarks/run.py                      # sample, 10k, 100k, 1M enterprises
    python benchmarks/run.py --sizes 10000,100000 --repeat 3

For each synthetic dataset (made by `valuechain generate`, ~5 links per
enterprise, cached under --data) it times `validate`, `summary`, `unlinked`,
`gaps`, `coupling`, `suggest` and `map` as separate processes with their peak
memory, next to the time a process needs to import pandas and `pd.read_csv`
both files. The ratio to that read is the figure that matters; absolute times
drift on shared machines.

Each command is timed three ways, because valuechain keeps a validated copy of
its input in its cache (`valuechain/loading/cache.py`):

- cold: `--no-cache`, the CSV files parsed and validated (median of --repeat
  rounds, each round the pandas read and then every command once, so that
  the machine's drift falls on all of them alike);
- first: the run that parses, validates and writes the cache (one run, cache
  emptied before);
- warm: the runs after it, reading the validated copy (median of --repeat).

Last, each map written is opened in headless Chromium (/usr/bin/chromium,
through playwright) and timed until it is drawn; without them that table says
it was not measured.
Prints the tables and writes them to benchmarks/RESULTS.md with the machine's
description.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMANDS = ["validate", "summary", "unlinked", "gaps", "coupling", "suggest", "map"]
EXTRA = {  # machine-readable output, as other tools would ask for it
    "validate": ["--format", "csv"],
    "summary": ["--format", "json"],
    "unlinked": ["--format", "csv"],
    "gaps": ["--format", "json"],
    "coupling": ["--format", "csv"],
    "suggest": ["--format", "csv"],
}


@functools.cache
def compile_package() -> None:
    """Compile valuechain's modules to bytecode, as `pip install` does.

    An editable install compiles its modules on first import and keeps the
    bytecode, unless PYTHONDONTWRITEBYTECODE is set (it is on some machines):
    then every run would compile about 80 modules from source (0.07 s on the
    sample's map), which no installed copy does, while pandas, installed,
    is read from bytecode. Once a benchmark process: the source does not
    change while it runs."""
    import compileall

    import valuechain

    compileall.compile_dir(Path(valuechain.__file__).parent, quiet=1)


def run_once(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB, and exit code of one process."""
    compile_package()  # (once, not timed)
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def summary(runs: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    """Median wall seconds, largest peak RSS, worst exit code of some runs."""
    return (statistics.median(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs))


def rounds(argvs: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float, int]]:
    """Each process of `argvs` once per round, `repeat` rounds (so that the
    machine's drift falls on all alike): per name, the median wall seconds, the
    largest peak RSS in MiB and the worst exit code."""
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in argvs}
    for _ in range(repeat):
        for name, argv in argvs.items():
            runs[name].append(run_once(argv))
    return {name: summary(found) for name, found in runs.items()}


def measure(argv: list[str], repeat: int) -> tuple[float, float, int]:
    return summary([run_once(argv) for _ in range(repeat)])


def sample_commands(exe: str, out_dir: Path, *, cache: bool = True) -> dict[str, list[str]]:
    """`--help` and every command on the bundled sample, as other tools would
    ask for them (the map and report written into `out_dir`); without `cache`,
    each validates the files again (`--no-cache`)."""
    argvs = {"--help": [exe, "--help"]}
    for command in [*COMMANDS, "report"]:
        argv = [exe, *([] if cache else ["--no-cache"]), command, *EXTRA.get(command, [])]
        if command in ("map", "report"):
            argv += ["-o", str(out_dir / f"sample_{command}.html")]
        argvs[command] = argv
    return argvs


def pandas_read_argv(folder: Path) -> list[str]:
    code = "import sys, pandas as pd; pd.read_csv(sys.argv[1]); pd.read_csv(sys.argv[2])"
    return [sys.executable, "-c", code, str(folder / "enterprises.csv"), str(folder / "links.csv")]


def dataset(size: int, data: Path) -> Path:
    folder = data / f"synthetic_{size}"
    if not (folder / "links.csv").exists():
        print(f"generating {size:,} enterprises …", file=sys.stderr, flush=True)
        subprocess.run(
            [
                valuechain(),
                "--lang",
                "en",
                "generate",
                "--enterprises",
                str(size),
                "--links-per-enterprise",
                "5",
                "--seed",
                "1",
                "-o",
                str(folder),
            ],
            check=True,
        )
    return folder


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def open_times(maps: list[Path], repeat: int) -> dict[Path, float] | str:
    """Median seconds from asking headless Chromium to open each map from disk to
    the page saying it is drawn (`body[data-ready]`, set once the network is on
    screen), a fresh page each time; or why it could not be measured."""
    if not Path(CHROMIUM).exists():
        return f"not measured: no {CHROMIUM}"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "not measured: playwright is not installed (pip install -e '.[test]')"
    times = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for path in maps:
            runs = []
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                start = time.perf_counter()
                page.goto(path.resolve().as_uri())
                page.wait_for_selector("body[data-ready]", timeout=60000)
                runs.append(time.perf_counter() - start)
                page.close()
            times[path] = statistics.median(runs)
        browser.close()
    return times


def valuechain() -> str:
    """The console script installed for this interpreter: the process the pandas
    baseline is compared with starts the same way (a version manager's shim on
    PATH, such as pyenv's, would add its own start-up to every figure)."""
    beside = Path(sys.executable).with_name("valuechain")
    exe = str(beside) if beside.is_file() else shutil.which("valuechain")
    if exe is None:
        sys.exit("valuechain is not installed: pip install -e .")
    return exe


def write_section(begin: str, end: str, heading: str, body: list[str]) -> None:
    """Print `body` between the markers `begin` and `end` and put it into
    RESULTS.md in place of what stands between them, or at its end under `heading`."""
    text = "\n".join([begin, *body, "", end])
    print(text)
    results = HERE / "RESULTS.md"
    old = results.read_text(encoding="utf-8")
    if begin in old:
        before, rest = old.split(begin, 1)
        new = before + text + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + f"\n\n## {heading}\n\nMachine: {machine()}\n\n" + text + "\n"
    results.write_text(new, encoding="utf-8")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import numpy
    import pandas
    import pyarrow

    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, pandas {pandas.__version__}, "
        f"numpy {numpy.__version__}, pyarrow {pyarrow.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "vc-bench")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    exe = valuechain()
    out_dir = Path(tempfile.mkdtemp(prefix="vc-bench-out-"))
    rows: list[tuple] = []
    warm_rows: list[tuple] = []

    # The bundled sample: every command as a whole process, and --help.
    # Counted in a child process: importing pandas here would swell this process,
    # and a forked child's peak RSS starts from its parent's.
    counts = subprocess.run(
        [
            sys.executable,
            "-c",
            "from valuechain.loading.dataset import load; d = load().for_year(None); "
            "print(len(d.enterprises), len(d.links))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    n_sample, m_sample = int(counts[0]), int(counts[1])
    for command, argv in sample_commands(exe, out_dir, cache=False).items():
        wall, mem, code = measure(argv, args.repeat)
        rows.append(("sample", n_sample, m_sample, command, wall, mem, None, code))
        print(f"sample {command}: {wall:.2f} s", file=sys.stderr, flush=True)

    cache = args.data / "cache"
    os.environ["VALUECHAIN_CACHE_DIR"] = str(cache)  # never the user's own cache
    for size in [int(s) for s in args.sizes.split(",") if s]:
        folder = dataset(size, args.data)
        n_links = sum(1 for _ in (folder / "links.csv").open("rb")) - 1
        argvs = {}
        for command in COMMANDS:
            argv = [exe, command, str(folder)] + EXTRA.get(command, [])
            if command == "map":
                argv += ["-o", str(out_dir / f"map_{size}.html")]
            argvs[command] = argv
        # Cold runs in rounds (the pandas read, then each command once): a drift
        # of the machine's speed over minutes falls on the read and on every
        # command alike instead of on whichever ran during it.
        cold_runs: dict[str, list] = {name: [] for name in ["pandas read", *COMMANDS]}
        for _ in range(args.repeat):
            cold_runs["pandas read"].append(run_once(pandas_read_argv(folder)))
            for command in COMMANDS:
                cold_runs[command].append(run_once([exe, "--no-cache", *argvs[command][1:]]))
        base, base_mem, _ = summary(cold_runs["pandas read"])
        rows.append((f"{size:,}", size, n_links, "pandas read", base, base_mem, 1.0, 0))
        for command in COMMANDS:
            argv = argvs[command]
            cold, mem, code = summary(cold_runs[command])
            shutil.rmtree(cache, ignore_errors=True)
            first, mem1, code1 = run_once(argv)
            warm, mem2, code2 = measure(argv, args.repeat)
            mem, code = max(mem, mem1, mem2), max(code, code1, code2)
            rows.append((f"{size:,}", size, n_links, command, cold, mem, cold / base, code))
            warm_rows.append((f"{size:,}", command, base, first, warm))
            print(
                f"{size:,} {command}: cold {cold:.2f} s ({cold / base:.1f}× read), "
                f"first {first:.2f} s, warm {warm:.2f} s ({warm / base:.1f}× read)",
                file=sys.stderr,
                flush=True,
            )
    shutil.rmtree(cache, ignore_errors=True)
    maps = [out_dir / "sample_map.html"] + [
        out_dir / f"map_{size}.html" for size in (int(s) for s in args.sizes.split(",") if s)
    ]
    opened = open_times([m for m in maps if m.exists()], args.repeat)

    table = render(rows)
    cached = render_cached(warm_rows)
    growth = render_growth(rows)
    text = (
        f"# Benchmark results\n\nMachine: {machine()}\n\n"
        f"Command: `python benchmarks/run.py --sizes {args.sizes} --repeat {args.repeat}`, "
        f"{time.strftime('%Y-%m-%d')}. Each figure is the median wall time of "
        f"{args.repeat} runs of a whole process (Python start-up and imports included; "
        f"`{exe}`, the console script beside the interpreter); "
        f"peak memory is the largest resident set of those runs (of one process: the "
        f"report's chart process, about 70 MiB, is not added to it). `× read` divides by the "
        f"time a process takes to import pandas and `pd.read_csv` the same two files. Cold "
        f"runs go in rounds (the read, then every command once) so that the machine's "
        f"drift falls on all of them alike; on this 2-core VM runs still differ by 10–30 % "
        f"between rounds.\n\n"
        f"## Cold: the CSV files parsed and validated by every run (`--no-cache`)\n\n"
        f"{table}\n{cached}\n{growth}\n{render_open(opened)}"
    )
    print(text)
    # The sections the other benchmark scripts wrote (scenarios, invoices,
    # backtest) follow the browser's and are kept.
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    marker = "\n## The map in a browser"
    rest = old.split(marker, 1)[1].split("\n## ", 1) if marker in old else []
    tail = "\n## " + rest[1] if len(rest) == 2 else ""
    args.output.write_text(text.rstrip("\n") + "\n" + tail, encoding="utf-8")
    shutil.rmtree(out_dir, ignore_errors=True)


# The budget (DEVELOPERS.md, "Performance"): at 100k enterprises every command
# within 4× the pandas read; at 1M within 30 s and 4 GiB. The sample's budget is
# benchmarks/sample.py's.
READS_100K = 4.0
SECONDS_1M, MIB_1M = 30.0, 4096


def within(n: int, command: str, wall: float, mem: float, ratio: float | None) -> str:
    """The budget a row is held to and whether it holds ("" when none applies)."""
    verdict = {True: "yes", False: "**no**"}
    if command == "pandas read":
        return ""
    if n == 100_000 and ratio is not None:
        return f"≤ {READS_100K:.0f}× read: {verdict[ratio <= READS_100K]}"
    if n == 1_000_000:
        ok = wall <= SECONDS_1M and mem <= MIB_1M
        return f"≤ {SECONDS_1M:.0f} s, {MIB_1M:,} MiB: {verdict[ok]}"
    return ""


def render(rows: list[tuple]) -> str:
    lines = [
        "| dataset | enterprises | links | command | seconds | peak MiB | × read | budget | exit |",
        "|---|---:|---:|---|---:|---:|---:|---|---:|",
    ]
    for name, n, m, command, wall, mem, ratio, code in rows:
        r = "" if ratio is None else f"{ratio:.1f}"
        budget = within(n, command, wall, mem, ratio)
        lines.append(
            f"| {name} | {n:,} | {m:,} | {command} | {wall:.2f} | {mem:,.0f} | {r} | {budget} "
            f"| {code} |"
        )
    return "\n".join(lines) + "\n"


def render_cached(rows: list[tuple]) -> str:
    """The runs with the cache: the first (validates and writes it), then warm."""
    rows = [r for r in rows if r[3] is not None]
    if not rows:
        return ""
    lines = [
        "## With the cache: a second command on the same files",
        "",
        "The first run parses, validates and writes the validated copy (one run, "
        "cache emptied before); warm is the median of the runs after it.",
        "",
        "| dataset | command | first s | warm s | warm × read |",
        "|---|---|---:|---:|---:|",
    ]
    for name, command, base, first, warm in rows:
        lines.append(f"| {name} | {command} | {first:.2f} | {warm:.2f} | {warm / base:.1f} |")
    return "\n".join(lines) + "\n"


def render_open(opened: dict[Path, float] | str) -> str:
    head = (
        "## The map in a browser\n\nSeconds for headless Chromium to open each map "
        "written above from disk until it is drawn (median of --repeat fresh pages; "
        "large datasets get the aggregated map).\n\n"
    )
    if isinstance(opened, str):
        return head + opened + "\n"
    lines = ["| map | size | seconds to open |", "|---|---:|---:|"]
    for path, seconds in opened.items():
        lines.append(f"| {path.stem} | {path.stat().st_size / 1e3:,.0f} kB | {seconds:.2f} |")
    return head + "\n".join(lines) + "\n"


def render_growth(rows: list[tuple]) -> str:
    """How each command's time grows with the links (10k → 100k → 1M)."""
    by = {}
    for name, _n, m, command, wall, *_ in rows:
        if name != "sample":
            by.setdefault(command, []).append((m, wall))
    if not by or len(next(iter(by.values()))) < 2:
        return ""
    lines = [
        "## Growth with links",
        "",
        "Cold time factor from one size to the next, beside the factor in links "
        "(linear cost: the two match; start-up costs flatten the small end).",
        "",
        "| command | "
        + " | ".join(
            f"{a[0]:,} → {b[0]:,} links"
            for a, b in zip(next(iter(by.values())), next(iter(by.values()))[1:], strict=False)
        )
        + " |",
        "|---|" + "---:|" * (len(next(iter(by.values()))) - 1),
    ]
    for command, points in by.items():
        cells = [
            f"{b[1] / a[1]:.1f}× (links {b[0] / a[0]:.1f}×)"
            for a, b in zip(points, points[1:], strict=False)
        ]
        lines.append(f"| {command} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
