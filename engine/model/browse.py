"""The knowledge base as lists a person can browse: exercises, lifts, pairings and methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from negatives.engine.model.knowledge import Citation, Knowledge

Item = dict[str, Any]


def _source(cite: Citation) -> Item:
    return cite.as_dict()


def _muscles(kb: Knowledge, ids: tuple[str, ...]) -> list[str]:
    return [kb.muscles[m].name if m in kb.muscles else m for m in ids]


def exercises(kb: Knowledge) -> list[Item]:
    return [{"name": e.name, "aliases": list(e.aliases), "muscles": _muscles(kb, e.muscles),
             "equipment": list(e.equipment), "pattern": e.pattern, "laterality": e.laterality,
             "compound": e.compound, "spottable": e.spottable, "source": _source(e.cite)}
            for e in sorted(kb.exercises.values(), key=lambda e: e.name)]


def lifts(kb: Knowledge) -> list[Item]:
    return [{"name": lift.name, "aliases": list(lift.aliases), "pattern": lift.pattern,
             "muscles": _muscles(kb, lift.muscles), "source": _source(lift.cite)}
            for lift in sorted(kb.lifts.values(), key=lambda x: x.name)]


def pairings(kb: Knowledge) -> list[Item]:
    return [{"name": p.id, "method": p.method, "target": p.movement_target,
             "concentric": p.concentric, "eccentric": p.eccentric, "source": _source(p.cite)}
            for p in sorted(kb.pairings.values(), key=lambda p: p.id)]


def methods(kb: Knowledge) -> list[Item]:
    return [{"name": m.id, "title": m.name, "summary": " ".join(m.summary.split()),
             "needs_partner": m.needs_partner,
             "parameters": {p.name: {"value": p.value, "unit": p.unit}
                            for p in m.parameters.values()},
             "source": _source(m.cite)}
            for m in sorted(kb.methods.values(), key=lambda m: m.id)]


LISTINGS: dict[str, Callable[[Knowledge], list[Item]]] = {
    "exercises": exercises, "lifts": lifts, "pairings": pairings, "methods": methods,
}


def matches(item: Item, words: str) -> bool:
    """Every word appears in the item's names, muscles, equipment or method (any case)."""
    fields = [item["name"], *item.get("aliases", []), *item.get("muscles", []),
              *item.get("equipment", []), item.get("method", ""), item.get("concentric", ""),
              item.get("eccentric", ""), item.get("title", "")]
    text = " ".join(str(f) for f in fields).lower()
    return all(word in text for word in words.lower().split())
