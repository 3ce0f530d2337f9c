"""One loader per input table: each validates its rows, reports every
rejected row and dropped cell, and returns the rows it keeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from valuechain.arrays import (
    distinct_text,
)
from valuechain.loading import files
from valuechain.loading.catalog import UNCLASSIFIED, default_catalog_path
from valuechain.loading.columns import (
    ABOUT_KEYS,
    KNOWN,
    NUMERIC,
    TYPES,
    accepted_type_words,
    type_of_word,
)
from valuechain.loading.files import ROW, RawTable
from valuechain.loading.links import read_years
from valuechain.loading.report import LoadReport
from valuechain.loading.spellings import merge_spellings
from valuechain.loading.values import (
    clean_codes,
    count_rows,
    flag,
    prepare_table,
    reject_duplicates,
    split_codes,
    start_table,
    starts_with_ext,
    vsic_type,
)
from valuechain.text import fold, map_unique

# --- tables -------------------------------------------------------------------


def load_products(raw: RawTable | None, report: LoadReport) -> tuple[pd.DataFrame, bool]:
    default = raw is None
    if raw is None:
        raw = files.read_csv_table(Path(default_catalog_path()))
        raw.file = "catalog (default)"
    frame = start_table(raw, "products", report, skip=set())
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
    if not default:  # chain words a planner typed: one spelling per chain
        frame["chain"] = one_spelling(frame["chain"], raw.file, "chain", report)
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


# Extra columns that name a place below the district: their spellings are merged too.
PLACE_WORDS = {"xa", "xa_phuong", "phuong_xa", "xa_phuong_thi_tran", "commune", "ward", "thon",
               "thon_ban", "ban", "village"}  # fmt: skip


def one_spelling(values: pd.Series, file: str, column: str, report: LoadReport) -> pd.Series:
    """`values` with each name in its most used spelling; one report line says
    which spellings were merged."""
    merged_values, merged = merge_spellings(values)
    if merged:
        listed = "; ".join(f"{shown} ← {', '.join(others)}" for shown, others in merged.items())
        report.add("info", file, [None], column, "spellings_merged", {"merged": listed})
    return merged_values


def load_clusters(
    raw: RawTable | None, decimal: str | None, report: LoadReport
) -> pd.DataFrame | None:
    if raw is None:
        return None
    frame, read = prepare_table(raw, "clusters", decimal, report)
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


def load_chains(raw: RawTable | None, report: LoadReport) -> pd.DataFrame | None:
    """The user's chains table (`code`, `name`, optional `name_en`), or None."""
    if raw is None:
        return None
    frame = start_table(raw, "chains", report, skip=set())
    read = len(frame)
    empty = frame["code"] == ""
    flag(report, "error", raw, frame, empty, "code", "empty_field")
    dup = reject_duplicates(frame, "code", raw, report, "duplicate_id", among=~empty)
    frame = frame[~(empty | dup)].copy()
    if "name_en" not in frame:
        frame["name_en"] = ""
    count_rows(report, "chains", read, len(frame))
    return frame[["code", "name", "name_en"]].reset_index(drop=True)


def load_about(raw: RawTable | None, report: LoadReport) -> dict[str, str]:
    """The `about` table as {key: value}: keys in English or Vietnamese words
    (`region` / `tỉnh`, `plan` / `nghị quyết`…); an unknown key is kept as
    written, with a note; `cluster_target` must be a share (0.6, 60 %)."""
    from valuechain.text import fold

    if raw is None:
        return {}
    frame = start_table(raw, "about", report, skip=set())
    read = len(frame)
    words = {fold(k): k for k in ABOUT_KEYS}
    words.update({w: k for k, aliases in ABOUT_KEYS.items() for w in aliases})
    # A key left without a value (the template's, not filled in) says nothing.
    frame = frame[frame["value"].astype(str).str.strip() != ""].copy()
    folded = frame["key"].map(fold)
    frame["key"] = [words.get(f, k) for f, k in zip(folded, frame["key"], strict=True)]
    empty = frame["key"] == ""
    flag(report, "error", raw, frame, empty, "key", "empty_field")
    dup = reject_duplicates(frame, "key", raw, report, "duplicate_id", among=~empty)
    unknown = ~frame["key"].isin(ABOUT_KEYS) & ~empty & ~dup
    flag(report, "warning", raw, frame, unknown, "key", "about_unknown_key", frame["key"])
    target = frame["key"] == "cluster_target"
    share = frame["value"].where(target).map(parse_share)
    bad = target & share.isna() & ~dup
    flag(report, "error", raw, frame, bad, "value", "about_bad_share", frame["value"])
    keep = ~(empty | dup | bad)
    count_rows(report, "about", read, int(keep.sum()))
    return dict(zip(frame.loc[keep, "key"], frame.loc[keep, "value"], strict=True))


def parse_share(text: object) -> float | None:
    """A share written as 0.6, 0,6, 60 % or 60: a number in (0, 1], else None."""
    if not isinstance(text, str):
        return None
    bare = text.replace("%", "").replace(",", ".").strip()
    try:
        value = float(bare)
    except ValueError:
        return None
    if "%" in text or value > 1:
        value /= 100
    return value if 0 < value <= 1 else None


_ENTERPRISE_ORDER = KNOWN["enterprises"]


def t_type(ty: str) -> str:
    from valuechain.i18n import t

    return t("val_" + ty, "vi")


