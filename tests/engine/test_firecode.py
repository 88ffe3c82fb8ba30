"""An expansion compiled to a function of its own (firecode.py) fires exactly as _fire does."""

from __future__ import annotations

import json
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
from tests.engine.test_driver import RUNAWAY_RULES, _alex, write_rules
from tests.engine.test_equivalence import EDGE_RULES, GUARD_RULES, _parsed, _with_rules
from tests.engine.test_properties import WS, athletes
from tests.engine.test_runtime import knowledge_copy

BUDGET = settings(max_examples=budget(100, 40), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow,
                                         HealthCheck.function_scoped_fixture])


def _pair(ws: Workspace) -> tuple[Driver, Driver]:
    """A driver that compiles every expansion at its first firing and reads every merged
    rule's action by a function of its own, and one that does neither."""
    assert ws.partial is not None
    compiled, generic = Driver(ws.partial, ws.max_firings), Driver(ws.partial, ws.max_firings)
    compiled.compile_after, generic.compile_after = 1, None
    compiled.warm_after = generic.warm_after = 0
    generic.action_functions = False
    return compiled, generic


def _facts(ws: Workspace, athlete: Athlete, drv: Driver) -> list[dict[str, Any]]:
    assert ws.partial is not None
    return session_facts(athlete, ws.kb, drv.static, ws.partial.known)


def _compiled(drv: Driver) -> int:
    """How many expansions have a function of their own; with `compile_after` 1, every one
    that fired must have one (a failure to compile would leave it with _fire silently)."""
    exps = [exp for _, table, *_ in drv.groups.values() for entry in table.values()
            for exp in entry.ready or ()]
    if drv.compile_after == 1:
        assert all(exp.code is not None for exp in exps if exp.hits)
    return sum(1 for exp in exps if exp.code is not None)


def _actions(drv: Driver) -> int:
    """How many merged rules' actions are read by a function of their own."""
    return sum(1 for *_, handler in drv.groups.values() if callable(handler))


PAIR = _pair(WS)


@BUDGET
@given(athletes())
def test_compiled_firings_equal_the_generic_ones(athlete: dict[str, Any]) -> None:
    compiled, generic = PAIR
    parsed = _parsed(athlete, WS)
    facts = _facts(WS, parsed, compiled)
    assert compiled.evaluate(facts) == generic.evaluate(facts)
    assert compiled.evaluate(facts) == generic.evaluate(facts)  # the second time compiled only
    assert _compiled(compiled) and not _compiled(generic)
    assert _actions(compiled) and not _actions(generic)
    _replay(generic, facts)


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
    for example in sorted(EXAMPLES.glob("*.yaml")):
        _replay(generic, _facts(ws, load_athlete(example, ws.kb, example.name), generic))


def test_an_expansion_is_compiled_after_it_fired_often_enough(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert WS.partial is not None
    drv = Driver(WS.partial, WS.max_firings)
    drv.compile_after, drv.warm_after = 3, 2
    facts = _alex(WS)
    first = drv.evaluate(facts)
    drv.evaluate(facts)
    assert _compiled(drv) == 0  # not warm yet: nothing counted
    drv.evaluate(facts)
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
    folder = write_rules(tmp_path, RUNAWAY_RULES)
    from negatives.engine.infer.workspace import open_workspace

    ws = open_workspace("advise", rules=folder,
                        knowledge=knowledge_copy(tmp_path, max_rule_firings=25))
    assert ws.partial is not None
    drv = Driver(ws.partial, 25)
    drv.compile_after, drv.warm_after = 1, 0
    for _ in range(2):
        with pytest.raises(EngineError, match=r"stopped after 25 rule firings.*cross-join"):
            drv.evaluate(_alex(ws))
    assert _compiled(drv) >= 1


def test_arguments_a_fact_lacks_text_or_not_text_agree(tmp_path: Path) -> None:
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
          - id: greet
            title: a derived fact holding text from the athlete
            priority: 1
            when:
              - fact: athlete
                as: a
            then:
              - assert: {fact: greeting, who: $a.name}
            because: test
            source: project-default
            note: test
          - id: greet-read
            title: the greeting read back
            priority: 2
            when:
              - fact: greeting
                as: g
            then:
              - assert: {fact: greeted, who: $g.who}
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
    lacking = greeted = 0
    names = ["Zoë \"100%\" Ünal", "%s %% \\", "plain"]
    for n, athlete in enumerate(people):
        facts = _facts(ws, athlete, compiled)
        for fact in facts:
            if fact["type"] == "athlete":
                fact["name"] = names[n % len(names)]
        got = compiled.evaluate(facts)
        assert got == generic.evaluate(facts)
        lacking += sum(1 for f in got for _, args in f.conclusions if "progress" not in args)
        greeted += sum(1 for f in got if f.rule == "greet-read"
                       and f.conclusions[0][1]["who"] == names[0])
        _replay(generic, facts)
    assert lacking and greeted and _compiled(compiled) >= 4


def _replay(drv: Driver, facts: list[dict[str, Any]]) -> None:
    """Each firing of a session, by _fire and by its compiled function from the same state:
    the same sort keys, firings, derived facts, payload texts and fact ids."""
    from negatives.engine.infer.firecode import compile_fire

    calls: list[tuple[Any, Any]] = []
    real = Driver._fire

    def record(self: Driver, run: Any, exp: Any, matched: Any, batch: Any) -> None:
        calls.append((exp, matched))
        real(self, run, exp, matched, batch)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Driver, "_fire", record)
        drv.evaluate(facts)
    runs = []
    for fire in (lambda run, exp, m, b: real(drv, run, exp, m, b),
                 lambda run, exp, m, b: compile_fire(exp, drv)(run, m, b)):
        run = driver_module._Run("s")
        run.queues = [[] for _ in drv.handles]
        batch: list[Any] = []
        for exp, matched in calls:
            fire(run, exp, matched, batch)
        runs.append((run.firings, run.derived, run.kinds, batch, run.queues, run.facts,
                     run.negated, next(run.ids)))
    assert runs[0] == runs[1]


