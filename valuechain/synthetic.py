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
    years: int = 1  # survey years; more than one: the network evolves (`evolve`)
    tail: float = 1.5  # Pareto shape of enterprise activity: smaller, heavier-tailed degrees


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
    if options.years > 1:
        first = (options.year or 2024) - options.years + 1
        links["year"] = first
        enterprises["since"] = first
        enterprises, links = evolve(rng, enterprises, links, options, first, say)
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
    activity = rng.pareto(options.tail, n) + 1.0
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


# --- survey years ------------------------------------------------------------------
#
# How the network changes from one year to the next. The process is chosen to be
# plausible (what studies of firm-to-firm networks report), not to be
# valuechain's evidence score: a backtest on these years measures the score, it
# must not have been written from it.
SURVIVE_LOCAL = 0.85  # a local link goes on to the next year
SURVIVE_OUTSIDE = 0.9
NEW_LOCAL = 0.22  # new local links a year, as a share of the year's local links
ENTRANTS = 0.04  # new enterprises a year, as a share of those present
NEAREST = 40  # the nearest users of a product a seller may start selling to
DECAY_KM = 20.0  # distance decay: the weight falls to 1/e at this distance
MIX = (0.6, 0.25, 0.15)  # near and popular; a buyer of its district's peers; anyone


