"""The one error hierarchy of valuechain; the CLI maps each class to an exit code."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from valuechain.i18n import Words

__all__ = [
    "ValuechainError",
    "LoadError",
    "DataError",
    "OutputError",
    "UsageError",
    "SliceError",
    "os_reason",
]


class ValuechainError(Exception):
    """Base class of every error valuechain raises on purpose.

    Raised with a key of the `i18n` table and its parameters, the message can be
    shown in either language (`text(lang)`); `str()` is the English text.
    """

    exit_code = 3

    def __init__(self, message: str = "", *, key: str | None = None, **params: object) -> None:
        self.key = key
        self.params = params
        if key is not None and not message:
            from valuechain.i18n import t

            message = t(key, "en", **params)
        super().__init__(message)

    def text(self, lang: str) -> str:
        """The message in `lang` ("vi" or "en")."""
        if self.key is None:
            return str(self)
        from valuechain.i18n import t

        return t(self.key, lang, **self.params)


class LoadError(ValuechainError, ValueError):
    """The dataset cannot be loaded at all (missing file, table or required column)."""

    exit_code = 3


class DataError(ValuechainError, ValueError):
    """The data loaded but cannot support the request (e.g. linkages without values)."""

    exit_code = 3


class OutputError(ValuechainError, OSError):
    """An output file cannot be written: a problem of the environment, not the data."""

    exit_code = 1


class UsageError(ValuechainError, ValueError):
    """The request itself cannot be done as asked (an output inside the input, a
    folder that is not empty…): a usage error."""

    exit_code = 2


class SliceError(UsageError):
    """A slice value (`--district`, `--chain`, `--type`) matches nothing: a usage error."""


# What stops a file being read or written, in the user's words: by errno.
_OS_REASONS = {
    errno.ENOSPC: "os_no_space",
    errno.EDQUOT: "os_quota",
    errno.EACCES: "os_no_permission",
    errno.EPERM: "os_no_permission",
    errno.EROFS: "os_read_only",
    errno.EFBIG: "os_file_too_big",
    errno.ENAMETOOLONG: "os_name_too_long",
    errno.EISDIR: "os_is_folder",
    errno.ENOTDIR: "os_not_folder",
    errno.ENOENT: "os_not_found",
}


def os_reason(exc: OSError) -> Words | str:
    """Why `exc` stopped a file being read or written: `i18n.Words` where
    valuechain knows the case (a full disk, no permission…), else the system's
    own text."""
    from valuechain.i18n import Words

    key = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    return Words(key) if key else (exc.strerror or str(exc))
