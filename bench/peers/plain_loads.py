"""The plain-Python peer's loads: equipment steps within each week's bounds, by hand."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENTS = Decimal("0.01")
SEARCH = 40  # equipment steps searched either side of a week's target


def cents(value: Decimal) -> float:
    return float(value.quantize(CENTS, rounding=ROUND_HALF_UP))


def percent_of(load: float, one_rm: float) -> float:
    return round(load / one_rm * 100, 2)


def step_loads(one_rm: float, targets: list[tuple[float, float | None, float | None,
                                                 float | None]],
               step: float, cap: float | None) -> list[float | None]:
    """Per week (percent, ceiling, band, tolerance): an equipment step within the bounds, at
    most `cap` and never below the week before; the smallest step up still within the
    tolerance, else the step nearest the target (ties go up)."""
    out: list[float | None] = []
    previous: float | None = None
    for percent, ceiling, band, tolerance in targets:
        raw = Decimal(str(one_rm)) * Decimal(str(percent)) / 100
        if step <= 0:
            options = [float(raw.quantize(CENTS, rounding=ROUND_FLOOR))]
        else:
            unit = Decimal(str(step))
            mid = int((raw / unit).to_integral_value(rounding=ROUND_FLOOR))
            options = [float(k * unit) for k in range(max(mid - SEARCH, 1), mid + SEARCH + 1)]
        fits = [w for w in options
                if (ceiling is None or percent_of(w, one_rm) <= ceiling)
                and (band is None or round(abs(percent_of(w, one_rm) - percent), 2) <= band)
                and (cap is None or w <= cap) and (previous is None or w >= previous)]
        if not fits:
            out.append(None)
            continue
        near = [w for w in fits if tolerance is not None and previous is not None
                and w > previous and abs(percent_of(w, one_rm) - percent) <= tolerance]
        goal = float(raw)
        choice = min(near) if near else min(fits, key=lambda w: (abs(w - goal), -w))
        out.append(choice)
        previous = choice
    return out
