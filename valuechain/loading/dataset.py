"""Load a dataset (folder of CSVs or .xlsx workbook) into validated DataFrames.

`load(path)` never raises for a row-level mistake: every row ends loaded or
rejected in the `LoadReport`. It raises `LoadError` only when nothing can be
loaded (a missing file, table or required column).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from valuechain.arrays import index_in
from valuechain.errors import LoadError
from valuechain.loading import cache as store
from valuechain.loading.columns import (
    ALIASES,
    NUMERIC,
    REQUIRED,
    TABLES,
    header_key,
    table_of_name,
)
from valuechain.loading.files import RawTable, read_csv_table
from valuechain.loading.links import load_links
from valuechain.loading.report import LoadReport
from valuechain.loading.spellings import follow_spellings
from valuechain.loading.tables import (
    add_unclassified,
    load_about,
    load_chains,
    load_clusters,
    load_enterprises,
    load_products,
    offers_table,
)
from valuechain.loading.values import split_codes, vsic_type
from valuechain.loading.workbook import read_sheet_tables
from valuechain.printing import printable

__all__ = ["Dataset", "load", "bundled_sample", "vsic_type", "split_codes"]


@dataclass
class Dataset:
    """A loaded dataset.

    - `enterprises`: one row per enterprise; columns `id, name, type, vsic,
      district, lat, lon, outputs, inputs, capacity, output_value, employees,
      cluster, land_ha, sector`, then the file's own extra columns, then `_row`.
      `outputs` / `inputs` are the `;`-joined codes as cleaned.
    - `offers`: the long form of outputs and inputs: `id, product, role`
      (`output` / `input`), `pos` (0 = first listed).
    - `links`: one row per link after merging duplicates: `source, target,
      product, volume, value, year, source_ext, target_ext, local`, extras, `_row`.
    - `products`: the catalog (given or default) plus codes seen only in the
      data (chain `unclassified`, stage 1, `in_catalog` False); `made_from` is a list.
    - `clusters`: the clusters table or None.
    - `chains`: the user's chains table (`code, name, name_en`) or None;
      `chain_names()` adds the bundled names of the default chains.
    - `about`: the `about` table as {key: value} (`region`, `source`, `plan`,
      `cluster_target`, …): what titles, footers and the report cite.
    - `year`: the year the links were cut to (`None` = no years or pooled).
    - `from_cache`: read back from the cache of validated datasets (`loading.cache`).

    `endpoint_rows()` and `offer_rows()` give the enterprise row of each link's
    ends and of each offer, so that analyses count on integers, not ids.
    """

    path: str
    enterprises: pd.DataFrame
    offers: pd.DataFrame
    links: pd.DataFrame
    products: pd.DataFrame
    clusters: pd.DataFrame | None
    report: LoadReport
    default_catalog: bool = True
    years: list[int] = field(default_factory=list)
    year: int | str | None = None
    all_links: pd.DataFrame | None = None  # every year's links, once cut to one year
    chains: pd.DataFrame | None = None
    about: dict[str, str] = field(default_factory=dict)
    from_cache: bool = field(default=False, compare=False)  # read back by `loading.cache`
    # Enterprise rows of each link's ends and of each offer, once known, with the
    # very tables they were found for: a table replaced (a copy made by
    # `replace()`, a what-if) is looked up afresh, never read through rows that
    # belonged to other links of the same length.
    _ends: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)
    _ends_for: tuple[pd.DataFrame, ...] = field(default=(), init=False, repr=False, compare=False)
    _offer_rows: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)
    _offer_rows_for: tuple[pd.DataFrame, ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def _tables(self, *names: str) -> tuple[pd.DataFrame, ...]:
        return tuple(getattr(self, n) for n in names)

    @staticmethod
    def _same(a: tuple[pd.DataFrame, ...], b: tuple[pd.DataFrame, ...]) -> bool:
        return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))

    def set_endpoint_rows(self, ends: np.ndarray) -> None:
        """Hand over the rows of each link's ends (2 × links), found for the
        current `links` and `enterprises`."""
        if ends.shape != (2, len(self.links)):
            raise ValueError(f"endpoint rows of shape {ends.shape} for {len(self.links)} links")
        self._ends, self._ends_for = ends, self._tables("links", "enterprises")

    def set_offer_rows(self, rows: np.ndarray) -> None:
        """Hand over the enterprise row of each offer, found for the current tables."""
        if len(rows) != len(self.offers):
            raise ValueError(f"{len(rows)} offer rows for {len(self.offers)} offers")
        self._offer_rows, self._offer_rows_for = rows, self._tables("offers", "enterprises")

    def endpoint_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """For each link, the row of its source and of its target in `enterprises`
        (-1 for an outside party). Computed once per dataset (a hash lookup of the
        ids); the loader hands over the rows it found while validating."""
        if self._ends is None or not self._same(
            self._ends_for, self._tables("links", "enterprises")
        ):
            ids = self.enterprises["id"]
            self.set_endpoint_rows(
                np.vstack(
                    [
                        np.where(
                            self.links[f"{end}_ext"].to_numpy(),
                            -1,
                            index_in(self.links[end], ids),
                        )
                        for end in ("source", "target")
                    ]
                )
            )
        assert self._ends is not None
        return self._ends[0], self._ends[1]

    def offer_rows(self) -> np.ndarray:
        """For each row of `offers`, the row of its enterprise in `enterprises`."""
        if self._offer_rows is None or not self._same(
            self._offer_rows_for, self._tables("offers", "enterprises")
        ):
            self.set_offer_rows(index_in(self.offers["id"], self.enterprises["id"]))
        assert self._offer_rows is not None
        return self._offer_rows

    def _with_links(self, links: pd.DataFrame, keep: np.ndarray | None, **changes: Any) -> Dataset:
        """A copy with `links`: this dataset's links where `keep`, or all of them
        when `keep` is None; the endpoint rows known go along."""
        out = replace(self, links=links, **changes)
        if self._offer_rows is not None and self._same(
            self._offer_rows_for, self._tables("offers", "enterprises")
        ):
            out.set_offer_rows(self._offer_rows)
        if self._ends is not None and self._same(
            self._ends_for, self._tables("links", "enterprises")
        ):
            out.set_endpoint_rows(self._ends if keep is None else self._ends[:, keep])
        return out

    def for_year(self, year: int | str | None) -> Dataset:
        """Return the dataset cut to one year of links.

        `None` picks the latest year present; `"all"` pools every year. A dataset
        whose links carry no year is returned unchanged with `year = None`.
        Raises `DataError` for a year not present.
        """
        from valuechain.errors import DataError

        pooled = self.pooled()
        if not self.years:
            return pooled._with_links(pooled.links, None, year=None)
        if year is None:
            year = max(self.years)
        if isinstance(year, str) and year.strip().lower() == "all":
            return pooled
        try:
            y = int(year)
        except (TypeError, ValueError) as exc:
            raise DataError(key="bad_year_option", year=year, years=self.years) from exc
        if y not in self.years:
            raise DataError(key="bad_year_option", year=y, years=self.years)
        links = pooled.links
        keep = (links["year"] == y).fillna(False).to_numpy(dtype=bool)
        if keep.all():  # one year only: the same links, no copy of them
            return pooled._with_links(links, None, year=y, all_links=links)
        return pooled._with_links(links[keep].reset_index(drop=True), keep, year=y, all_links=links)

    def product_attribute(self, column: str) -> pd.Series:
        """A catalog column (`chain`, `name`, `stage`, …) indexed by product code:
        the one lookup every analysis uses to go from a product to its chain."""
        return self.products.drop_duplicates("code").set_index("code")[column]

    def first_offer_attribute(self, column: str, role: str) -> np.ndarray:
        """For each enterprise, in order, the catalog `column` (`chain`, `stage`, …)
        of the first product it lists as `role` (`output` or `input`); None where
        it lists none or the catalog has no value for it. Found by offer row, not
        by id (no text look-up per enterprise)."""
        from valuechain.arrays import fast_map

        offers = self.offers
        first = ((offers["pos"] == 0) & (offers["role"] == role)).to_numpy()
        attribute = fast_map(offers["product"][first], self.product_attribute(column))
        values = attribute.to_numpy(dtype=object)
        rows = self.offer_rows()[first]
        out = np.full(len(self.enterprises), None, dtype=object)
        known = pd.notna(values) & (rows >= 0)
        out[rows[known]] = values[known]
        return out

    @property
    def is_sample(self) -> bool:
        """Whether this is the bundled, illustrative Bắc Kạn sample."""
        return _is_sample(Path(self.path))

    def told(self, key: str, lang: str) -> str | None:
        """What the `about` table says for `key` in `lang` (`plan_en` in English
        when given, else `plan`), or None."""
        value = (self.about.get(f"{key}_en") if lang == "en" else None) or self.about.get(key)
        return value or None

    def label(self, lang: str) -> str:
        """The dataset's name for titles: the region the `about` table names, else
        the bundled sample's name, else the folder's or workbook's name (never
        an installation path)."""
        from valuechain.i18n import t

        if self.told("region", lang):
            return printable(self.told("region", lang))
        return t("sample_name", lang) if self.is_sample else printable(Path(self.path).stem)

    def source(self, lang: str) -> str:
        """Where the data came from, for footers, in words: the `about` table's
        source, else the bundled sample's name, else the dataset's own name (the
        folder's or workbook's, never a path on the planner's disk)."""
        from valuechain.i18n import t

        if self.told("source", lang):
            return printable(self.told("source", lang))
        if self.is_sample:
            return t("sample_name", lang)
        return t("source_files", lang, name=printable(Path(self.path).name))

    @property
    def cluster_target(self) -> float | None:
        """The occupancy the dataset's plan sets for its clusters (`about`), or None."""
        from valuechain.loading.tables import parse_share

        return parse_share(self.about.get("cluster_target"))

    def chain_names(self) -> pd.DataFrame:
        """`code`, `name` (Vietnamese), `name_en` of every chain of the dataset's
        catalog: the dataset's own chains table first; the bundled names only for
        the bundled catalog's chains (a dataset with its own catalog never has
        another region's names put on its chains); any other chain by a
        readable form of its code (`lead_zinc` → `Lead zinc`)."""
        from valuechain.loading.catalog import UNCLASSIFIED, chain_names, readable_code

        bundled = chain_names()
        if not self.default_catalog:
            bundled = bundled[bundled["code"] == UNCLASSIFIED]
        parts = []
        if self.chains is not None:
            own = self.chains.copy()
            own["name_en"] = own["name_en"].where(own["name_en"] != "", own["name"])
            parts.append(own)
            bundled = bundled[~bundled["code"].isin(own["code"])]
        parts.append(bundled)
        named = pd.concat(parts, ignore_index=True)
        rest = sorted(set(self.products["chain"]) - set(named["code"]))
        if rest:
            readable = [readable_code(c) for c in rest]
            parts.append(pd.DataFrame({"code": rest, "name": readable, "name_en": readable}))
            named = pd.concat(parts, ignore_index=True)
        return named

    def pooled(self) -> Dataset:
        """The dataset with every year's links (`year = "all"` when links carry years)."""
        year = "all" if self.years else None
        if self.all_links is None:
            return self._with_links(self.links, None, year=year)
        return replace(self, links=self.all_links, all_links=None, year=year)


def _is_sample(path: Path) -> bool:
    try:
        return path.resolve() == bundled_sample().resolve()
    except LoadError:  # an installation without the sample
        return False


def bundled_sample() -> Path:
    """Return the path of the bundled Bắc Kạn sample (wheel or source checkout)."""
    here = Path(__file__).resolve().parent
    package = here.parent
    for candidate in (package / "_sample" / "bac_kan", package.parent / "data" / "bac_kan"):
        if (candidate / "enterprises.csv").is_file():
            return candidate
    raise LoadError(key="no_sample")


# --- reading tables ----------------------------------------------------------


def _numeric_headers(table: str) -> Callable[[list[str]], set[int]]:
    """Which header positions of `table` a reader may type as numbers: the ones no
    decimal mark can make ambiguous (degrees, years). Quantities stay text for the
    loader, which decides each column's mark (`4.800` may be four thousand eight
    hundred)."""
    wanted = {"lat", "lon", "year"} & (set(NUMERIC[table]) | {"year"})

    def pick(headers: list[str]) -> set[int]:
        return {i for i, h in enumerate(headers) if ALIASES[table].get(header_key(h)) in wanted}

    return pick


def _has_required(table: str) -> Callable[[list[str]], bool]:
    """Whether a row of cells is `table`'s header: it names every required column."""
    required = set(REQUIRED[table])

    def ok(cells: list[str]) -> bool:
        return required <= {ALIASES[table].get(header_key(c)) for c in cells}

    return ok


def _read_tables(path: Path, decimal: str | None) -> dict[str, RawTable]:
    """Every table present; a missing required one is reported before any file is
    read (a folder) or once the workbook is (its sheets come in one read)."""
    if path.is_dir():
        files = _table_files(path)
        present = [table for table in TABLES if table in files]
        _require(path, present)
        return {
            table: read_csv_table(
                files[table],
                numeric=_numeric_headers(table),
                decimal=decimal,
                header_ok=_has_required(table),
            )
            for table in present
        }
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_sheet_tables(path, _has_required)
        present = [table for table in TABLES if table in sheets]
        _require(path, present)
        return {table: sheets[table] for table in present}
    raise LoadError(key="not_dataset", path=path)


def _require(path: Path, present: list[str]) -> None:
    """Raise `LoadError` when the enterprises or links table is not among `present`."""
    for table in ("enterprises", "links"):
        if table not in present:
            found = ", ".join(sorted(present)) or "–"
            where = TABLES[table] if path.is_dir() else f"sheet '{table}'"
            raise LoadError(
                key="missing_table", path=path, table=table, expected=where, found=found
            )


def _table_files(folder: Path) -> dict[str, Path]:
    """The CSV file of each table in `folder`, named in English or Vietnamese
    (`links.csv`, `Liên kết.csv`, `lien_ket.csv`). Other files — editors' lock
    files, dangling links, notes — are not read. A table present twice is refused."""
    found: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() != ".csv" or not p.is_file():
            continue
        table = table_of_name(p.stem)
        if table is None:
            continue
        if table in found:
            raise LoadError(
                key="duplicate_table",
                path=folder,
                table=table,
                first=found[table].name,
                second=p.name,
            )
        found[table] = p
    return found


def input_files(path: Path) -> list[Path]:
    """The files a load of `path` reads (the tables of a folder, or the workbook)."""
    if path.is_dir():
        return sorted(_table_files(path).values())
    return [path] if path.is_file() else []


def load(
    path: str | Path | None = None,
    *,
    year: int | str | None = None,
    decimal: str | None = None,
    cache: bool = False,
) -> Dataset:
    """Load a dataset folder or workbook; `None` loads the bundled Bắc Kạn sample.

    Like every command, the dataset is cut to one year of links: `year=None`
    takes the latest present, `year="all"` pools every year (a dataset whose
    links carry no year is the same either way); `Dataset.for_year` cuts again.
    `decimal` ("," or ".") overrides the per-file decimal-mark detection.
    Returns a `Dataset` whose `report` lists every rejected row and dropped cell.
    Raises `LoadError` when a required table or column is missing, `DataError`
    for a year not present. With `cache`, an input validated before is
    read back from the user's cache instead (identical result, a fraction of
    the time).
    """
    path = Path(path) if path is not None else bundled_sample()
    if not path.exists():
        raise LoadError(key="no_such_path", path=path)
    entry = None
    if cache and store.enabled():
        entry = store.key(path, input_files(path), decimal)
        hit = store.read(entry)
        if hit is not None:
            return _from_cache(*hit).for_year(year)
    dataset = _load_files(path, decimal)
    if entry is not None:
        store.write(
            entry,
            {name: getattr(dataset, name) for name in ("enterprises", "offers", "links")},
            {name: getattr(dataset, name) for name in _CACHED_META},
            dataset._ends,
            dataset._offer_rows,
        )
    return dataset.for_year(year)


_CACHED_META = (
    "path",
    "products",
    "clusters",
    "chains",
    "about",
    "report",
    "default_catalog",
    "years",
)


def _from_cache(
    frames: dict[str, pd.DataFrame], meta: dict[str, Any], ends: np.ndarray, offer_rows: np.ndarray
) -> Dataset:
    dataset = Dataset(**frames, **meta, from_cache=True)
    dataset.set_endpoint_rows(ends)
    dataset.set_offer_rows(offer_rows)
    return dataset


def _load_files(path: Path, decimal: str | None) -> Dataset:
    tables = _read_tables(path, decimal)
    if _is_sample(path):
        # The bundled sample's files are named by the sample, not by where the
        # package was installed.
        for raw in tables.values():
            raw.file = f"{path.name}/{Path(raw.file).name}"
    report = LoadReport()
    products, default = load_products(tables.get("products"), report)
    clusters = load_clusters(tables.get("clusters"), decimal, report)
    chains = load_chains(tables.get("chains"), report)
    about = load_about(tables.get("about"), report)
    rejected: dict[str, int] = {}
    enterprises = load_enterprises(tables["enterprises"], decimal, report, clusters, rejected)
    links, ends = load_links(
        tables["links"],
        decimal,
        report,
        enterprises["id"],
        names=enterprises["name"],
        rejected_ids=rejected,
    )
    if clusters is not None:  # a district spelled as the enterprises spell it
        clusters["district"] = follow_spellings(clusters["district"], enterprises["district"])
    if chains is not None:
        chains["code"] = follow_spellings(chains["code"], products["chain"])
    offers, offer_rows = offers_table(enterprises)
    files = {name: raw.file for name, raw in tables.items()}
    products = add_unclassified(products, offers, links, files, report)
    years = sorted(int(y) for y in links["year"].dropna().unique())
    no_year = int(links["year"].isna().sum())
    if years and no_year:
        report.add("warning", files["links"], [None], "year", "no_year_links", {"n": no_year})
    dataset = Dataset(
        path=str(path),
        enterprises=enterprises,
        offers=offers,
        links=links,
        products=products,
        clusters=clusters,
        report=report,
        default_catalog=default,
        years=years,
        chains=chains,
        about=about,
    )
    dataset.set_endpoint_rows(ends)
    dataset.set_offer_rows(offer_rows)
    return dataset
