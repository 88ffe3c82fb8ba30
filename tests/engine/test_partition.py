"""A rule base spread over several durable_rules rulesets answers exactly as one ruleset does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from negatives.engine.advice.advise import advise
from negatives.engine.advice.render import to_json
from negatives.engine.audit.audit import audit
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.language import partition
from negatives.engine.load.errors import RuleCompileError
from negatives.engine.load.yamlio import dump
from negatives.engine.model.athlete import load_athlete, parse_athlete
from negatives.engine.model.program import load_program
from tests.conftest import EXAMPLES, ROOT, budget
from tests.engine.test_properties import WS, athletes

PROGRAMS = ROOT / "tests" / "fixtures" / "programs" / "valid"


def _split(domain: str, per_set: int) -> Workspace:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(partition, "MAX_RULES_PER_SET", per_set)
        patch.setenv("NEGATIVES_CACHE", "off")  # the limits are not part of the cache key
        return open_workspace(domain)


@pytest.fixture(scope="module")
def split_advise() -> Iterator[Workspace]:
    yield _split("advise", 3)


def test_the_shipped_rules_fit_in_one_ruleset() -> None:
    assert len(WS.runtime.names) == 1
    assert len(open_workspace("audit").runtime.names) == 1


def test_a_split_puts_every_rule_in_exactly_one_ruleset(split_advise: Workspace) -> None:
    parts = split_advise.compiled.parts
    assert len(parts) >= len(WS.compiled.definition) // 3
    names = [n for part in parts for n in part]
    assert sorted(names) == sorted(n for n in WS.compiled.definition if n != "_start")
    assert all(0 < len(part) <= 3 for part in parts)


@settings(max_examples=budget(60, 15), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(athletes())
def test_split_advice_equals_one_ruleset(split_advise: Workspace, athlete: dict[str, Any]) -> None:
    one = advise(parse_athlete(dump(athlete), "a.yaml", WS.kb), WS)
    many = advise(parse_athlete(dump(athlete), "a.yaml", split_advise.kb), split_advise)
    assert to_json(many) == to_json(one)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_split_advice_equals_one_ruleset_on_the_examples(split_advise: Workspace,
                                                         example: Path) -> None:
    one = advise(load_athlete(example, WS.kb, example.name), WS)
    many = advise(load_athlete(example, split_advise.kb, example.name), split_advise)
    assert to_json(many) == to_json(one)


def test_split_audit_equals_one_ruleset() -> None:
    whole, split = open_workspace("audit"), _split("audit", 2)
    programs = sorted(p for p in PROGRAMS.glob("*.yaml") if p.name.count(".") == 1)
    assert programs
    for path in programs:
        program = load_program(path, whole.kb, path.name)
        assert audit(program, split) == audit(program, whole), path.name


def test_a_rule_that_fits_no_ruleset_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partition, "MAX_RANGE_PATTERNS", 0)
    monkeypatch.setenv("NEGATIVES_CACHE", "off")
    with pytest.raises(RuleCompileError, match=r"rules/advise/\w+\.yaml:\d+: rule '[\w-]+' alone "
                                               r"exceeds what one durable_rules ruleset takes"):
        open_workspace("advise")


def test_equality_values_and_thresholds_on_one_fact_type_count_together() -> None:
    definition: dict[str, Any] = {"_start": {"all": [{"m": {"type": "$start"}}], "run": "s"}}
    for i in range(472):  # with 40 thresholds this hung durable_rules' compile (LIMITS.md)
        definition[f"e{i}"] = {"all": [{"a": {"$and": [{"type": "athlete"}, {"name": f"n{i}"}]}}]}
    for i in range(40):
        definition[f"g{i}"] = {"all": [{"a": {"$and": [{"type": "athlete"},
                                                      {"$gt": {"cycle_week": i}}]}}]}
    parts = partition.partition(definition, frozenset({"_start"}), {})
    assert len(parts) == 2
    assert sorted(n for p in parts for n in p) == sorted(set(definition) - {"_start"})
    for names in parts:
        assert len(names) <= partition.MAX_TESTS_PER_FACT
