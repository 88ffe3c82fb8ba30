"""Safety rules win unless a rule declares the override; prescriptions stay within bounds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from negatives.engine.advice.advise import advise
from negatives.engine.infer.workspace import open_workspace
from negatives.engine.load.errors import EngineError
from negatives.engine.load.yamlio import dump
from negatives.engine.model.athlete import parse_athlete
from tests.conftest import ROOT, athlete_dict

CORPUS = ROOT / "tests" / "fixtures" / "rules" / "broken"

FROM_A_FACT = """rules:
  - id: sets-from-week
    title: Sets taken from a fact
    priority: 50
    when:
      - fact: athlete
        as: a
    then:
      - prescribe: {method: accentuated-eccentric, parameter: sets, value: $a.cycle_week}
    because: A probe.
    source: project-default
    note: A probe of run-time bounds.
"""


def rules_with(tmp_path: Path, name: str, text: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "advise" / name).write_text(text, encoding="utf-8")
    return rules


def test_a_declared_override_wins_and_says_so(tmp_path: Path) -> None:
    extra = (CORPUS / "safety-override-declared" / "advise" / "extra.yaml").read_text("utf-8")
    ws = open_workspace("advise", rules_with(tmp_path, "extra.yaml", extra))
    text = dump(athlete_dict(recovery="fatigued", experience="advanced"))
    advice = advise(parse_athlete(text, "a.yaml", ws.kb), ws)
    ael = next(m for m in advice["methods"] if m["method"] == "accentuated-eccentric")
    assert ael["status"] == "allowed"
    assert any("overrides safety rule(s) ael-not-when-fatigued, as it declares" in r
               for r in ael["reasons"])


def test_a_value_from_a_fact_is_checked_when_the_rule_fires(tmp_path: Path) -> None:
    ws = open_workspace("advise", rules_with(tmp_path, "extra.yaml", FROM_A_FACT))
    fine = parse_athlete(dump(athlete_dict(cycle_week=3)), "a.yaml", ws.kb)
    advise(fine, ws)
    wild = parse_athlete(dump(athlete_dict(cycle_week=40)), "a.yaml", ws.kb)
    for _ in range(2):  # the second time from the remembered answer
        with pytest.raises(EngineError,
                           match="prescribed sets is 40; it must be between 1 and 10"):
            advise(wild, ws)
        advise(fine, ws)


def test_remembered_prescription_checks_tell_true_from_1_and_stay_bounded() -> None:
    kb = open_workspace("advise").kb
    method = "accentuated-eccentric"
    assert kb.prescription_problem(method, "sets", 1) is None
    assert kb.prescription_problem(method, "sets", True) == "sets must be a number, not True"
    assert kb.prescription_problem(method, "sets", 1.0) is None
    assert kb.prescription_problem(method, "sets", [1]) == "sets must be a number, not [1]"
    for n in range(5_000):
        kb.prescription_problem(method, "sets", n / 1_000)
    assert len(kb._derived["prescription-problems"]) <= 4_096
    assert kb.prescription_problem(method, "sets", 40) == \
        "sets is 40; it must be between 1 and 10"
