"""Linkage indices (docs/methods.md, "Key sectors") against a textbook table and
hand-worked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.analysis.linkages import leontief_inverse, linkage_indices, linkage_table
from valuechain.cli import main
from valuechain.errors import DataError
from valuechain.loading.dataset import load

# Miller & Blair, Input-Output Analysis, ch. 2: Z = [[150, 500], [200, 100]],
# x = [1000, 2000] → A = [[0.15, 0.25], [0.20, 0.05]]. det(I − A) = 0.85·0.95 −
# 0.25·0.20 = 0.7575, so L = [[0.95, 0.25], [0.20, 0.85]] / 0.7575.
MB_L = np.array([[0.95, 0.25], [0.20, 0.85]]) / 0.7575


def test_miller_blair_leontief_inverse():
    a = np.array([[150, 500], [200, 100]]) / np.array([1000, 2000])[np.newaxis, :]
    got = leontief_inverse(a)
    np.testing.assert_allclose(got, MB_L, atol=1e-9)
    np.testing.assert_allclose(got.round(3), [[1.254, 0.330], [0.264, 1.122]])


def _mb_dataset(folder):
    # Each sector is a pair of enterprises so that a sector can sell to itself
    # (a self-link is rejected): Z[1,1] = 150 is I1 → I2.
    enterprises = (
        "id,name,type,sector,output_value\n"
        "I1,one,processor,s1,1000\nI2,one b,processor,s1,0\n"
        "J1,two,service,s2,2000\nJ2,two b,service,s2,0\n"
    )
    links = "source,target,value\nI1,I2,150\nI1,J1,500\nJ1,I1,200\nJ1,J2,100\n"
    return write_dataset(folder, enterprises=enterprises, links=links)


def test_miller_blair_from_enterprises(tmp_path):
    out = linkage_indices(load(_mb_dataset(tmp_path)), by="sector").set_index("sector")
    assert out["x"].tolist() == [1000, 2000]
    # Column sums of L: 1.15, 1.10 (/0.7575); BL = 2·1.15/2.25, 2·1.10/2.25.
    assert out["BL"].tolist() == pytest.approx([2 * 1.15 / 2.25, 2 * 1.10 / 2.25], abs=1e-9)
    # B = diag(x)⁻¹Z = [[0.15, 0.5], [0.1, 0.05]]; det(I − B) = 0.7575; row sums of
    # G: 1.45, 0.95 (/0.7575); FL = 2·1.45/2.4, 2·0.95/2.4.
    assert out["FL"].tolist() == pytest.approx([2 * 1.45 / 2.4, 2 * 0.95 / 2.4], abs=1e-9)
    assert out["class"].tolist() == ["key", "weak"]


def test_three_sector_hand_case():
    # a → b 20, b → c 30, every x = 100: A = B with A[a,b] = 0.2, A[b,c] = 0.3,
    # nilpotent, so L = I + A + A² (A²[a,c] = 0.06). Column sums 1, 1.2, 1.36 (total
    # 3.56): BL = 3·(1, 1.2, 1.36)/3.56. Row sums 1.26, 1.3, 1: FL = 3·(1.26, 1.3, 1)/3.56.
    z = pd.DataFrame([[0, 20, 0], [0, 0, 30], [0, 0, 0]], index=list("abc"), columns=list("abc"))
    out = linkage_table(z, pd.Series([100.0, 100.0, 100.0], index=list("abc")))
    assert out["BL"].tolist() == pytest.approx([3 / 3.56, 3.6 / 3.56, 4.08 / 3.56], abs=1e-12)
    assert out["FL"].tolist() == pytest.approx([3.78 / 3.56, 3.9 / 3.56, 3 / 3.56], abs=1e-12)
    assert out["class"].tolist() == ["forward", "key", "backward"]


def test_zero_output_sector_is_left_out():
    z = pd.DataFrame([[0, 10], [0, 0]], index=["a", "b"], columns=["a", "b"])
    out = linkage_table(z, pd.Series([100.0, 0.0], index=["a", "b"]))
    assert out["sector"].tolist() == ["a"]


def test_singular_system_is_reported(tmp_path):
    # a ↔ b 100 each way with x = 100: A = [[0, 1], [1, 0]], I − A is singular.
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,output_value\nA,a,farm,100\nB,b,processor,100\n",
        links="source,target,value\nA,B,100\nB,A,100\n",
    )
    with pytest.raises(DataError):
        linkage_indices(load(folder))
    result = CliRunner().invoke(main, ["--lang", "en", "linkages", str(folder)])
    assert result.exit_code == 3
    assert "I − A is singular" in result.stderr


def test_no_values_is_reported(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type\nA,a,farm\nB,b,processor\n",
        links="source,target,volume\nA,B,5\n",
    )
    result = CliRunner().invoke(main, ["--lang", "en", "linkages", str(folder)])
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: linkage indices need link values (the `value` column); this dataset has none\n"
    )
