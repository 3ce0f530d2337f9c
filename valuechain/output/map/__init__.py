"""The interactive linkage map: its data, layout and page."""
