"""The `valuechain` command line: the only package that knows about the terminal.

Heavy libraries (pandas, networkx, matplotlib, pyvis) are imported inside the
commands, so `valuechain --help` stays fast. The group is in `group`, the
options the commands share in `options`, what they do alike (errors, loading,
printing a listing) in `shared`; each module below adds its commands to it.
"""

from __future__ import annotations

from valuechain.cli import (  # noqa: F401 (they register commands)
    analyses,
    documents,
    progress,
    scenarios,
    tools,
)
from valuechain.cli.group import main

__all__ = ["main"]
