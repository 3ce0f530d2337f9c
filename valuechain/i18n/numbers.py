"""Numbers, shares and dates as a reader of each language writes them.

Plain Python (no pandas): the report's chart process formats its axes with
them without importing pandas.
"""

from __future__ import annotations

import datetime as dt

from valuechain.i18n import Language

__all__ = ["number_text", "percent_text", "date_text"]


def number_text(value: float, lang: Language, digits: int = 0, *, group: bool = True) -> str:
    """A number as a reader of `lang` writes it: `1.234,5` in Vietnamese,
    `1,234.5` in English.

    >>> number_text(1234.5, "vi", 1), number_text(1234.5, "en", 1), number_text(15000, "vi")
    ('1.234,5', '1,234.5', '15.000')
    """
    text = f"{value:,.{digits}f}" if group else f"{value:.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent_text(share: float, lang: Language, digits: int = 1) -> str:
    """A share as a percentage: `75,8 %` in Vietnamese, `75.8%` in English.

    >>> percent_text(0.758, "vi"), percent_text(0.758, "en")
    ('75,8 %', '75.8%')
    """
    number = number_text(100 * share, lang, digits)
    return f"{number} %" if lang == "vi" else f"{number}%"


def date_text(day: dt.date, lang: Language) -> str:
    """A date as the reader writes it: 02/12/2026 in Vietnamese, 2 Dec 2026 in English."""
    return day.strftime("%d/%m/%Y") if lang == "vi" else f"{day.day} {day:%b %Y}"
