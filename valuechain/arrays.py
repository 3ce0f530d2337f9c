"""Vectorised primitives where pandas' own are slow at a million rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "relabelled",
    "fast_isin",
    "fast_map",
    "index_in",
    "endpoint_codes",
    "outside_numbers",
    "factorize_text",
    "text_code_chunks",
    "distinct_text",
    "unique_ints",
    "int_lookup",
    "isin_ints",
    "spans",
    "has_repeats",
]


def relabelled(values, index: pd.Index) -> pd.Series:
    """`values` (a pyarrow array, a Series or an array) as a Series in their own
    order, labelled `index`.

    `pd.Series(a_series, index=index)` *aligns* on labels: once a row has been
    dropped from a frame, its labels are no longer 0..n-1, and the values of a
    freshly built Series (labelled 0..n-1) would move to other rows. This never
    looks at labels; lengths must agree.

    >>> relabelled(pd.Series(["a", "b"]), pd.Index([0, 2])).to_dict()
    {0: 'a', 2: 'b'}
    """
    if hasattr(values, "to_pandas") and not isinstance(values, pd.Series):
        values = values.to_pandas()
    if not isinstance(values, pd.Series):
        values = pd.Series(values)
    if len(values) != len(index):
        raise ValueError(f"{len(values)} values for {len(index)} labels")
    return values.set_axis(index)


def fast_isin(values: pd.Series, members: pd.Series | list | set) -> np.ndarray:
    """`values.isin(members)` as a bool array, through pyarrow's hash kernel for text.

    pandas' own `isin` on pyarrow-backed strings turns every member into a Python
    object first (seconds for a million ids); this stays in C++.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(members, pd.Series):
        members = pd.Series(list(members), dtype=object)
    if not (pd.api.types.is_string_dtype(values) and pd.api.types.is_string_dtype(members)):
        return values.isin(members).to_numpy()
    if len(members) == 0:
        return np.zeros(len(values), dtype=bool)
    left = pa.array(values.astype(str), type=pa.string())
    right = pa.array(members.astype(str), type=pa.string())
    return pc.is_in(left, value_set=right).to_numpy(zero_copy_only=False).astype(bool)


def fast_map(keys: pd.Series, table: pd.Series) -> pd.Series:
    """`keys.map(table)` (table indexed by unique keys), through pyarrow's hash
    kernel for text keys; keys not in the table give NaN / None."""
    if not (pd.api.types.is_string_dtype(keys) and pd.api.types.is_string_dtype(table.index)):
        return keys.map(table)
    values = table.to_numpy()
    if len(values) == 0:
        return pd.Series(np.nan, index=keys.index)
    pos = index_in(keys, pd.Series(table.index))
    found = pos >= 0
    taken = values[np.where(found, pos, 0)]
    if taken.dtype.kind in "fc":
        taken = np.where(found, taken, np.nan)
    else:
        taken = taken.astype(object)
        taken[~found] = None
    return pd.Series(taken, index=keys.index, dtype=None if taken.dtype.kind in "fc" else object)


def index_in(values: pd.Series, ids: pd.Series) -> np.ndarray:
    """Row of each value in `ids` (unique), -1 when absent; one pass of pyarrow's
    hash kernel."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(values):
        return np.zeros(0, dtype=np.int64)
    left = pa.chunked_array(pa.array(values.astype(str)))
    right = pa.chunked_array(pa.array(ids.astype(str))).combine_chunks()
    if not len(right):
        return np.full(len(values), -1, dtype=np.int64)
    pos = pc.index_in(left, value_set=right)
    return pos.fill_null(-1).to_numpy().astype(np.int64)


def endpoint_codes(labels: pd.Series, rows: np.ndarray, n: int) -> np.ndarray:
    """One integer per link end: its enterprise row, or for an outside party
    (row < 0) `n` + a number per distinct label."""
    code = np.array(rows, dtype=np.int64)
    outside, numbers = outside_numbers(labels, code)
    code[outside] = n + numbers
    return code


def outside_numbers(labels: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(where rows < 0, a number per distinct label there from 0): the outside
    parties among link ends, numbered by label in pyarrow (no pandas selection
    of millions of strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    outside = np.asarray(rows) < 0
    if not outside.any():
        return outside, np.zeros(0, dtype=np.int64)
    chosen = pa.chunked_array(pa.array(labels.astype(str))).filter(pa.array(outside))
    encoded = pc.dictionary_encode(chosen).combine_chunks()
    return outside, encoded.indices.to_numpy().astype(np.int64)


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """`pd.factorize` for a text column through pyarrow's dictionary kernel:
    (code per value, distinct values in order of appearance). Far faster than
    pandas' own when few values repeat over millions of rows (products)."""
    chunks, uniques = text_code_chunks(values)
    codes = np.concatenate(chunks, dtype=np.int64) if chunks else np.zeros(0, dtype=np.int64)
    return codes, uniques


