"""The analyses: pure functions from a Dataset to DataFrames."""
