"""Turn analysis results into the text the command line prints: csv, json, or a table for people.

csv and json are for programs and stable; the table is for a planner, with
Vietnamese or English headers. No printing here: functions return strings.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from valuechain.i18n import TEXT, Language, t
from valuechain.i18n.numbers import date_text, number_text, percent_text

__all__ = [
    "FORMATS",
    "chain_display_names",
    "plain",
    "to_csv",
    "to_json",
    "to_table",
    "safe_cell",
    "records",
    "cell_text",
    "header_text",
    "value_text",
    "number_text",  # from i18n.numbers
    "percent_text",
    "date_text",
]

from valuechain.choices import FORMATS


def plain(value: object, column: str = "") -> object:
    """A cell as a JSON-ready Python value: null for NaN/NA, lists kept, floats
    unrounded (a whole one as an int), so that a program reads back exactly the
    number computed. Tables for people round in `cell_text`. `column` is kept
    for callers that name the column; no column is treated differently.

    >>> plain(3 / 11), plain(2.0), plain(float("nan"))
    (0.2727272727272727, 2, None)
    """
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        value = float(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """The frame's rows as JSON-ready dicts (column order kept), converted column by
    column: a million rows take about a second, not a Python call per cell."""
    columns = [str(c) for c in frame.columns]
    values = [_column_values(frame[c], c) for c in frame.columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _column_values(column: pd.Series, name: str) -> list:
    if pd.api.types.is_bool_dtype(column) and not column.isna().any():
        return column.astype(bool).tolist()
    if pd.api.types.is_float_dtype(column):
        arr, whole = _numbers(column)
        out = arr.astype(object)
        out[whole] = arr[whole].astype(np.int64).astype(object)
        out[np.isnan(arr)] = None
        return out.tolist()
    if pd.api.types.is_integer_dtype(column):
        missing = column.isna().to_numpy()
        values = column.fillna(0).astype(np.int64).tolist()
        for i in np.flatnonzero(missing):
            values[i] = None
        return values
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        return column.to_numpy(dtype=object, na_value=None).tolist()
    if kind == "mixed":
        cells = column.tolist()
        if _all_text_lists(cells):
            return cells
    return [plain(v, str(name)) for v in column.tolist()]


def _numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A numeric column as floats (`plain`, vectorised), and which values are
    whole (written without a decimal point)."""
    arr = column.to_numpy(dtype=float, na_value=np.nan)
    return arr, np.isfinite(arr) & (arr == np.round(arr)) & (np.abs(arr) < 2**53)


