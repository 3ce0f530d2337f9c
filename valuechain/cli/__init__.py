"""The `valuechain` command line: the only package that knows about the terminal.

Heavy libraries (pandas, networkx, matplotlib, pyvis) are imported inside the
commands, so `valuechain --help` stays fast. The group is in `group`, the
options the commands share in `options`, what they do alike (errors, loading,
printing a listing) in `shared`; each module below adds its commands to it.
"""

from __future__ import annotations

import gc

from valuechain.cli import (  # noqa: F401 (they register commands)
    analyses,
    documents,
    progress,
    scenarios,
    tools,
)
from valuechain.cli.group import main

__all__ = ["main", "run"]


def run() -> None:
    """The `valuechain` program: the command, then its exit without the collector.

    Python tears the interpreter down at exit, and its cycle collector walks every
    object pandas and its libraries made (0.05-0.09 s of a 0.4-0.9 s command). After
    the command nothing is left to collect that matters: outputs are written and
    closed, and the interpreter still flushes stdout and stderr and runs exit
    handlers. Freezing the collector's objects skips the walk. Only for the
    program: a caller of `main` (tests, a notebook) goes on collecting.
    """
    try:
        main()
    finally:
        gc.freeze()
