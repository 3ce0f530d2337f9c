"""The report as it is shown, whatever the format: built by page.py, written as
HTML there and as Word by docx.py (each imports this, not the other)."""

from __future__ import annotations

from dataclasses import dataclass

from valuechain.i18n import Language

__all__ = ["Report"]


@dataclass
class Report:
    """A report as it is shown, whatever the format: its title, subtitle and
    notes, the figure cards, the sections (text, figures, tables with their
    cells written the reader's way) and the charts as PNG (when asked)."""

    lang: Language
    title: str
    sub: str
    illustrative: str
    cards: list[dict]
    weak_note: str
    sections: list[dict]
    pngs: dict[str, bytes]
    said: str = ""  # one line of what it shows, for the command line
