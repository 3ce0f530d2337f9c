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
from ._fast import (
    distinct_text,
    endpoint_codes,
    factorize_text,
    has_repeats,
    index_in,
    outside_numbers,
    parallel_map,
)
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


def _cells(
    raw: RawTable,
    table: str,
    decimal: str | None,
    report: LoadReport,
    *,
    numbers_later: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, int]:
    """The start every table with numbers shares: SPEC column names, text cleaned
    (all but the numeric columns and `numbers_later`, which the caller parses),
    extra cells reported, numbers parsed. Returns the frame and the records read."""
    frame = resolve_columns(raw, table)
    frame = overflow(text_columns(frame, skip={*NUMERIC[table], *numbers_later}), raw, report)
    parse_number_columns(frame, raw, table, decimal, report)
    return frame, len(frame)


def load_clusters(
    raw: RawTable | None, decimal: str | None, report: LoadReport
) -> pd.DataFrame | None:
    if raw is None:
        return None
    frame, read = _cells(raw, "clusters", decimal, report)
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
    frame, read = _cells(raw, "enterprises", decimal, report)

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
    frame["type"] = typed.fillna(derived).astype(str)

    keep = ~(empty | dup | lost)
    frame = frame if keep.all() else frame[keep].copy()
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
    codes = parallel_map(clean_codes, [frame["outputs"], frame["inputs"]])
    frame["outputs"], frame["inputs"] = codes
    extras = [c for c in frame.columns if c not in _ENTERPRISE_ORDER and c != ROW]
    frame = frame[_ENTERPRISE_ORDER + extras + [ROW]].reset_index(drop=True)
    count_rows(report, "enterprises", read, len(frame))
    return frame


def offers_table(enterprises: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Long table of what each enterprise sells and buys: `id, product, role, pos, _row`,
    and the row of each one's enterprise.

    Split in pyarrow (list arrays), not per row in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pa.chunked_array(pa.array(enterprises["id"]))
    parts = []
    for role, column in (("output", "outputs"), ("input", "inputs")):
        lists = pc.split_pattern(
            pa.chunked_array(pa.array(enterprises[column].fillna("").astype(str))), ";"
        )
        values = pc.list_flatten(lists)
        parent = np.asarray(pc.list_parent_indices(lists).to_numpy(), dtype=np.int64)
        lengths = np.asarray(pc.list_value_length(lists).to_numpy(), dtype=np.int64)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        keep = np.asarray(pc.not_equal(values, "").to_numpy(), dtype=bool)
        parent = parent[keep]
        parts.append(
            pd.DataFrame(
                {  # text stays in pyarrow: no Python string per offer
                    "id": ids.take(pa.array(parent)).to_pandas(),
                    "product": values.filter(keep).to_pandas(),
                    "role": pd.Series(
                        pa.repeat(pa.scalar(role, pa.large_string()), len(parent)).to_pandas()
                    ),
                    "pos": (np.arange(len(keep)) - starts)[keep],
                    ROW: enterprises[ROW].to_numpy()[parent],
                    "_ent": parent,
                }
            )
        )
    offers = pd.concat(parts, ignore_index=True)
    return offers.drop(columns="_ent"), offers["_ent"].to_numpy()


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
    return pd.Series(out.to_pandas(), index=end.index).astype(str)


def load_links(
    raw: RawTable, decimal: str | None, report: LoadReport, ids: pd.Series
) -> tuple[pd.DataFrame, np.ndarray]:
    """Validate the links; return them and, per link, the rows of its source and
    target in the enterprises table (shape (2, links), -1 for an outside party)."""
    frame, read = _cells(raw, "links", decimal, report, numbers_later=("year",))
    if "year" in frame:
        years = _read.parse_numbers(frame["year"], decimal=".")
        bad = years.notna() & (years != np.floor(years))
        if not pd.api.types.is_numeric_dtype(frame["year"]):
            bad |= years.isna() & (texts(frame["year"]).str.strip() != "")
        flag(report, "warning", raw, frame, bad, "year", "bad_year", texts(frame["year"][bad]))
        frame["year"] = years.mask(bad).astype("Int64")
    else:
        frame["year"] = pd.array([pd.NA] * len(frame), dtype="Int64")

    rejected = np.zeros(len(frame), dtype=bool)
    ends = {"source": frame["source"], "target": frame["target"]}

    def locate(column: str) -> tuple[np.ndarray, np.ndarray]:
        ext = starts_with_ext(ends[column])
        return ext, np.where(ext, -1, index_in(ends[column], ids))

    found = dict(zip(ends, parallel_map(locate, list(ends)), strict=True))
    rows = {}
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
        flag(report, "error", raw, frame, unknown, column, "unknown_endpoint", end)
        rejected |= unknown
    src_ext, tgt_ext = frame["source_ext"].to_numpy(), frame["target_ext"].to_numpy()
    # Equal ends: the same enterprise row, or the same outside label.
    self_link = (rows["source"] == rows["target"]) & (rows["source"] >= 0)
    both = np.flatnonzero(src_ext & tgt_ext)
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
    ends = [rows["source"], rows["target"]]
    if rejected.any():
        frame = frame[~rejected]
        ends = [e[~rejected] for e in ends]

    for column in ("product", "volume", "value"):
        if column not in frame:
            frame[column] = "" if column == "product" else np.nan
    kept = merge_duplicate_links(frame, ends, len(ids), raw, report)
    if kept is not None:
        frame, ends = frame[kept], [e[kept] for e in ends]
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
    return frame[order + extras + [ROW]].reset_index(drop=True), np.vstack(ends)


def starts_with_ext(end: pd.Series) -> np.ndarray:
    """Whether each endpoint names an outside party (`EXT`, any case)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array(pa.array(end.astype(str)))
    hit = pc.starts_with(arr, "EXT", ignore_case=True)
    return hit.to_numpy().astype(bool) if len(arr) else np.zeros(0, dtype=bool)


def link_keys(frame: pd.DataFrame, ends: list[np.ndarray], n_enterprises: int) -> np.ndarray:
    """One integer per link for (source, target, product, year): equal keys are
    the same link. Outside parties number after the enterprises, by label.

    Packed in place into the source codes: no new five-million-row array per part."""
    n = n_enterprises
    key = endpoint_codes(frame["source"], ends[0], n)
    outside_t, numbers_t = outside_numbers(frame["target"], ends[1])
    product = factorize_text(frame["product"])[0]
    year = _year_codes(frame["year"])
    sizes = [n + _size(numbers_t), _size(product), _size(year)]
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
    key += product
    key *= sizes[2]
    key += year
    return key


def _year_codes(year: pd.Series) -> np.ndarray:
    """0 for no year, else the year's distance from the earliest + 1 (no hashing)."""
    missing = year.isna().to_numpy()
    values = year.fillna(0).to_numpy(dtype=np.int64)
    low = values[~missing].min() if not missing.all() else 0
    return np.where(missing, 0, values - (low - 1))  # a new array: the column stays


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


def add_unclassified(
    products: pd.DataFrame,
    offers: pd.DataFrame,
    links: pd.DataFrame,
    files: dict[str, str],
    report: LoadReport,
) -> pd.DataFrame:
    """Add product codes seen only in the data to the catalog, chain `unclassified`."""
    known = set(products["code"])
    distinct = distinct_text(offers["product"]) | distinct_text(links["product"])
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
