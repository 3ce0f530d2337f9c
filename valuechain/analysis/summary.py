"""The dataset at a glance."""

from __future__ import annotations

from typing import Any

from valuechain.analysis.weights import resolve_weight
from valuechain.arrays import fast_map
from valuechain.loading.dataset import Dataset

__all__ = ["summarize"]


def summarize(ds: Dataset, *, weight: str = "auto") -> dict[str, Any]:
    """Return the summary: counts of enterprises, links (after merging
    duplicates), local and external links, rejected rows over all tables, the
    weight rule's result, and enterprises by type, district and chain (a chain
    counts the enterprises listing one of its products). Also `year`: the year
    the links were cut to, `"all"`, or None when links carry no year.
    """
    ent = ds.enterprises
    name, _w, _missing = resolve_weight(ds.links, weight)
    chain_of = ds.product_attribute("chain")
    by_chain = (
        ds.offers.assign(chain=fast_map(ds.offers["product"], chain_of))
        .drop_duplicates(["chain", "id"])
        .groupby("chain")
        .size()
    )
    district = ent["district"].where(ent["district"] != "", "")
    local = int(ds.links["local"].sum())
    return {
        "enterprises": len(ent),
        "links": len(ds.links),
        "local_links": local,
        "external_links": len(ds.links) - local,
        "rejected_rows": ds.report.rejected_rows,
        "weight": name,
        "year": ds.year,
        "by_type": {k: int(v) for k, v in ent["type"].value_counts().sort_index().items()},
        "by_district": {k: int(v) for k, v in district.value_counts().sort_index().items()},
        "by_chain": {k: int(v) for k, v in by_chain.sort_index().items()},
    }
