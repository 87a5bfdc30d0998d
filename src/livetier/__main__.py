"""``python -m livetier``."""

from livetier.entrypoints.cli import main

main()
