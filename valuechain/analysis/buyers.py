"""Who could buy what a seller sells, at any scale: counts and nearest buyers.

The naive way — join every seller's outputs to every buyer's inputs — makes
sellers × buyers pairs per product: billions at a million enterprises. Here
the consumers of each product are one column of a sparse enterprises × products
matrix (compressed by column: `consumer_ptr`, `consumer_list`); counts come from
its columns, and the nearest buyer from the consumers' positions on the unit
sphere (where chord order is great-circle order), searched directly for a
small set and in scipy's k-d tree for a large one (`geo.NearPoints`), queried
by the sellers. Sellers with the same set of outputs share one search.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from valuechain.analysis.geo import EARTH_RADIUS_KM, NearPoints
from valuechain.arrays import factorize_text, unique_ints
from valuechain.loading.dataset import Dataset

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

    id_column: pd.Series  # the enterprises' ids; `ids` as an array, made on first use
    products: pd.Index
    consumer_ptr: np.ndarray  # consumers of product p: consumer_list[ptr[p] : ptr[p + 1]]
    consumer_list: np.ndarray  # enterprise rows, ascending within each product
    xyz: np.ndarray  # unit vectors; NaN rows for enterprises without a position
    located: np.ndarray  # bool per enterprise
    offer_rows: np.ndarray  # enterprise row of each of the dataset's offers
    offer_codes: np.ndarray  # product code of each offer
    offer_output: np.ndarray  # bool: the offer is an output
    _trees: dict[tuple[int, ...], tuple[NearPoints | None, np.ndarray]] = field(
        default_factory=dict
    )

    @functools.cached_property
    def ids(self) -> np.ndarray:
        """The enterprises' ids, by row."""
        return self.id_column.to_numpy()

    @classmethod
    def build(cls, ds: Dataset) -> BuyerIndex:
        ent = ds.enterprises
        ids = ent["id"]
        rows = ds.offer_rows()
        codes, products = factorize_text(ds.offers["product"])
        output = (ds.offers["role"] == "output").to_numpy()
        # (product, row) of every input, once each (listing a code twice is one
        # consumer), sorted by product then row: a compressed column matrix.
        keys = unique_ints(codes[~output].astype(np.int64) * max(len(ids), 1) + rows[~output])
        column = keys // max(len(ids), 1)
        ptr = np.searchsorted(column, np.arange(len(products) + 1))
        consumers = (keys % max(len(ids), 1)).astype(np.int64)
        lat = ent["lat"].to_numpy(dtype=float)
        lon = ent["lon"].to_numpy(dtype=float)
        located = ~(np.isnan(lat) | np.isnan(lon))
        return cls(ids, products, ptr, consumers, _unit(lat, lon), located, rows, codes, output)

    def seller_outputs(self, ds: Dataset, sellers: np.ndarray) -> pd.DataFrame:
        """(row, product code) of every output of the sellers (row numbers), once each."""
        chosen = np.zeros(len(self.id_column), dtype=bool)
        chosen[sellers] = True
        keep = self.offer_output & chosen[self.offer_rows]
        return pd.DataFrame(
            {"row": self.offer_rows[keep], "p": self.offer_codes[keep]}
        ).drop_duplicates()

    def consumer_rows(self, codes: tuple[int, ...]) -> np.ndarray:
        """Rows of the enterprises whose inputs list any of the product codes."""
        if len(codes) == 1:
            c = codes[0]
            return self.consumer_list[self.consumer_ptr[c] : self.consumer_ptr[c + 1]]
        return unique_ints(np.concatenate([self.consumer_rows((c,)) for c in codes]))

    def tree(self, codes: tuple[int, ...]) -> tuple[NearPoints | None, np.ndarray]:
        """(the located consumers of `codes` as `NearPoints`, their rows), made
        once; None when there is no located consumer."""
        if codes not in self._trees:
            rows = self.consumer_rows(codes)
            rows = rows[self.located[rows]]
            self._trees[codes] = (NearPoints(self.xyz[rows]) if len(rows) else None, rows)
        return self._trees[codes]

    @staticmethod
    def _signatures(outs: pd.DataFrame) -> Iterator[tuple[tuple[int, ...], np.ndarray]]:
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
            first_is_self = cons[idx[:, 0]] == located
            pick = np.where(first_is_self, 1, 0) if k == 2 else np.zeros(len(located), int)
            valid = ~(first_is_self & (k == 1))
            chosen = idx[np.arange(len(located)), pick]
            near = np.where(valid, cons[chosen], -1)
            km = np.where(valid, chord_to_km(dist[np.arange(len(located)), pick]), np.nan)
            result.loc[located, "nearest"] = near
            result.loc[located, "km"] = km
        return result
