"""Benchmarks (bench/run.py) and the peers negatives is measured against (bench/peers/)."""
