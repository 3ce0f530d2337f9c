"""Who could buy what a seller sells, at any scale: counts and nearest buyers.

The naive way — join every seller's outputs to every buyer's inputs — makes
sellers × buyers pairs per product: billions at a million enterprises. Here
the consumers of each product are one column of a sparse enterprises × products
matrix; counts come from its columns, and the nearest buyer from a k-d tree of
the consumers' positions (on the unit sphere, where chord order is great-circle
order), queried by the sellers. Sellers with the same set of outputs share one
tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

from ._fast import factorize_text
from .geo import EARTH_RADIUS_KM
from .load import Dataset

__all__ = ["BuyerIndex"]


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def chord_to_km(chord: np.ndarray) -> np.ndarray:
    """Great-circle km from the straight-line distance between unit vectors."""
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0.0, 1.0))


@dataclass
class BuyerIndex:
    """Consumers of each product for a dataset, with positions.

    Rows are enterprises in `ds.enterprises` order; products are integer codes
    into `products`.
    """

    ids: np.ndarray
    products: pd.Index
    consumers: sparse.csc_matrix  # enterprises × products, 1 where inputs list it
    xyz: np.ndarray  # unit vectors; NaN rows for enterprises without a position
    located: np.ndarray  # bool per enterprise
    offer_rows: np.ndarray  # enterprise row of each of the dataset's offers
    offer_codes: np.ndarray  # product code of each offer
    offer_output: np.ndarray  # bool: the offer is an output
    _trees: dict = field(default_factory=dict)

    @classmethod
    def build(cls, ds: Dataset) -> BuyerIndex:
        ent = ds.enterprises
        ids = ent["id"].to_numpy()
        rows = ds.offer_rows()
        codes, products = factorize_text(ds.offers["product"])
        output = (ds.offers["role"] == "output").to_numpy()
        matrix = sparse.csc_matrix(
            (np.ones((~output).sum(), dtype=np.int8), (rows[~output], codes[~output])),
            shape=(len(ids), len(products)),
        )
        matrix.data[:] = 1  # an enterprise listing a code twice is one consumer
        lat = ent["lat"].to_numpy(dtype=float)
        lon = ent["lon"].to_numpy(dtype=float)
        located = ~(np.isnan(lat) | np.isnan(lon))
        return cls(ids, products, matrix, _unit(lat, lon), located, rows, codes, output)

    def seller_outputs(self, ds: Dataset, sellers: np.ndarray) -> pd.DataFrame:
        """(row, product code) of every output of the sellers (row numbers), once each."""
        chosen = np.zeros(len(self.ids), dtype=bool)
        chosen[sellers] = True
        keep = self.offer_output & chosen[self.offer_rows]
        return pd.DataFrame(
            {"row": self.offer_rows[keep], "p": self.offer_codes[keep]}
        ).drop_duplicates()

    def consumer_rows(self, codes: tuple[int, ...]) -> np.ndarray:
        """Rows of the enterprises whose inputs list any of the product codes."""
        if len(codes) == 1:
            c = codes[0]
            return self.consumers.indices[self.consumers.indptr[c] : self.consumers.indptr[c + 1]]
        return np.unique(np.concatenate([self.consumer_rows((c,)) for c in codes]))

    def tree(self, codes: tuple[int, ...]) -> tuple[cKDTree | None, np.ndarray]:
        """A k-d tree of the located consumers of `codes`, and their rows."""
        if codes not in self._trees:
            rows = self.consumer_rows(codes)
            rows = rows[self.located[rows]]
            self._trees[codes] = (cKDTree(self.xyz[rows]) if len(rows) else None, rows)
        return self._trees[codes]

    @staticmethod
    def _signatures(outs: pd.DataFrame):
        """Yield (product codes, seller rows) for each distinct set of outputs: one
        vectorised group per product for single-output sellers (nearly all)."""
        n_out = outs.groupby("row")["p"].transform("size").to_numpy()
        single = outs[n_out == 1]
        for p, rows in single.groupby("p")["row"]:
            yield (int(p),), rows.to_numpy()
        multi = outs[n_out > 1].sort_values(["row", "p"])
        if len(multi):
            sig = multi.groupby("row")["p"].agg(lambda s: tuple(int(x) for x in s))
            for codes, group in sig.groupby(sig):
                yield codes, group.index.to_numpy()

    def summarise(self, ds: Dataset, sellers: np.ndarray) -> pd.DataFrame:
        """For each seller row: `candidates` (other enterprises consuming one of its
        outputs), `nearest` (row of the closest located one, -1 if none) and `km`.

        Ties in distance are broken by the tree, not by id.
        """
        outs = self.seller_outputs(ds, sellers)
        result = pd.DataFrame(
            {"candidates": 0, "nearest": -1, "km": np.nan}, index=pd.Index(sellers, name="row")
        )
        # A seller that also buys one of its outputs is not its own candidate.
        ins = ~self.offer_output
        in_pairs = pd.DataFrame({"row": self.offer_rows[ins], "p": self.offer_codes[ins]})
        self_buyer = in_pairs.merge(outs, on=["row", "p"])["row"].unique()
        for codes, rows in self._signatures(outs):
            n_cons = len(self.consumer_rows(codes))
            result.loc[rows, "candidates"] = n_cons - np.isin(rows, self_buyer).astype(int)
            tree, cons = self.tree(codes)
            located = rows[self.located[rows]]
            if tree is None or not len(located):
                continue
            k = min(2, len(cons))
            dist, idx = tree.query(self.xyz[located], k=k)
            dist, idx = dist.reshape(len(located), k), idx.reshape(len(located), k)
            first_is_self = cons[idx[:, 0]] == located
            pick = np.where(first_is_self, 1, 0) if k == 2 else np.zeros(len(located), int)
            valid = ~(first_is_self & (k == 1))
            chosen = idx[np.arange(len(located)), pick]
            near = np.where(valid, cons[chosen], -1)
            km = np.where(valid, chord_to_km(dist[np.arange(len(located)), pick]), np.nan)
            result.loc[located, "nearest"] = near
            result.loc[located, "km"] = km
        return result
