"""Synthetic datasets in the input format, for benchmarks and scale tests.

The shape imitates a real economy rather than uniform noise: enterprises belong
to chains and stages of the default catalog, sellers' degrees are heavy-tailed
(a few large traders and plants, many small farms), about a third of links leave
the region, and enterprises sit around district centres. Deterministic for a
seed; vectorised with numpy, so a million enterprises take seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from valuechain.loading.catalog import default_catalog_path
from valuechain.output.html import write_atomic_together

__all__ = ["GenerateOptions", "generate", "write_dataset"]

TYPES = np.array(["farm", "forestry", "mine", "processor", "service"])
TYPE_SHARE = np.array([0.42, 0.14, 0.05, 0.24, 0.15])
TYPE_CHAINS = {
    "forestry": ["timber", "cinnamon"],
    "mine": ["lead_zinc", "iron", "construction"],
    "farm": ["arrowroot", "citrus", "persimmon", "tea", "rice", "herbs", "farm_inputs", "cinnamon"],
}
OUTSIDE = np.array(
    [
        "EXT",
        "EXT:Hà Nội",
        "EXT:Hải Phòng",
        "EXT:TP Hồ Chí Minh",
        "EXT:Đà Nẵng",
        "EXT:Thái Nguyên",
        "EXT:Trung Quốc",
        "EXT:Xuất khẩu",
    ]
)


@dataclass(frozen=True)
class GenerateOptions:
    enterprises: int = 10_000
    links_per_enterprise: float = 5.0
    seed: int = 1
    external_share: float = 0.35
    year: int | None = 2024


def _catalog() -> pd.DataFrame:
    cat = pd.read_csv(default_catalog_path(), dtype=str, keep_default_na=False)
    cat["stage"] = cat["stage"].astype(int)
    return cat


def generate(
    options: GenerateOptions, progress: Callable[[str], None] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (enterprises, links) as DataFrames of the input columns.

    Text columns are categorical (ids, products, outside labels), so a million
    enterprises and five million links stay small in memory. `progress` is
    called with a short label after each step.
    """
    say = progress or (lambda _label: None)
    rng = np.random.default_rng(options.seed)
    n = int(options.enterprises)
    cat = _catalog()
    codes = cat["code"].to_numpy()
    chains = cat["chain"].unique()
    # Chains differ in size: a Zipf-like share per chain.
    chain_w = 1.0 / np.arange(1, len(chains) + 1) ** 0.8
    chain_w /= chain_w.sum()

    type_idx = rng.choice(len(TYPES), size=n, p=TYPE_SHARE)
    # Producers belong to chains their type can start: forests grow timber,
    # mines dig ore and stone, farms grow crops; processors and traders any chain.
    chain = rng.choice(len(chains), size=n, p=chain_w)
    for t, allowed in TYPE_CHAINS.items():
        mask = type_idx == list(TYPES).index(t)
        pick = np.flatnonzero(np.isin(chains, allowed))
        if mask.any() and len(pick):
            w = chain_w[pick] / chain_w[pick].sum()
            chain[mask] = rng.choice(pick, size=int(mask.sum()), p=w)
    producer = type_idx <= 2
    processor = type_idx == 3
    service = type_idx == 4

    # Each enterprise makes one product of its chain: producers a stage-1 product,
    # processors a stage-2/3 product, services trade a product of any stage.
    stage = np.where(producer, 1, np.where(processor, rng.integers(2, 4, n), rng.integers(1, 4, n)))
    output = np.zeros(n, dtype=np.int64)
    cat_chain = cat["chain"].to_numpy()
    cat_stage = cat["stage"].to_numpy()
    for ci, c in enumerate(chains):
        for s in (1, 2, 3):
            mask = (chain == ci) & (stage == s)
            choices = np.flatnonzero((cat_chain == c) & (cat_stage == s))
            if len(choices) == 0:  # the chain has no product at that stage
                choices = np.flatnonzero((cat_chain == c) & (cat_stage == 1))
            if mask.any():
                output[mask] = rng.choice(choices, size=int(mask.sum()))
    recipe = cat["made_from"].to_numpy()
    inputs_text = np.where(processor, recipe[output], np.where(service, codes[output], ""))
    say("enterprises")

    n_districts = max(8, n // 2000)
    centre_lat = rng.uniform(9.0, 23.0, n_districts)
    centre_lon = rng.uniform(103.0, 109.0, n_districts)
    district = rng.integers(0, n_districts, n)
    has_pos = rng.random(n) < 0.9
    lat = np.round(centre_lat[district] + rng.normal(0, 0.08, n), 5)
    lon = np.round(centre_lon[district] + rng.normal(0, 0.08, n), 5)
    ids = np.char.add("E", np.arange(1, n + 1).astype(str))
    district_names = np.char.add("Huyện ", np.arange(1, n_districts + 1).astype(str))
    enterprises = pd.DataFrame(
        {
            "id": ids,
            "name": np.char.add("Doanh nghiệp ", np.arange(1, n + 1).astype(str)),
            "type": pd.Categorical.from_codes(type_idx, TYPES),
            "district": pd.Categorical.from_codes(district, district_names),
            "lat": np.where(has_pos, lat, np.nan),
            "lon": np.where(has_pos, lon, np.nan),
            "outputs": pd.Categorical.from_codes(output, codes),
            "inputs": pd.Categorical(inputs_text),
            "capacity": np.round(rng.lognormal(6, 1.2, n), 0),
            "employees": rng.integers(1, 300, n),
        }
    )
    say("positions")

    links = _links(rng, ids, output, processor, service, cat, options)
    say("links")
    return enterprises, links


def _links(
    rng: np.random.Generator,
    ids: np.ndarray,
    output: np.ndarray,
    processor: np.ndarray,
    service: np.ndarray,
    cat: pd.DataFrame,
    options: GenerateOptions,
) -> pd.DataFrame:
    n = len(ids)
    codes = cat["code"].to_numpy()
    code_index = {c: i for i, c in enumerate(codes)}
    # Ingredients per product code (indices), and the consumers of each code.
    ingredients = [
        [code_index[x] for x in r.split(";") if x in code_index] for r in cat["made_from"]
    ]
    proc = np.flatnonzero(processor)
    pairs_e, pairs_p = [], []
    for p, ings in enumerate(ingredients):
        users = proc[output[proc] == p]
        for ing in ings:
            pairs_e.append(users)
            pairs_p.append(np.full(len(users), ing))
    svc = np.flatnonzero(service)
    pairs_e.append(svc)
    pairs_p.append(output[svc])
    cons_e = np.concatenate(pairs_e) if pairs_e else np.zeros(0, np.int64)
    cons_p = np.concatenate(pairs_p) if pairs_p else np.zeros(0, np.int64)

    # ~12% of drawn links repeat a (source, target, product) and are dropped below.
    m = int(round(n * options.links_per_enterprise * 1.12))
    # Heavy-tailed seller activity: a Pareto weight per enterprise.
    activity = rng.pareto(1.5, n) + 1.0
    activity /= activity.sum()
    seller = rng.choice(n, size=m, p=activity)
    product = output[seller]
    buyer = np.full(m, -1, dtype=np.int64)
    # Buyers: an enterprise whose inputs list the product, chosen with the same
    # heavy-tailed weights, so big plants buy from many.
    for p in np.unique(product):
        cands = cons_e[cons_p == p]
        if len(cands) == 0:
            continue
        at = np.flatnonzero(product == p)
        w = activity[cands] / activity[cands].sum()
        buyer[at] = rng.choice(cands, size=len(at), p=w)
    external = (rng.random(m) < options.external_share) | (buyer < 0) | (buyer == seller)
    outside = rng.integers(0, len(OUTSIDE), m)
    # Endpoints as codes into one dictionary: enterprises 0..n-1, then outside labels.
    target = np.where(external, n + outside, np.maximum(buyer, 0))
    source = seller.copy()
    # A share of the outside world sells into the region too: flip some links, which
    # then carry the seller's first ingredient.
    first_ing = np.array([ing[0] if ing else -1 for ing in ingredients])[output[seller]]
    inbound = external & (rng.random(m) < 0.3) & processor[seller] & (first_ing >= 0)
    source, target = np.where(inbound, target, source), np.where(inbound, source, target)
    product = np.where(inbound, first_ing, product)
    volume = np.round(rng.lognormal(4, 1.0, m), 1)
    frame = pd.DataFrame({"s": source, "t": target, "p": product})
    keep = ~frame.duplicated().to_numpy()
    names = np.concatenate([ids, OUTSIDE])
    links = pd.DataFrame(
        {
            "source": pd.Categorical.from_codes(source[keep], names),
            "target": pd.Categorical.from_codes(target[keep], names),
            "product": pd.Categorical.from_codes(product[keep], codes),
            "volume": volume[keep],
            "value": np.round(volume[keep] * rng.uniform(0.5, 20, int(keep.sum())), 1),
        }
    )
    if options.year is not None:
        links["year"] = options.year
    return links


def write_dataset(enterprises: pd.DataFrame, links: pd.DataFrame, folder: str | Path) -> Path:
    """Write the two tables as a dataset folder (UTF-8 CSV): both are written
    in full before either replaces an old one, so an interruption never leaves a
    new enterprises.csv beside an old links.csv."""
    folder = Path(folder)
    write_atomic_together(
        {
            folder / "enterprises.csv": _csv_bytes(enterprises),
            folder / "links.csv": _csv_bytes(links),
        }
    )
    return folder


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV through pyarrow's writer: a million rows in about a second."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue().to_pybytes()
