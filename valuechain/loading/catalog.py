"""The product catalog: chains, stages and `made_from` recipes.

The default catalog for the region's commodities ships as `catalog.csv` beside
this module and is used when a dataset has no `products` table.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

__all__ = [
    "UNCLASSIFIED",
    "default_catalog_path",
    "CATALOG_COLUMNS",
    "chain_names",
    "readable_code",
]

UNCLASSIFIED = "unclassified"
CATALOG_COLUMNS = ["code", "name", "chain", "stage", "made_from", "unit"]


def default_catalog_path() -> str:
    """Return the path of the bundled default catalog CSV."""
    return str(resources.files("valuechain.loading").joinpath("catalog.csv"))


def chain_names() -> pd.DataFrame:
    """Return the bundled chains table: `code`, `name` (Vietnamese), `name_en`.

    Chains are shown to people by these names; a chain not in the table is
    shown by its code. (Read once a process: a map asks for names five times.)
    """
    return _bundled_chains().copy()


@cache
def _bundled_chains() -> pd.DataFrame:
    path = resources.files("valuechain.loading").joinpath("chains.csv")
    return pd.read_csv(str(path), dtype=str, keep_default_na=False)


def readable_code(code: str) -> str:
    """A chain or product code as people read it, when no name is given.

    >>> readable_code("lead_zinc"), readable_code("cattle"), readable_code("Chè")
    ('Lead zinc', 'Cattle', 'Chè')
    """
    text = " ".join(str(code).replace("_", " ").split())
    return text[:1].upper() + text[1:]


def made_from_pairs(products: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (product, ingredient) of the catalog's `made_from` recipes.

    Columns `chain`, `product`, `from`; empty when no product has a recipe.
    """
    recipes = products[["code", "chain", "made_from"]].explode("made_from")
    recipes = recipes[recipes["made_from"].notna() & (recipes["made_from"] != "")]
    return recipes.rename(columns={"code": "product", "made_from": "from"})[
        ["chain", "product", "from"]
    ].reset_index(drop=True)
