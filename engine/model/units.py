"""Loads between kilograms and pounds, by the knowledge base's kg_per_lb (an outside fact)."""

from __future__ import annotations

from negatives.engine.model.knowledge import Knowledge


def convert(value: float, units: str, to: str, kb: Knowledge) -> float:
    """`value` in `units` expressed in `to` (kg or lb)."""
    if units == to:
        return value
    kg_per_lb = kb.setting("kg_per_lb")
    return value * kg_per_lb if units == "lb" else value / kg_per_lb


def show(value: float) -> str:
    """A load as people write it: 200, 440.9 (one decimal at most)."""
    return f"{round(value, 1):g}"
