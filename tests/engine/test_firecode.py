"""An expansion compiled to a function of its own (firecode.py) fires exactly as _fire does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from negatives.engine.infer import driver as driver_module
from negatives.engine.infer.driver import Driver
from negatives.engine.infer.universe import session_facts
from negatives.engine.infer.workspace import Workspace
from negatives.engine.load.errors import EngineError
from negatives.engine.model.athlete import Athlete, load_athlete
from tests.conftest import EXAMPLES, budget
from tests.engine.test_driver import _alex, write_rules
from tests.engine.test_equivalence import EDGE_RULES, GUARD_RULES, _parsed, _with_rules
from tests.engine.test_properties import WS, athletes
from tests.engine.test_runtime import knowledge_copy

BUDGET = settings(max_examples=budget(100, 40), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow,
                                         HealthCheck.function_scoped_fixture])


def _pair(ws: Workspace) -> tuple[Driver, Driver]:
    """A driver that compiles every expansion at its first firing, and one that never does."""
    assert ws.partial is not None
    compiled, generic = Driver(ws.partial, ws.max_firings), Driver(ws.partial, ws.max_firings)
    compiled.compile_after, generic.compile_after = 1, None
    return compiled, generic


def _facts(ws: Workspace, athlete: Athlete, drv: Driver) -> list[dict[str, Any]]:
    assert ws.partial is not None
    return session_facts(athlete, ws.kb, drv.static, ws.partial.known)


def _compiled(drv: Driver) -> int:
    return sum(1 for _, table, _ in drv.groups.values() for entry in table.values()
               for exp in entry.ready or () if exp.code is not None)


PAIR = _pair(WS)


@BUDGET
@given(athletes())
def test_compiled_firings_equal_the_generic_ones(athlete: dict[str, Any]) -> None:
    compiled, generic = PAIR
    parsed = _parsed(athlete, WS)
    facts = _facts(WS, parsed, compiled)
    assert compiled.evaluate(facts) == generic.evaluate(facts)
    assert compiled.evaluate(facts) == generic.evaluate(facts)  # the second time compiled only


@pytest.mark.parametrize("rules", [EDGE_RULES, GUARD_RULES], ids=["edge", "guards"])
def test_unusual_rules_compile_and_agree(tmp_path: Path, rules: str) -> None:
    # Templates over matched facts, negated static patterns, guards, numbers in patterns.
    ws = _with_rules(tmp_path, "extra.yaml", rules)
    compiled, generic = _pair(ws)
    from bench.peers.parity import parsed_population

    _, people = parsed_population(budget(40, 15), ws.kb)
    for athlete in [*people, *(load_athlete(e, ws.kb, e.name) for e in EXAMPLES.glob("*.yaml"))]:
        facts = _facts(ws, athlete, compiled)
        assert compiled.evaluate(facts) == generic.evaluate(facts)
    assert _compiled(compiled) > 20 and _compiled(generic) == 0


def test_an_expansion_is_compiled_after_it_fired_often_enough(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert WS.partial is not None
    drv = Driver(WS.partial, WS.max_firings)
    drv.compile_after = 3
    facts = _alex(WS)
    first = drv.evaluate(facts)
    once = _compiled(drv)  # those that fired three times in one session
    drv.evaluate(facts)
    drv.evaluate(facts)
    assert _compiled(drv) > max(10, 2 * once)
    generic = []
    real = Driver._fire
    monkeypatch.setattr(Driver, "_fire", lambda self, *a: generic.append(a) or real(self, *a))
    assert drv.evaluate(facts) == first
    assert len(generic) < len(first) / 2  # the compiled expansions no longer take _fire


def test_a_compiled_expansion_stops_a_runaway_rule_base(tmp_path: Path) -> None:
    folder = write_rules(tmp_path, """\
        rules:
          - id: cross-join
            title: every goal lift with every exercise muscle
            priority: 1
            when:
              - fact: lift
                as: l
              - fact: exercise-muscle
                as: b
            then:
              - assert: {fact: pair, x: $l.name, y: $b.muscle}
            because: test
            source: project-default
            note: test
        """)
    from negatives.engine.infer.workspace import open_workspace

    ws = open_workspace("advise", rules=folder,
                        knowledge=knowledge_copy(tmp_path, max_rule_firings=25))
    assert ws.partial is not None
    drv = Driver(ws.partial, 25)
    drv.compile_after = 1
    for _ in range(2):
        with pytest.raises(EngineError, match=r"stopped after 25 rule firings.*cross-join"):
            drv.evaluate(_alex(ws))
    assert _compiled(drv) >= 1


def test_arguments_a_fact_lacks_or_that_are_not_text_agree(tmp_path: Path) -> None:
    # An argument read from a field the matched fact lacks is left out of the conclusion; a
    # number takes the encoder, not a template: both as _fire does.
    folder = write_rules(tmp_path, """\
        rules:
          - id: lift-note
            title: a derived fact with a field the lift may lack
            priority: 1
            when:
              - fact: lift
                as: l
            then:
              - assert: {fact: note, lift: $l.name, progress: $l.progress_percent,
                         stalled: $l.stalled}
            because: test
            source: project-default
            note: test
          - id: note-read
            title: the note read back
            priority: 2
            when:
              - fact: note
                as: n
            then:
              - assert: {fact: seen, lift: $n.lift, progress: $n.progress}
            because: test
            source: project-default
            note: test
        """)
    from negatives.engine.infer.workspace import open_workspace

    ws = open_workspace("advise", rules=folder)
    compiled, generic = _pair(ws)
    from bench.peers.parity import parsed_population

    _, people = parsed_population(budget(40, 15), ws.kb)
    lacking = 0
    for athlete in people:
        facts = _facts(ws, athlete, compiled)
        got = compiled.evaluate(facts)
        assert got == generic.evaluate(facts)
        lacking += sum(1 for f in got for _, args in f.conclusions if "progress" not in args)
    assert lacking and _compiled(compiled) >= 2


def test_values_are_globals_of_the_function_not_source_text() -> None:
    # A value with quotes, a newline or Python syntax in it cannot change the code.
    from negatives.engine.infer.firecode import _Source

    src = _Source(driver_module.Driver.__new__(Driver))
    odd = '"""\nimport os\n' + "'"
    name = src.value(odd)
    assert name.isidentifier() and src.env[name] is odd
