"""One chunk of invoice lines, cleaned and labelled, with pandas alone.

Both the Dask engine (one partition at a time) and the plain reference
aggregation (one file chunk at a time) call `clean_lines`, so they differ only
in how the chunks are gathered.

Tax codes are compared as written by the tax authority: ten digits, or ten, a
dash and three for a branch. A code that lost its leading zero in a
spreadsheet (nine digits) or was typed with spaces is read back to that form.
Amounts are whole đồng and quantities are kept to 1/10,000 of a unit, both
summed as integers, so every way of adding up the same lines gives the same
links to the last digit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "REASONS",
    "LINE_COLUMNS",
    "QUANTITY_SCALE",
    "tax_codes",
    "clean_lines",
    "sum_links",
    "links_table",
    "reference_links",
]

# Why a line is left out: the first that applies. "outside": both sides are
# outside the region (a line of the national network the region is not in).
REASONS = ("no_seller", "no_buyer", "date", "amount", "outside")
LINE_COLUMNS = ("seller", "buyer", "date", "product", "quantity", "amount")
QUANTITY_SCALE = 10_000
KEY = ["source", "target", "product", "year"]
# The cleaned chunk: one row per usable line, then the left-out count per reason.
CLEAN_DTYPES = {
    "source": "object",
    "target": "object",
    "product": "object",
    "year": "int64",
    "volume": "int64",
    "has_volume": "int64",
    "value": "int64",
    "reason": "object",
}


def tax_codes(values: pd.Series) -> pd.Series:
    """Tax codes in the authority's form; blank → "".

    >>> codes = [" 0101 234 567", "101234567", "101234567.0", "0101234567-001", None]
    >>> tax_codes(pd.Series(codes)).tolist()
    ['0101234567', '0101234567', '0101234567', '0101234567-001', '']
    """
    text = values.astype("string").fillna("").str.replace(r"\s+", "", regex=True)
    text = text.str.replace(r"^(\d+)\.0$", r"\1", regex=True)  # a number read as a float
    main = text.str.extract(r"^(\d{9})(-\d{3})?$")
    lost_zero = main[0].notna()
    text = text.where(~lost_zero, "0" + main[0].fillna("") + main[1].fillna(""))
    return text.astype(object)


def _years(dates: pd.Series) -> pd.Series:
    """The year of each issue date (ISO, or day/month/year as written in
    Vietnam); NaN where unreadable."""
    if pd.api.types.is_datetime64_any_dtype(dates):
        return dates.dt.year.astype("float64")
    text = dates.astype("string").str.strip()
    iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
    dmy = pd.to_datetime(text.str.slice(0, 10), format="%d/%m/%Y", errors="coerce")
    return iso.fillna(dmy).dt.year.astype("float64")


def _numbers(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    return pd.to_numeric(values.astype("string").str.strip(), errors="coerce").astype("float64")


def clean_lines(chunk: pd.DataFrame, region: pd.Index, province: pd.Series) -> pd.DataFrame:
    """Label every line: `source`/`target` (the tax code inside the region, else
    `EXT:<province>` from the national table, else `EXT`), `product`, `year`,
    `volume` (quantity × `QUANTITY_SCALE`), `value` (đồng), and `reason` ("" for
    a line used, else the first of `REASONS` that applies).

    `region`: the region's tax codes (`tax_codes` form); `province`: province
    by tax code (the national table)."""
    seller = tax_codes(chunk["seller"])
    buyer = tax_codes(chunk["buyer"])
    year = _years(chunk["date"])
    amount = _numbers(chunk["amount"])
    quantity = (
        _numbers(chunk["quantity"]) if "quantity" in chunk else pd.Series(np.nan, index=chunk.index)
    )
    product = chunk["product"].astype("string").fillna("").str.strip() if "product" in chunk else ""
    seller_in = seller.isin(region)
    buyer_in = buyer.isin(region)
    reason = pd.Series("", index=chunk.index, dtype=object)
    checks = [
        ("no_seller", seller == ""),
        ("no_buyer", buyer == ""),
        ("date", year.isna()),
        ("amount", ~np.isfinite(amount)),
        ("outside", ~seller_in & ~buyer_in),
    ]
    for name, bad in reversed(checks):  # the first that applies wins
        reason = reason.mask(bad.to_numpy(), name)
    return pd.DataFrame(
        {
            "source": seller.where(seller_in, _outside(seller, province)),
            "target": buyer.where(buyer_in, _outside(buyer, province)),
            "product": product,
            "year": year.fillna(0).astype("int64"),
            "volume": np.round(quantity.fillna(0) * QUANTITY_SCALE).astype("int64"),
            "has_volume": quantity.notna().astype("int64"),
            "value": np.round(amount.where(np.isfinite(amount), 0)).astype("int64"),
            "reason": reason,
        },
        index=chunk.index,
    ).astype(CLEAN_DTYPES)


def _outside(codes: pd.Series, province: pd.Series) -> pd.Series:
    label = codes.map(province)
    return ("EXT:" + label.astype(object)).where(label.notna() & (label != ""), "EXT")


def sum_links(clean: pd.DataFrame) -> pd.DataFrame:
    """The used lines of a cleaned chunk summed per (source, target, product,
    year): `volume`, `has_volume` (lines that gave a quantity), `value`, `lines`."""
    used = clean[clean["reason"] == ""]
    return used.groupby(KEY, sort=False).agg(
        volume=("volume", "sum"),
        has_volume=("has_volume", "sum"),
        value=("value", "sum"),
        lines=("value", "size"),
    )


def links_table(summed: pd.DataFrame) -> pd.DataFrame:
    """The dataset's links from summed lines: `volume` = Σ quantity (empty when
    no line gave one), `value` = Σ amount in million đồng; sorted."""
    frame = summed.reset_index().sort_values(KEY, kind="stable")
    volume = frame["volume"] / QUANTITY_SCALE
    return pd.DataFrame(
        {
            "source": frame["source"].to_numpy(),
            "target": frame["target"].to_numpy(),
            "product": frame["product"].to_numpy(),
            "volume": volume.where(frame["has_volume"] > 0).to_numpy(),
            "value": (frame["value"] / 1_000_000).to_numpy(),
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
        parts.append(sum_links(clean)[["volume", "has_volume", "value"]])
        counts = counts.add(clean["reason"].value_counts(), fill_value=0)
    summed = pd.concat(parts).groupby(level=KEY).sum() if parts else pd.DataFrame()
    return links_table(summed), counts.astype("int64")
