"""One loader per input table (SPEC §1): each validates its rows, reports every
rejected row and dropped cell, and returns the rows it keeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import _read
from ._cells import (
    clean_codes,
    count_rows,
    flag,
    overflow,
    parse_number_columns,
    reject_duplicates,
    resolve_columns,
    split_codes,
    text_columns,
    texts,
    vsic_type,
)
from ._columns import (
    KNOWN,
    NUMERIC,
    TYPE_ALIASES,
)
from ._fast import fast_isin
from ._read import ROW, RawTable
from ._text import fold, map_unique
from .catalog import UNCLASSIFIED, default_catalog_path
from .loadreport import LoadReport

# --- tables -------------------------------------------------------------------


def load_products(raw: RawTable | None, report: LoadReport) -> tuple[pd.DataFrame, bool]:
    default = raw is None
    if raw is None:
        raw = _read.read_csv_table(Path(default_catalog_path()))
        raw.file = "catalog (default)"
    frame = overflow(text_columns(resolve_columns(raw, "products"), skip=set()), raw, report)
    read = len(frame)
    empty = frame["code"] == ""
    flag(report, "error", raw, frame, empty, "code", "empty_code")
    dup = reject_duplicates(frame, "code", raw, report, "duplicate_code", among=~empty)
    stage = pd.to_numeric(frame["stage"], errors="coerce")
    bad_stage = ~stage.isin([1, 2, 3]) & ~empty & ~dup
    flag(report, "error", raw, frame, bad_stage, "stage", "bad_stage", frame["stage"])
    no_chain = (frame["chain"] == "") & ~empty & ~dup & ~bad_stage
    flag(report, "error", raw, frame, no_chain, "chain", "empty_field")
    keep = ~(empty | dup | bad_stage | no_chain)
    frame = frame[keep].copy()
    frame["stage"] = stage[keep].astype(int)
    frame["name"] = frame["name"].where(frame["name"] != "", frame["code"])
    frame["made_from"] = split_codes(
        frame["made_from"] if "made_from" in frame else pd.Series("", index=frame.index)
    )
    if "unit" not in frame:
        frame["unit"] = ""
    frame["in_catalog"] = True
    if not default:  # the bundled catalog is not the user's data: not in the counts
        count_rows(report, "products", read, len(frame))
    return frame.reset_index(drop=True), default


def load_clusters(
    raw: RawTable | None, decimal: str | None, report: LoadReport
) -> pd.DataFrame | None:
    if raw is None:
        return None
    frame = resolve_columns(raw, "clusters")
    frame = overflow(text_columns(frame, skip=set(NUMERIC["clusters"])), raw, report)
    read = len(frame)
    parse_number_columns(frame, raw, "clusters", decimal, report)
    empty = frame["id"] == ""
    flag(report, "error", raw, frame, empty, "id", "empty_id")
    dup = reject_duplicates(frame, "id", raw, report, "duplicate_id", among=~empty)
    frame = frame[~(empty | dup)].reset_index(drop=True)
    for column in ("district",):
        if column not in frame:
            frame[column] = ""
    for column in ("lat", "lon"):
        if column not in frame:
            frame[column] = np.nan
    count_rows(report, "clusters", read, len(frame))
    return frame


_ENTERPRISE_ORDER = KNOWN["enterprises"]


def load_enterprises(
    raw: RawTable, decimal: str | None, report: LoadReport, clusters: pd.DataFrame | None
) -> pd.DataFrame:
    frame = resolve_columns(raw, "enterprises")
    frame = overflow(text_columns(frame, skip=set(NUMERIC["enterprises"])), raw, report)
    read = len(frame)
    parse_number_columns(frame, raw, "enterprises", decimal, report)

    empty = frame["id"] == ""
    flag(report, "error", raw, frame, empty, "id", "empty_id")

    typed = map_unique(frame["type"], lambda s: TYPE_ALIASES.get(fold(s)))
    vsic = frame["vsic"] if "vsic" in frame else pd.Series("", index=frame.index)
    derived = vsic_type(vsic)
    unknown = typed.isna() & ~empty
    lost = unknown & derived.isna()
    flag(report, "error", raw, frame, lost, "type", "unknown_type", frame["type"])
    # A duplicate is judged among the rows that would otherwise load, so the
    # row that stays is the first loadable one.
    dup = reject_duplicates(frame, "id", raw, report, "duplicate_id", among=~(empty | lost))
    noted = unknown & derived.notna() & (frame["type"] != "") & ~dup
    report.add(
        "warning",
        raw.file,
        frame.loc[noted, ROW],
        "type",
        "type_from_vsic",
        [
            {"value": v, "type": d, "vsic": c}
            for v, d, c in zip(frame.loc[noted, "type"], derived[noted], vsic[noted], strict=True)
        ],
    )
    frame["type"] = typed.fillna(derived)

    keep = ~(empty | dup | lost)
    frame = frame[keep].copy()
    no_name = frame["name"] == ""
    flag(report, "warning", raw, frame, no_name, "name", "empty_name", frame["id"])
    frame["name"] = frame["name"].where(~no_name, frame["id"])
    ext = frame["id"].str.upper().str.startswith("EXT")
    flag(report, "warning", raw, frame, ext, "id", "ext_id", frame["id"])
    if clusters is not None and "cluster" in frame:
        unknown_cluster = (frame["cluster"] != "") & ~frame["cluster"].isin(clusters["id"])
        flag(
            report,
            "warning",
            raw,
            frame,
            unknown_cluster,
            "cluster",
            "unknown_cluster",
            frame["cluster"],
        )

    for column in _ENTERPRISE_ORDER:
        if column not in frame:
            frame[column] = np.nan if column in NUMERIC["enterprises"] else ""
    for column in ("outputs", "inputs"):
        frame[column] = clean_codes(frame[column])
    extras = [c for c in frame.columns if c not in _ENTERPRISE_ORDER and c != ROW]
    frame = frame[_ENTERPRISE_ORDER + extras + [ROW]].reset_index(drop=True)
    count_rows(report, "enterprises", read, len(frame))
    return frame


def offers_table(enterprises: pd.DataFrame) -> pd.DataFrame:
    """Long table of what each enterprise sells and buys: `id, product, role, pos, _row`.

    Split in pyarrow (list arrays), not per row in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = []
    for role, column in (("output", "outputs"), ("input", "inputs")):
        lists = pc.split_pattern(
            pa.array(enterprises[column].fillna("").astype(str), type=pa.string()), ";"
        )
        values = pc.list_flatten(lists)
        parent = pc.list_parent_indices(lists).to_numpy()
        lengths = pc.list_value_length(lists).to_numpy()
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        part = pd.DataFrame(
            {
                "id": enterprises["id"].to_numpy()[parent],
                "product": pd.Series(values.to_pandas()).astype(str).to_numpy(),
                "role": role,
                "pos": np.arange(len(parent)) - starts,
                ROW: enterprises[ROW].to_numpy()[parent],
            }
        )
        parts.append(part[part["product"] != ""])
    return pd.concat(parts, ignore_index=True)


