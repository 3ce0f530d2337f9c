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
