"""The links table: endpoints found among the enterprises or named as
outside parties (`EXT…`), self and outside-to-outside links rejected, repeated
links merged. Works on integer rows: each end's enterprise row is found once and
handed on with the links."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from valuechain.arrays import (
    endpoint_codes,
    factorize_text,
    has_repeats,
    index_in,
    outside_numbers,
    relabelled,
    text_code_chunks,
)
from valuechain.loading.files import ROW, RawTable
from valuechain.loading.numbers import parse_numbers
from valuechain.loading.report import LoadReport
from valuechain.loading.values import count_rows, flag, prepare_table, starts_with_ext, texts
from valuechain.text import fold, map_unique


def external_label(endpoint: pd.Series) -> pd.Series:
    """`ext : Hà Nội` → `EXT:Hà Nội`; `ext` → `EXT`."""
    rest = endpoint.str[3:].str.strip()
    label = rest.str.lstrip(":").str.strip()
    colon = rest.str.startswith(":")
    return ("EXT" + (":" + label).where(colon & (label != ""), rest.where(~colon, ""))).astype(str)


def with_labels(end: pd.Series, ext: np.ndarray) -> pd.Series:
    """The endpoints with outside parties' labels normalised (`ext : Hà Nội` →
    `EXT:Hà Nội`). The few distinct outside cells are labelled once each, and
    only cells whose label differs from their text are rewritten, in pyarrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array(pa.array(end))
    distinct = pc.unique(arr.filter(pa.array(ext)))
    cells = pd.Series(distinct.to_pandas(), dtype=str)
    labels = external_label(cells)
    changed = (labels != cells).to_numpy()
    if not changed.any():
        return end
    raw = pa.array(cells[changed].to_numpy(), type=arr.type)
    pos = pc.index_in(arr, value_set=raw)
    hit = pc.is_valid(pos)
    fixed = pc.take(pa.array(labels[changed].to_numpy(), type=arr.type), pos.filter(hit))
    out = pc.replace_with_mask(arr.combine_chunks(), hit.combine_chunks(), fixed.combine_chunks())
    return relabelled(out, end.index).astype(str)


FIRST_YEAR, LAST_YEAR = 1000, 9999  # a year of observation has four digits