def external_label(endpoint: pd.Series) -> pd.Series:
    """`ext : Hà Nội` → `EXT:Hà Nội`; `ext` → `EXT`."""
    rest = endpoint.str[3:].str.strip()
    label = rest.str.lstrip(":").str.strip()
    colon = rest.str.startswith(":")
    return ("EXT" + (":" + label).where(colon & (label != ""), rest.where(~colon, ""))).astype(str)


def with_labels(end: pd.Series, ext: pd.Series) -> pd.Series:
    """The endpoints with outside parties' labels normalised, in pyarrow (no
    reindex of five million rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def whole(series: pd.Series) -> pa.Array:
        arr = pa.array(series.astype(str), type=pa.string())
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr

    arr = pc.replace_with_mask(
        whole(end), pa.array(ext.to_numpy()), whole(external_label(end[ext]))
    )
    return pd.Series(arr.to_pandas(), index=end.index).astype(str)


def load_links(
    raw: RawTable, decimal: str | None, report: LoadReport, ids: pd.Series
) -> pd.DataFrame:
    frame = resolve_columns(raw, "links")
    skip = set(NUMERIC["links"]) | {"year"}
    frame = overflow(text_columns(frame, skip=skip), raw, report)
    read = len(frame)
    parse_number_columns(frame, raw, "links", decimal, report)
    if "year" in frame:
        years = _read.parse_numbers(frame["year"], decimal=".")
        bad = years.notna() & (years % 1 != 0)
        if not pd.api.types.is_numeric_dtype(frame["year"]):
            bad |= years.isna() & (texts(frame["year"]).str.strip() != "")
        flag(report, "warning", raw, frame, bad, "year", "bad_year", texts(frame["year"][bad]))
        frame["year"] = years.mask(bad).astype("Int64")
    else:
        frame["year"] = pd.array([pd.NA] * len(frame), dtype="Int64")

    rejected = pd.Series(False, index=frame.index)
    for column in ("source", "target"):
        end = frame[column]
        ext = end.str.upper().str.startswith("EXT")
        frame[column + "_ext"] = ext
        if ext.any():
            frame[column] = with_labels(end, ext)
        empty = (end == "") & ~rejected
        report.add("error", raw.file, frame.loc[empty, ROW], column, "empty_endpoint")
        rejected |= empty
        unknown = ~ext & ~fast_isin(end, ids) & ~rejected
        flag(report, "error", raw, frame, unknown, column, "unknown_endpoint", end)
        rejected |= unknown
    self_link = (frame["source"] == frame["target"]) & ~rejected
    flag(report, "error", raw, frame, self_link, "target", "self_link", frame["source"])
    rejected |= self_link
    both_ext = frame["source_ext"] & frame["target_ext"] & ~rejected
    report.add(
        "error",
        raw.file,
        frame.loc[both_ext, ROW],
        "target",
        "ext_to_ext",
        frame.loc[both_ext, ["source", "target"]],
    )
    rejected |= both_ext
    if rejected.any():
        frame = frame[~rejected]

    for column in ("product", "volume", "value"):
        if column not in frame:
            frame[column] = "" if column == "product" else np.nan
    frame = merge_duplicate_links(frame, raw, report)
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
    return frame[order + extras + [ROW]].reset_index(drop=True)


def merge_duplicate_links(frame: pd.DataFrame, raw: RawTable, report: LoadReport) -> pd.DataFrame:
    key = ["source", "target", "product", "year"]
    dup = frame.duplicated(key, keep="first")
    if not dup.any():
        return frame
    codes = frame.groupby(key, sort=False, dropna=False).ngroup()
    first_row = frame[ROW].groupby(codes).transform("first")
    report.add(
        "warning",
        raw.file,
        frame.loc[dup, ROW],
        "source",
        "duplicate_link",
        [{"first": int(r)} for r in first_row[dup]],
    )
    sums = frame[["volume", "value"]].groupby(codes).sum(min_count=1)
    kept = frame[~dup].copy()
    kept_codes = codes[~dup]
    kept["volume"] = sums["volume"].reindex(kept_codes).to_numpy()
    kept["value"] = sums["value"].reindex(kept_codes).to_numpy()
    return kept


def add_unclassified(
    products: pd.DataFrame,
    offers: pd.DataFrame,
    links: pd.DataFrame,
    files: dict[str, str],
    report: LoadReport,
) -> pd.DataFrame:
    """Add product codes seen only in the data to the catalog, chain `unclassified`."""
    known = set(products["code"])
    distinct = set(offers["product"].unique()) | set(links["product"].unique())
    if not (distinct - known - {""}):
        return products
    seen = pd.concat(
        [
            offers.assign(
                file=files["enterprises"],
                column=offers["role"].map({"output": "outputs", "input": "inputs"}),
            )[["product", "file", ROW, "column"]],
            links.loc[links["product"] != "", ["product", ROW]].assign(
                file=files["links"], column="product"
            ),
        ],
        ignore_index=True,
    )
    new = seen[~seen["product"].isin(products["code"])].drop_duplicates("product")
    for (file, column), part in new.groupby(["file", "column"], sort=False):
        report.add(
            "warning",
            file,
            part[ROW],
            column,
            "unknown_product",
            [{"code": c} for c in part["product"]],
        )
    if new.empty:
        return products
    extra = pd.DataFrame(
        {
            "code": new["product"].to_numpy(),
            "name": new["product"].to_numpy(),
            "chain": UNCLASSIFIED,
            "stage": 1,
            "unit": "",
            "in_catalog": False,
        }
    )
    extra["made_from"] = [[] for _ in range(len(extra))]
    return pd.concat([products, extra], ignore_index=True)