def _all_text_lists(cells: list) -> bool:
    """Every cell is a list of str (flags, codes): already JSON-ready. Lists
    shared by many rows (flags) are looked into once."""
    if not all(type(v) is list for v in cells):
        return False
    distinct = {id(v): v for v in cells}.values()
    flat = [x for v in distinct for x in v]
    return pd.api.types.infer_dtype(flat, skipna=False) in ("string", "empty")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Neutralise a text cell a spreadsheet would run as a formula (OWASP CSV injection).

    A cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
    `'`, unless it is a plain number such as `-12.5`.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-12.5"), safe_cell("LN001")
    ("'=HYPERLINK(1)", '-12.5', 'LN001')
    """
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return safe_cell(";".join("" if v is None else str(v) for v in value))
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


def to_csv(frame: pd.DataFrame) -> str:
    """CSV text with the machine conventions: unrounded numbers, empty null,
    true/false, `;`-joined lists, formula-looking text guarded (`safe_cell`).

    Quoted as Python's csv module quotes (a cell holding a comma, a quote or a
    line feed; a row's only cell when it is empty), and a cell holding a
    carriage return too, which readers would otherwise take for a line end.
    """
    lone = len(frame.columns) == 1
    header = [_quote(str(c), lone) for c in frame.columns]
    columns = [
        [_quote(_csv_cell(v), lone) for v in _column_values(frame[c], str(c))]
        for c in frame.columns
    ]
    lines = [",".join(header), *(",".join(row) for row in zip(*columns, strict=True))]
    if not len(frame.columns):
        lines += [""] * len(frame)
    return "\n".join(lines) + "\n"


_NEEDS_QUOTES = re.compile(r'[",\n\r]')


def _quote(cell: str, lone: bool) -> str:
    if _NEEDS_QUOTES.search(cell) or (lone and not cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def to_json(payload: object) -> str:
    """JSON text: DataFrames become lists of records, NaN becomes null, UTF-8 kept."""

    def convert(obj: object) -> object:
        if isinstance(obj, pd.DataFrame):
            return records(obj)
        if isinstance(obj, dict):
            return {k: convert(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [convert(v) for v in obj]
        return plain(obj)

    data = convert(payload)
    # Indented for people up to a few thousand rows; compact beyond, where size wins.
    big = isinstance(payload, dict) and any(
        isinstance(v, pd.DataFrame) and len(v) > 5000 for v in payload.values()
    )
    return json.dumps(data, ensure_ascii=False, indent=None if big else 2) + "\n"


_PERCENT = ("share", "rate", "completeness", "coverage", "occupancy", "risk", "output_kept",
            "precision", "recall", "local_content", "leakage")  # fmt: skip


def cell_text(value: object, lang: Language, width: int, column: str = "") -> str:
    value = plain(value, column)
    if value is None:
        text = "–"
    elif isinstance(value, bool):
        text = t("yes" if value else "no", lang)
    elif isinstance(value, list):
        text = ", ".join(value_text(str(v), lang) for v in value)
    elif isinstance(value, int | float) and any(p in column for p in _PERCENT):
        text = percent_text(value, lang)
    elif isinstance(value, float):
        if column.endswith("km") or "score" in column or column == "delta":
            text = number_text(value, lang, 1)
        elif abs(value) >= 100:
            text = number_text(value, lang, 0)
        else:
            text = number_text(value, lang, 3, group=False)
            text = text.rstrip("0").rstrip(",." if lang == "vi" else ".")
    elif isinstance(value, int):
        label_like = column in ("year", "row", "rank", "year_from", "year_to")  # names, not counts
        text = number_text(value, lang) if abs(value) >= 1000 and not label_like else str(value)
    else:
        text = value_text(str(value), lang)
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(
    frame: pd.DataFrame,
    *,
    lang: Language,
    limit: int | None = 30,
    width: int = 38,
    notes: Iterable[str] = (),
    names: dict[str, pd.Series] | None = None,
) -> str:
    """An aligned text table with headers in `lang`; at most `limit` rows, then a count
    of what was left out. `notes` are printed above (weight, year). `names` maps a
    column (`chain`, `product`) to the names its codes are shown by."""
    lines = list(notes)
    if frame.empty:
        lines.append(t("nothing", lang))
        return "\n".join(lines) + "\n"
    shown = frame if not limit else frame.head(limit)
    shown = with_names(shown, names)
    headers = [header_text(str(c), lang) for c in frame.columns]
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]
    columns = [str(c) for c in frame.columns]
    cells = [
        [cell_text(v, lang, width, c) for v, c in zip(row, columns, strict=True)]
        for row in shown.itertuples(index=False, name=None)
    ]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def fmt(row: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ).rstrip()

    lines.append(fmt(headers))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(fmt(r) for r in cells)
    if len(frame) > len(shown):
        lines.append(t("more_rows", lang, n=number_text(len(frame) - len(shown), lang)))
    return "\n".join(lines) + "\n"


def chain_display_names(ds, lang: Language) -> pd.Series:
    """Each chain's name in `lang`, by code: `display_names`' chain names alone
    (without the look-ups of every product and enterprise it also makes)."""
    return ds.chain_names().set_index("code")["name" if lang == "vi" else "name_en"]


def display_names(ds, lang: Language) -> dict[str, pd.Series]:
    """Names to show people instead of codes, per column: chains (the dataset's
    chains table, else the bundled names), products (the catalog's `name`, or
    `name_en` in English where the catalog has it) and the enterprise a row
    points to (`nearest_candidate`). Codes without a name are shown as they are."""
    chains = chain_display_names(ds, lang)
    products = ds.products.drop_duplicates("code").set_index("code")
    names = products["name"]
    if lang == "en" and "name_en" in products:
        english = products["name_en"].where(products["name_en"].astype(str) != "")
        names = english.fillna(names)
    names = names[names.astype(str) != ""]
    # An enterprise a row points to (the nearest buyer) by its name.
    enterprise = ds.enterprises.drop_duplicates("id").set_index("id")["name"]
    return {
        "chain": chains,
        "weak_chains": chains,
        "product": names,
        "outputs": names,
        "from": names,
        "nearest_candidate": enterprise,
    }


def with_names(frame: pd.DataFrame, names: dict[str, pd.Series] | None) -> pd.DataFrame:
    """The frame with the codes of the columns in `names` replaced by their names
    (a code without a name is kept)."""
    if not names:
        return frame
    frame = frame.copy()
    for column, mapping in names.items():
        for target in [c for c in frame.columns if c == column]:
            frame[target] = frame[target].map(
                lambda v, m=mapping: (
                    [m.get(x, x) for x in v] if isinstance(v, list) else m.get(v, v)
                )
            )
    return frame


def header_text(column: str, lang: Language) -> str:
    """A column's header in `lang` (the machine name when the table has none)."""
    key = "col_" + column
    return t(key, lang) if key in TEXT else column


def weight_unit(weight: str, lang: Language) -> str:
    """The unit a weight is counted in: million VND for value, each product's
    own unit for volume, links for the count.

    >>> weight_unit("value", "vi"), weight_unit("links", "en")
    ('triệu đồng', 'links')
    """
    return t("unit_" + weight, lang) if "unit_" + weight in TEXT else ""


def with_unit(label: str, weight: str, lang: Language) -> str:
    """`label (unit)`: a flow's label with the unit of the weight it is in."""
    unit = weight_unit(weight, lang)
    return f"{label} ({unit})" if unit else label


