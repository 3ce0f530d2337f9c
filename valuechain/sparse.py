"""The little of sparse matrices the cascade needs, in numpy alone.

Importing scipy.sparse costs a command on a province's files a fifth of its
time (0.08 s of about 0.45 s); the map and the report run the critical
cascade on every enterprise, which only needs a matrix's entries by column.
`Entries` holds a matrix as (row, column, value) triplets; `by_column`
compresses them; `scipy` hands them to scipy.sparse where its algebra is
wanted (the screen's loss bounds, above 50,000 enterprises).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Entries", "Columns"]


@dataclass(frozen=True)
class Columns:
    """A matrix compressed by column (CSC): column i's rows are
    `indices[indptr[i] : indptr[i + 1]]`, in increasing order, with their values
    in `data` at the same places; `n_rows` rows."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_rows: int


@dataclass(frozen=True)
class Entries:
    """A sparse matrix of `shape` as its entries; repeated (row, column) entries add up.

    >>> m = Entries(np.array([1, 0, 1]), np.array([0, 1, 0]), np.array([2.0, 3.0, 4.0]), (2, 2))
    >>> c = m.by_column()
    >>> c.indptr.tolist(), c.indices.tolist(), c.data.tolist()
    ([0, 1, 2], [1, 0], [6.0, 3.0])
    """

    rows: np.ndarray
    cols: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]

    def by_column(self) -> Columns:
        n_rows, n_cols = self.shape
        key = self.cols.astype(np.int64) * n_rows + self.rows.astype(np.int64)
        order = np.argsort(key, kind="stable")
        key = key[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else order
        data = np.add.reduceat(self.data[order], first) if len(key) else np.zeros(0)
        cols, rows = np.divmod(key[first], n_rows)
        indptr = np.zeros(n_cols + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=n_cols), out=indptr[1:])
        return Columns(indptr, rows, data.astype(float), n_rows)

    def scipy(self) -> Any:
        """The same matrix as a scipy.sparse CSR array."""
        from scipy.sparse import csr_array

        return csr_array((self.data, (self.rows, self.cols)), shape=self.shape)

    @staticmethod
    def stacked(top: Entries, bottom: Entries) -> Entries:
        """`top` above `bottom` (the same number of columns)."""
        return Entries(
            np.concatenate([top.rows, bottom.rows + top.shape[0]]),
            np.concatenate([top.cols, bottom.cols]),
            np.concatenate([top.data, bottom.data]),
            (top.shape[0] + bottom.shape[0], top.shape[1]),
        )
