"""valuechain: find where a region's value chains are broken.

Load a dataset with `valuechain.load.load`, then run the analyses of SPEC §3
(`unlinked`, `products`, `coupling`, `linkages`, `suggest`). The command line
is `valuechain.cli`.
"""

from __future__ import annotations

__version__ = "0.1.0"
