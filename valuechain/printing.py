"""Text safe to print: kept apart from valuechain.text, which needs pandas, so
that the command line starts (and `--help` answers) without importing it."""

from __future__ import annotations

import unicodedata

__all__ = ["printable"]


def printable(text: object) -> str:
    r"""`text` safe to print and to put in a document: control characters (but
    line feed and tab) and bytes that were not valid UTF-8 in a file name (held
    by Python as lone surrogates) written as escapes.

    >>> printable("ctl\x1b[31m\x07"), printable("bad\udcff.csv"), printable("Chợ Đồn")
    ('ctl\\x1b[31m\\x07', 'bad\\xff.csv', 'Chợ Đồn')
    """
    out = []
    for ch in str(text):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or (unicodedata.category(ch) == "Cc" and ch not in "\n\t"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
