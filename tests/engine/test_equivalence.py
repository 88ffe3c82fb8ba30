"""The partially evaluated rules on the C core give byte-identical advice to the reference path."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from negatives.engine.advice.advise import advise, advise_reference
from negatives.engine.advice.render import to_json
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.language import partition
from negatives.engine.load.yamlio import dump
from negatives.engine.model.athlete import Athlete, load_athlete, parse_athlete
from tests.conftest import EXAMPLES, ROOT, budget
from tests.engine.test_properties import WS, athletes

BUDGET = settings(max_examples=budget(100, 40), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow,
                                         HealthCheck.function_scoped_fixture])


def _parsed(athlete: dict[str, Any], ws: Workspace) -> Athlete:
    return parse_athlete(dump(athlete), "a.yaml", ws.kb)


@pytest.fixture(scope="module")
def split() -> Workspace:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(partition, "MAX_RULES_PER_SET", 3)
        patch.setenv("NEGATIVES_CACHE", "off")  # the limits are not part of the cache key
        return open_workspace("advise")


@BUDGET
@given(athletes())
def test_fast_advice_equals_the_reference(athlete: dict[str, Any]) -> None:
    parsed = _parsed(athlete, WS)
    assert to_json(advise(parsed, WS)) == to_json(advise_reference(parsed, WS))


@BUDGET
@given(athletes())
def test_split_fast_advice_equals_the_reference(split: Workspace,
                                                athlete: dict[str, Any]) -> None:
    assert split.partial is not None and len(split.partial.parts) > 3
    fast = advise(_parsed(athlete, split), split)
    assert to_json(fast) == to_json(advise_reference(_parsed(athlete, WS), WS))


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_examples_agree(example: Path) -> None:
    athlete = load_athlete(example, WS.kb, example.name)
    assert to_json(advise(athlete, WS)) == to_json(advise_reference(athlete, WS))


def test_static_types_are_derived_from_the_rule_base() -> None:
    assert WS.partial is not None
    produced = {f for r in WS.compiled.rules.values() for f in r.produces()}
    assert {"method", "pairing", "exercise", "setting"} <= set(WS.partial.static)
    assert not produced & set(WS.partial.static)
    assert {"athlete", "lift", "one-rep-max", "equipment"}.isdisjoint(WS.partial.static)
    # The session holds the athlete's facts only: a handful, not the ~150 knowledge facts.
    athlete = load_athlete(EXAMPLES / "alex.yaml", WS.kb, "alex.yaml")
    from negatives.engine.infer.universe import session_facts
    facts = session_facts(athlete, WS.kb, WS.driver.static, WS.partial.known)
    assert 3 <= len(facts) <= 40


EDGE_RULES = """\
rules:
  - id: unspottable-without-partner
    title: a negated static pattern
    priority: 4
    when:
      - fact: athlete
        as: a
      - fact: method
        as: m
        not: true
        where: {needs_partner: true}
    then:
      - warn: {message: "no partner method for {a.name}"}
    because: test
    source: project-default
    note: test
  - id: muscles-of-goal
    title: a static fact that only some sessions hold
    priority: 3
    when:
      - fact: lift
        as: l
      - fact: lift-muscle
        as: lm
        where: {lift: $l.name}
      - fact: exercise-muscle
        as: em
        where: {muscle: $lm.muscle}
    then:
      - warn: {message: "{l.name} {lm.muscle} {em.exercise}"}
    because: test
    source: project-default
    note: test
  - id: maxes-and-lifts
    title: session facts under aliases not in alphabetical order (the sort key takes them so)
    priority: 3
    when:
      - fact: one-rep-max
        as: z
      - fact: lift
        as: b
    then:
      - warn: {message: "{b.name} {z.exercise}"}
    because: test
    source: project-default
    note: test
