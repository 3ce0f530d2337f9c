"""One chunk of invoice lines, cleaned and labelled, with pandas and pyarrow (no Dask).

Both the Dask engine (one partition at a time) and the plain reference
aggregation (one file chunk at a time) call `clean_lines`, so they differ only
in how the chunks are gathered.

Tax codes are compared as written by the tax authority: ten digits, or ten, a
dash and three for a branch. A code that lost its leading zero in a
spreadsheet (nine digits) or was typed with spaces is read back to that form.
Amounts are whole đồng and quantities are kept to 1/10,000 of a unit, both
summed as integers, so every way of adding up the same lines gives the same
links to the last digit. Each is summed in two integer parts (the billions and
the rest), so no total can wrap around, however many lines a link has; a line
beyond any real invoice (more than 10^15 đồng, or 10^11 units) is left out
under its own reason.

Decided, as the report and README say:
- a negative amount is a credit note (hoá đơn điều chỉnh giảm): it is netted
  against the sales of the same seller, buyer, product and year, and counted;
- a tax code that is not ten digits (or ten, a dash and three) once spaces and
  a lost leading zero are repaired (`01000000A1`, `#REF!`) is left out as a bad
  code, not read as an outside party;
- an issue date that is no day (31/02) or outside 1990–2100 (`9999-12-31`) is
  left out: it would otherwise become every command's default year;
- an amount typed the Vietnamese way (`1.234.567`) is read as the dataset loader
  reads it: dots or commas grouping thousands are thousands, a single comma
  before one, two or four and more digits is a decimal comma; `4.800` (either
  way) is 4,800 đồng, since đồng are whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "KEY",
    "REASONS",
    "LINE_COLUMNS",
    "QUANTITY_SCALE",
    "SUMMED",
    "tax_codes",
    "clean_lines",
    "sum_links",
    "links_table",
    "reference_links",
    "reason_counts",
]

# Why a line is left out, the first that applies (`clean_lines` codes them
# 1, 2, … in this order; 0 is a line used). "outside": both sides are outside
# the region (a line of the national network the region is not in).
REASONS = ("no_seller", "no_buyer", "bad_tax_code", "date", "amount", "too_large", "outside")
# The largest line an invoice can carry: 10^15 đồng (the dataset loader's bound
# for a number), 10^11 units of a product.
MAX_AMOUNT = 1e15
MAX_QUANTITY = 1e11
# Issue dates outside these years are no invoice's.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# Integer sums are kept in two parts: part // SPLIT and part % SPLIT. Each line
# adds at most 10^6 to the first and less than 10^9 to the second, so a link
# would need more than nine billion lines to wrap either.
SPLIT = 1_000_000_000
LINE_COLUMNS = ("seller", "buyer", "date", "product", "quantity", "amount")
QUANTITY_SCALE = 10_000
KEY = ["source", "target", "product", "year"]
# The cleaned chunk: one row per usable line, then the left-out count per reason.
STRING = pd.StringDtype("pyarrow")
CLEAN_DTYPES = {
    "source": STRING,
    "target": STRING,
    "product": STRING,
    "year": "int64",
    "volume_hi": "int64",
    "volume_lo": "int64",
    "has_volume": "int64",
    "value_hi": "int64",
    "value_lo": "int64",
    "credit": "int64",
    "reason": "int8",
}
SUMMED = ["volume_hi", "volume_lo", "has_volume", "value_hi", "value_lo", "credit"]


def _arrow_text(values: pd.Series):
    """The values as a pyarrow string array (numbers, as a tax code stored as a
    number would be, written out first); missing stays null."""
    import pyarrow as pa

    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        values = values.astype("string")
    text = pa.array(values, type=pa.string(), from_pandas=True)
    return text if isinstance(text, pa.ChunkedArray) else pa.chunked_array([text])


def _codes(values: pd.Series):
    """`tax_codes` as a pyarrow string array."""
    import pyarrow.compute as pc

    text = pc.fill_null(_arrow_text(values), "")
    text = pc.replace_substring_regex(text, r"\s+", "")
    text = pc.replace_substring_regex(text, r"^(\d+)\.0$", r"\1")  # a number read as a float
    lost_zero = pc.match_substring_regex(text, r"^\d{9}(-\d{3})?$")
    return pc.if_else(lost_zero, pc.binary_join_element_wise("0", text, ""), text)


_TAX_CODE = r"^\d{10}(-\d{3})?$"


def tax_codes(values: pd.Series) -> pd.Series:
    """Tax codes in the authority's form; blank → "".

    >>> codes = [" 0101 234 567", "101234567", "101234567.0", "0101234567-001", None]
    >>> tax_codes(pd.Series(codes)).tolist()
    ['0101234567', '0101234567', '0101234567', '0101234567-001', '']
    """
    return pd.Series(
        _codes(values).to_numpy(zero_copy_only=False), index=values.index, dtype=object
    )


def _years(dates: pd.Series) -> np.ndarray:
    """The year of each issue date (ISO, or day/month/year as written in
    Vietnam); NaN where unreadable or no such day (31/02). Each distinct date
    is parsed once (a year of invoices has a few hundred).

    >>> _years(pd.Series(["2024-02-29", "15/03/2024", "31/02/2024", "2024-01-05T10:00", None,
    ...                   "9999-12-31"]))
    array([2024., 2024.,   nan, 2024.,   nan,   nan])
    """
    import pyarrow.compute as pc

    if pd.api.types.is_datetime64_any_dtype(dates):
        year = dates.dt.year.to_numpy(dtype="float64", na_value=np.nan).copy()
        year[(year < FIRST_YEAR) | (year > LAST_YEAR)] = np.nan
        return year
    text = pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(_arrow_text(dates)), 0, 10)
    encoded = pc.dictionary_encode(text).combine_chunks()
    distinct = pd.Series(encoded.dictionary.to_pylist(), dtype=object)
    iso = pd.to_datetime(distinct, format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(distinct, format="%d/%m/%Y", errors="coerce")
    year = iso.fillna(dmy).dt.year.to_numpy(dtype="float64", na_value=np.nan).copy()
    year[(year < FIRST_YEAR) | (year > LAST_YEAR)] = np.nan  # no invoice's day
    index = encoded.indices.to_numpy(zero_copy_only=False)
    found = np.append(year, np.nan)  # a null date points past the end
    return found[np.where(np.isnan(index.astype("float64")), len(year), index).astype(np.int64)]


def _numbers(values: pd.Series) -> np.ndarray:
    """Amounts or quantities as float64 (NaN where unreadable). Text is read cell
    by cell, as whole đồng are written: thousands grouped by dots or commas,
    a decimal comma or point; a cell that reads either way (`4.800`) as thousands.

    >>> cells = ["1.234.567", "1,234,567", "4.800", "4,800", "1234,5", "1,234.5", "x"]
    >>> _numbers(pd.Series(cells)).tolist()
    [1234567.0, 1234567.0, 4800.0, 4800.0, 1234.5, 1234.5, nan]
    """
    from valuechain.loading.numbers import TextNumbers

    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    read = TextNumbers(values.astype("string").fillna(""))
    comma, point = read.values(","), read.values(".")
    thousands = np.where(np.abs(np.nan_to_num(comma)) >= np.abs(np.nan_to_num(point)), comma, point)
    return np.where(read.either, thousands, np.where(np.isnan(comma), point, comma))


def _parts(whole: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integers (|x| < 2^53, as float64) as (x // SPLIT, x % SPLIT) in int64."""
    whole = np.round(whole)
    high = np.floor_divide(whole, SPLIT)
    return high.astype("int64"), (whole - high * SPLIT).astype("int64")


