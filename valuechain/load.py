"""Load a dataset (folder of CSVs or .xlsx workbook) into validated DataFrames (SPEC §1).

`load(path)` never raises for a row-level mistake: every row ends loaded or
rejected in the `LoadReport`. It raises `LoadError` only when nothing can be
loaded (a missing file, table or required column).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import _read
from ._columns import (
    ALIASES,
    KNOWN,
    NON_NEGATIVE,
    NUMERIC,
    REQUIRED,
    TABLES,
    TYPE_ALIASES,
)
from ._fast import fast_isin
from ._read import ROW, RawTable
from ._text import fold, map_unique, nfc_series
from .catalog import UNCLASSIFIED, default_catalog_path
from .errors import LoadError
from .loadreport import LoadReport

__all__ = ["Dataset", "load", "bundled_sample", "vsic_type", "split_codes"]


@dataclass
class Dataset:
    """A loaded dataset.

    - `enterprises`: one row per enterprise; columns `id, name, type, vsic,
      district, lat, lon, outputs, inputs, capacity, output_value, employees,
      cluster, land_ha, sector`, then the file's own extra columns, then `_row`.
      `outputs` / `inputs` are the `;`-joined codes as cleaned.
    - `offers`: the long form of outputs and inputs: `id, product, role`
      (`output` / `input`), `pos` (0 = first listed).
    - `links`: one row per link after merging duplicates: `source, target,
      product, volume, value, year, source_ext, target_ext, local`, extras, `_row`.
    - `products`: the catalog (given or default) plus codes seen only in the
      data (chain `unclassified`, stage 1, `in_catalog` False); `made_from` is a list.
    - `clusters`: the clusters table or None.
    - `year`: the year the links were cut to (`None` = no years or pooled).
    """

    path: str
    enterprises: pd.DataFrame
    offers: pd.DataFrame
    links: pd.DataFrame
    products: pd.DataFrame
    clusters: pd.DataFrame | None
    report: LoadReport
    default_catalog: bool = True
    years: list[int] = field(default_factory=list)
    year: int | str | None = None
    all_links: pd.DataFrame | None = None  # every year's links, once cut to one year

    def for_year(self, year: int | str | None) -> Dataset:
        """Return the dataset cut to one year of links (SPEC §2).

        `None` picks the latest year present; `"all"` pools every year. A dataset
        whose links carry no year is returned unchanged with `year = None`.
        Raises `DataError` for a year not present.
        """
        from .errors import DataError

        pooled = self.pooled()
        if not self.years:
            return replace(pooled, year=None)
        if year is None:
            year = max(self.years)
        if isinstance(year, str) and year.strip().lower() == "all":
            return pooled
        try:
            y = int(year)
        except (TypeError, ValueError) as exc:
            raise DataError(key="bad_year_option", year=year, years=self.years) from exc
        if y not in self.years:
            raise DataError(key="bad_year_option", year=y, years=self.years)
        links = pooled.links
        return replace(
            pooled,
            links=links[links["year"] == y].reset_index(drop=True),
            year=y,
            all_links=links,
        )

    def pooled(self) -> Dataset:
        """The dataset with every year's links (`year = "all"` when links carry years)."""
        links = self.links if self.all_links is None else self.all_links
        return replace(self, links=links, all_links=None, year="all" if self.years else None)


