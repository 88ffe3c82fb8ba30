"""Loads on equipment steps: the fast search gives the straightforward search's loads."""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, Decimal

from hypothesis import given
from hypothesis import strategies as st

from negatives.engine.advice.loads import (
    NO_LOAD_FITS,
    STEP_ERASED,
    Load,
    Target,
    _steps,
    exact,
    lifted,
    plan_loads,
)


def reference_steps(one_rm: float, percent: float, step: float) -> list[float]:
    """Every equipment step within 40 of the target, as Decimal multiples of the step."""
    if step <= 0:
        return [float(exact(one_rm, percent).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))]
    unit = Decimal(str(step))
    middle = int((exact(one_rm, percent) / unit).to_integral_value(rounding=ROUND_FLOOR))
    return [float(k * unit) for k in range(max(middle - 40, 1), middle + 41)]


def reference_loads(one_rm: float, targets: list[Target], step: float,
                    load_cap: float | None) -> list[Load]:
    """plan_loads written as its docstring says, every step tested against every bound."""
    out: list[Load] = []
    previous: float | None = None
    aimed: float | None = None
    for t in targets:
        fits = [w for w in reference_steps(one_rm, t.percent, step)
                if (t.ceiling is None or lifted(w, one_rm) <= t.ceiling)
                and (t.band is None or round(abs(lifted(w, one_rm) - t.percent), 2) <= t.band)
                and (load_cap is None or w <= load_cap)
                and (previous is None or w >= previous)]
        if not fits:
            out.append(Load(None, None, NO_LOAD_FITS))
            continue
        goal = float(exact(one_rm, t.percent))
        near = [w for w in fits if t.tolerance is not None and previous is not None
                and w > previous and abs(lifted(w, one_rm) - t.percent) <= t.tolerance]
        choice = min(near) if near else min(fits, key=lambda w: (abs(w - goal), -w))
        erased = previous is not None and choice == previous and aimed is not None \
            and t.percent > aimed
        out.append(Load(choice, lifted(choice, one_rm), STEP_ERASED if erased else None))
        previous, aimed = choice, t.percent
    return out


hundredths = st.integers(1, 60_000).map(lambda n: n / 100)
steps = st.sampled_from([0, 0.5, 1, 1.25, 2, 2.5, 5, 10, 0.1, 0.25, 2.27, 0.45, 4.54])
percents = st.integers(3_000, 13_000).map(lambda n: n / 100)


@st.composite
def cases(draw: st.DrawFn) -> tuple[float, list[Target], float, float | None]:
    """A 1RM, weekly targets, a step and a cap; bounds often exactly on a step's share of the
    1RM, where `<=` and `<` part ways."""
    one_rm, step = draw(hundredths), draw(steps)
    weeks = []
    for _ in range(draw(st.integers(1, 5))):
        percent = draw(percents)
        shares = [lifted(w, one_rm) for w in reference_steps(one_rm, percent, step)]
        on_a_step = st.sampled_from(shares)
        ceiling = draw(st.none() | on_a_step |
                       st.integers(-500, 2_000).map(lambda n, p=percent: p + n / 100))
        band = draw(st.none() | st.integers(0, 800).map(lambda n: n / 100) |
                    on_a_step.map(lambda x, p=percent: round(abs(x - p), 2)))
        tolerance = draw(st.none() | st.integers(0, 500).map(lambda n: n / 100) |
                         on_a_step.map(lambda x, p=percent: abs(x - p)))
        weeks.append(Target(percent, ceiling, band, tolerance))
    cap = draw(st.none() | hundredths | st.sampled_from(
        reference_steps(one_rm, weeks[0].percent, step)))
    return one_rm, weeks, step, cap


@given(hundredths, percents, steps)
def test_the_steps_are_the_decimal_multiples(one_rm: float, percent: float, step: float) -> None:
    assert _steps(one_rm, percent, step) == reference_steps(one_rm, percent, step)


@given(cases())
def test_plan_loads_are_the_straightforward_search_s(
        case: tuple[float, list[Target], float, float | None]) -> None:
    assert plan_loads(*case) == reference_loads(*case)


@given(cases(), st.sampled_from([-1.0, -250.5]), st.sampled_from([None, math.inf, -math.inf]))
def test_inputs_out_of_order_are_searched_step_by_step(
        case: tuple[float, list[Target], float, float | None], sign: float,
        odd: float | None) -> None:
    # A 1RM below zero turns the shares' order round, an infinite bound is no number to
    # bisect by: plan_loads then tests every step, as the straightforward search does.
    one_rm, weeks, step, cap = case
    weeks = [Target(t.percent, odd if odd is not None else t.ceiling, t.band, t.tolerance)
             for t in weeks]
    for rm in (one_rm * sign, one_rm):
        assert plan_loads(rm, weeks, step, cap) == reference_loads(rm, weeks, step, cap)
