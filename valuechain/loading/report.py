"""The load report: every rejected row and dropped cell, with file, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from valuechain.i18n import DEFAULT_LANG, t
from valuechain.printing import printable

__all__ = ["LoadReport", "REPORT_COLUMNS"]

REPORT_COLUMNS = ["level", "file", "row", "column", "message"]


@dataclass
class LoadReport:
    """Problems found while loading, and per-table row counts.

    `counts[table]` holds `read`, `loaded` and `rejected`; `read` always equals
    `loaded + rejected`. A problem of level `error` is a rejected row; `warning`
    is a dropped cell or a note, the row kept.
    """

    problems: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(
        self,
        level: str,
        file: str,
        rows: pd.Series | list[int],
        column: str,
        code: str,
        params: pd.DataFrame | list[dict[str, Any]] | dict[str, Any] | None = None,
    ) -> None:
        """Record one problem per row number in `rows`, vectorised over the caller's mask.

        `params` is one dict for every row, or a list / DataFrame aligned with `rows`.
        """
        rows = list(rows)
        if not rows:
            return
        file = printable(file)  # a folder named with control characters prints safely
        if params is None or isinstance(params, dict):
            plist = [params or {}] * len(rows)
        elif isinstance(params, pd.DataFrame):
            plist = params.to_dict("records")
        else:
            plist = list(params)
        for row, p in zip(rows, plist, strict=True):
            self.problems.append(
                {
                    "level": level,
                    "file": file,
                    "row": row,
                    "column": column,
                    "code": code,
                    "params": p,
                }
            )

    @property
    def rejected_rows(self) -> int:
        """Rows rejected over all tables."""
        return sum(c["rejected"] for c in self.counts.values())

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p["level"] == "warning")

    def frame(self, lang: str = DEFAULT_LANG) -> pd.DataFrame:
        """Return the report as `level,file,row,column,message`, sorted by file and row.

        A problem that concerns a whole table (no row) has an empty row.
        """
        if not self.problems:
            return pd.DataFrame(columns=REPORT_COLUMNS)
        out = pd.DataFrame(
            [
                {
                    "level": p["level"],
                    "file": p["file"],
                    "row": p["row"],
                    "column": p["column"],
                    "message": t(p["code"], lang, column=p["column"], **p["params"]),
                }
                for p in self.problems
            ],
            columns=REPORT_COLUMNS,
        )
        out["row"] = pd.array(out["row"], dtype="Int64")
        order = out.assign(_r=out["row"].fillna(0)).sort_values(["file", "_r"], kind="stable").index
        return out.loc[order].reset_index(drop=True)