def test_an_expansion_whose_names_are_not_text_stays_with_fire() -> None:
    # The rule schema makes aliases, fields and argument names text; were one not, its repr
    # would be written into the source, so such an expansion is not compiled.
    from negatives.engine.infer.firecode import compile_fire

    assert WS.partial is not None
    drv = Driver(WS.partial, WS.max_firings)
    drv.compile_after, drv.warm_after = 1, 0
    drv.evaluate(_alex(WS))
    exp = next(exp for _, table, *_ in drv.groups.values() for entry in table.values()
               for exp in entry.ready or () if exp.plans and exp.plans[0][1])
    assert compile_fire(exp, drv) is not None
    _, mode, value = exp.plans[0][1][0]
    odd = driver_module._Prepared(**{**vars(exp), "plans": (
        (exp.plans[0][0], ((float("nan"), mode, value), *exp.plans[0][1][1:])),
        *exp.plans[1:])})
    assert compile_fire(odd, drv) is None


def test_values_are_globals_of_the_function_not_source_text() -> None:
    # A value with quotes, a newline or Python syntax in it cannot change the code.
    from negatives.engine.infer.firecode import _Source

    src = _Source(driver_module.Driver.__new__(Driver))
    odd = '"""\nimport os\n' + "'"
    name = src.value(odd)
    assert name.isidentifier() and src.env[name] is odd


def _frames_message(rule: str, frames: list[list[tuple[str, str]]]) -> str:
    """An action's message as durable_rules writes it: frames of alias -> fact text."""
    return ("{" + json.dumps(rule) + ":[" + ",".join(
        "{" + ",".join(f'"{alias}":{text}' for alias, text in frame) + "}" for frame in frames)
        + "]}")


def test_an_action_function_reads_frames_as_the_generic_path_and_checks_their_order() -> None:
    from negatives.engine.infer.firecode import compile_frames

    fired: list[tuple[str, dict[str, Any]]] = []

    class Entry:
        def __init__(self, name: str) -> None:
            self.ready = [driver_module._Prepared.__new__(driver_module._Prepared)]
            self.ready[0].code = lambda run, matched, batch: fired.append((name, matched))

    facts = {f"f{i}": ({"type": "x", "k": v}, f"key{i}") for i, v in enumerate("abbb")}
    texts = {fid: f'{{"id": "{fid}", "sid": "s", "type": "x", "k": "{fact["k"]}"}}'
             for fid, (fact, _) in facts.items()}
    table = {("a", "b"): Entry("ab"), ("b", "b"): Entry("bb")}
    handle = compile_frames(("p", "q"), (("p", "k"), ("q", "k")), table, None,
                            Driver.__new__(Driver))
    assert handle is not None
    good = _frames_message("m1", [[("p", texts["f0"]), ("q", texts["f1"])],
                                  [("p", texts["f2"]), ("q", texts["f3"])],
                                  [("p", texts["f1"]), ("q", texts["f0"])]])
    assert driver_module.frames(good, facts) == [
        {"p": facts["f0"], "q": facts["f1"]}, {"p": facts["f2"], "q": facts["f3"]},
        {"p": facts["f1"], "q": facts["f0"]}]
    assert handle(good, facts, None, []) is True
    # The third frame's key ("b", "a") is in no entry: passed over, as the generic path does.
    assert fired == [("ab", {"p": facts["f0"], "q": facts["f1"]}),
                     ("bb", {"p": facts["f2"], "q": facts["f3"]})]
    fired.clear()
    swapped = _frames_message("m1", [[("q", texts["f1"]), ("p", texts["f0"])]])
    short = _frames_message("m1", [[("p", texts["f0"]), ("q", texts["f1"])], [("p", texts["f2"])]])
    other = _frames_message("m1", [[("p", texts["f0"]), ("pq", texts["f1"])]])
    for message in (swapped, short, other):
        assert handle(message, facts, None, []) is False  # the driver then reads it generically
    two_orders = [*driver_module.frames(swapped, facts), {"p": facts["f0"], "q": facts["f1"]}]
    assert Driver.__new__(Driver)._handler(two_orders, (), table, None) is False
    odd: list[tuple[Any, ...]] = [(), ("p", "p"), ('p"', "q"), (1, "q")]
    for aliases in odd:
        assert compile_frames(aliases, (), table, None, Driver.__new__(Driver)) is None


def test_an_action_whose_aliases_come_in_another_order_is_read_generically() -> None:
    # Were durable_rules to write a rule's aliases in another order than the message the
    # function was written from, the function refuses the message and the generic path reads it.
    from negatives.engine.infer.firecode import compile_frames

    assert WS.partial is not None
    compiled, generic = _pair(WS)
    facts = _alex(WS)
    compiled.evaluate(facts)
    refused: list[str] = []
    for group in compiled.groups.values():
        keys, table, _, handler = group
        if not callable(handler):
            continue
        aliases = handler.__code__.co_filename.removeprefix("<frames of ").removesuffix(">")
        wrong = compile_frames(tuple(reversed(aliases.split(", "))), keys, table,
                               None if keys else table.get(()), compiled)
        if wrong is None or len(aliases.split(", ")) < 2:
            continue

        def check(message: str, *args: Any, wrong: Any = wrong) -> bool:
            ok: bool = wrong(message, *args)
            refused.append(message) if not ok else None
            return ok

        group[3] = check
    assert compiled.evaluate(facts) == generic.evaluate(facts)
    assert refused