def text_code_chunks(values: pd.Series) -> tuple[list[np.ndarray], pd.Index]:
    """`factorize_text`'s codes as the pieces pyarrow makes them (int32, one per
    chunk of the column, in order), for a caller that adds them into an array it
    has instead of building a new one per value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pd.api.types.is_string_dtype(values) or not len(values):
        codes, uniques = pd.factorize(values)
        return [codes], pd.Index(uniques)
    encoded = pc.dictionary_encode(pa.chunked_array(pa.array(values.astype(str))))
    if not encoded.num_chunks:
        return [], pd.Index([], dtype=str)
    # A missing value is coded -1, as by pd.factorize.
    chunks = [
        (c.indices if not c.indices.null_count else pc.fill_null(c.indices, -1)).to_numpy()
        for c in encoded.chunks
    ]
    return chunks, pd.Index(encoded.chunk(0).dictionary.to_pandas(), dtype=str)


def distinct_text(values: pd.Series) -> set[str]:
    """The distinct values of a text column, through pyarrow's hash kernel."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pd.api.types.is_string_dtype(values):
        return set(values.unique())
    return set(pc.unique(pa.chunked_array(pa.array(values.astype(str)))).to_pylist())


def code_type(limit: int) -> type:
    """The narrowest signed integer type holding every code below `limit`: an
    array per link of int16 is a quarter of the memory to fill of int64."""
    return np.int16 if limit < 2**15 else np.int32 if limit < 2**31 else np.int64


def unique_ints(values: np.ndarray) -> np.ndarray:
    """The distinct integers of `values`, ascending. A sort and a comparison:
    numpy's own `unique` hashes, several times slower for millions of keys."""
    ordered = np.sort(np.asarray(values))
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def int_lookup(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position of each of `wanted` in `keys` (distinct integers), -1 when
    absent: a hash table of `keys`, several times faster than a sorted search
    for millions of needles in no order.

    >>> int_lookup(np.array([7, 3, 9]), np.array([9, 4, 7]))
    array([ 2, -1,  0])
    """
    return pd.Index(np.asarray(keys)).get_indexer(np.asarray(wanted))


def isin_ints(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of `values` is among `keys` (integers): pandas' hash table,
    five times faster than `np.isin` for millions of values.

    >>> isin_ints(np.array([4, 8, 15]), np.array([15, 16, 4]))
    array([ True, False,  True])
    """
    return pd.Series(np.asarray(values), copy=False).isin(np.asarray(keys)).to_numpy()


def spans(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ranges starts[i] : starts[i] + counts[i] laid end to end: which i
    each position comes from, and the position.

    >>> spans(np.array([5, 0]), np.array([2, 3]))
    (array([0, 0, 1, 1, 1]), array([5, 6, 0, 1, 2]))
    """
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    # Each range's start less the positions laid before it, then 0, 1, 2, …:
    # one repeat and one add, no look-up through `owner`.
    at = np.repeat(np.asarray(starts, dtype=np.int64) - (np.cumsum(counts) - counts), counts)
    at += np.arange(len(at))
    return owner, at


def has_repeats(values: np.ndarray) -> bool:
    """Whether any integer occurs twice in `values` (sorted, not hashed)."""
    ordered = np.sort(np.asarray(values))
    return bool(len(ordered) > 1 and (ordered[1:] == ordered[:-1]).any())
