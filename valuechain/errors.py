"""The one error hierarchy of valuechain; the CLI maps each class to an exit code."""

from __future__ import annotations

__all__ = [
    "Figure",
    "Words",
    "ValuechainError",
    "LoadError",
    "DataError",
    "OutputError",
    "UsageError",
    "SliceError",
]


class Figure:
    """A number in an error's sentence, written as the sentence's reader writes
    numbers (1.234 in Vietnamese, 1,234 in English) when the sentence is."""

    def __init__(self, value: float, digits: int = 0) -> None:
        self.value, self.digits = value, digits

    def text(self, lang: str) -> str:
        from valuechain.i18n.numbers import number_text

        # `lang` is a code of LANGS, as `text` is given it; number_text asks only if it is "vi"
        return number_text(self.value, lang, self.digits)  # type: ignore[arg-type]


class Words:
    """A phrase of the catalog in an error's sentence (a reason in valuechain's own
    words), said in the language the sentence is."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params

    def text(self, lang: str) -> str:
        from valuechain.i18n import t

        return t(self.key, lang, **self.params)


def _written(params: dict[str, object], lang: str) -> dict[str, object]:
    return {k: v.text(lang) if isinstance(v, Figure | Words) else v for k, v in params.items()}


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

            message = t(key, "en", **_written(params, "en"))
        super().__init__(message)

    def text(self, lang: str) -> str:
        """The message in `lang` ("vi" or "en")."""
        if self.key is None:
            return str(self)
        from valuechain.i18n import t

        return t(self.key, lang, **_written(self.params, lang))


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
