"""Why not: for each lift the athlete asked about, the real reasons a method is not planned."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Advice = dict[str, Any]
QUIET = ("not-now", "blocked")  # a method-wide answer: its own line says why


@dataclass(frozen=True)
class Reason:
    """One reason: for one method (None: for every method) and one lift, or a pairing cap."""

    lift: str
    method: str | None
    says: str
    rule: str | None


def reasons(advice: Advice) -> list[Reason]:
    """Reasons for the lifts the athlete asked about, in their order; nothing about other lifts."""
    planned = {(r["method"], r["target_lift"]) for r in advice["recommendations"]}
    planned_lifts = {r["target_lift"] for r in advice["recommendations"]}
    out: list[Reason] = []
    for lift in advice["athlete"].get("lifts", []):
        for m in advice["methods"]:
            if (m["method"], lift) in planned or m["status"] in QUIET:
                continue
            out += _method_reasons(advice, m, lift)
        if lift not in planned_lifts:
            out += [Reason(lift, None, w["says"], w["rule"]) for w in advice.get("why_not", [])
                    if w["lift"] == lift and w["method"] is None]
    return _unique(out)


def _method_reasons(advice: Advice, m: dict[str, Any], lift: str) -> list[Reason]:
    own = [w for w in advice.get("why_not", []) if w["lift"] == lift and
           w["method"] == m["method"]]
    if own:  # the most fundamental reason (lowest priority number) is the one to hear
        first = min(w.get("priority", 0) for w in own)
        return [Reason(lift, m["method"], w["says"], w["rule"]) for w in own
                if w.get("priority", 0) == first]
    considered = [c for c in m["candidates"] if lift in c.get("lifts", [])]
    if any(c["status"] == "recommended" for c in considered):
        return [Reason(lift, m["method"], "", None)]  # the plan took another (a cap)
    return [Reason(lift, m["method"], c["decided_by"]["says"], c["decided_by"]["rule"])
            for c in considered if c["status"] in QUIET and c["decided_by"]]


def unexplained(advice: Advice) -> list[str]:
    """Asked lifts that get no plan and no reason at all (the rules should cover every one)."""
    if all(m["status"] in QUIET for m in advice["methods"]):
        return []  # every method has a method-wide answer, which its own line gives
    planned = {r["target_lift"] for r in advice["recommendations"]}
    told = {r.lift for r in reasons(advice)}
    return [lift for lift in advice["athlete"].get("lifts", [])
            if lift not in planned and lift not in told]


def _unique(found: list[Reason]) -> list[Reason]:
    seen: set[tuple[str, str | None, str]] = set()
    out = []
    for r in found:
        key = (r.lift, r.method, r.says)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
