"""valuechain: find where a region's value chains are broken.

The library's front door::

    import valuechain as vc
    ds = vc.load("my_province/")        # the latest year, as the command line; year="all" pools
    vc.unlinked_producers(ds)           # producers with no local buyer
    vc.chain_coupling(ds)               # every analysis takes weight="auto" | "value" | ...
    vc.write_map(ds, "graphs/map.html")

Names are imported on first use (PEP 562), so `valuechain --help` stays fast.
The command line is `valuechain.cli`; methods are explained in docs/methods.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_EXPORTS = {
    "__version__": "_version",  # read from the installed metadata when asked (35 ms)
    "load": "loading.dataset",
    "Dataset": "loading.dataset",
    "unlinked_producers": "analysis.unlinked",
    "enterprise_flags": "analysis.unlinked",
    "product_status": "analysis.products",
    "missing_stages": "analysis.products",
    "chain_coupling": "analysis.coupling",
    "chain_flows": "analysis.coupling",
    "linkage_indices": "analysis.linkages",
    "suggest_links": "analysis.suggest",
    "cluster_occupancy": "analysis.clusters",
    "year_trend": "analysis.progress",
    "chain_trend": "analysis.progress",
    "compare": "analysis.progress",
    "summarize": "analysis.summary",
    "build_graph": "analysis.graph",
    "Slice": "analysis.slices",
    "critical_enterprises": "analysis.critical",
    "value_added": "analysis.value",
    "priorities": "analysis.priorities",
    "whatif": "analysis.whatif",
    "Scenario": "analysis.whatif",
    "write_map": "output.map.page",
    "MapOptions": "output.map.options",
    "write_report": "output.report.page",
    "ReportOptions": "output.report.page",
    "export": "output.export",
    "ValuechainError": "errors",
}

__all__ = [  # noqa: RUF022 (grouped as in _EXPORTS)
    "load", "Dataset",
    "unlinked_producers", "enterprise_flags", "product_status", "missing_stages",
    "chain_coupling", "chain_flows", "linkage_indices", "suggest_links",
    "cluster_occupancy", "year_trend", "chain_trend", "compare", "summarize",
    "build_graph", "Slice", "critical_enterprises", "value_added", "priorities", "whatif",
    "Scenario",
    "write_map", "MapOptions", "write_report", "ReportOptions", "export",
    "ValuechainError", "__version__",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'valuechain' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # for editors and type checkers; nothing is imported at run time
    from valuechain.analysis.clusters import cluster_occupancy
    from valuechain.analysis.coupling import chain_coupling, chain_flows
    from valuechain.analysis.critical import critical_enterprises
    from valuechain.analysis.graph import build_graph
    from valuechain.analysis.linkages import linkage_indices
    from valuechain.analysis.priorities import priorities
    from valuechain.analysis.products import missing_stages, product_status
    from valuechain.analysis.progress import chain_trend, compare, year_trend
    from valuechain.analysis.slices import Slice
    from valuechain.analysis.suggest import suggest_links
    from valuechain.analysis.summary import summarize
    from valuechain.analysis.unlinked import enterprise_flags, unlinked_producers
    from valuechain.analysis.value import value_added
    from valuechain.analysis.whatif import Scenario, whatif
    from valuechain.errors import ValuechainError
    from valuechain.loading.dataset import Dataset, load
    from valuechain.output.export import export
    from valuechain.output.map.options import MapOptions
    from valuechain.output.map.page import write_map
    from valuechain.output.report.page import ReportOptions, write_report