_DATE_PATTERNS = (
    # 30/06/2024, 30-06-2024, 30.6.2024 (day first, as Vietnam writes dates)
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
    # 2024-06-30, 2024/6/30, an Excel date cell (2024-06-30 00:00:00)
    re.compile(r"^(?P<y>\d{4})[/.-](?P<m>\d{1,2})[/.-](?P<d>\d{1,2})(?:[ T][\d:.]+)?$"),
    # 06/2024
    re.compile(r"^(?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
)


def year_of_date(text: str) -> int | None:
    """The year of a date written where a year belongs, or None.

    >>> year_of_date("30/06/2024"), year_of_date("2024-06-30 00:00:00"), year_of_date("6/2024")
    (2024, 2024, 2024)
    >>> year_of_date("31/02/2024"), year_of_date("2024")
    (None, None)
    """
    import datetime

    for pattern in _DATE_PATTERNS:
        match = pattern.match(text.strip())
        if match:
            parts = match.groupdict()
            try:
                datetime.date(int(parts["y"]), int(parts["m"]), int(parts.get("d") or 1))
            except ValueError:
                return None
            return int(parts["y"])
    return None


def read_years(frame: pd.DataFrame, column: str, raw: RawTable, report: LoadReport) -> None:
    """Make `column` of `frame` Int64 years in place (all empty when absent): a
    cell that is no year is left empty with a warning, a date is read as its
    year with a note."""
    if column not in frame:
        frame[column] = pd.array([pd.NA] * len(frame), dtype="Int64")
        return
    years, bad, dated = _years(frame[column])
    shown = [{"value": v} for v in texts(frame[column][bad])]
    report.add("warning", raw.file, frame.loc[bad, ROW], column, "bad_year", shown)
    if dated.any():
        shown = [
            {"value": v, "year": int(y)}
            for v, y in zip(texts(frame[column][dated]), years[dated], strict=True)
        ]
        report.add("info", raw.file, frame.loc[dated, ROW], column, "year_from_date", shown)
    frame[column] = years


def _years(cells: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """The year column as Int64, the mask of cells that are not a year (not a
    whole number from FIRST_YEAR to LAST_YEAR, nor a date): those are left
    empty; and the mask of cells that were a date, read as its year. A blank
    cell is no year, not a bad one."""
    if pd.api.types.is_numeric_dtype(cells):
        values = cells.to_numpy(dtype=np.float64, na_value=np.nan)
        blank = np.isnan(values)
        dated = np.zeros(len(values), dtype=bool)
    else:
        # A few distinct years over millions of links: each distinct cell is
        # parsed once (five million cells: 2.9 s -> 0.18 s).
        codes, distinct = factorize_text(texts(cells).astype(str))
        per_value = pd.Series(distinct, dtype=str)
        parsed = parse_numbers(per_value, decimal=".").to_numpy(dtype=np.float64)
        from_date = np.array(
            [
                year_of_date(v) if np.isnan(p) else None
                for v, p in zip(distinct, parsed, strict=True)
            ],
            dtype=float,
        )
        is_date = ~np.isnan(from_date)
        parsed = np.where(is_date, from_date, parsed)
        values = np.append(parsed, np.nan)[codes]  # code -1: a missing cell
        blank = np.append((per_value.str.strip() == "").to_numpy(), True)[codes]
        dated = np.append(is_date, False)[codes]
    whole = np.floor(values) == values  # False where missing
    whole &= values >= FIRST_YEAR
    whole &= values <= LAST_YEAR
    bad = ~whole & ~blank
    # Years in range fit int64 exactly; the rest stay 0 under the mask.
    codes = np.zeros(len(values), dtype=np.int64)
    np.copyto(codes, values, casting="unsafe", where=whole)
    years = pd.arrays.IntegerArray(codes, ~whole)
    return pd.Series(years, index=cells.index, name=cells.name), bad, dated & whole


def load_links(
    raw: RawTable,
    decimal: str | None,
    report: LoadReport,
    ids: pd.Series,
    *,
    names: pd.Series | None = None,
    rejected_ids: dict[str, int] | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Validate the links; return them and, per link, the rows of its source and
    target in the enterprises table (shape (2, links), -1 for an outside party).

    An endpoint that is no id may name an enterprise (`names`, aligned with
    `ids`): when it equals exactly one name, without case or diacritics, it is
    read as that enterprise with a warning. One that is the id of an enterprise
    the loader rejected (`rejected_ids`: id → its row) is rejected saying so.
    """
    frame, read = prepare_table(raw, "links", decimal, report, numbers_later=("year",))
    read_years(frame, "year", raw, report)

    rejected = np.zeros(len(frame), dtype=bool)
    ends = {"source": frame["source"], "target": frame["target"]}

    def locate(column: str) -> tuple[np.ndarray, np.ndarray]:
        ext = starts_with_ext(ends[column])
        return ext, np.where(ext, -1, index_in(ends[column], ids))

    found = {column: locate(column) for column in ends}
    rows: dict[str, np.ndarray] = {}
    for column in ("source", "target"):
        end = ends[column]
        ext, rows[column] = found[column]
        frame[column + "_ext"] = ext
        if ext.any():
            frame[column] = with_labels(end, ext)
        empty = (end == "").to_numpy() & ~rejected
        report.add("error", raw.file, frame.loc[empty, ROW], column, "empty_endpoint")
        rejected |= empty
        unknown = ~ext & (rows[column] < 0) & ~rejected
        if unknown.any():
            gone = _rejected_enterprises(end, unknown, rejected_ids, raw, frame, report, column)
            rejected |= gone
            unknown &= ~gone
        if unknown.any() and names is not None:
            unknown = _by_name(end, rows[column], unknown, ids, names, raw, frame, report, column)
        flag(report, "error", raw, frame, unknown, column, "unknown_endpoint", end)
        rejected |= unknown
    src_ext, tgt_ext = frame["source_ext"].to_numpy(), frame["target_ext"].to_numpy()
    # Equal ends: the same enterprise row, or the same outside label.
    self_link = (rows["source"] == rows["target"]) & (rows["source"] >= 0)
    both = np.flatnonzero(src_ext & tgt_ext)
    if len(both):  # rare; even an empty take costs 20 ms on five million rows
        self_link[both] = (frame["source"].iloc[both] == frame["target"].iloc[both]).to_numpy()
    self_link &= ~rejected
    flag(report, "error", raw, frame, self_link, "target", "self_link", frame["source"])
    rejected |= self_link
    both_ext = src_ext & tgt_ext & ~rejected
    report.add(
        "error",
        raw.file,
        frame.loc[both_ext, ROW],
        "target",
        "ext_to_ext",
        frame.loc[both_ext, ["source", "target"]],
    )
    rejected |= both_ext
    end_rows = [rows["source"], rows["target"]]
    if rejected.any():
        frame = frame[~rejected]
        end_rows = [e[~rejected] for e in end_rows]

    for column in ("product", "volume", "value"):
        if column not in frame:
            frame[column] = "" if column == "product" else np.nan
    kept = merge_duplicate_links(frame, end_rows, len(ids), raw, report)
    if kept is not None:
        frame, end_rows = frame[kept], [e[kept] for e in end_rows]
    frame["local"] = ~frame["source_ext"] & ~frame["target_ext"]
    count_rows(report, "links", read, read - int(rejected.sum()))
    order = [
        "source",
        "target",
        "product",
        "volume",
        "value",
        "year",
        "source_ext",
        "target_ext",
        "local",
    ]
    extras = [c for c in frame.columns if c not in order and c != ROW]
    return frame[order + extras + [ROW]].reset_index(drop=True), np.vstack(end_rows)


def _rejected_enterprises(
    end: pd.Series,
    unknown: np.ndarray,
    rejected_ids: dict[str, int] | None,
    raw: RawTable,
    frame: pd.DataFrame,
    report: LoadReport,
    column: str,
) -> np.ndarray:
    """Links whose end is an enterprise rejected on load: rejected, naming its row."""
    if not rejected_ids:
        return np.zeros(len(end), dtype=bool)
    row_of = end.map(rejected_ids)
    gone = unknown & row_of.notna().to_numpy()
    params = pd.DataFrame({"value": end, "row": row_of.astype("Int64").astype(str)})
    flag(report, "error", raw, frame, gone, column, "endpoint_rejected", params)
    return gone


def _by_name(
    end: pd.Series,
    rows: np.ndarray,
    unknown: np.ndarray,
    ids: pd.Series,
    names: pd.Series,
    raw: RawTable,
    frame: pd.DataFrame,
    report: LoadReport,
    column: str,
) -> np.ndarray:
    """Read ends that equal exactly one enterprise's name (without case or
    diacritics) as that enterprise: `rows` and the frame's column filled in place
    with its row and id, a warning each. Returns the ends still unknown."""
    folded = map_unique(names.reset_index(drop=True), fold)
    counts = folded.value_counts()
    unique = folded[folded.map(counts) == 1]
    row_of = pd.Series(unique.index.to_numpy(), index=unique.to_numpy())
    hit_rows = map_unique(end[unknown], fold).map(row_of)
    at = np.flatnonzero(unknown)[hit_rows.notna().to_numpy()]
    if not len(at):
        return unknown
    rows[at] = hit_rows.dropna().astype(np.int64).to_numpy()
    found = np.zeros(len(end), dtype=bool)
    found[at] = True
    matched_ids = ids.to_numpy()[rows[at]]
    params = [{"value": v, "id": i} for v, i in zip(end.to_numpy()[at], matched_ids, strict=True)]
    report.add("warning", raw.file, frame.loc[found, ROW], column, "endpoint_by_name", params)
    frame.loc[found, column] = matched_ids
    return unknown & ~found


def link_keys(frame: pd.DataFrame, ends: list[np.ndarray], n_enterprises: int) -> np.ndarray:
    """One integer per link for (source, target, product, year): equal keys are
    the same link. Outside parties number after the enterprises, by label.

    Packed in place into the source codes, the product codes added chunk by
    chunk: no other five-million-row array per part."""
    n = n_enterprises
    product_chunks, products = text_code_chunks(frame["product"])
    key = endpoint_codes(frame["source"], ends[0], n)
    outside_t, numbers_t = outside_numbers(frame["target"], ends[1])
    years, no_year, low, n_years = _years_from(frame["year"])
    sizes = [n + _size(numbers_t), max(len(products), 1), n_years + 1]
    if max(n, _size(key)) * int(np.prod(sizes, dtype=object)) >= 2**62:
        # Too wide to pack: number the combinations instead.
        return (
            frame.groupby(["source", "target", "product", "year"], sort=False, dropna=False)
            .ngroup()
            .to_numpy()
        )
    key *= sizes[0]
    key += ends[1]
    key[outside_t] += n + 1 + numbers_t  # an outside end's -1 becomes n + its number
    key *= sizes[1]
    start = 0
    for codes in product_chunks:
        key[start : start + len(codes)] += codes
        start += len(codes)
    # Year code: 0 for none, else the distance from the earliest + 1 (no hashing).
    key *= sizes[2]
    key += years  # 0 where there is no year
    key -= low - 1
    key[no_year] += low - 1
    return key


def _years_from(year: pd.Series) -> tuple[np.ndarray, np.ndarray, int, int]:
    """The year column as int64 (0 where missing; may be the column's own
    memory, not to be written), the missing mask, the earliest year and the
    span of years (0 when none)."""
    missing = year.isna().to_numpy()
    values = year.to_numpy(dtype=np.int64, na_value=0)
    if missing.all():
        return values, missing, 1, 0
    low = values.min(where=~missing, initial=np.iinfo(np.int64).max)
    high = values.max(where=~missing, initial=np.iinfo(np.int64).min)
    return values, missing, int(low), int(high - low + 1)


def _size(codes: np.ndarray) -> int:
    """Number of values codes 0… can take (at least 1)."""
    return int(codes.max()) + 1 if len(codes) else 1


def merge_duplicate_links(
    frame: pd.DataFrame,
    ends: list[np.ndarray],
    n_enterprises: int,
    raw: RawTable,
    report: LoadReport,
) -> np.ndarray | None:
    """Merge repeated links: report each repeat, sum volume and value into the
    first. Returns the mask of links kept, None when nothing repeats."""
    keys = link_keys(frame, ends, n_enterprises)
    if not has_repeats(keys):  # the usual case, told by a sort
        return None
    key = pd.Series(keys, index=frame.index)
    dup = key.duplicated(keep="first").to_numpy()
    first_row = frame[ROW].groupby(key).transform("first")
    report.add(
        "warning",
        raw.file,
        frame.loc[dup, ROW],
        "source",
        "duplicate_link",
        [{"first": int(r)} for r in first_row[dup]],
    )
    sums = frame[["volume", "value"]].groupby(key).sum(min_count=1)
    kept_keys = key[~dup]
    frame.loc[~dup, "volume"] = sums["volume"].reindex(kept_keys).to_numpy()
    frame.loc[~dup, "value"] = sums["value"].reindex(kept_keys).to_numpy()
    return ~dup
