"""CONTRIBUTING.md's "Adding or changing a rule", performed step by step on a temporary copy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from tests.conftest import ROOT

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def yaml_block(after: str) -> str:
    """The first ```yaml block after the line containing `after` in CONTRIBUTING.md."""
    start = GUIDE.index(after)
    match = re.search(r"```yaml\n(.*?)```", GUIDE[start:], re.S)
    assert match, after
    return match.group(1)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def week_one(output: str) -> float:
    advice = json.loads(output)
    rec = next(r for r in advice["recommendations"] if r["method"] == "accentuated-eccentric")
    return float(rec["weeks"][0]["percent_1rm"])


def test_the_walkthrough_changes_the_advice_as_it_says(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    copy = tmp_path / "my-rules"
    assert run("init", str(copy))[0] == 0
    monkeypatch.setenv("NEGATIVES_RULES", str(copy / "rules"))
    monkeypatch.setenv("NEGATIVES_KNOWLEDGE", str(copy / "knowledge"))
    code, before = run("advise", "examples/alex.yaml", "--format", "json")
    assert code == 0 and week_one(before) == 105.0

    # Step 2: the starting percentage.
    methods = copy / "knowledge" / "methods.yaml"
    text = methods.read_text(encoding="utf-8")
    old = re.search(r"      start_percent_1rm:\n(?:        .*\n)+?(?=      \w)", text)
    assert old
    methods.write_text(text.replace(old.group(0), yaml_block("**2. Change the starting")),
                       encoding="utf-8")
    # Step 3: a pairing.
    pairings = copy / "knowledge" / "pairings.yaml"
    pairings.write_text(pairings.read_text(encoding="utf-8") + yaml_block("**3. Add a pairing"),
                        encoding="utf-8")
    # Step 4: a rule and its test.
    (copy / "rules" / "advise" / "coach.yaml").write_text(
        yaml_block("**4. Add a rule"), encoding="utf-8")
    (copy / "rules" / "advise" / "coach.test.yaml").write_text(
        yaml_block("Then create its test cases"), encoding="utf-8")

    # Step 5: check, test, coverage, diff.
    code, out = run("rules", "check")
    assert code == 0, out
    code, out = run("rules", "test", "coach.test.yaml")
    assert code == 0 and "2 passed, 0 failed" in out, out
    # The audit follows the new start percent (a derived band): only its start-load cases fail.
    code, out = run("rules", "test")
    fails = [line for line in out.splitlines() if line.startswith("FAIL ")]
    assert code == 1 and fails, out
    assert all("rules/audit/accentuated-eccentric.test.yaml" in line for line in fails), fails
    assert all("audit-ael-start-load" in block for block in out.split("FAIL ")[1:]), out
    code, out = run("rules", "diff", "--cases", "examples")
    assert code == 0, out
    assert re.search(r"w1 105% = 32 kg.* -> .*w1 100% = 30 kg", out), out

    # The advice changed as the walkthrough says.
    code, after = run("advise", "examples/alex.yaml", "--format", "json")
    assert code == 0 and week_one(after) == 100.0
    athlete = tmp_path / "after-block.yaml"
    athlete.write_text((ROOT / "examples" / "alex.yaml").read_text(encoding="utf-8")
                       .replace("accentuated_eccentric_weeks_done: 0",
                                "accentuated_eccentric_weeks_done: 3"), encoding="utf-8")
    code, out = run("advise", str(athlete), "--format", "json")
    warnings = json.loads(out)["warnings"]
    assert {"rule": "coach-deload-after-block", "method": None,
            "message": "Alex: take a deload week before the next heavy block."} in warnings
    code, out = run("rules", "coverage")
    assert re.search(r"coach-deload-after-block: fires in [1-9]\d* case\(s\), silent in [1-9]",
                     out), out
    code, out = run("rules", "show", "incline-db-press-to-close-grip-press")
    assert code == 2  # a pairing is knowledge, not a rule: a clear error, no traceback

    # Step 6: a field of the athlete, declared in the vocabulary.
    facts = copy / "knowledge" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    anchor = "    fields:\n"
    start = text.index(anchor, text.index("  athlete:\n")) + len(anchor)
    facts.write_text(text[:start] + yaml_block("**6. Add a field") + text[start:],
                     encoding="utf-8")
    assert '"sleep_hours"' in run("schema", "athlete")[1]
    tired = tmp_path / "tired.yaml"
    tired.write_text((ROOT / "examples" / "alex.yaml").read_text(encoding="utf-8")
                     + "sleep_hours: 30\n", encoding="utf-8")
    code, out = run("advise", str(tired))
    assert code == 2 and "sleep_hours" in out and "at most 24" in out, out

    # Step 7: a rule that reads it, and its test cases.
    (copy / "rules" / "advise" / "sleep.yaml").write_text(
        yaml_block("**7. Add a rule that reads it"), encoding="utf-8")
    (copy / "rules" / "advise" / "sleep.test.yaml").write_text(
        yaml_block("and its cases"), encoding="utf-8")
    code, out = run("rules", "check")
    assert code == 0 and "0 error(s), 0 warning(s)" in out, out
    code, out = run("rules", "test", "sleep.test.yaml")
    assert code == 0 and "2 passed, 0 failed" in out, out
    tired.write_text(tired.read_text(encoding="utf-8").replace("sleep_hours: 30",
                                                               "sleep_hours: 5"))
    advice = json.loads(run("advise", str(tired), "--format", "json")[1])
    ael = next(m for m in advice["methods"] if m["method"] == "accentuated-eccentric")
    assert ael["status"] == "not-now", ael

    # The typos the guide names are located errors, never a silent non-match.
    sleep = copy / "rules" / "advise" / "sleep.yaml"
    rule = sleep.read_text(encoding="utf-8")
    for typo, said in [("{lt: six}", "athlete.sleep_hours is a number from 0 to 24 (hours); "
                                     "'six' is text"),
                       ("{gt: 30}", "can never hold")]:
        sleep.write_text(rule.replace("{lt: 6}", typo), encoding="utf-8")
        code, out = run("rules", "check")
        assert code == 2 and said in out and "rules/advise/sleep.yaml:9:" in out, out
    sleep.write_text(rule, encoding="utf-8")
