"""Excel workbooks: each sheet that stands for a table, read into a `RawTable`
(numbers stored as numbers kept as they are), after refusing a damaged workbook
or one that would unpack beyond any province's size."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from valuechain.loading.files import RawTable, find_header, records_frame

__all__ = ["MAX_WORKBOOK_BYTES", "read_sheet_tables"]

# A workbook is refused at once when its parts would unpack to more than this
# (a province's workbook is a few MB; a "zip bomb" unpacks to gigabytes).
MAX_WORKBOOK_BYTES = 1 << 30


def _check_workbook_size(path: Path) -> None:
    import zipfile

    from valuechain.errors import LoadError
    from valuechain.i18n import Figure

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:  # an old .xls, or a CSV renamed .xlsx
        raise LoadError(key="not_a_workbook", path=path) from exc
    except (OSError, ValueError) as exc:
        raise LoadError(key="bad_workbook", path=path, reason=exc) from exc
    if unpacked > MAX_WORKBOOK_BYTES:
        raise LoadError(
            key="workbook_too_large",
            path=path,
            size=Figure(unpacked / 2**20),
            limit=Figure(MAX_WORKBOOK_BYTES / 2**20),
        )


# For a table's key, the test that a row is its header (None: the first row is)
HeaderTest = Callable[[str], Callable[[list[str]], bool] | None]


def read_sheet_tables(path: Path, header_ok_for: HeaderTest | None = None) -> dict[str, RawTable]:
    """Read the sheets of an .xlsx workbook that stand for a table (by name, in
    English or Vietnamese: `enterprises`, `Doanh nghiệp`, …); keys are the tables.
    `header_ok_for(table)` tells that table's header row from title rows above it.

    A damaged workbook, or one that would unpack beyond `MAX_WORKBOOK_BYTES`,
    raises `LoadError` before anything is loaded."""
    from openpyxl import load_workbook

    from valuechain.errors import LoadError

    _check_workbook_size(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise LoadError(key="bad_workbook", path=path, reason=exc) from exc
    try:
        return _sheets(path, book, header_ok_for)
    except LoadError:
        raise
    except Exception as exc:  # a sheet whose XML is damaged
        raise LoadError(key="bad_workbook", path=path, reason=exc) from exc
    finally:
        book.close()


def _sheets(path: Path, book: Any, header_ok_for: HeaderTest | None) -> dict[str, RawTable]:
    from valuechain.errors import LoadError
    from valuechain.loading.columns import table_of_name

    tables: dict[str, RawTable] = {}
    for sheet in book.worksheets:
        key = table_of_name(sheet.title)
        if key is None:
            continue  # instructions, notes, pivot tables: not a table
        records = [list(r) for r in sheet.iter_rows(values_only=True)]
        skipped = 0
        while records and all(c is None or str(c).strip() == "" for c in records[0]):
            records.pop(0)  # leading empty rows: the header is the first filled row
            skipped += 1
        if not records:
            continue
        title = find_header(records, header_ok_for(key) if header_ok_for else None)
        records = records[title:]
        headers, frame = records_frame(sheet.title, records, first_row=1 + skipped + title)
        for col in frame.columns:
            if col.startswith("c"):
                frame[col] = frame[col].map(_sheet_cell)
        file = f"{path.name}:{sheet.title}"
        if key in tables:
            raise LoadError(
                key="duplicate_table",
                path=path,
                table=key,
                first=f"sheet '{tables[key].file.split(':', 1)[1]}'",
                second=f"sheet '{sheet.title}'",
            )
        notes: list[tuple[int | None, str, dict[str, Any]]] = (
            [(None, "title_rows", {"n": title, "header": skipped + title + 1})] if title else []
        )
        tables[key] = RawTable(file, frame, headers, "xlsx", ",", notes)
    return tables


def _sheet_cell(value: object) -> object:
    """Keep workbook numbers as numbers, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.datetime | datetime.date):  # a date cell: its day, no clock
        return value.date().isoformat() if isinstance(value, datetime.datetime) else str(value)
    return str(value)