"""


def _with_rules(tmp_path: Path, name: str, text: str) -> Workspace:
    """The shipped advise rules plus one more file of them, opened as a workspace."""
    folder = tmp_path / "rules" / "advise"
    folder.mkdir(parents=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for shipped in (ROOT / "rules" / "advise").glob("*.yaml"):
        if not shipped.name.endswith(".test.yaml"):
            (folder / shipped.name).write_text(shipped.read_text("utf-8"), encoding="utf-8")
    ws = open_workspace("advise", rules=tmp_path / "rules")
    assert ws.partial is not None
    return ws


def test_unusual_rules_agree(tmp_path: Path) -> None:
    ws = _with_rules(tmp_path, "edge.yaml", EDGE_RULES)
    assert ws.partial is not None
    assert "method" not in ws.partial.static  # negated in a pattern: asserted in sessions
    most = 0
    for example in sorted(EXAMPLES.glob("*.yaml")):
        athlete = load_athlete(example, ws.kb, example.name)
        fast = to_json(advise(athlete, ws))
        assert fast == to_json(advise_reference(athlete, ws))
        assert "muscles-of-goal" in fast
        most = max(most, fast.count('"maxes-and-lifts"'))
    assert most > 2  # several firings of that rule, in an order both paths must agree on


def test_the_partial_rule_base_is_plain_data() -> None:
    # The cache stores it: dataclasses of dicts with text keys, lists, text and numbers only.
    import dataclasses
    import json

    assert WS.partial is not None
    plain = dataclasses.asdict(WS.partial)
    assert json.loads(json.dumps(plain)) == plain


GUARD_RULES = """\
rules:
  - id: guard-with-a-reference
    title: a negated derived fact tested against a matched fact's field (left to durable)
    priority: 4
    when:
      - fact: one-rep-max
        as: r
      - fact: exercise-unequipped
        not: true
        where: {exercise: $r.exercise}
    then:
      - warn: {message: "equipped for {r.exercise}"}
    because: test
    source: project-default
    note: test
  - id: counted
    title: a derived fact with a number
    priority: 4
    when:
      - fact: athlete
        as: a
    then:
      - assert: {fact: tally, n: 2}
    because: test
    source: project-default
    note: test
  - id: negation-of-a-number
    title: a negated derived fact tested against a number (left to durable)
    priority: 4
    when:
      - fact: athlete
        as: a
      - fact: tally
        not: true
        where: {n: 2}
    then:
      - warn: {message: "no tally for {a.experience}"}
    because: test
    source: project-default
    note: test
"""


def _tested_types(ws: Workspace) -> set[str]:
    assert ws.partial is not None
    return {p["$and"][0]["type"] if "$and" in p else p["type"]
            for rule in ws.partial.definition.values() for term in rule["all"]
            for p in term.values()}


def test_negated_derived_facts_are_guards_and_agree(tmp_path: Path) -> None:
    # Shipped: the negations of exercise-unequipped are checked by the driver, not by durable.
    assert WS.partial is not None and "exercise-unequipped" in WS.partial.guarded
    assert "exercise-unequipped" not in _tested_types(WS)
    ws = _with_rules(tmp_path, "guards.yaml", GUARD_RULES)
    assert ws.partial is not None
    # A reference, or a number (durable_rules' equality between numbers is not Python's), stays
    # a durable pattern; the shipped text guards stay guards.
    assert {"exercise-unequipped", "tally"} <= _tested_types(ws)
    assert ws.partial.guarded == WS.partial.guarded
    from bench.peers.parity import parsed_population

    _, people = parsed_population(budget(60, 25), ws.kb)
    blocked = fired = 0
    for athlete in [*people, *(load_athlete(e, ws.kb, e.name) for e in EXAMPLES.glob("*.yaml"))]:
        fast = to_json(advise(athlete, ws))
        assert fast == to_json(advise_reference(athlete, ws))
        fired += fast.count("equipped for ")
        blocked += sum(1 for f in ws.evaluate_athlete(athlete)
                       if f.rule == "exercise-missing-equipment")
    assert fired and blocked  # the guard both let firings through and had facts to check
