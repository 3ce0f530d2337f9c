"""Faults on a cluster end cleanly: the command is run against its own Dask
scheduler and two workers on free ports, and a worker, every worker, or the
scheduler is killed while it works. Ctrl-C on a local cluster leaves no
process behind. No sleep decides an order: each step waits for what it needs
(the scheduler's file, the workers joining, the first progress bar)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

if os.environ.get("CI", "").lower() != "true":
    pytest.importorskip("distributed", reason="pip install -e '.[test]' installs Dask")

BIN = Path(sys.executable).parent
LINES = 2_000_000  # long enough to be interrupted half-way on a 2-core machine


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """Two million synthetic invoice lines (two Parquet parts), registry, national table."""
    folder = tmp_path_factory.mktemp("invoices")
    done = subprocess.run(
        [str(BIN / "valuechain"), "generate", "--invoices", str(LINES), "-o", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return folder


def _until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


class Cluster:
    """A scheduler and worker processes started as an administrator would."""

    def __init__(self, folder: Path, workers: int) -> None:
        info = folder / "scheduler.json"
        self.scheduler = self._start(
            ["scheduler", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)]
        )
        self.address = _until(
            lambda: info.exists() and info.stat().st_size and json.loads(info.read_text()),
            60,
            "the scheduler",
        )["address"]
        self.workers = [
            self._start(
                ["worker", self.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"]
            )
            for _ in range(workers)
        ]
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=60)

    @staticmethod
    def _start(args: list[str]) -> subprocess.Popen:
        # Each in its own session: killing one kills its nanny and worker together.
        return subprocess.Popen(
            [str(BIN / "dask"), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            self.kill(process)


@pytest.fixture
def cluster(tmp_path):
    made = Cluster(tmp_path, workers=2)
    yield made
    made.close()


def _command(national: Path, out: Path, *extra: str) -> list[str]:
    return [
        str(BIN / "valuechain"), "--lang", "en", "invoices", str(national / "lines"),
        "--registry", str(national / "registry.csv"), "-o", str(out), *extra,
    ]  # fmt: skip


def _run_until_progress(command: list[str], **kwargs) -> tuple[subprocess.Popen, bytes]:
    """Start the command and return once its progress bar is on stderr."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    seen = b""
    deadline = time.monotonic() + 120
    while b"Completed" not in seen:
        chunk = os.read(process.stderr.fileno(), 256)
        assert chunk and time.monotonic() < deadline, seen.decode(errors="replace")
        seen += chunk
    return process, seen


def _finish(process: subprocess.Popen, seen: bytes) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=180)
    text = (seen + err).decode(errors="replace").replace("\r", "\n")
    lines = [line for line in text.splitlines() if line.strip() and "Completed" not in line]
    return process.returncode, out.decode(), "\n".join(lines)


def test_a_killed_worker_changes_nothing(national, cluster, tmp_path):
    clean_out, with_kill = tmp_path / "clean", tmp_path / "one_killed"
    done = subprocess.run(
        _command(national, clean_out, "--scheduler", cluster.address),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # One of two workers killed half-way: Dask runs its tasks again on the other.
    process, seen = _run_until_progress(
        _command(national, with_kill, "--scheduler", cluster.address)
    )
    Cluster.kill(cluster.workers[0])
    code, _, err = _finish(process, seen)
    assert code == 0, err
    assert (with_kill / "links.csv").read_bytes() == (clean_out / "links.csv").read_bytes()


@pytest.mark.parametrize("killed", ["every worker", "the scheduler"])
def test_a_lost_cluster_ends_in_one_line_and_writes_nothing(national, cluster, tmp_path, killed):
    out = tmp_path / "region"
    process, seen = _run_until_progress(_command(national, out, "--scheduler", cluster.address))
    for victim in cluster.workers if killed == "every worker" else [cluster.scheduler]:
        Cluster.kill(victim)
    code, stdout, err = _finish(process, seen)
    assert code == 1, err
    reason = "no worker left" if killed == "every worker" else "no scheduler"
    assert err == (
        f"Error: the Dask cluster was lost ({reason}): nothing was written; run again when it is up"
    )
    assert "Traceback" not in err and stdout == "" and not out.exists()


def test_ctrl_c_on_a_local_cluster_aborts_and_leaves_no_process(national, tmp_path):
    import psutil  # a dependency of distributed

    out = tmp_path / "region"
    # In its own process group, as a terminal runs a command: Ctrl-C reaches all of it.
    process, seen = _run_until_progress(
        _command(national, out, "--workers", "2"), start_new_session=True
    )
    children = psutil.Process(process.pid).children(recursive=True)
    assert children  # the local cluster's worker processes
    os.killpg(process.pid, signal.SIGINT)
    code, _, err = _finish(process, seen)
    assert code == 1 and err == "Aborted!", err
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert alive == [] and not out.exists()


@pytest.mark.parametrize(
    ("address", "code", "says"),
    [
        ("garbage", 2, "not a Dask scheduler address"),
        ("http://127.0.0.1:8786", 2, "not a Dask scheduler address"),
        ("tcp://127.0.0.1:{free}", 1, "cannot reach the Dask scheduler"),
    ],
)
def test_a_bad_scheduler_address_is_one_line_in_bounded_time(
    national, tmp_path, address, code, says
):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    started = time.monotonic()
    done = subprocess.run(
        _command(national, tmp_path / "r", "--scheduler", address.format(free=free)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert time.monotonic() - started < 60
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], lines
