"""Derived parameters: the expression language, and the shipped relations."""

from __future__ import annotations

import pytest

from negatives.engine.infer.workspace import Workspace
from negatives.engine.model.derive import DeriveError, evaluate, names_in


def test_expressions() -> None:
    values = {"a": 105.0, "t": 2.5, "w": 3.0}
    assert evaluate("a - t", values) == 102.5
    assert evaluate("a + t * 2", values) == 110.0
    assert evaluate("(a + t) * 2", values) == 215.0
    assert evaluate("-t + w / 2", values) == -1.0
    assert names_in("a - t * 2") == ["a", "t"]
    for bad, said in [("a -", "ends too early"), ("a + x", "'x' is not a number parameter"),
                      ("a / (w - 3)", "division by zero"), ("a; t", "cannot read"),
                      ("(a + t", "not closed")]:
        with pytest.raises(DeriveError, match=said):
            evaluate(bad, values)


def test_shipped_relations(ws: Workspace) -> None:
    ael = ws.kb.methods["accentuated-eccentric"]
    start, tol = ael.number("start_percent_1rm"), ael.number("start_percent_tolerance")
    assert ael.number("start_percent_min") == start - tol
    assert ael.number("start_percent_max") == start + tol
    assert ael.number("cycle_start_weeks") == ael.number("weeks")
    assert ael.parameters["start_percent_min"].derived == \
        "start_percent_1rm - start_percent_tolerance"
