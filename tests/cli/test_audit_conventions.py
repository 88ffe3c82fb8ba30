"""`negatives audit` linter conventions: suppressions, --select/--ignore, folders and stdin.

Each test writes small programs of its own into a temporary folder and runs the CLI in process
from there, the way a coach would run it in a folder of programs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from negatives.cli.main import cli

HEADER = "name: test\nunits: kg\nweeks:\n  - week: 1\n    days:\n      - day: Monday\n" \
         "        exercises:\n"
# One entry a line, at 10 spaces: line 8 is the first entry.
SQUAT = "          - {exercise: back squat, sets: 5, reps: 5, percent_1rm: 80}"
AEL_4X8 = ("          - {exercise: dumbbell bench press, method: accentuated-eccentric, "
           "eccentric: dumbbell close-grip chest press, sets: 4, reps: 8, percent_1rm: 105}")
EO_130 = ("          - {exercise: barbell bench press, method: eccentric-only, sets: 3, reps: 8, "
          "percent_1rm: 130}")
SLED = "          - {exercise: sled push, sets: 4, reps: 1}"


def program(*lines: str, top: str = "") -> str:
    return top + HEADER + "".join(line + "\n" for line in lines)


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="negatives", input=stdin, env=env)


def findings(result: Result) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return out


def shown(result: Result) -> set[tuple[str, int]]:
    """(rule, line) of every finding that is not suppressed."""
    return {(f["rule"], f["line"]) for f in findings(result) if not f.get("suppressed")}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("NEGATIVES_RULES", "NEGATIVES_KNOWLEDGE", "NEGATIVES_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def audit_text(text: str, *options: str) -> Result:
    Path("p.yaml").write_text(text, encoding="utf-8")
    return run("audit", "p.yaml", "--format", "json", *options)


# ---------------------------------------------------------------------------------------------
# suppressions


def test_a_trailing_comment_silences_its_own_line_only() -> None:
    result = audit_text(program(AEL_4X8 + "  # negatives: ignore[audit-ael-sets-reps] -- elbow",
                                AEL_4X8))
    # Line 8 silenced; line 9 (the line below the trailing comment) still reported.
    silenced = [f for f in findings(result) if f.get("suppressed")]
    assert [(f["rule"], f["line"], f["justification"]) for f in silenced] == [
        ("audit-ael-sets-reps", 8, "elbow")]
    assert ("audit-ael-sets-reps", 9) in shown(result)


def test_a_comment_alone_silences_the_line_below_only() -> None:
    result = audit_text(program("          # negatives: ignore[audit-ael-sets-reps]",
                                AEL_4X8, AEL_4X8))
    assert ("audit-ael-sets-reps", 9) not in shown(result)
    assert ("audit-ael-sets-reps", 10) in shown(result)


def test_a_comment_alone_does_not_reach_past_a_blank_line() -> None:
    result = audit_text(program("          # negatives: ignore[audit-ael-sets-reps]", "",
                                AEL_4X8))
    assert ("audit-ael-sets-reps", 10) in shown(result)
    assert ("unused-suppression", 8) in shown(result)


def test_ignore_file_silences_every_line() -> None:
    top = "# negatives: ignore-file[audit-ael-sets-reps] -- rehab block\n"
    result = audit_text(program(AEL_4X8, AEL_4X8, top=top))
    silenced = [(f["line"], f["justification"]) for f in findings(result) if f.get("suppressed")]
    assert silenced == [(9, "rehab block"), (10, "rehab block")]
    assert not any(rule == "audit-ael-sets-reps" for rule, _ in shown(result))
    assert result.exit_code == 0


def test_an_ignore_file_that_silences_nothing_is_reported() -> None:
    result = audit_text(program(SQUAT, top="# negatives: ignore-file[audit-eo-above-125]\n"))
    (unused,) = findings(result)
    assert (unused["rule"], unused["line"], unused["severity"]) == ("unused-suppression", 1,
                                                                    "warning")
    assert "ignore-file[audit-eo-above-125] silences nothing in this file" in unused["message"]


@pytest.mark.parametrize("comment", ["# negatives: ignore", "# negatives: ignore[]",
                                     "# negatives: ignore -- just because",
                                     "# negatives: ignore-file", "# negatives: disable[x]",
                                     "# negatives: ignore[Not An Id]"])
def test_a_bare_or_malformed_suppression_is_reported_and_silences_nothing(comment: str) -> None:
    result = audit_text(program(AEL_4X8 + "  " + comment))
    assert ("audit-ael-sets-reps", 8) in shown(result)
    invalid = [f for f in findings(result) if f["rule"] == "invalid-suppression"]
    assert [(f["line"], f["severity"]) for f in invalid] == [(8, "warning")]
    assert "silences nothing" in invalid[0]["message"]
    assert run("audit", "p.yaml", "--fail-on", "warning").exit_code == 1


def test_prose_after_negatives_colon_is_not_a_directive() -> None:
    result = audit_text(program(SQUAT, top="# negatives: 3 weeks on, then a deload\n"))
    assert findings(result) == []


def test_suppression_findings_can_be_ignored_like_any_rule() -> None:
    result = audit_text(program(SQUAT + "  # negatives: ignore"), "--ignore", "suppression")
    assert findings(result) == []


# ---------------------------------------------------------------------------------------------
# --select / --ignore


def test_select_by_tag_and_by_id() -> None:
    text = program(AEL_4X8, EO_130, SLED)
    every = {rule for rule, _ in shown(audit_text(text))}
    assert {"audit-ael-sets-reps", "audit-eo-above-125", "audit-unknown-exercise"} <= every
    by_tag = {rule for rule, _ in shown(audit_text(text, "--select", "eccentric-only"))}
    assert by_tag == {"audit-eo-above-125"}
    by_id = {rule for rule, _ in shown(audit_text(text, "--select", "audit-unknown-exercise"))}
    assert by_id == {"audit-unknown-exercise"}
    both = {rule for rule, _ in shown(audit_text(text, "--select", "eccentric-only",
                                                 "--select", "audit-unknown-exercise"))}
    assert both == {"audit-eo-above-125", "audit-unknown-exercise"}
    comma = {rule for rule, _ in shown(audit_text(
        text, "--select", "eccentric-only,audit-unknown-exercise"))}
    assert comma == both


def test_ignore_by_tag_and_by_id() -> None:
    text = program(AEL_4X8, EO_130, SLED)
    every = {rule for rule, _ in shown(audit_text(text))}
    no_load = {rule for rule, _ in shown(audit_text(text, "--ignore", "load"))}
    assert no_load == every - {"audit-ael-sets-reps", "audit-eo-above-125"}
    no_id = {rule for rule, _ in shown(audit_text(text, "--ignore", "audit-eo-above-125"))}
    assert no_id == every - {"audit-eo-above-125"}


def test_an_id_beats_a_tag_and_ignore_wins_a_tie() -> None:
    text = program(AEL_4X8, EO_130)
    picked = {r for r, _ in shown(audit_text(text, "--select", "audit-eo-above-125",
                                             "--ignore", "load"))}
    assert picked == {"audit-eo-above-125"}
    dropped = {r for r, _ in shown(audit_text(text, "--select", "load",
                                              "--ignore", "audit-eo-above-125"))}
    assert dropped == {"audit-ael-sets-reps"}
    tie = shown(audit_text(text, "--select", "load", "--ignore", "load"))
    assert tie == set()


def test_ignored_findings_do_not_fail_the_run() -> None:
    Path("p.yaml").write_text(program(EO_130), encoding="utf-8")
    assert run("audit", "p.yaml").exit_code == 1
    assert run("audit", "p.yaml", "--ignore", "audit-eo-above-125").exit_code == 0


def test_a_suppression_of_an_unselected_rule_is_still_judged_on_every_rule() -> None:
    """Selection filters the report; whether a comment silences something does not change."""
    text = program(AEL_4X8 + "  # negatives: ignore[audit-ael-sets-reps]")
    assert shown(audit_text(text, "--select", "eccentric-only")) == set()
    assert shown(audit_text(text)) == set()


def test_an_unknown_selector_is_bad_usage_with_a_hint() -> None:
    Path("p.yaml").write_text(program(SQUAT), encoding="utf-8")
    result = run("audit", "p.yaml", "--select", "safty")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--select: unknown rule or tag 'safty' (did you mean 'safety'?)" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------------
# folders and stdin


def test_a_folder_is_audited_recursively_in_a_stable_order(in_tmp: Path) -> None:
    (in_tmp / "block" / "week1").mkdir(parents=True)
    (in_tmp / "block" / ".hidden").mkdir()
    (in_tmp / "block" / "b.yaml").write_text(program(EO_130), encoding="utf-8")
    (in_tmp / "block" / "week1" / "a.yaml").write_text(program(AEL_4X8), encoding="utf-8")
    (in_tmp / "block" / "notes.txt").write_text("not a program", encoding="utf-8")
    (in_tmp / "block" / ".hidden" / "c.yaml").write_text("broken: [", encoding="utf-8")
    result = run("audit", "block", "--format", "json")
    assert result.exit_code == 1, result.stderr
    assert [f["file"] for f in findings(result)] == ["block/b.yaml", "block/week1/a.yaml"]


def test_an_empty_folder_is_a_warning(in_tmp: Path) -> None:
    (in_tmp / "empty").mkdir()
    result = run("audit", "empty")
    assert result.exit_code == 0
    assert "warning: empty: no *.yaml files in this folder" in result.stderr


def test_a_program_on_stdin() -> None:
    result = run("audit", "-", "--format", "json", stdin=program(EO_130))
    assert result.exit_code == 1
    assert [(f["file"], f["rule"], f["line"]) for f in findings(result)] == [
        ("<stdin>", "audit-eo-above-125", 8)]


def test_a_broken_program_on_stdin_is_located() -> None:
    result = run("audit", "-", stdin="name: x\nunits: kg\nweeks: [\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>:")
    assert "[yaml-syntax]" in result.stderr


def test_an_athlete_on_stdin() -> None:
    Path("p.yaml").write_text(program(EO_130.replace("130", "115")), encoding="utf-8")
    athlete = ("name: Jo\nexperience: novice\nunits: kg\nrecovery: normal\ncycle_week: 1\n"
               "partner: true\nlifts: [{name: bench, stalled: true}]\n"
               "one_rep_max: {barbell bench press: 60}\n")
    result = run("audit", "p.yaml", "--athlete", "-", "--format", "json", stdin=athlete)
    assert "audit-eo-beginner-above-105" in {rule for rule, _ in shown(result)}


def test_stdin_cannot_be_both_athlete_and_program() -> None:
    result = run("audit", "-", "--athlete", "-", stdin="")
    assert result.exit_code == 2
    assert "not both" in result.stderr


# ---------------------------------------------------------------------------------------------
# advise -


def test_advise_reads_an_athlete_from_stdin() -> None:
    alex = (Path(__file__).resolve().parents[2] / "examples" / "alex.yaml").read_text("utf-8")
    from_stdin = run("advise", "-", "--format", "json", stdin=alex)
    assert from_stdin.exit_code == 0, from_stdin.stderr
    Path("alex.yaml").write_text(alex, encoding="utf-8")
    from_file = run("advise", "alex.yaml", "--format", "json")
    assert from_stdin.stdout.replace("<stdin>", "alex.yaml") == from_file.stdout


def test_advise_locates_bad_input_on_stdin() -> None:
    result = run("advise", "-", stdin="name: Jo\nexperience: expert\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert all(line.startswith("<stdin>:") for line in result.stderr.splitlines()[:-1])


# ---------------------------------------------------------------------------------------------
# units


def athlete_file(units: str, bench_max: float) -> str:
    Path("athlete.yaml").write_text(
        f"name: Sam\nexperience: intermediate\nunits: {units}\nrecovery: well-rested\n"
        "cycle_week: 1\npartner: true\nlifts: [{name: bench press, stalled: true}]\n"
        f"one_rep_max: {{barbell bench press: {bench_max}}}\n", encoding="utf-8")
    return "athlete.yaml"


def eo_load(units: str, load: float) -> str:
    return program(f"          - {{exercise: barbell bench press, method: eccentric-only, "
                   f"sets: 3, reps: 8, load: {load}}}").replace("units: kg", f"units: {units}")


def test_a_kg_program_against_an_lb_athlete_converts_and_says_so() -> None:
    """200 kg is 440.9 lb: 142.23% of a 310 lb 1RM, not 200 / 310 = 64.5%."""
    result = audit_text(eo_load("kg", 200), "--athlete", athlete_file("lb", 310))
    (finding,) = findings(result)
    assert finding["rule"] == "audit-eo-above-125"
    assert finding["message"].startswith(
        "142.23% of 1RM (200 kg = 440.9 lb, of a 310 lb 1RM): stay at or below 125%")


def test_the_issue_case_is_not_142_percent() -> None:
    """200 kg against a 140 lb 1RM once read as 142.86%; it is 315%."""
    result = audit_text(eo_load("kg", 200), "--athlete", athlete_file("lb", 140))
    (finding,) = findings(result)
    assert "142.86" not in finding["message"]
    assert finding["message"].startswith("314.95% of 1RM (200 kg = 440.9 lb")


def test_an_lb_program_against_a_kg_athlete() -> None:
    """300 lb is 136.1 kg: 113.4% of a 120 kg 1RM, within 125% (no finding)."""
    assert findings(audit_text(eo_load("lb", 300), "--athlete", athlete_file("kg", 120))) == []
    result = audit_text(eo_load("lb", 350), "--athlete", athlete_file("kg", 120))
    (finding,) = findings(result)
    assert finding["message"].startswith("132.3% of 1RM (350 lb = 158.8 kg, of a 120 kg 1RM)")


def test_the_same_units_need_no_note() -> None:
    result = audit_text(eo_load("lb", 400), "--athlete", athlete_file("lb", 310))
    (finding,) = findings(result)
    assert finding["message"].startswith("129.03% of 1RM: stay at or below 125%")


def test_rules_show_lists_the_tags_to_select_by() -> None:
    result = run("rules", "show", "audit-eo-above-125")
    assert result.exit_code == 0
    assert "  tags:      audit, load, eccentric-only\n" in result.stdout


def test_markdown_lists_the_files_that_could_not_be_audited() -> None:
    Path("good.yaml").write_text(program(EO_130), encoding="utf-8")
    Path("bad.yaml").write_text("name: x\nunits: kg\nweeks: [\n", encoding="utf-8")
    result = run("audit", "bad.yaml", "good.yaml", "--format", "markdown")
    assert result.exit_code == 2
    assert "Files that could not be audited:" in result.stdout
    assert "- `bad.yaml:4:1` invalid YAML" in result.stdout
    assert "| good.yaml:8 | error |" in result.stdout


def test_a_file_named_twice_is_audited_once(in_tmp: Path) -> None:
    (in_tmp / "block").mkdir()
    (in_tmp / "block" / "a.yaml").write_text(program(EO_130), encoding="utf-8")
    result = run("audit", "block", "block/a.yaml", "./block/a.yaml", "--format", "json")
    assert [f["file"] for f in findings(result)] == ["block/a.yaml"]
