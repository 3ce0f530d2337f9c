"""How a map is asked for (`MapOptions`) and the part of a dataset a slice draws."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from valuechain.analysis.slices import Slice, slice_mask
from valuechain.arrays import fast_isin, fast_map
from valuechain.i18n import VI, Language
from valuechain.loading.boundaries import Outline
from valuechain.loading.dataset import Dataset
from valuechain.output.map import DRAWN_IN_FULL

__all__ = ["MapOptions", "inside_links", "slice_dataset"]


@dataclass(frozen=True)
class MapOptions:
    """How to draw: `layout` geo | chain | force | auto; `suggestions` = how many of
    the suggested links' top pairs to draw; the slice filters keep only matching
    enterprises."""

    layout: str = "auto"
    weight: str = "auto"
    suggestions: int = 20
    slice: Slice = Slice()  # what to draw (`Slice`); the whole region by default
    lang: Language = VI
    width: int = 1400
    height: int = 900
    # Above `threshold` enterprises the map draws groups: "chain" (chain × stage)
    # or "district" (district × type); "none" always draws enterprises.
    aggregate: str = "chain"
    threshold: int = DRAWN_IN_FULL
    # Draw the local links gained and lost since this year (links carry years).
    compare_year: int | None = None
    # District or commune outlines (`read_boundaries`), under the geographic layout.
    boundaries: tuple[Outline, ...] = ()

    def __post_init__(self) -> None:  # "en" as typed becomes the language it names
        object.__setattr__(self, "lang", Language(self.lang))


def inside_links(ds: Dataset, links: pd.DataFrame, sl: Slice, ids: pd.Series) -> np.ndarray:
    """Links with both ends in the slice or outside the region (not both outside);
    for a chain slice, only those carrying its products."""
    keep = np.ones(len(links), dtype=bool)
    if sl.chains:
        chain_of = ds.product_attribute("chain")
        keep &= fast_map(links["product"], chain_of).isin(sl.chains).to_numpy()
    src_in = links["source_ext"].to_numpy() | fast_isin(links["source"], ids)
    tgt_in = links["target_ext"].to_numpy() | fast_isin(links["target"], ids)
    both_ext = (links["source_ext"] & links["target_ext"]).to_numpy()
    return keep & src_in & tgt_in & ~both_ext


def slice_dataset(ds: Dataset, sl: Slice) -> Dataset:
    """The dataset cut to a slice's enterprises, for the aggregated map of a slice
    too large to draw enterprise by enterprise. Only drawing uses it: the
    analyses shown come from the whole dataset.
    """
    from dataclasses import replace

    keep = slice_mask(ds, sl)
    ids = ds.enterprises.loc[keep, "id"]
    return replace(
        ds,
        enterprises=ds.enterprises[keep].reset_index(drop=True),
        offers=ds.offers[fast_isin(ds.offers["id"], ids)].reset_index(drop=True),
        links=ds.links[inside_links(ds, ds.links, sl, ids)].reset_index(drop=True),
    )
