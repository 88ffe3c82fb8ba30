"""`python -m negatives` runs the negatives command."""

from negatives.cli import run

run()
