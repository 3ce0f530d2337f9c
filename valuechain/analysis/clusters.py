"""Industrial cluster occupancy against a target: the dataset's plan's (its
`about` table's `cluster_target`), else 60 % (the Bắc Kạn resolution's "over 60%")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.loading.dataset import Dataset

__all__ = ["CLUSTER_COLUMNS", "TARGET", "cluster_occupancy", "occupancy_target"]

CLUSTER_COLUMNS = [
    "cluster",
    "name",
    "district",
    "enterprises",
    "area_ha",
    "land_used_ha",
    "occupancy",
    "meets_target",
]
TARGET = 0.6


def occupancy_target(ds: Dataset) -> float:
    """The occupancy the dataset's plan sets (`about`: cluster_target), else `TARGET`."""
    return ds.cluster_target or TARGET


def cluster_occupancy(ds: Dataset, *, target: float | None = None) -> pd.DataFrame:
    """One row per cluster of the `clusters` table (empty when there is none).

    `enterprises` counts those whose `cluster` is its id; `land_used_ha` = Σ their
    `land_ha` (missing counted as 0); `occupancy` = land_used_ha / `area_ha`, null
    when the area is unknown or 0; `meets_target` = occupancy ≥ `target`, null
    when occupancy is; `target` None = `occupancy_target(ds)`. Returns
    `CLUSTER_COLUMNS` in the table's order.
    """
    target = occupancy_target(ds) if target is None else target
    if ds.clusters is None:
        return pd.DataFrame(columns=CLUSTER_COLUMNS)
    cl = ds.clusters
    members = ds.enterprises[ds.enterprises["cluster"] != ""]
    count = members.groupby("cluster").size()
    land = members.groupby("cluster")["land_ha"].sum(min_count=1)
    out = pd.DataFrame(
        {
            "cluster": cl["id"].to_numpy(),
            "name": cl["name"].to_numpy(),
            "district": cl["district"].to_numpy(),
        }
    )
    out["enterprises"] = out["cluster"].map(count).fillna(0).astype(int)
    out["area_ha"] = cl["area_ha"].to_numpy(dtype=float)
    out["land_used_ha"] = out["cluster"].map(land).fillna(0.0).astype(float)
    area = out["area_ha"].where(out["area_ha"] > 0)
    out["occupancy"] = out["land_used_ha"] / area
    meets = out["occupancy"] >= target
    out["meets_target"] = np.where(out["occupancy"].notna(), meets, None)
    out["meets_target"] = out["meets_target"].astype(object)
    return out[CLUSTER_COLUMNS]
