"""Why not: for each lift the athlete asked about and got no plan for, the real reasons."""

from __future__ import annotations

from typing import Any

from negatives.engine.load.records import record

Advice = dict[str, Any]
QUIET = ("not-now", "blocked")  # a method-wide answer: the method's own line says why


@record
class Reason:
    """One reason about one lift: for one method (None: for every method), or the pairing cap."""

    lift: str
    method: str | None
    says: str
    rule: str | None  # None: the plan took another lift's pairing (the pairings-per-block cap)


def reasons(advice: Advice) -> list[Reason]:
    """Reasons for the asked lifts without a plan, in the athlete's order; no other lift."""
    planned = {r["target_lift"] for r in advice["recommendations"]}
    out: list[Reason] = []
    for lift in advice["athlete"].get("lifts", []):
        if lift in planned:
            continue  # the plan answers for this lift
        for m in advice["methods"]:
            if m["status"] not in QUIET:
                out += _method_reasons(advice, m, lift)
        out += [Reason(lift, None, w["says"], w["rule"]) for w in advice.get("why_not", [])
                if w["lift"] == lift and w["method"] is None]
    return _unique(out)


def _method_reasons(advice: Advice, m: dict[str, Any], lift: str) -> list[Reason]:
    considered = [c for c in m["candidates"] if lift in c.get("lifts", [])]
    if any(c["status"] == "recommended" for c in considered):
        return [Reason(lift, m["method"], "", None)]  # recommended, but the plan took another
    mine = [w for w in advice.get("why_not", []) if w["lift"] == lift and
            w["method"] == m["method"]]
    # A rule's own why-not comes first; else what held the candidates back, the widest first.
    found = [w for w in mine if w.get("from") != "candidates"] or mine
    if not found:
        return []
    best = min(_rank(w) for w in found)
    return [Reason(lift, m["method"], w["says"], w["rule"]) for w in found if _rank(w) == best]


def _rank(w: dict[str, Any]) -> tuple[int, int]:
    return (-int(w.get("covers", 0)), int(w.get("priority", 0)))


def unexplained(advice: Advice) -> list[str]:
    """Asked lifts without a plan or a reason while a method is recommended for other lifts.

    With no method recommended at all, each method's own line is the answer for every lift.
    """
    if not any(m["status"] == "recommended" for m in advice["methods"]):
        return []
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