def value_text(value: str, lang: Language) -> str:
    """Enumerated values (statuses, flags, types) in the reader's language."""
    key = "val_" + value
    return t(key, lang) if key in TEXT else value


# What a planner reads of each list of priorities: its own columns, what is at
# stake named for what it is.
_PRIORITY_VIEW = {
    "connect": {
        "rank": "rank",
        "name": "name",
        "district": "district",
        "product": "product",
        "partner_name": "partner_name",
        "partner_district": "partner_district",
        "km": "km",
        "at_stake": "value_out",
        "reason": "reason",
    },
    "attract": {
        "rank": "rank",
        "product": "product",
        "partner": "from",
        "at_stake": "raw_out",
        "value_added_estimate": "value_added_estimate",
    },
    "protect": {"rank": "rank", "name": "name", "district": "district", "at_stake": "risk"},
}


def priority_view(frame: pd.DataFrame, action: str) -> pd.DataFrame:
    """One list of the priorities as a planner reads it: its own columns."""
    view = _PRIORITY_VIEW[action]
    return frame.loc[frame["action"] == action, list(view)].rename(columns=view)


def priorities_tables(
    frame: pd.DataFrame, ds, lang: Language, weight: str, limit: int | None, actions: Iterable[str]
) -> str:
    """The priorities for people: one titled table per list asked for (an empty
    one says so), names not codes, what is at stake with its unit."""
    names = display_names(ds, lang)
    out = []
    for action in _PRIORITY_VIEW:
        if action not in actions:
            continue
        title = t("prio_h_" + action, lang)
        if action != "protect":
            title += f" ({weight_unit(weight, lang)})"
        out.append(title)
        out.append(to_table(priority_view(frame, action), lang=lang, limit=limit, names=names))
    return "\n".join(out)


def whatif_text(result: dict, ds, lang: Language) -> str:
    """A what-if's answer for people: figures before, after and change, each with
    its unit (a change of share in percentage points), chain scores, products
    whose status changes, who gained or lost a local buyer, what a closure costs
    the region (the output share `critical` gives) and the enterprises it hits;
    lines that do not apply to the scenario are left out."""
    figures = []
    for key, label in (("unlinked", "wi_unlinked"), ("local_links", "wi_local_links"),
                       ("local_share", "wi_local_share")):  # fmt: skip
        before, after = result["before"][key], result["after"][key]
        change = None if before is None or after is None else after - before
        if key == "local_share":  # shown as percentages, the change in points
            before, after = ("–" if v is None else percent_text(v, lang) for v in (before, after))
            if change is not None:
                sign = "+" if change > 0 else ""
                change = t("wi_points", lang, n=sign + number_text(100 * change, lang, 1))
            else:
                change = "–"
        else:
            change = "–" if change is None else f"{change:+d}".replace("+0", "0")
        figures.append((t(label, lang), before, after, change))
    frame = pd.DataFrame(figures, columns=["figure", "before", "after", "change"], dtype=object)
    weight = result["weight"]
    unit = with_unit(value_text(weight, lang), weight, lang)
    lines = [t("weight_used", lang, weight=unit)]
    lines.append(to_table(frame, lang=lang, limit=None).rstrip("\n"))
    if result.get("new_id"):  # a new plant: what it keeps in the region
        kept = number_text(result["weight_kept"], lang, 1)
        lines.append(t("whatif_kept", lang, kept=kept, unit=weight_unit(weight, lang)))
        lines.append(t("whatif_new_id", lang, id=result["new_id"]))
    if result.get("loss") is not None:  # a closure: what the region loses, as `critical` says
        lines.append(t("whatif_loss", lang, share=percent_text(result["loss"], lang)))
    names = display_names(ds, lang)
    chains = pd.DataFrame(result["chains"])
    if len(chains):
        lines.append("")
        lines.append(to_table(chains, lang=lang, limit=None, names=names).rstrip("\n"))
    if result["products"]:
        lines.append("")
        frame = pd.DataFrame(result["products"])
        lines.append(to_table(frame, lang=lang, limit=None, names=names).rstrip("\n"))
    name_of = ds.enterprises.set_index("id")["name"]
    for key in ("became_linked", "became_unlinked"):
        ids = result[key]
        if not ids and (key == "became_linked") == bool(result.get("loss") is not None):
            continue  # a closure finds nobody a buyer; a new plant takes nobody's
        who = ", ".join(f"{name_of.get(i, i)} ({i})" for i in ids)
        lines.append(t("wi_" + key, lang, n=len(ids)) + (": " + who if ids else ""))
    if result["hit"]:
        lines.append("")
        lines.append(t("whatif_hit", lang))
        frame = pd.DataFrame(result["hit"]).rename(columns={"h": "output_kept"})
        frame.insert(1, "name", frame["id"].map(name_of))
        lines.append(to_table(frame.drop(columns=["id"]), lang=lang, limit=None).rstrip("\n"))
    return "\n".join(lines) + "\n"
