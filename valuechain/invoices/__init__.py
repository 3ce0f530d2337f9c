"""From national e-invoice lines to a region's dataset.

`lines` cleans one chunk of invoice lines with pandas and pyarrow (tax codes, years,
amounts, who is inside the region) — the same code for every engine;
`engine` runs it over any number of files on a Dask cluster and sums the links;
`synthetic` writes invoice lines to try it at scale. Dask is an extra
(`pip install 'valuechain[dask]'`); nothing here imports it until it runs.
"""
