"""The names users choose among, defined once for the library and the command
line alike (this module imports nothing, so `valuechain --help` stays fast)."""

from __future__ import annotations

__all__ = ["WEIGHTS", "FORMATS", "EXPORT_FORMATS"]

# What a link weighs in every share: auto = value, else volume, else link count.
WEIGHTS = ("auto", "value", "volume", "links")
# How a listing is printed: a table for people, csv and json for programs.
FORMATS = ("table", "csv", "json")
# What `export` writes.
EXPORT_FORMATS = ("xlsx", "geojson", "gexf", "graphml")
