"""negatives: a rule-engine expert system for negative (eccentric) strength training."""

from __future__ import annotations

__version__ = "0.1.0"
