"""The one error hierarchy of valuechain; the CLI maps each class to an exit code (SPEC §4)."""

from __future__ import annotations

__all__ = ["ValuechainError", "LoadError", "DataError", "OutputError"]


class ValuechainError(Exception):
    """Base class of every error valuechain raises on purpose."""

    exit_code = 3


class LoadError(ValuechainError, ValueError):
    """The dataset cannot be loaded at all (missing file, table or required column)."""

    exit_code = 3


class DataError(ValuechainError, ValueError):
    """The data loaded but cannot support the request (e.g. linkages without values)."""

    exit_code = 3


class OutputError(ValuechainError, OSError):
    """An output file cannot be written: a problem of the environment, not the data."""

    exit_code = 1
