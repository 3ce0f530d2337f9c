"""`python -m valuechain.cli`."""

from valuechain.cli import run

run()
