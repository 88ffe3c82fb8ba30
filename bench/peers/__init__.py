"""Peers of negatives on the same work (CLIPS, plain Python) and the parity projection."""
