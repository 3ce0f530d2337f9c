"""Machine output (README, "Command line"): the column-wise CSV writer against a cell-by-cell
one, and the formula guard."""

from __future__ import annotations

import csv
import io
import random

import numpy as np
import pandas as pd
import pytest

from valuechain.output.formats import plain, safe_cell, to_csv

TEXTS = ["a", "=SUM(1)", "-12.5", "-x", "+1", "@me", "", "x,y", 'q"uote', "two\nlines", "Hà Nội"]


def _reference_csv(frame: pd.DataFrame) -> str:
    """One Python call per cell: null empty, booleans true/false, lists `;`-joined,
    floats unrounded (whole ones without `.0`), text guarded."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            value = plain(value, column)
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif isinstance(value, list):
                cells.append(safe_cell(";".join(str(v) for v in value)))
            elif isinstance(value, str):
                cells.append(safe_cell(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return buf.getvalue()


@pytest.mark.parametrize("seed", range(20))
def test_csv_matches_cell_by_cell(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(0, 15)
    frame = pd.DataFrame(
        {
            "text": pd.Series([rng.choice(TEXTS) for _ in range(n)], dtype=str),
            "maybe": pd.Series([rng.choice([*TEXTS, None]) for _ in range(n)], dtype=object),
            "share": [rng.choice([np.nan, 1.0, 2.5, 1 / 3, -0.00001, 1e17]) for _ in range(n)],
            "nearest_km": [rng.choice([np.nan, 1.23456, 2.0]) for _ in range(n)],
            "count": [rng.randint(-5, 5) for _ in range(n)],
            "buyers": pd.array([rng.choice([None, 1, 2]) for _ in range(n)], dtype="Int64"),
            "local": [rng.random() < 0.5 for _ in range(n)],
            "weak": pd.Series([rng.choice([True, False, None]) for _ in range(n)], dtype=object),
            "flags": [rng.choice([[], ["single_buyer"], ["=a", "b"]]) for _ in range(n)],
        }
    )
    assert to_csv(frame) == _reference_csv(frame)
    # Any choice of columns, a lone one included (its empty cells are quoted).
    some = frame[rng.sample(list(frame.columns), rng.randint(1, len(frame.columns)))]
    assert to_csv(some) == _reference_csv(some)


def test_a_lone_empty_cell_is_quoted_as_the_csv_module_does() -> None:
    # A row whose only cell is empty would be a blank line: csv writes "" instead.
    frame = pd.DataFrame({"a": pd.Series(["", "x", None], dtype=object)})
    assert to_csv(frame) == _reference_csv(frame) == 'a\n""\nx\n""\n'


def test_formula_cells_are_guarded_numbers_are_not() -> None:
    frame = pd.DataFrame({"name": ["=HYPERLINK(1)", "-12.5", "@x", "LN001"], "v": [-1.5] * 4})
    # "-12.5" is a number and -1.5 a float: neither is a formula.
    assert to_csv(frame).splitlines() == [
        "name,v",
        "'=HYPERLINK(1),-1.5",
        "-12.5,-1.5",
        "'@x,-1.5",
        "LN001,-1.5",
    ]


def test_carriage_return_in_a_cell_is_quoted() -> None:
    # Python's csv module quotes only the characters of its line end; with "\n"
    # a lone "\r" went out bare and readers split the row there.
    frame = pd.DataFrame(
        {"name": pd.Series(["a\rb", "plain", "c\r\nd"], dtype=str), "n": [1, 2, 3]}
    )
    text = to_csv(frame)
    assert text == 'name,n\n"a\rb",1\nplain,2\n"c\r\nd",3\n'
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert back["name"].tolist() == ["a\rb", "plain", "c\r\nd"]
