"""Rasmussen–Hirschman backward and forward linkage indices.

The maths are pure functions on arrays (`leontief_inverse`, `backward_linkage`,
`forward_linkage`); `linkage_indices` builds Z and x from a dataset.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuechain.analysis.coupling import enterprise_chain
from valuechain.arrays import fast_map
from valuechain.errors import DataError
from valuechain.loading.dataset import Dataset

__all__ = [
    "LINKAGE_COLUMNS",
    "BY",
    "leontief_inverse",
    "backward_linkage",
    "forward_linkage",
    "linkage_table",
    "sector_of",
    "linkage_indices",
]

LINKAGE_COLUMNS = ["sector", "x", "BL", "FL", "class"]
BY = ("type", "sector", "district", "chain")


def _check(matrix: np.ndarray) -> np.ndarray:
    """Return I − M, raising DataError when it is singular (numerically)."""
    n = matrix.shape[0]
    system = np.eye(n) - matrix
    if n and np.linalg.cond(system) > 1e12:
        raise DataError(key="singular")
    return system


def leontief_inverse(a: np.ndarray) -> np.ndarray:
    """Return L = (I − A)⁻¹, by solving (I − A) L = I.

    Raises DataError when I − A is singular.

    >>> a = np.array([[0.15, 0.25], [0.20, 0.05]])
    >>> np.round(leontief_inverse(a), 3).tolist()
    [[1.254, 0.33], [0.264, 1.122]]
    """
    system = _check(a)
    return np.linalg.solve(system, np.eye(a.shape[0]))


def backward_linkage(a: np.ndarray) -> np.ndarray:
    """BL[j] = n · Σᵢ L[i,j] / Σ L, from one solve: the column sums of L are y
    with (I − A)ᵀ y = 1."""
    n = a.shape[0]
    colsums = np.linalg.solve(_check(a).T, np.ones(n))
    return n * colsums / colsums.sum()


def forward_linkage(b: np.ndarray) -> np.ndarray:
    """FL[i] = n · Σⱼ G[i,j] / Σ G with G = (I − B)⁻¹, B the allocation
    coefficients; the row sums of G are z with (I − B) z = 1."""
    n = b.shape[0]
    rowsums = np.linalg.solve(_check(b), np.ones(n))
    return n * rowsums / rowsums.sum()


def linkage_table(z: pd.DataFrame, x: pd.Series) -> pd.DataFrame:
    """Indices from an inter-sector flow table Z (rows sell to columns) and outputs x.

    Sectors with x = 0 are left out. Returns `LINKAGE_COLUMNS` in the order of x.
    `class` is `key` (BL > 1 and FL > 1), `backward`, `forward` or `weak`.
    """
    keep = x[x > 0].index
    x = x.loc[keep].astype(float)
    zz = z.reindex(index=keep, columns=keep, fill_value=0).to_numpy(dtype=float)
    xv = x.to_numpy()
    a = zz / xv[np.newaxis, :]  # A = Z · diag(x)⁻¹
    b = zz / xv[:, np.newaxis]  # B = diag(x)⁻¹ · Z
    bl = backward_linkage(a)
    fl = forward_linkage(b)
    cls = np.select(
        [(bl > 1) & (fl > 1), bl > 1, fl > 1], ["key", "backward", "forward"], default="weak"
    )
    return pd.DataFrame({"sector": keep.astype(str), "x": xv, "BL": bl, "FL": fl, "class": cls})


def sector_of(ds: Dataset, by: str = "type") -> pd.Series:
    """Each enterprise's sector label for `--by`, indexed by enterprise id."""
    ent = ds.enterprises
    if by == "type":
        label = ent["type"]
    elif by == "sector":
        label = ent["sector"].where(ent["sector"] != "", ent["type"])
    elif by == "district":
        label = ent["district"].where(ent["district"] != "", "none")
    elif by == "chain":
        label = enterprise_chain(ds)
    else:
        raise ValueError(f"--by {by!r}: choose one of {', '.join(BY)}")
    return pd.Series(label.to_numpy(), index=ent["id"].to_numpy())


def linkage_indices(ds: Dataset, *, by: str = "type") -> pd.DataFrame:
    """Backward and forward linkage indices of the dataset's sectors.

    Z[i,j] = value of local links from sector i to j; x[j] = Σ `output_value`
    of j's enterprises when all have one, else the larger of the value leaving
    and entering them. Raises DataError when no link has a value, when no sector
    has output, or when I − A is singular. Returns `LINKAGE_COLUMNS`.
    """
    links = ds.links
    if not links["value"].notna().any():
        raise DataError(key="no_values")
    sector = sector_of(ds, by)
    value = links["value"].fillna(0.0)
    src = fast_map(links["source"], sector)
    dst = fast_map(links["target"], sector)
    local = links["local"]
    z = pd.DataFrame({"i": src[local], "j": dst[local], "v": value[local]}).pivot_table(
        index="i", columns="j", values="v", aggfunc="sum", fill_value=0.0
    )
    out_value = value.groupby(src).sum()
    in_value = value.groupby(dst).sum()
    ent = ds.enterprises.assign(sector=sector.to_numpy())
    sectors = sorted(ent["sector"].unique())
    declared = ent.groupby("sector")["output_value"]
    x = pd.Series(
        {
            s: (
                declared.sum()[s]
                if declared.count()[s] == declared.size()[s]
                else max(out_value.get(s, 0.0), in_value.get(s, 0.0))
            )
            for s in sectors
        },
        dtype=float,
    )
    if not (x > 0).any():
        raise DataError(key="no_output")
    return linkage_table(z, x)