def bundled_sample() -> Path:
    """Return the path of the bundled Bắc Kạn sample (wheel or source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_sample" / "bac_kan", here.parent / "data" / "bac_kan"):
        if (candidate / "enterprises.csv").is_file():
            return candidate
    raise LoadError(key="no_sample")


# --- reading tables ----------------------------------------------------------


def _numeric_headers(table: str) -> Callable[[list[str]], set[int]]:
    """Which header positions of `table` hold numbers (so a reader may type them)."""
    wanted = set(NUMERIC[table]) | ({"year"} if table == "links" else set())

    def pick(headers: list[str]) -> set[int]:
        return {i for i, h in enumerate(headers) if ALIASES[table].get(fold(h)) in wanted}

    return pick


def _read_tables(path: Path, decimal: str | None) -> dict[str, RawTable]:
    if not path.exists():
        raise LoadError(key="no_such_path", path=path)
    if path.is_dir():
        files = {p.name.casefold(): p for p in path.iterdir() if p.is_file()}
        return {
            table: _read.read_csv_table(
                files[fname], numeric=_numeric_headers(table), decimal=decimal
            )
            for table, fname in TABLES.items()
            if fname in files
        }
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = _read.read_sheet_tables(path)
        return {table: sheets[table] for table in TABLES if table in sheets}
    raise LoadError(key="not_dataset", path=path)


def _resolve_columns(raw: RawTable, table: str) -> pd.DataFrame:
    """Rename the raw cell columns to SPEC names (aliases folded); keep unknown ones.

    Raises `LoadError` naming the closest header when a required column is missing.
    """
    aliases = ALIASES[table]
    rename: dict[str, str] = {}
    taken: set[str] = set()
    for i, header in enumerate(raw.headers):
        canonical = aliases.get(fold(header))
        if canonical and canonical not in taken:
            rename[f"c{i}"] = canonical
            taken.add(canonical)
        else:
            name = header or f"column_{i + 1}"
            while name in taken or name in aliases.values():
                name += "_"
            rename[f"c{i}"] = name
            taken.add(name)
    for column in REQUIRED[table]:
        if column not in taken:
            close = difflib.get_close_matches(column, raw.headers, n=1, cutoff=0.5)
            raise LoadError(
                key="missing_column",
                file=raw.file,
                column=column,
                found=", ".join(raw.headers) or "–",
                match=close[0] if close else "",
            )
    return raw.frame.rename(columns=rename)


def _text_columns(frame: pd.DataFrame, *, skip: set[str]) -> pd.DataFrame:
    """NFC-normalise every text column except `skip` (numeric columns, `_row`)."""
    for column in frame.columns:
        if column in skip or column == ROW or column == "_overflow":
            continue
        frame[column] = nfc_series(_texts(frame[column]))
    return frame


def _cell_text(value: object) -> str:
    """Text of a cell; workbook integers lose their `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _numbers(
    frame: pd.DataFrame, raw: RawTable, table: str, decimal: str | None, report: LoadReport
) -> None:
    """Parse the numeric columns in place; drop unreadable, out-of-range, negative cells.

    The decimal mark is `decimal`, else decided once for the table from the cells
    of all its numeric columns that are still text (SPEC §1.1: per file).
    """
    columns = [c for c in NUMERIC[table] if c in frame.columns]
    if decimal is None:
        text = [frame[c] for c in columns if not pd.api.types.is_numeric_dtype(frame[c])]
        decimal = (
            _read.detect_decimal(pd.concat(text, ignore_index=True), delimiter=raw.delimiter)
            if text
            else "."
        )
    for column in columns:
        cells = frame[column]
        values = _read.parse_numbers(cells, decimal=decimal)
        if not pd.api.types.is_numeric_dtype(cells):
            text = _texts(cells).str.strip()
            bad = values.isna() & (text != "")
            _flag(report, "warning", raw, frame, bad, column, "bad_number", text)
        limit = {"lat": 90, "lon": 180}.get(column)
        if limit is not None:
            out = values.abs() > limit
            report.add(
                "warning",
                raw.file,
                frame.loc[out, ROW],
                column,
                "out_of_range",
                [{"value": _fmt(v), "limit": limit} for v in values[out]],
            )
            values = values.mask(out)
        if column in NON_NEGATIVE:
            neg = values < 0
            report.add(
                "warning",
                raw.file,
                frame.loc[neg, ROW],
                column,
                "negative",
                [{"value": _fmt(v)} for v in values[neg]],
            )
            values = values.mask(neg)
        frame[column] = values


def _flag(
    report: LoadReport,
    level: str,
    raw: RawTable,
    frame: pd.DataFrame,
    mask: pd.Series,
    column: str,
    code: str,
    value: pd.Series | None = None,
) -> None:
    """Report one problem per row of `frame` under `mask`; `value` gives each its
    `{value}` parameter."""
    params = None if value is None else [{"value": v} for v in value[mask]]
    report.add(level, raw.file, frame.loc[mask, ROW], column, code, params)


def _texts(cells: pd.Series) -> pd.Series:
    """The cells as text (workbook numbers included), for messages and emptiness."""
    if pd.api.types.is_string_dtype(cells) and cells.dtype != object:
        return cells
    return cells.map(_cell_text)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _overflow(frame: pd.DataFrame, raw: RawTable, report: LoadReport) -> pd.DataFrame:
    if "_overflow" in frame.columns:
        has = frame["_overflow"].notna()
        report.add(
            "warning",
            raw.file,
            frame.loc[has, ROW],
            "",
            "extra_cells",
            [{"value": ", ".join(str(c) for c in cells)} for cells in frame.loc[has, "_overflow"]],
        )
        frame = frame.drop(columns="_overflow")
    return frame


def _reject_duplicates(
    frame: pd.DataFrame, key: str, raw: RawTable, report: LoadReport, code: str, *, among: pd.Series
) -> pd.Series:
    """Return the mask of rows (of those in `among`) whose `key` repeats an earlier
    one of them, reporting each; the first occurrence stays."""
    cand = frame[among]
    dup = cand.duplicated(key, keep="first").reindex(frame.index, fill_value=False)
    if dup.any():
        first = cand.drop_duplicates(key).set_index(key)[ROW]
        report.add(
            "error",
            raw.file,
            frame.loc[dup, ROW],
            key,
            code,
            [{"id": k, "first": int(first[k])} for k in frame.loc[dup, key]],
        )
    return dup


def _count(report: LoadReport, table: str, read: int, loaded: int) -> None:
    report.counts[table] = {"read": read, "loaded": loaded, "rejected": read - loaded}


def split_codes(text: pd.Series) -> pd.Series:
    """Split `;`-separated code cells into lists of stripped, non-empty codes."""
    return clean_codes(text).map(lambda s: s.split(";") if s else [])


def clean_codes(text: pd.Series) -> pd.Series:
    """`" log ; ;veneer;"` → `"log;veneer"`: codes stripped, empty ones gone, vectorised
    in pyarrow's regex kernel."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.fillna("").astype(str), type=pa.string())
    arr = pc.replace_substring_regex(arr, pattern=r"\s*;[\s;]*", replacement=";")
    arr = pc.utf8_trim(pc.utf8_trim_whitespace(arr), characters=";")
    return pd.Series(arr.to_pandas(), index=text.index).astype(str)


# --- VSIC ---------------------------------------------------------------------

_DIGITS = re.compile(r"\D")


def vsic_type(codes: pd.Series) -> pd.Series:
    """Return the SPEC §1.2 type for each VSIC code, or None where the code is unusable.

    Divisions: 01–03 farm, 02 forestry, 05–09 mine, 10–33 processor, any other
    (34–99) service. Non-digits are ignored (`A0111` is 0111). A code of 1 or 3
    digits is taken to have lost its leading zero in a spreadsheet (`111` is class
    0111), the usual fate of agriculture codes typed into Excel.

    >>> vsic_type(pd.Series(["0111", "0210", "0722", "1610", "4620", "", "00"])).tolist()
    ['farm', 'forestry', 'mine', 'processor', 'service', None, None]
    """
    return map_unique(codes.fillna("").astype(str), _vsic_one)


def _vsic_one(code: str) -> str | None:
    digits = _DIGITS.sub("", code)
    if len(digits) in (1, 3):
        digits = "0" + digits
    if len(digits) < 2:
        return None
    division = int(digits[:2])
    for low, high, kind in _VSIC_DIVISIONS:
        if low <= division <= high:
            return kind
    return None


_VSIC_DIVISIONS = [
    (1, 1, "farm"),
    (2, 2, "forestry"),
    (3, 3, "farm"),
    (5, 9, "mine"),
    (10, 33, "processor"),
    (34, 99, "service"),
]


# --- tables -------------------------------------------------------------------


def _load_products(raw: RawTable | None, report: LoadReport) -> tuple[pd.DataFrame, bool]:
    default = raw is None
    if raw is None:
        raw = _read.read_csv_table(Path(default_catalog_path()))
        raw.file = "catalog (default)"
    frame = _overflow(_text_columns(_resolve_columns(raw, "products"), skip=set()), raw, report)
    read = len(frame)
    empty = frame["code"] == ""
    _flag(report, "error", raw, frame, empty, "code", "empty_code")
    dup = _reject_duplicates(frame, "code", raw, report, "duplicate_code", among=~empty)
    stage = pd.to_numeric(frame["stage"], errors="coerce")
    bad_stage = ~stage.isin([1, 2, 3]) & ~empty & ~dup
    _flag(report, "error", raw, frame, bad_stage, "stage", "bad_stage", frame["stage"])
    no_chain = (frame["chain"] == "") & ~empty & ~dup & ~bad_stage
    _flag(report, "error", raw, frame, no_chain, "chain", "empty_field")
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
        _count(report, "products", read, len(frame))
    return frame.reset_index(drop=True), default


def _load_clusters(
    raw: RawTable | None, decimal: str | None, report: LoadReport
) -> pd.DataFrame | None:
    if raw is None:
        return None
    frame = _resolve_columns(raw, "clusters")
    frame = _overflow(_text_columns(frame, skip=set(NUMERIC["clusters"])), raw, report)
    read = len(frame)
    _numbers(frame, raw, "clusters", decimal, report)
    empty = frame["id"] == ""
    _flag(report, "error", raw, frame, empty, "id", "empty_id")
    dup = _reject_duplicates(frame, "id", raw, report, "duplicate_id", among=~empty)
    frame = frame[~(empty | dup)].reset_index(drop=True)
    for column in ("district",):
        if column not in frame:
            frame[column] = ""
    for column in ("lat", "lon"):
        if column not in frame:
            frame[column] = np.nan
    _count(report, "clusters", read, len(frame))
    return frame


_ENTERPRISE_ORDER = KNOWN["enterprises"]


def _load_enterprises(
    raw: RawTable, decimal: str | None, report: LoadReport, clusters: pd.DataFrame | None
) -> pd.DataFrame:
    frame = _resolve_columns(raw, "enterprises")
    frame = _overflow(_text_columns(frame, skip=set(NUMERIC["enterprises"])), raw, report)
    read = len(frame)
    _numbers(frame, raw, "enterprises", decimal, report)

    empty = frame["id"] == ""
    _flag(report, "error", raw, frame, empty, "id", "empty_id")

    typed = map_unique(frame["type"], lambda s: TYPE_ALIASES.get(fold(s)))
    vsic = frame["vsic"] if "vsic" in frame else pd.Series("", index=frame.index)
    derived = vsic_type(vsic)
    unknown = typed.isna() & ~empty
    lost = unknown & derived.isna()
    _flag(report, "error", raw, frame, lost, "type", "unknown_type", frame["type"])
    # A duplicate is judged among the rows that would otherwise load, so the
    # row that stays is the first loadable one.
    dup = _reject_duplicates(frame, "id", raw, report, "duplicate_id", among=~(empty | lost))
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
    _flag(report, "warning", raw, frame, no_name, "name", "empty_name", frame["id"])
    frame["name"] = frame["name"].where(~no_name, frame["id"])
    ext = frame["id"].str.upper().str.startswith("EXT")
    _flag(report, "warning", raw, frame, ext, "id", "ext_id", frame["id"])
    if clusters is not None and "cluster" in frame:
        unknown_cluster = (frame["cluster"] != "") & ~frame["cluster"].isin(clusters["id"])
        _flag(
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
    _count(report, "enterprises", read, len(frame))
    return frame


def _offers(enterprises: pd.DataFrame) -> pd.DataFrame:
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


def _external_label(endpoint: pd.Series) -> pd.Series:
    """`ext : Hà Nội` → `EXT:Hà Nội`; `ext` → `EXT`."""
    rest = endpoint.str[3:].str.strip()
    label = rest.str.lstrip(":").str.strip()
    colon = rest.str.startswith(":")
    return ("EXT" + (":" + label).where(colon & (label != ""), rest.where(~colon, ""))).astype(str)


def _load_links(
    raw: RawTable, decimal: str | None, report: LoadReport, ids: pd.Series
) -> pd.DataFrame:
    frame = _resolve_columns(raw, "links")
    skip = set(NUMERIC["links"]) | {"year"}
    frame = _overflow(_text_columns(frame, skip=skip), raw, report)
    read = len(frame)
    _numbers(frame, raw, "links", decimal, report)
    if "year" in frame:
        years = _read.parse_numbers(frame["year"], decimal=".")
        bad = years.notna() & (years % 1 != 0)
        if not pd.api.types.is_numeric_dtype(frame["year"]):
            bad |= years.isna() & (_texts(frame["year"]).str.strip() != "")
        _flag(report, "warning", raw, frame, bad, "year", "bad_year", _texts(frame["year"][bad]))
        frame["year"] = years.mask(bad).astype("Int64")
    else:
        frame["year"] = pd.array([pd.NA] * len(frame), dtype="Int64")

    rejected = pd.Series(False, index=frame.index)
    for column in ("source", "target"):
        end = frame[column]
        ext = end.str.upper().str.startswith("EXT")
        frame[column + "_ext"] = ext
        if ext.any():  # where() keeps the pyarrow string dtype; .loc[] = would not
            frame[column] = end.where(~ext, _external_label(end[ext]).reindex(end.index))
        empty = (end == "") & ~rejected
        report.add("error", raw.file, frame.loc[empty, ROW], column, "empty_endpoint")
        rejected |= empty
        unknown = ~ext & ~fast_isin(end, ids) & ~rejected
        _flag(report, "error", raw, frame, unknown, column, "unknown_endpoint", end)
        rejected |= unknown
    self_link = (frame["source"] == frame["target"]) & ~rejected
    _flag(report, "error", raw, frame, self_link, "target", "self_link", frame["source"])
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
    frame = frame[~rejected].copy()

    for column in ("product", "volume", "value"):
        if column not in frame:
            frame[column] = "" if column == "product" else np.nan
    frame = _merge_duplicate_links(frame, raw, report)
    frame["local"] = ~frame["source_ext"] & ~frame["target_ext"]
    _count(report, "links", read, read - int(rejected.sum()))
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


def _merge_duplicate_links(frame: pd.DataFrame, raw: RawTable, report: LoadReport) -> pd.DataFrame:
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


def _unclassified(
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


def load(path: str | Path | None = None, *, decimal: str | None = None) -> Dataset:
    """Load a dataset folder or workbook; `None` loads the bundled Bắc Kạn sample.

    `decimal` ("," or ".") overrides the per-file decimal-mark detection.
    Returns a `Dataset` whose `report` lists every rejected row and dropped cell.
    Raises `LoadError` when a required table or column is missing.
    """
    path = Path(path) if path is not None else bundled_sample()
    tables = _read_tables(path, decimal)
    for table in ("enterprises", "links"):
        if table not in tables:
            found = ", ".join(sorted(tables)) or "–"
            where = TABLES[table] if path.is_dir() else f"sheet '{table}'"
            raise LoadError(
                key="missing_table", path=path, table=table, expected=where, found=found
            )
    report = LoadReport()
    products, default = _load_products(tables.get("products"), report)
    clusters = _load_clusters(tables.get("clusters"), decimal, report)
    enterprises = _load_enterprises(tables["enterprises"], decimal, report, clusters)
    links = _load_links(tables["links"], decimal, report, enterprises["id"])
    offers = _offers(enterprises)
    files = {name: raw.file for name, raw in tables.items()}
    products = _unclassified(products, offers, links, files, report)
    years = sorted(int(y) for y in links["year"].dropna().unique())
    no_year = int(links["year"].isna().sum())
    if years and no_year:
        report.add("warning", files["links"], [None], "year", "no_year_links", {"n": no_year})
    return Dataset(
        path=str(path),
        enterprises=enterprises,
        offers=offers,
        links=links,
        products=products,
        clusters=clusters,
        report=report,
        default_catalog=default,
        years=years,
    )
