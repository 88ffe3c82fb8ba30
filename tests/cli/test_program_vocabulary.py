"""CONTRIBUTING.md's step 8: a key of the program file's entries is one edit of facts.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from tests.cli.test_walkthrough import yaml_block
from tests.conftest import ROOT

PROGRAM = """\
units: kg
weeks:
  - week: 1
    days:
      - day: Monday
        exercises:
          - {exercise: bench press, sets: 3, reps: 5, percent_1rm: 80, rpe: 8}
          - {exercise: bench press, sets: 3, reps: 8, method: eccentric-only, rpe: RPE}
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def coach_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fact: str, fields: str) -> Path:
    """An `init` copy in use (env vars), with `fields` added to a fact type of facts.yaml."""
    copy = tmp_path / "my-rules"
    assert run("init", str(copy))[0] == 0
    monkeypatch.setenv("NEGATIVES_RULES", str(copy / "rules"))
    monkeypatch.setenv("NEGATIVES_KNOWLEDGE", str(copy / "knowledge"))
    facts = copy / "knowledge" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    anchor = "    fields:\n"
    start = text.index(anchor, text.index(f"  {fact}:\n")) + len(anchor)
    facts.write_text(text[:start] + fields + text[start:], encoding="utf-8")
    return copy


def test_an_entry_key_added_to_the_vocabulary_reaches_schema_file_and_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    program = tmp_path / "program.yaml"
    program.write_text(PROGRAM.replace("rpe: RPE", "rpe: 10"), encoding="utf-8")
    # The shipped vocabulary has no such key: a located error naming the keys there are.
    code, out = run("audit", str(program))
    assert code == 2 and "program.yaml:7:" in out and "unknown key 'rpe'" in out, out
    assert "allowed: exercise, role, sets, reps, load, percent_1rm, method" in out, out

    copy = coach_copy(tmp_path, monkeypatch, "entry", yaml_block("**8. Add a key"))

    schema = json.loads(run("schema", "program")[1])
    assert schema["$defs"]["entry"]["properties"]["rpe"]["maximum"] == 10
    program.write_text(PROGRAM.replace("rpe: RPE", "rpe: 11"), encoding="utf-8")
    code, out = run("audit", str(program))
    assert code == 2 and "program.yaml:8:" in out and "11 is out of range: must be at most 10" \
        in out, out

    (copy / "rules" / "audit" / "effort.yaml").write_text(yaml_block("my-rules/rules/audit/"
                                                                     "effort.yaml"),
                                                          encoding="utf-8")
    code, out = run("rules", "check")
    assert code == 0 and "0 error(s), 0 warning(s)" in out, out
    program.write_text(PROGRAM.replace("rpe: RPE", "rpe: 10"), encoding="utf-8")
    code, out = run("audit", str(program), "--format", "json")
    found = [f for f in json.loads(out)["findings"] if f["rule"] == "coach-negatives-near-failure"]
    assert [(f["line"], f["message"]) for f in found] == [
        (8, "barbell bench press at RPE 10: leave a rep in reserve on negatives")], out
    program.write_text(PROGRAM.replace("rpe: RPE", "rpe: 9"), encoding="utf-8")
    code, out = run("audit", str(program), "--format", "json")
    assert "coach-negatives-near-failure" not in out

    # A typo in the rule is a located error, never a silent non-match.
    rule = copy / "rules" / "audit" / "effort.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("rpe: {gt: 9}", "rpe: {gt: 12}"),
                    encoding="utf-8")
    code, out = run("rules", "check")
    assert code == 2 and "can never hold" in out and "effort.yaml:11:" in out, out


LIFT_KEY = """\
      priority:
        type: integer
        min: 1
        max: 3
        input: optional
        description: how much the lifter cares about this lift (1 = most)
"""
LIFT_RULE = """\
rules:
  - id: coach-low-priority-lift
    title: A lift the lifter ranks low
    priority: 5
    tags: [background]
    when:
      - fact: lift
        as: l
        where: {priority: 3}
    then:
      - warn: {message: "{l.name} is your lowest priority: keep its negatives for later"}
    because: Our coaches keep heavy negatives for the lifts that matter most to the lifter.
    source: project-default
    note: Our own rule, not from the articles.
"""


def test_a_lift_key_added_to_the_vocabulary_reaches_schema_file_and_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    athlete = tmp_path / "alex.yaml"
    alex = (ROOT / "examples" / "alex.yaml").read_text(encoding="utf-8")
    athlete.write_text(alex.replace("  - name: bench press\n",
                                    "  - name: bench press\n    priority: 3\n"), encoding="utf-8")
    code, out = run("advise", str(athlete))
    assert code == 2 and "unknown key 'priority'" in out and "allowed: name, stalled, log" in out

    copy = coach_copy(tmp_path, monkeypatch, "lift", LIFT_KEY)
    (copy / "rules" / "advise" / "priority.yaml").write_text(LIFT_RULE, encoding="utf-8")
    code, out = run("rules", "check")
    assert code == 0 and "0 error(s), 0 warning(s)" in out, out
    assert "priority" in json.loads(run("schema", "athlete")[1])["$defs"]["lift"]["properties"]

    code, out = run("advise", str(athlete), "--format", "json")
    assert code == 0, out
    warned = [w["message"] for w in json.loads(out)["warnings"]
              if w["rule"] == "coach-low-priority-lift"]
    assert warned == ["bench press is your lowest priority: keep its negatives for later"], out
    athlete.write_text(alex.replace("  - name: bench press\n",
                                    "  - name: bench press\n    priority: 4\n"), encoding="utf-8")
    code, out = run("advise", str(athlete))
    assert code == 2 and "4 is out of range: must be at most 3" in out, out
