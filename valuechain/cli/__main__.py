"""`python -m valuechain.cli`."""

from valuechain.cli import main

main()
