"""Files to a validated Dataset: reading, checking, merging, the load report, the cache."""
