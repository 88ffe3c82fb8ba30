"""`python -m cli` runs the negatives command."""

from cli import run

run()
