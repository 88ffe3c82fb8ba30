"""negatives command-line interface (click); holds no domain logic."""
