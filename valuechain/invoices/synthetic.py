"""Synthetic national invoice lines, for tests and benchmarks.

A country of firms in provinces, one of which (Bắc Kạn) is the region with a
registry; trading pairs with heavy-tailed volumes (a few pairs trade daily,
most a few times a year), each pair selling mostly one product of the default
catalog; a few lines of each unreadable kind; and, as in a planner's registry,
some tax codes that lost their leading zero or were typed with spaces.
Written in Parquet parts of `PART_LINES` lines, so any size fits in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["write_invoices", "PART_LINES"]

PART_LINES = 1_000_000
REGION = "Bắc Kạn"
PROVINCES = [
    "Hà Nội", "TP Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Thái Nguyên", "Cao Bằng", "Lạng Sơn",
    "Tuyên Quang", "Bắc Giang", "Phú Thọ", "Bắc Ninh", "Quảng Ninh", "Nghệ An", "Cần Thơ",
]  # fmt: skip
DISTRICTS = [
    "Ba Bể",
    "Bạch Thông",
    "Chợ Đồn",
    "Chợ Mới",
    "Na Rì",
    "Ngân Sơn",
    "Pác Nặm",
    "Thành phố Bắc Kạn",
]
TYPES = np.array(["farm", "forestry", "mine", "processor", "service"])
# Per part, lines of each unreadable kind (seller, buyer, date, amount).
BAD_PER_PART = 3


def write_invoices(
    lines: int, folder: str | Path, *, seed: int = 1, progress: Callable[[int], None] | None = None
) -> dict[str, Path]:
    """Write `lines` invoice lines as `lines/part-NNNNN.parquet`, the region's
    `registry.csv` and the `national.csv` of every firm's province into
    `folder`; return their paths. `progress` is told the lines written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from valuechain.loading.catalog import default_catalog_path
    from valuechain.output.html import write_atomic_together

    rng = np.random.default_rng(seed)
    folder = Path(folder)
    firms = int(np.clip(lines // 40, 200, 1_000_000))
    codes = np.array([f"{100_000_000 + 7 * i:010d}" for i in range(firms)])
    in_region = rng.random(firms) < 0.05
    province = np.where(in_region, REGION, rng.choice(PROVINCES, firms))
    products = pd.read_csv(default_catalog_path(), dtype=str)["code"].to_numpy()

    pairs = max(lines // 25, 100)
    seller = _heavy(rng, firms, pairs, 1.2)
    buyer = _heavy(rng, firms, pairs, 1.6)
    main_product = rng.integers(0, len(products), pairs)
    weight = rng.pareto(1.1, pairs) + 1.0
    weight /= weight.sum()
    days = pd.date_range("2023-01-01", "2024-12-31").strftime("%Y-%m-%d").to_numpy()

    parts = folder / "lines"
    parts.mkdir(parents=True, exist_ok=True)
    for old in parts.glob("part-*.parquet"):
        old.unlink()
    written = 0
    for k in range(-(-lines // PART_LINES)):
        n = min(PART_LINES, lines - written)
        pair = rng.choice(pairs, size=n, p=weight)
        other = rng.random(n) < 0.15  # a pair's other products
        product = np.where(other, rng.integers(0, len(products), n), main_product[pair])
        amount = np.round(rng.lognormal(16.5, 1.3, n))  # đồng; median about 15 million
        columns = {
            "seller": codes[seller[pair]].astype(object),
            "buyer": codes[buyer[pair]].astype(object),
            "date": days[rng.integers(0, len(days), n)].astype(object),
            "product": products[product].astype(object),
            "quantity": np.round(amount / rng.uniform(5_000, 50_000, n), 1),
            "amount": amount,
        }
        _spoil(rng, columns, n)
        table = pa.table(columns)
        pq.write_table(table, parts / f"part-{k:05d}.parquet", compression="snappy")
        written += n
        if progress:
            progress(n)

    registry = _registry(rng, codes[in_region], products)
    national = pd.DataFrame({"id": codes, "province": province})
    paths = {
        "lines": parts,
        "registry": folder / "registry.csv",
        "national": folder / "national.csv",
    }
    write_atomic_together(
        {
            paths["registry"]: registry.to_csv(index=False),
            paths["national"]: national.to_csv(index=False),
        }
    )
    return paths


def _heavy(rng: np.random.Generator, firms: int, size: int, shape: float) -> np.ndarray:
    """Firm rows drawn with heavy-tailed (Pareto) activity."""
    activity = rng.pareto(shape, firms) + 1.0
    return rng.choice(firms, size=size, p=activity / activity.sum())


def _spoil(rng: np.random.Generator, columns: dict, n: int) -> None:
    """A few lines of each unreadable kind: no seller, no buyer, a date that
    does not exist, no amount."""
    if n < 4 * BAD_PER_PART:
        return
    rows = rng.choice(n, size=4 * BAD_PER_PART, replace=False).reshape(4, BAD_PER_PART)
    columns["seller"][rows[0]] = None
    columns["buyer"][rows[1]] = ""
    columns["date"][rows[2]] = "31/02/2024"
    columns["amount"][rows[3]] = np.nan


def _registry(rng: np.random.Generator, codes: np.ndarray, products: np.ndarray) -> pd.DataFrame:
    """The region's enterprises as a planner keeps them: a tenth of the tax
    codes lost their leading zero in a spreadsheet, a twentieth carry spaces."""
    written = codes.astype(object)
    lost = rng.random(len(codes)) < 0.10
    spaced = ~lost & (rng.random(len(codes)) < 0.05)
    written[lost] = [c.lstrip("0") for c in codes[lost]]
    written[spaced] = [f"{c[:4]} {c[4:7]} {c[7:]}" for c in codes[spaced]]
    return pd.DataFrame(
        {
            "id": written,
            "name": [f"Doanh nghiệp {c}" for c in codes],
            "type": rng.choice(TYPES, len(codes)),
            "district": rng.choice(DISTRICTS, len(codes)),
            "outputs": rng.choice(products, len(codes)),
        }
    )
