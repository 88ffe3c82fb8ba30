"""Loads a lifter can load: equipment steps, never above a ceiling, weekly steps kept or named."""

from __future__ import annotations

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
    (keeping the weekly progression), else the step nearest the target (ties go up)."""
    out: list[Load] = []
    previous: float | None = None
    aimed: float | None = None  # the week before's target percent
    for t in targets:
        fits: list[float] = []
        shares: list[float] = []  # lifted(w, one_rm) of each fit
        for w in _steps(one_rm, t.percent, step):  # ascending, and so is lifted(w, one_rm)
            share = lifted(w, one_rm)
            if (t.ceiling is not None and share > t.ceiling) or (
                    load_cap is not None and w > load_cap):
                break  # so is every step after it
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
        erased = previous is not None and choice == previous and aimed is not None \
            and t.percent > aimed
        out.append(Load(choice, lifted(choice, one_rm), STEP_ERASED if erased else None))
        previous, aimed = choice, t.percent
    return out