def clean_lines(chunk: pd.DataFrame, region: pd.Index, province: pd.Series) -> pd.DataFrame:
    """Label every line: `source`/`target` (the tax code inside the region, else
    `EXT:<province>` from the national table, else `EXT`), `product`, `year`,
    `volume` (quantity × `QUANTITY_SCALE`), `value` (đồng), and `reason` (0 for a
    line used, else 1 + the index in `REASONS` of the first that applies).

    `region`: the region's tax codes (`tax_codes` form); `province`: province
    by tax code (the national table). Vectorised in pyarrow and numpy: about a
    second per million lines."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(chunk)
    region_set = pa.array(np.asarray(region, dtype=object), type=pa.string())
    seller, buyer = _codes(chunk["seller"]), _codes(chunk["buyer"])
    seller_in = pc.is_in(seller, value_set=region_set).to_numpy(zero_copy_only=False)
    buyer_in = pc.is_in(buyer, value_set=region_set).to_numpy(zero_copy_only=False)
    year = _years(chunk["date"])
    amount = _numbers(chunk["amount"])
    quantity = _numbers(chunk["quantity"]) if "quantity" in chunk else np.full(n, np.nan)
    if "product" in chunk:
        product = pc.utf8_trim_whitespace(pc.fill_null(_arrow_text(chunk["product"]), ""))
    else:
        product = pa.chunked_array([pa.array([""] * n, type=pa.string())])
    no_seller = pc.equal(seller, "").to_numpy(zero_copy_only=False)
    no_buyer = pc.equal(buyer, "").to_numpy(zero_copy_only=False)
    bad_code = ~(
        pc.match_substring_regex(seller, _TAX_CODE).to_numpy(zero_copy_only=False)
        & pc.match_substring_regex(buyer, _TAX_CODE).to_numpy(zero_copy_only=False)
    )
    checks = [
        no_seller,
        no_buyer,
        bad_code,
        np.isnan(year),
        ~np.isfinite(amount),
        (np.abs(amount) > MAX_AMOUNT) | (np.abs(np.nan_to_num(quantity)) > MAX_QUANTITY),
        ~seller_in & ~buyer_in,
    ]
    reason = np.zeros(n, dtype=np.int8)
    for k in range(len(checks), 0, -1):  # the first that applies wins
        reason[checks[k - 1]] = k
    used = reason == 0
    # Lines left out count nothing: their numbers may be anything.
    amount = np.where(used, amount, 0.0)
    quantity = np.where(used, quantity, np.nan)
    value_hi, value_lo = _parts(amount)
    volume_hi, volume_lo = _parts(np.nan_to_num(quantity) * QUANTITY_SCALE)
    outside = _outside_labels(province)
    return pd.DataFrame(
        {
            "source": _string(pc.if_else(seller_in, seller, outside(seller))),
            "target": _string(pc.if_else(buyer_in, buyer, outside(buyer))),
            "product": _string(product),
            "year": np.nan_to_num(year).astype("int64"),
            "volume_hi": volume_hi,
            "volume_lo": volume_lo,
            "has_volume": (~np.isnan(quantity)).astype("int64"),
            "value_hi": value_hi,
            "value_lo": value_lo,
            "credit": (amount < 0).astype("int64"),
            "reason": reason,
        },
        index=chunk.index,
    )


def _string(values) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(values), dtype=STRING)


def _outside_labels(province: pd.Series):
    """A function: tax codes → `EXT:<province>` (the national table), else `EXT`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pa.array(np.asarray(province.index, dtype=object), type=pa.string())
    labels = pa.array(np.asarray(province.to_numpy(), dtype=object), type=pa.string())
    labels = pc.if_else(pc.equal(pc.fill_null(labels, ""), ""), None, labels)

    def label(codes):
        found = pc.take(labels, pc.index_in(codes, value_set=ids))
        return pc.if_else(pc.is_valid(found), pc.binary_join_element_wise("EXT:", found, ""), "EXT")

    return label