def _type_from_peers(
    frame: pd.DataFrame, typed: pd.Series, peers: pd.Series, undecided: pd.Series
) -> pd.Series:
    """For the `undecided` rows, the most frequent type among `peers` (of known
    type) that list the same first output; rows no peer decides are left out."""
    rows = frame.index[undecided.to_numpy()]
    if not len(rows) or "outputs" not in frame:
        return pd.Series(dtype=object)
    first = frame["outputs"].str.split(";").str[0].str.strip()
    known = peers.to_numpy() & typed.notna().to_numpy() & (first != "").to_numpy()
    if not known.any():
        return pd.Series(dtype=object)
    counts = (
        pd.DataFrame({"first": first[known].to_numpy(), "type": typed[known].to_numpy()})
        .groupby(["first", "type"])
        .size()
        .reset_index(name="n")
    )
    best = counts.sort_values(["n", "type"], ascending=[False, True]).drop_duplicates("first")
    found = first[rows].map(best.set_index("first")["type"]).dropna()
    return found.astype(object)


def _repeats(ids: pd.Series, among: pd.Series) -> pd.Series:
    """Rows of `among` whose id repeats an earlier one of them (no report)."""
    return ids[among].duplicated(keep="first").reindex(ids.index, fill_value=False)


def _note_peer_types(
    report: LoadReport, raw: files.RawTable, frame: pd.DataFrame, by_peers: pd.Series
) -> None:
    if not len(by_peers):
        return
    first = frame.loc[by_peers.index, "outputs"].str.split(";").str[0].str.strip()
    report.add(
        "warning",
        raw.file,
        frame.loc[by_peers.index, ROW],
        "type",
        "type_from_peers",
        [
            {"value": v, "type": ty, "output": o}
            for v, ty, o in zip(frame.loc[by_peers.index, "type"], by_peers, first, strict=True)
        ],
    )


def load_enterprises(
    raw: RawTable,
    decimal: str | None,
    report: LoadReport,
    clusters: pd.DataFrame | None,
    rejected: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Validate the enterprises; return the rows kept. `rejected`, when given,
    receives the id and row of each enterprise rejected (not its duplicates),
    so that a link to one can say why it is rejected too."""
    frame, read = prepare_table(raw, "enterprises", decimal, report)
    if "since" in frame:  # the first survey year an enterprise was present
        read_years(frame, "since", raw, report)

    empty = frame["id"] == ""
    flag(report, "error", raw, frame, empty, "id", "empty_id")

    # Types named once per distinct cell, and a VSIC code read only where the
    # type is not known: no Python string per enterprise.
    typed = map_unique(frame["type"], type_of_word, dtype="str")
    unknown = typed.isna().to_numpy() & ~empty.to_numpy()
    vsic = frame["vsic"] if "vsic" in frame else pd.Series("", index=frame.index)
    from_vsic = vsic_type(vsic[unknown]).dropna()  # indexed by the rows of unknown type
    own = typed.copy()  # the type each row states, by its word or its VSIC code
    own[from_vsic.index] = from_vsic.to_numpy()
    # Neither the word nor the VSIC code decides: peers selling the same first
    # output do (the most frequent type among them). A peer is a row that loads
    # with a type of its own, so a rejected row (empty id, an id repeated among
    # the rows that load) decides nothing; which rows repeat depends in turn on
    # which types were decided, hence the few rounds to a fixed point.
    peers = ~empty
    for _ in range(4):
        lost = own.isna() & ~empty
        by_peers = _type_from_peers(frame, own, peers, lost)
        lost[by_peers.index] = False
        settled = ~empty & own.notna() & ~_repeats(frame["id"], ~(empty | lost))
        if settled.equals(peers & own.notna()):
            break
        peers = settled
    _note_peer_types(report, raw, frame, by_peers)
    derived = pd.concat([from_vsic, by_peers])
    accepted = ", ".join(f"{ty} ({t_type(ty)})" for ty in TYPES)
    accepted_vi = accepted_type_words("vi")
    flag(
        report,
        "error",
        raw,
        frame,
        lost,
        "type",
        "unknown_type",
        pd.DataFrame({"value": frame["type"], "accepted": accepted, "accepted_vi": accepted_vi}),
    )
    # A duplicate is judged among the rows that would otherwise load, so the
    # row that stays is the first loadable one.
    dup = reject_duplicates(frame, "id", raw, report, "duplicate_id", among=~(empty | lost))
    noted = from_vsic.index[(frame.loc[from_vsic.index, "type"] != "") & ~dup[from_vsic.index]]
    report.add(
        "warning",
        raw.file,
        frame.loc[noted, ROW],
        "type",
        "type_from_vsic",
        [
            {"value": v, "type": d, "vsic": c}
            for v, d, c in zip(frame.loc[noted, "type"], from_vsic[noted], vsic[noted], strict=True)
        ],
    )
    if len(derived):
        typed[derived.index] = derived.to_numpy()
    frame["type"] = typed

    keep = ~(empty | dup | lost)
    if rejected is not None and lost.any():
        gone = frame.loc[lost & ~empty, ["id", ROW]]
        rejected.update(zip(gone["id"], gone[ROW].astype(int), strict=True))
    frame = frame if keep.all() else frame[keep].copy()
    no_name = frame["name"] == ""
    flag(report, "warning", raw, frame, no_name, "name", "empty_name", frame["id"])
    frame["name"] = frame["name"].where(~no_name, frame["id"])
    ext = starts_with_ext(frame["id"])
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
    for column in ["district", "sector", *[c for c in frame.columns if fold(c) in PLACE_WORDS]]:
        frame[column] = one_spelling(frame[column], raw.file, column, report)
    codes = [clean_codes(frame["outputs"]), clean_codes(frame["inputs"])]
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
