"""What valuechain writes: csv/json/table text, exports, the map and the report."""
