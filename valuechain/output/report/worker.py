"""Charts drawn in a second process, so that the report's two slowest steps run side
by side on two cores.

Importing matplotlib takes about as long as importing pandas and loading a
province's files (0.3-0.4 s each on a small machine), and drawing the report's
charts as long again. The command line starts a `ChartWorker` before it imports
pandas: the worker imports matplotlib (not pandas) while this process loads and
analyses, then draws each chart from its plain spec (`charts.*_spec`) as soon as
it is sent, while this process goes on with the next analysis.

Whatever the worker cannot give back (it could not start, it died, a chart
raised) is drawn here instead, so the report is the same with or without it; a
chart that fails here raises as it always would.

Messages are pickles with a 4-byte length in front: jobs `(name, kind, spec,
png)` one way, results `(name, svg, png_bytes, error)` the other. Both ends are
this package, over the pipes of a child process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any, BinaryIO

__all__ = ["ChartWorker", "draw_here", "serve"]

_LENGTH = struct.Struct("<I")


def _send(stream: IO[bytes] | None, message: object) -> None:
    assert stream is not None, "the worker's pipes are open while it runs"
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes] | None) -> Any:
    """The next message, or None at the end of the stream."""
    assert stream is not None, "the worker's pipes are open while it runs"
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    data = stream.read(_LENGTH.unpack(head)[0])
    return pickle.loads(data)


def draw_here(name: str, kind: str, spec: dict, *, png: bool) -> tuple[str, bytes | None]:
    """Draw one chart in this process: its SVG, and its PNG bytes when `png`."""
    from valuechain.output.report.drawing import render

    return render(kind, spec, salt=name, png=png)


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """The worker's loop: draw each job read from stdin, write its result to stdout,
    until stdin closes."""
    import signal

    # Ctrl-C is the parent's to handle: the worker just sees its input close.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    from valuechain.output.report import (
        drawing,  # matplotlib: the import the parent should not wait for
    )

    while (job := _receive(stdin)) is not None:
        name, kind, spec, png = job
        try:
            svg, png_data = drawing.render(kind, spec, salt=name, png=png)
        except Exception as exc:  # noqa: BLE001 - the parent draws it again and raises
            _send(stdout, (name, None, None, repr(exc)))
        else:
            _send(stdout, (name, svg, png_data, None))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ChartWorker:
    """A child process drawing charts; `submit` them as their data is ready, then
    `result` each by name.

    Make one with `ChartWorker.start()`; `stop` it when done.
    """

    def __init__(self, process: subprocess.Popen) -> None:
        self._process = process
        self._results: dict[str, tuple[str | None, bytes | None, str | None]] = {}
        self._done = threading.Condition()
        self._ended = False
        self._reader = threading.Thread(target=self._read, name="chart-results", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, *, min_cores: int = 2) -> ChartWorker | None:
        """A running worker, or None with fewer than `min_cores` cores for this
        process (one core would only take turns between the two) or when no
        process can be started."""
        if _cores() < min_cores:
            return None
        package_parent = str(Path(__file__).resolve().parents[3])
        code = (
            f"import sys; sys.path.insert(0, {package_parent!r}); "
            "from valuechain.output.report.worker import serve; serve(); "
            "import os; os._exit(0)"  # every result is flushed; skip matplotlib's teardown
        )
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", code],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        except OSError:
            return None
        return cls(process)

    def _read(self) -> None:
        try:
            while (message := _receive(self._process.stdout)) is not None:
                name, svg, png, error = message
                with self._done:
                    self._results[name] = (svg, png, error)
                    self._done.notify_all()
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            pass
        finally:
            with self._done:
                self._ended = True
                self._done.notify_all()

    def submit(self, name: str, kind: str, spec: dict, *, png: bool = False) -> None:
        """Send a chart to draw; `name` must be unique among this worker's charts."""
        with contextlib.suppress(OSError, ValueError):  # gone: `result` draws it here
            _send(self._process.stdin, (name, kind, spec, png))

    def result(self, name: str, kind: str, spec: dict, *, png: bool = False):
        """The chart's SVG and PNG bytes (None unless `png`): the worker's, or drawn
        here if the worker could not give them."""
        with self._done:
            self._done.wait_for(lambda: name in self._results or self._ended)
            svg, png_data, error = self._results.pop(name, (None, None, "no result"))
        if error is not None or (png and png_data is None):
            return draw_here(name, kind, spec, png=png)
        return svg, png_data

    def stop(self) -> None:
        """Close the worker's input, which ends it, and reap it.

        A worker still importing matplotlib finishes that first (a few tenths of
        a second; on matplotlib's first run, seconds, while it builds its font
        cache, which a kill could leave locked): it is killed only if it has not
        ended after a minute.
        """
        with contextlib.suppress(OSError, AttributeError):
            self._process.stdin.close()  # type: ignore[union-attr]
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=5)
        self._process.stdout.close()  # type: ignore[union-attr]