def sum_links(clean: pd.DataFrame) -> pd.DataFrame:
    """The used lines of a cleaned chunk summed per (source, target, product,
    year): each integer part of `volume` and `value`, `has_volume` (lines that
    gave a quantity), `credit` (credit-note lines)."""
    used = clean[clean["reason"] == 0]
    return used.groupby(KEY, sort=False, observed=True)[SUMMED].sum()


def _whole(high: pd.Series, low: pd.Series) -> pd.Series:
    """A two-part integer sum as a float: high × SPLIT + low (Python integers
    first, so the sum itself is exact before it is rounded once)."""
    return pd.Series(
        [float(int(h) * SPLIT + int(lo)) for h, lo in zip(high, low, strict=True)],
        index=high.index,
        dtype="float64",
    )


def links_table(summed: pd.DataFrame) -> pd.DataFrame:
    """The dataset's links from summed lines: `volume` = Σ quantity (empty when
    no line gave one), `value` = Σ amount in million đồng; sorted."""
    frame = summed.reset_index().sort_values(KEY, kind="stable")
    volume = _whole(frame["volume_hi"], frame["volume_lo"]) / QUANTITY_SCALE
    value = _whole(frame["value_hi"], frame["value_lo"]) / 1_000_000
    return pd.DataFrame(
        {
            "source": frame["source"].to_numpy(),
            "target": frame["target"].to_numpy(),
            "product": frame["product"].to_numpy(),
            "volume": volume.where(frame["has_volume"] > 0).to_numpy(),
            "value": value.to_numpy(),
            "year": frame["year"].to_numpy(),
        }
    )


def reference_links(files, region: pd.Index, province: pd.Series, *, batch: int = 1_000_000):
    """(links, lines per reason) without Dask: the files read one batch at a
    time with pyarrow, each batch cleaned and summed, the sums added up. The
    check the Dask engine is measured against; memory grows with the links,
    not the lines."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.dataset as pads

    parts, counts = [], pd.Series(dtype="int64")
    fmt = "parquet"
    if not str(files[0]).endswith(".parquet"):  # CSV: every cell as text, as the engine reads it
        text = pacsv.ConvertOptions(column_types={c: pa.string() for c in LINE_COLUMNS})
        fmt = pads.CsvFileFormat(convert_options=text)
    data = pads.dataset([str(f) for f in files], format=fmt)
    names = [c for c in LINE_COLUMNS if c in data.schema.names]
    for record in data.to_batches(columns=names, batch_size=batch):
        clean = clean_lines(record.to_pandas(), region, province)
        parts.append(sum_links(clean))
        counts = counts.add(clean["reason"].value_counts(), fill_value=0)
    summed = (
        pd.concat(parts).groupby(level=KEY).sum()
        if parts
        else pd.DataFrame(columns=[*KEY, *SUMMED]).set_index(KEY)
    )
    return links_table(summed), reason_counts(counts)


def reason_counts(counts: pd.Series) -> pd.Series:
    """Lines per reason code (`clean_lines`) as lines per name: "" for those used."""
    names = ["", *REASONS]
    counts = counts.reindex(range(len(names)), fill_value=0).astype("int64")
    return pd.Series(counts.to_numpy(), index=names)