def evolve(
    rng: np.random.Generator,
    enterprises: pd.DataFrame,
    links: pd.DataFrame,
    options: GenerateOptions,
    first: int,
    say: Callable[[str], None],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Survey years `first + 1` … : each year a share of links ends, enterprises
    enter (`since` is their first year), and new local links form: a seller,
    chosen in proportion to its buyers + 1 (preferential attachment), starts
    selling its product to a user of it —
    mostly one of its nearest, weighted by exp(−km / DECAY_KM) × √(the user's
    local sellers + 1) (distance decay and preferential attachment); sometimes
    a buyer its district's other sellers of the product already sell to
    (supplier sharing); sometimes anyone who uses the product (noise)."""
    cat = _catalog()
    codes = cat["code"].to_numpy()
    years = [links]
    current = links
    for year in range(first + 1, first + options.years):
        enterprises = _entrants(rng, enterprises, year, cat)
        local = (
            ~current["target"].astype(str).str.startswith("EXT").to_numpy()
            & ~current["source"].astype(str).str.startswith("EXT").to_numpy()
        )
        survive = np.where(local, SURVIVE_LOCAL, SURVIVE_OUTSIDE)
        kept = current[rng.random(len(current)) < survive].copy()
        new = _new_links(rng, enterprises, kept, int(NEW_LOCAL * local.sum()), codes)
        current = pd.concat([kept.assign(year=year), new.assign(year=year)], ignore_index=True)
        current = current.drop_duplicates(["source", "target", "product"]).reset_index(drop=True)
        years.append(current)
        say(f"year {year}")
    out = pd.concat(years, ignore_index=True)
    for column in ("source", "target", "product"):
        out[column] = out[column].astype(str)
    return enterprises, out


def _entrants(rng, enterprises: pd.DataFrame, year: int, cat: pd.DataFrame) -> pd.DataFrame:
    """New enterprises, like the present ones (a random one's type, product and
    district, a position near it), entering in `year`."""
    n = len(enterprises)
    k = max(1, int(ENTRANTS * n))
    like = enterprises.iloc[rng.integers(0, n, k)].reset_index(drop=True)
    start = n + 1
    new = like.assign(
        id=[f"E{i}" for i in range(start, start + k)],
        name=[f"Doanh nghiệp {i}" for i in range(start, start + k)],
        lat=np.round(like["lat"].to_numpy(dtype=float) + rng.normal(0, 0.03, k), 5),
        lon=np.round(like["lon"].to_numpy(dtype=float) + rng.normal(0, 0.03, k), 5),
        capacity=np.round(rng.lognormal(6, 1.2, k), 0),
        since=year,
    )
    out = pd.concat([enterprises.astype({"id": str, "name": str}), new], ignore_index=True)
    for column in ("type", "district", "outputs", "inputs"):
        out[column] = out[column].astype(str)
    return out


def _new_links(
    rng, enterprises: pd.DataFrame, kept: pd.DataFrame, m: int, codes: np.ndarray
) -> pd.DataFrame:
    """`m` new local links by the mixture of `evolve`."""
    from scipy.spatial import cKDTree

    n = len(enterprises)
    ids = enterprises["id"].astype(str).to_numpy()
    row_of = pd.Series(np.arange(n), index=ids)
    output = pd.Index(codes).get_indexer(enterprises["outputs"].astype(str))
    inputs = enterprises["inputs"].astype(str).str.split(";")
    users = (
        pd.DataFrame({"row": np.arange(n), "code": inputs})
        .explode("code")
        .query("code != '' and code == code")
    )
    users["p"] = pd.Index(codes).get_indexer(users["code"])
    users = users[users["p"] >= 0]
    lat = np.radians(enterprises["lat"].to_numpy(dtype=float))
    lon = np.radians(enterprises["lon"].to_numpy(dtype=float))
    xyz = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    located = ~np.isnan(xyz).any(axis=1)
    district = pd.factorize(enterprises["district"].astype(str))[0]
    # The year's local links as rows, and how many local sellers each user has.
    src = row_of.reindex(kept["source"].astype(str)).to_numpy()
    dst = row_of.reindex(kept["target"].astype(str)).to_numpy()
    inside = ~np.isnan(src) & ~np.isnan(dst)
    src, dst = src[inside].astype(np.int64), dst[inside].astype(np.int64)
    kept_p = pd.Index(codes).get_indexer(kept["product"].astype(str))[inside]
    indegree = np.bincount(dst, minlength=n).astype(float)
    # Preferential attachment: a seller with many buyers (outside ones too) now
    # is the likeliest to find another.
    all_src = row_of.reindex(kept["source"].astype(str)).to_numpy()
    all_src = all_src[~np.isnan(all_src)].astype(np.int64)
    activity = np.bincount(all_src, minlength=n).astype(float) + 1.0
    can_sell = np.isin(output, users["p"].unique()) & (output >= 0)
    weights = np.where(can_sell, activity, 0.0)
    if not m or weights.sum() == 0:
        return kept.iloc[0:0]
    seller = rng.choice(n, size=m, p=weights / weights.sum())
    product = output[seller]
    buyer = np.full(m, -1, dtype=np.int64)
    how = rng.choice(3, size=m, p=MIX)
    # Supplier sharing: buyers that a district's sellers of the product sell to.
    peer = pd.DataFrame({"d": district[src], "p": kept_p, "b": dst}).drop_duplicates()
    peer_groups = {k: g["b"].to_numpy() for k, g in peer.groupby(["d", "p"])}
    user_groups = {int(p): g["row"].to_numpy() for p, g in users.groupby("p")}
    for p in np.unique(product):
        pool = user_groups.get(int(p))
        if pool is None:
            continue
        at = np.flatnonzero(product == p)
        # anyone (noise), and the fallback of the other two
        buyer[at] = pool[rng.integers(0, len(pool), len(at))]
        sharing = at[how[at] == 1]
        for d, where in pd.Series(sharing).groupby(district[seller[sharing]]):
            shared = peer_groups.get((int(d), int(p)))
            if shared is not None and len(shared):
                buyer[where.to_numpy()] = shared[rng.integers(0, len(shared), len(where))]
        near = at[(how[at] == 0) & located[seller[at]]]
        placed = pool[located[pool]]
        if len(near) and len(placed):
            k = min(NEAREST, len(placed))
            dist, idx = cKDTree(xyz[placed]).query(xyz[seller[near]], k=k)
            dist, idx = dist.reshape(len(near), k), idx.reshape(len(near), k)
            km = 2 * 6371.0 * np.arcsin(np.clip(dist / 2, 0, 1))
            w = np.exp(-km / DECAY_KM) * np.sqrt(indegree[placed[idx]] + 1)
            w[placed[idx] == seller[near][:, None]] = 0.0
            total = w.sum(axis=1)
            ok = total > 0
            u = rng.random(len(near)) * total
            pick = (np.cumsum(w, axis=1) < u[:, None]).sum(axis=1)
            buyer[near[ok]] = placed[idx[ok, np.minimum(pick[ok], k - 1)]]
    good = (buyer >= 0) & (buyer != seller)
    volume = np.round(rng.lognormal(4, 1.0, int(good.sum())), 1)
    return pd.DataFrame(
        {
            "source": ids[seller[good]],
            "target": ids[buyer[good]],
            "product": codes[product[good]],
            "volume": volume,
            "value": np.round(volume * rng.uniform(0.5, 20, len(volume)), 1),
        }
    )


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
