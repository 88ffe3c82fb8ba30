"""`python -m cli` runs the negatives command."""

from cli.main import main

main()
