"""Slices: the enterprises of some districts, chains or types, selected from the
analysis of the whole dataset.

A slice never re-analyses a cut-down dataset: an enterprise is unlinked, a chain
weak or a product a missing link in a slice exactly when it is so in the whole
region. A slice value is matched without case and diacritics, by code or by the
label shown in either language (`--type "nông nghiệp"`, `--chain Gỗ`); a value
that matches nothing raises `SliceError`, which lists the values present.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from valuechain.arrays import fast_isin
from valuechain.errors import SliceError
from valuechain.i18n import LANGS, t
from valuechain.loading.columns import TYPE_ALIASES, TYPES
from valuechain.loading.dataset import Dataset
from valuechain.text import fold

__all__ = ["Slice", "resolve_slice", "slice_mask", "place_mask", "chain_members"]


@dataclass(frozen=True)
class Slice:
    """Part of a region: the enterprises of some districts, chains and types.

    Each dimension takes one value or several, written as a planner would
    (``Slice(district="cho don", chain="Gỗ")``); an enterprise is in the slice
    when it matches every dimension given, and an empty slice is the whole
    region. `resolve` matches the values against a dataset once; every function
    that takes ``slice=`` resolves it on entry, so a resolved slice passes down
    without being matched again.
    """

    district: str | Iterable[str] = ()
    chain: str | Iterable[str] = ()
    type: str | Iterable[str] = ()
    # True once `resolve` has put every value in the dataset's own spelling
    resolved: bool = field(default=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("district", "chain", "type"):
            value = getattr(self, name)
            values = (value,) if isinstance(value, str) else tuple(value or ())
            object.__setattr__(self, name, tuple(str(v) for v in values))

    @property
    def districts(self) -> tuple[str, ...]:
        return cast(tuple[str, ...], self.district)

    @property
    def chains(self) -> tuple[str, ...]:
        return cast(tuple[str, ...], self.chain)

    @property
    def types(self) -> tuple[str, ...]:
        return cast(tuple[str, ...], self.type)

    def __bool__(self) -> bool:
        return bool(self.chains or self.districts or self.types)

    def resolve(self, ds: Dataset) -> Slice:
        """This slice with every value as `ds` spells it (a chain's code, a
        district's name, a type's code); itself when already resolved. Raises
        `SliceError` for a value that matches nothing, listing those present."""
        if self.resolved:
            return self
        return resolve_slice(ds, chains=self.chains, districts=self.districts, types=self.types)

    def mask(self, ds: Dataset) -> np.ndarray:
        """Boolean array over `ds.enterprises`: True for the enterprises in the slice."""
        return slice_mask(ds, self.resolve(ds))


def _resolve(
    option: str, given: Iterable[object], present: dict[str, str], shown: list[str]
) -> tuple[str, ...]:
    """Map each given value through `present` (folded label → value); raise
    SliceError naming the option and listing `shown` for one that matches none."""
    out: list[str] = []
    for value in given:
        hit = present.get(fold(str(value)))
        if hit is None:
            raise SliceError(
                key="slice_no_match", option=option, value=value, present=", ".join(shown)
            )
        if hit not in out:
            out.append(hit)
    return tuple(out)


def resolve_slice(
    ds: Dataset,
    *,
    chains: Iterable[str] = (),
    districts: Iterable[str] = (),
    types: Iterable[str] = (),
) -> Slice:
    """Return the resolved `Slice` of the given values as the dataset spells them
    (what `Slice(...).resolve(ds)` does).

    Chains are matched by code or by name in either language; districts by
    name; types by code, by their label in either language or by any type
    alias the loader reads. Raises `SliceError` (a usage error) for a value
    that matches nothing, listing the values present.
    """
    chain_keys: dict[str, str] = {}
    if chains:
        present = sorted(set(ds.products["chain"]))
        names = ds.chain_names().set_index("code")
        for code in present:
            chain_keys[fold(code)] = code
            if code in names.index:
                for col in ("name", "name_en"):
                    chain_keys.setdefault(fold(names.at[code, col]), code)
        shown_chains = [f"{c} ({names.at[c, 'name']})" if c in names.index else c for c in present]
    district_keys: dict[str, str] = {}
    if districts:
        present_d = sorted(d for d in ds.enterprises["district"].dropna().unique() if d)
        district_keys = {fold(d): d for d in present_d}
    type_keys: dict[str, str] = {}
    if types:
        present_t = [ty for ty in TYPES if (ds.enterprises["type"] == ty).any()]
        type_keys = {k: v for k, v in TYPE_ALIASES.items() if v in present_t}
        for ty in present_t:
            for lang in LANGS:
                type_keys[fold(t("val_" + ty, lang))] = ty
        shown_types = [f"{ty} ({t('val_' + ty, 'vi')})" for ty in present_t]
    return Slice(
        chain=_resolve("--chain", chains, chain_keys, shown_chains) if chains else (),
        district=_resolve("--district", districts, district_keys, present_d) if districts else (),
        type=_resolve("--type", types, type_keys, shown_types) if types else (),
        resolved=True,
    )


def chain_members(ds: Dataset, chains: Iterable[str]) -> pd.Series:
    """Ids of the enterprises listing a product of `chains` in outputs or inputs."""
    chain_of = ds.product_attribute("chain")
    offers = ds.offers
    return offers.loc[offers["product"].map(chain_of).isin(list(chains)), "id"].drop_duplicates()


def slice_mask(ds: Dataset, sl: Slice) -> np.ndarray:
    """Boolean array over `ds.enterprises`: True for the enterprises in the
    resolved slice `sl` (every given dimension must match; an empty slice selects
    all)."""
    ent = ds.enterprises
    keep = np.ones(len(ent), dtype=bool)
    if sl.chains:
        keep &= fast_isin(ent["id"], chain_members(ds, sl.chains))
    if sl.districts:
        keep &= ent["district"].isin(sl.districts).to_numpy(dtype=bool)
    if sl.types:
        keep &= ent["type"].isin(sl.types).to_numpy(dtype=bool)
    return keep


def place_mask(ds: Dataset, sl: Slice) -> np.ndarray | None:
    """The enterprises of a resolved slice's districts and types, its chains
    aside (a caller keeps a chain's products its own way); None when the slice
    names neither."""
    if not (sl.districts or sl.types):
        return None
    return slice_mask(ds, Slice(district=sl.districts, type=sl.types, resolved=True))
