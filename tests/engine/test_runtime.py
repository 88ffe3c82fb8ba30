"""Regression tests for each durable_rules trap in shared DURABLE_RULES.md, and the firing bound."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from negatives.engine.infer.runtime import Runtime
from negatives.engine.infer.workspace import Workspace, open_workspace
from negatives.engine.language import partition
from negatives.engine.language.compiler import START_RULE, compile_rules
from negatives.engine.load.errors import EngineError, RuleCompileError
from negatives.engine.load.yamlio import dump
from negatives.engine.model.athlete import parse_athlete
from negatives.engine.model.facts import all_facts
from tests.conftest import ROOT, athlete_dict


def write_rules(tmp: Path, text: str, name: str = "x.yaml") -> Path:
    folder = tmp / "rules" / "advise"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp / "rules"


def knowledge_copy(tmp: Path, **settings: float) -> Path:
    folder = tmp / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder)
    defaults = folder / "defaults.yaml"
    text = defaults.read_text(encoding="utf-8")
    for name, value in settings.items():
        head, _, tail = text.partition(f"    {name}:\n      value: ")
        assert tail, name
        text = head + f"    {name}:\n      value: {value}" + tail[tail.index("\n"):]
    defaults.write_text(text, encoding="utf-8")
    return folder


ONE_RULE = """\
rules:
  - id: novice-seen
    title: Seen a novice
    priority: 1
    when:
      - fact: athlete
        where: {experience: novice}
    then:
      - block: {method: accentuated-eccentric}
    because: test rule
    source: project-default
    note: test rule
