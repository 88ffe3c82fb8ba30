"""Loads a lifter can load: equipment steps, never above a ceiling, weekly steps kept or named."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from negatives.engine.load.records import record

# Rounding note ids; their sentences are in knowledge/loads.yaml (load_notes).
STEP_ERASED = "step-erased"
NO_LOAD_FITS = "no-load-fits"
# How far around a week's target the search for an equipment step looks, in steps.
_SEARCH = 40


@record
class Target:
    """One week's intended percent of 1RM and the bounds the rules or the audit enforce."""

    percent: float
    ceiling: float | None = None  # highest percent of 1RM allowed
    band: float | None = None  # the load must be within this many points of `percent`
    tolerance: float | None = None  # how far off the target still counts as the target


@record
class Load:
    load: float | None
    percent_lifted: float | None
    note: str | None


def round_to(value: Decimal, step: float) -> Decimal:
    if step <= 0:
        return value
    unit = Decimal(str(step))
    return (value / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def lifted(load: float, one_rm: float) -> float:
    """The percent of 1RM a load is, as the audit computes it."""
    return round(load / one_rm * 100, 2)


def exact(one_rm: float, percent: float) -> Decimal:
    return Decimal(str(one_rm)) * Decimal(str(percent)) / Decimal(100)


def _steps(one_rm: float, percent: float, step: float) -> list[float]:
    if step <= 0:
        raw = exact(one_rm, percent).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
        return [float(raw)]
    unit = Decimal(str(step))
    middle = int((exact(one_rm, percent) / unit).to_integral_value(rounding=ROUND_FLOOR))
    # float(k * unit) for each k, as the exact fraction k*num/den rounded to the nearest float:
    # Decimal's float() and int / int both round exactly, so the floats are the same.
    num, den = unit.as_integer_ratio()
    return [k * num / den for k in range(max(middle - _SEARCH, 1), middle + _SEARCH + 1)]


def plan_loads(one_rm: float, targets: list[Target], step: float,
               load_cap: float | None = None) -> list[Load]:
    """Per week, an equipment step within the week's bounds (and at most `load_cap`), never
    below the week before. It prefers the smallest step up that still counts as the target
    (keeping the weekly progression), else the step nearest the target (ties go up).

    Each bound holds on a run of consecutive steps: the steps rise, and so does the share of
    the 1RM each is (`lifted` rounds, which keeps the order), so a ceiling or a cap holds up to
    some step, "never below the week before" from some step, and "within the band" or "within
    the tolerance" between two steps around the target. Those runs are found by bisection, a
    few shares computed per week instead of one per step; where the order could fail (a 1RM
    that is not a positive finite number, a bound that is not finite) every step is tested.
    """
    if not (0 < one_rm < math.inf) or not all(_finite(t) for t in targets) or not (
            load_cap is None or math.isfinite(load_cap)):
        return _scanned(one_rm, targets, step, load_cap)
    out: list[Load] = []
    previous: float | None = None
    aimed: float | None = None  # the week before's target percent
    for t in targets:
        ws = _steps(one_rm, t.percent, step)  # ascending, and so is lifted(w, one_rm)
        percent, ceiling, band, tolerance = t.percent, t.ceiling, t.band, t.tolerance

        def share(i: int, ws: list[float] = ws) -> float:
            return round(ws[i] / one_rm * 100, 2)  # lifted(ws[i], one_rm)

        count = len(ws)
        steps = range(count)
        end = count  # the steps before it keep within the ceiling and the cap
        if ceiling is not None:
            end = bisect_left(steps, True, hi=end, key=lambda i: share(i) > ceiling)
        if load_cap is not None:
            end = bisect_right(ws, load_cap, hi=end)
        begin = 0 if previous is None else bisect_left(ws, previous, hi=end)
        # The first step whose share reaches the target: the distance to the target falls
        # before it and rises from it.
        cross = bisect_left(steps, percent, key=share)
        if band is not None:
            begin, end = _within(share, percent, band, True, begin, end, cross)
        if begin >= end:
            out.append(Load(None, None, NO_LOAD_FITS))
            continue
        choice = None
        if tolerance is not None and previous is not None:  # the smallest step up in it
            up = bisect_right(ws, previous, lo=begin, hi=end)
            first, last = _within(share, percent, tolerance, False, up, end, cross)
            choice = ws[first] if first < last else None
        if choice is None:
            goal = float(exact(one_rm, percent))
            choice = min(ws[begin:end], key=lambda w: (abs(w - goal), -w))
        out.append(_load(choice, one_rm, percent, previous, aimed))
        previous, aimed = choice, percent
    return out


def _load(choice: float, one_rm: float, percent: float, previous: float | None,
          aimed: float | None) -> Load:
    """The week's load; its step was erased when it repeats the week before's load although
    the target percent rose."""
    erased = previous is not None and choice == previous and aimed is not None \
        and percent > aimed
    return Load(choice, lifted(choice, one_rm), STEP_ERASED if erased else None)


def _within(share: Callable[[int], float], percent: float, bound: float, rounded: bool,
            begin: int, end: int, cross: int) -> tuple[int, int]:
    """The run of steps in [begin, end) whose share is within `bound` of `percent` (the
    distance rounded to hundredths when `rounded`, as the band is), as (first, past the last);
    (end, end) for none. The distance falls up to `cross` and rises from it."""
    def near(i: int) -> bool:
        distance = abs(share(i) - percent)
        return (round(distance, 2) if rounded else distance) <= bound

    left = range(begin, max(begin, min(cross, end)))  # near: False... then True
    right = range(min(max(begin, cross), end), end)  # near: True... then False
    first = last = None
    k = bisect_left(left, True, key=near)
    if k < len(left):
        first, last = left[k], left.stop
    k = bisect_left(right, True, key=lambda i: not near(i))
    if k:  # on the right of the target too: the run goes on there (from right.start)
        first = right.start if first is None else first
        last = right.start + k
    return (first, last) if first is not None and last is not None else (end, end)


def _finite(t: Target) -> bool:
    return all(v is None or math.isfinite(v) for v in (t.percent, t.ceiling, t.band, t.tolerance))


def _scanned(one_rm: float, targets: list[Target], step: float,
             load_cap: float | None) -> list[Load]:
    """plan_loads testing every step (what the bisection finds, where the order holds)."""
    out: list[Load] = []
    previous: float | None = None
    aimed: float | None = None
    for t in targets:
        fits: list[float] = []
        shares: list[float] = []  # lifted(w, one_rm) of each fit
        for w in _steps(one_rm, t.percent, step):
            share = lifted(w, one_rm)
            if (t.ceiling is not None and share > t.ceiling) or (
                    load_cap is not None and w > load_cap):
                continue
            if (t.band is None or round(abs(share - t.percent), 2) <= t.band) and (
                    previous is None or w >= previous):
                fits.append(w)
                shares.append(share)
        if not fits:
            out.append(Load(None, None, NO_LOAD_FITS))
            continue
        goal = float(exact(one_rm, t.percent))
        near = [w for w, share in zip(fits, shares, strict=True)
                if t.tolerance is not None and previous is not None and w > previous
                and abs(share - t.percent) <= t.tolerance]
        choice = min(near) if near else min(fits, key=lambda w: (abs(w - goal), -w))
        out.append(_load(choice, one_rm, t.percent, previous, aimed))
        previous, aimed = choice, t.percent
    return out
