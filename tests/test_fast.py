"""The pyarrow-kernel helpers of `_fast`, against pandas' own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuechain.arrays import factorize_text


@pytest.mark.parametrize("seed", range(5))
def test_factorize_text_gives_each_value_back(seed):
    # Two parts concatenated (the column then has two pyarrow chunks), with
    # missing cells: every code names its cell's value, -1 a missing one, as
    # pd.factorize codes them; the distinct values are those pandas finds.
    rng = np.random.default_rng(seed)
    parts = [
        pd.Series(rng.choice(["a", "b", "", "ç", None], int(rng.integers(0, 50))), dtype="str")
        for _ in range(2)
    ]
    values = pd.concat(parts, ignore_index=True)
    codes, uniques = factorize_text(values)
    got = [None if c < 0 else uniques[c] for c in codes]
    assert got == [None if pd.isna(v) else v for v in values]
    assert sorted(uniques) == sorted(values.dropna().unique())


def test_the_direct_nearest_search_finds_the_trees_neighbours(monkeypatch):
    # A small search computes every distance (no scipy.spatial import); a large
    # one asks a k-d tree. On random points with no ties both give the same
    # three nearest, nearest first, at the same distances.
    from valuechain.analysis import geo

    rng = np.random.default_rng(5)
    points, queries = rng.normal(size=(400, 3)), rng.normal(size=(250, 3))
    direct = geo.NearPoints(points).query(queries, k=3)
    monkeypatch.setattr(geo, "DIRECT_PAIRS", 0)
    tree = geo.NearPoints(points).query(queries, k=3)
    assert (direct[1] == tree[1]).all()
    np.testing.assert_allclose(direct[0], tree[0], rtol=0, atol=1e-12)
    # and the nearest really is nearest: against a plain loop for a few queries
    for q in range(5):
        d = [float(np.linalg.norm(queries[q] - p)) for p in points]
        assert direct[1][q, 0] == int(np.argmin(d))


def test_the_k_smallest_are_those_a_full_stable_sort_gives():
    # The direct search keeps each row's k smallest without sorting the rows:
    # the same columns, in the same order, ties by column, as a stable argsort.
    from valuechain.analysis.geo import _smallest

    rng = np.random.default_rng(7)
    for values in (rng.random((300, 200)), np.round(rng.random((300, 200)) * 5)):
        for k in (1, 2, 7, 200):
            expected = np.argsort(values, axis=1, kind="stable")[:, :k]
            assert (_smallest(values.copy(), k) == expected).all()
    # a missing distance sorts last, as in the full sort
    assert _smallest(np.array([[np.nan, 2.0, 1.0]]), 2).tolist() == [[2, 1]]
    # by hand: row [3, 1, 1, 0] -> 0 at column 3, then the two 1s by column: 1, 2
    assert _smallest(np.array([[3.0, 1.0, 1.0, 0.0]]), 2).tolist() == [[3, 1]]
    assert _smallest(np.array([[3.0, 1.0, 1.0, 0.0]]), 3).tolist() == [[3, 1, 2]]


@pytest.mark.parametrize("seed", range(3))
def test_components_by_merging_labels_equal_scipys(seed):
    # Few edges are merged in a plain loop (no scipy.sparse.csgraph import);
    # many go to scipy's search. Both label a node with its component's
    # smallest node, on random graphs with isolated nodes and self-loops.
    from valuechain.analysis import coupling

    rng = np.random.default_rng(seed)
    for _ in range(60):
        n, m = int(rng.integers(1, 60)), int(rng.integers(0, 80))
        a, b = rng.integers(0, n, m), rng.integers(0, n, m)
        few = coupling.component_labels(n, a, b)
        many = (
            coupling.component_labels(
                n,
                np.tile(a, coupling.FEW_EDGES // max(m, 1) + 1),
                np.tile(b, coupling.FEW_EDGES // max(m, 1) + 1),
            )
            if m
            else few
        )
        assert few.tolist() == many.tolist()


@pytest.mark.parametrize("seed", range(4))
def test_entries_by_column_equal_scipys_compressed_columns(seed):
    # The cascade compresses its matrices by column in numpy (no scipy.sparse
    # import). On random entries with repeated (row, column) pairs, which add
    # up, and empty columns: the same pointers, rows and sums as scipy's CSC.
    from scipy.sparse import csr_array

    from valuechain.sparse import Entries

    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 30)), int(rng.integers(1, 30)))
    k = int(rng.integers(0, 120))
    rows, cols = rng.integers(0, shape[0], k), rng.integers(0, shape[1], k)
    data = rng.random(k)
    got = Entries(rows, cols, data, shape).by_column()
    want = csr_array((data, (rows, cols)), shape=shape).tocsc()
    want.sort_indices()
    assert got.indptr.tolist() == want.indptr.tolist()
    assert got.indices.tolist() == want.indices.tolist()
    assert np.allclose(got.data, want.data, rtol=1e-12, atol=0)
    assert got.n_rows == shape[0]