"""


def test_every_pattern_tests_the_fact_type(ws: Workspace) -> None:
    # A pattern made only of $nex tests matches the engine's state fact and loops forever.
    for rule in ws.compiled.definition.values():
        for term in rule["all"]:
            (pattern,) = term.values()
            assert {"type"} <= set(pattern["$and"][0]) if "$and" in pattern else "type" in pattern


def test_exception_in_action_is_reported_not_swallowed(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("boom in action")

    runtime = Runtime(ws.compiled, 100)
    monkeypatch.setattr(runtime, "_fire", boom)
    with pytest.raises(EngineError, match="boom in action"):
        runtime.evaluate([{"type": "athlete", "experience": "novice", "name": "a"}])


def test_sessions_are_deleted_even_after_errors(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    # durable_rules caps live sessions at 1,024 per ruleset; the 1,025th raises MemoryError.
    runtime = Runtime(ws.compiled, 100)
    facts = [{"type": "athlete", "experience": "novice", "name": "a"}]
    for _ in range(600):
        runtime.evaluate(facts)
    monkeypatch.setattr(runtime, "_fire", lambda *a: (_ for _ in ()).throw(ValueError("x")))
    for _ in range(600):
        with pytest.raises(EngineError):
            runtime.evaluate(facts)
    monkeypatch.undo()
    assert runtime.evaluate(facts)


def test_session_where_no_rule_matches_is_deleted_safely() -> None:
    # Deleting a session in which no action ran crashes durable_rules: the start rule prevents it.
    code = textwrap.dedent("""
        from negatives.engine.infer.workspace import open_workspace
        ws = open_workspace("advise")
        for _ in range(200):
            assert ws.runtime.evaluate([{"type": "unknown-kind", "x": 1}]) == []
        print("ok")
    """)
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "ok"


def test_start_rule_fires_in_every_session(ws: Workspace) -> None:
    assert START_RULE in ws.compiled.definition


def test_no_dispatcher_or_timer_threads(ws: Workspace) -> None:
    before = {t.name for t in threading.enumerate()}
    runtime = Runtime(ws.compiled, 100)
    for _ in range(50):
        runtime.evaluate([{"type": "athlete", "experience": "novice", "name": "a"}])
    after = {t.name for t in threading.enumerate()}
    assert after == before


def test_identical_input_facts_are_asserted_once(ws: Workspace) -> None:
    fact = {"type": "athlete", "experience": "novice", "name": "a"}
    firings = ws.runtime.evaluate([fact, dict(fact)])
    assert [f.rule for f in firings].count("ael-skip-novice") == 1


def test_many_values_on_one_field_are_spread_over_rulesets(tmp_path: Path) -> None:
    # 513 rules testing one field for different values hang durable_rules' compiler forever;
    # spread over two rulesets they run, and the last rule still matches.
    rules = "rules:\n" + "".join(
        f"  - id: r{i}\n    title: rule {i}\n    priority: 1\n"
        f"    when:\n      - fact: athlete\n        where: {{name: athlete-{i}}}\n"
        f"    then:\n      - warn: {{message: seen {i}}}\n"
        "    because: generated\n    source: project-default\n    note: generated\n"
        for i in range(600))
    ws = open_workspace("advise", rules=write_rules(tmp_path, rules))
    assert len(ws.runtime.names) == 2
    for i in (0, 480, 599):
        firings = ws.runtime.evaluate([{"type": "athlete", "name": f"athlete-{i}"}])
        assert [f.rule for f in firings] == [f"r{i}"]


def test_negation_cycle_is_refused(tmp_path: Path) -> None:
    folder = write_rules(tmp_path, """\
        rules:
          - id: a-unless-b
            title: a unless b
            priority: 1
            when:
              - fact: athlete
              - fact: fact-b
                not: true
            then:
              - assert: {fact: fact-a, x: 1}
            because: test
            source: project-default
            note: test
          - id: b-unless-a
            title: b unless a
            priority: 1
            when:
              - fact: athlete
              - fact: fact-a
                not: true
            then:
              - assert: {fact: fact-b, x: 1}
            because: test
            source: project-default
            note: test
        """)
    with pytest.raises(RuleCompileError, match="a-unless-b"):
        open_workspace("advise", rules=folder)


def test_runaway_rules_stop_at_the_firing_bound(tmp_path: Path) -> None:
    folder = write_rules(tmp_path, """\
        rules:
          - id: cross-join
            title: every exercise with every muscle
            priority: 1
            when:
              - fact: exercise-muscle
                as: a
              - fact: exercise-muscle
                as: b
            then:
              - assert: {fact: pair, x: $a.exercise, y: $b.muscle}
            because: test
            source: project-default
            note: test
        """)
    ws = open_workspace("advise", rules=folder,
                        knowledge=knowledge_copy(tmp_path, max_rule_firings=25))
    with pytest.raises(EngineError, match=r"stopped after 25 rule firings.*cross-join"):
        ws.runtime.evaluate(ws_facts(ws))


def ws_facts(ws: Workspace) -> list[dict[str, object]]:
    from negatives.engine.model.facts import knowledge_facts

    return knowledge_facts(ws.kb, set())


def test_rulesets_of_the_same_content_register_under_new_names(ws: Workspace) -> None:
    # Re-registering a ruleset name raises in durable_rules (#262).
    a = Runtime(ws.compiled, 100)
    b = Runtime(compile_rules(ws.base), 100)
    assert a.names != b.names
    assert b.evaluate([{"type": "athlete", "experience": "novice", "name": "a"}])


def test_cli_exits_promptly() -> None:
    done = subprocess.run([sys.executable, "-m", "negatives", "advise", "examples/alex.yaml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "should you use negatives now?" in done.stdout


def test_one_rule_base_runs(tmp_path: Path) -> None:
    ws = open_workspace("advise", rules=write_rules(tmp_path, ONE_RULE))
    firings = ws.runtime.evaluate([{"type": "athlete", "experience": "novice", "name": "a"}])
    assert [f.rule for f in firings] == ["novice-seen"]


def test_a_disjunction_over_another_fact_matches_every_branch(tmp_path: Path) -> None:
    # durable_rules 2.0.28 matches only the first branch of an $or whose branches compare with
    # another fact (found here, not in DURABLE_RULES.md): the compiler splits such rules.
    ws = open_workspace("advise", rules=write_rules(tmp_path, """\
        rules:
          - id: either-side
            title: either side
            priority: 1
            when:
              - fact: pairing
                as: p
              - fact: exercise
                as: e
                where:
                  any:
                    - {name: $p.concentric, compound: true}
                    - {name: $p.eccentric, compound: true}
            then:
              - warn: {message: "{e.name}"}
            because: test
            source: project-default
            note: test
        """))
    assert {"either-side#1", "either-side#2"} <= set(ws.compiled.definition)
    facts = [{"type": "pairing", "name": "x", "concentric": "a", "eccentric": "b"},
             {"type": "exercise", "name": "a", "compound": True},
             {"type": "exercise", "name": "b", "compound": True}]
    firings = ws.runtime.evaluate(facts)
    assert sorted(f.conclusions[0][1]["message"] for f in firings) == ["a", "b"]


def _thresholds(tmp_path: Path) -> Path:
    """1,000 two-pattern rules with 400 distinct `gt` thresholds on one field."""
    body = "".join(
        f"  - id: g{i}\n    title: generated {i}\n    priority: 1\n"
        f"    when:\n      - fact: one-rep-max\n        where: {{value: {{gt: {i % 400}}}}}\n"
        f"      - fact: athlete\n        where: {{cycle_week: {i % 52 + 1}}}\n"
        f"    then:\n      - warn: {{message: generated {i}}}\n"
        "    because: generated\n    source: project-default\n    note: generated\n"
        for i in range(1000))
    return write_rules(tmp_path, "rules:\n" + body)


def _threshold_facts(ws: Workspace) -> list[dict[str, Any]]:
    maxes = {"dumbbell close-grip chest press": 30, "unilateral leg press": 120,
             "barbell bench press": 100}
    athlete = parse_athlete(dump(athlete_dict(one_rep_max=maxes)), "a.yaml", ws.kb)
    return all_facts(athlete, ws.kb)


def test_many_thresholds_on_one_field_are_spread_over_rulesets(tmp_path: Path) -> None:
    # In one ruleset a fact passing more than 64 of these tests fails with error 303.
    ws = open_workspace("advise", rules=_thresholds(tmp_path))
    assert len(ws.runtime.names) > 1
    facts = _threshold_facts(ws)
    week = next(f["cycle_week"] for f in facts if f["type"] == "athlete")
    values = [f["value"] for f in facts if f["type"] == "one-rep-max"]
    expected = sorted((f"g{i}", v) for i in range(1000) for v in values
                      if v > i % 400 and i % 52 + 1 == week)
    firings = ws.runtime.evaluate(facts)
    got = sorted((f.rule, f.bindings["one_rep_max"]["value"]) for f in firings)
    assert got == expected and expected
    assert max(values) > 64  # so in one ruleset a fact would pass more than 64 threshold tests


def test_a_durable_failure_at_assert_time_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Forced into one ruleset, the same rules make durable_rules fail with error 303 when facts
    # arrive: the error names the code and what it means.
    monkeypatch.setattr(partition, "MAX_RANGE_PATTERNS", 10_000)
    monkeypatch.setenv("NEGATIVES_CACHE", "off")
    ws = open_workspace("advise", rules=_thresholds(tmp_path))
    assert len(ws.runtime.names) == 1
    with pytest.raises(EngineError, match=r"error code: 303.*more than 64 tests"):
        ws.runtime.evaluate(_threshold_facts(ws))
