"""The shipped example gets a recommendation with the article's loads."""

from __future__ import annotations

from tests.conftest import fired, method


def test_stalled_intermediate_gets_ael(run_advice):  # type: ignore[no-untyped-def]
    advice = run_advice()
    assert advice["answer"] == "yes"
    assert method(advice, "accentuated-eccentric")["status"] == "recommended"
    rec = advice["recommendations"][0]
    assert rec["pairing"]["eccentric"] == "dumbbell close-grip chest press"
    assert [w["percent_1rm"] for w in rec["weeks"]] == [105.0, 107.5, 110.0]
    assert "ael-recommend-for-stalled-lift" in fired(advice)
