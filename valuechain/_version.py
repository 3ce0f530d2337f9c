"""The installed version, for the package root and the cache key alike (so
that no module inside the package imports the package root)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("valuechain")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
