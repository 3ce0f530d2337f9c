"""`python -m valuechain.cli`."""

from . import main

main()
