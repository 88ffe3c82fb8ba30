"""`negatives advise` from the command line: advice, formats, rule/knowledge overrides, bad input.

Bad input must give `file:line:col: error message [code]` lines on stderr (every problem at once),
a count line, exit code 2, no traceback and nothing on stdout. The corpus of bad athlete files is
tests/fixtures/athletes/invalid/: each <case>.yaml has beside it <case>.expected, the exact stderr
(golden). Goldens are compared, never written, unless NEGATIVES_UPDATE_GOLDEN=1 is set: then the
.expected files are rewritten from the current output (for maintainers; review the diff).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from negatives.cli.main import cli
from tests.cli.corpus import UPDATE_ENV, compare_golden, updating

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "athletes"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
ALEX = "examples/alex.yaml"
METHODS = ["accentuated-eccentric", "slow-eccentric", "eccentric-only", "forced-negatives"]
MAX_BYTES = 2 * 1024 * 1024  # the contract's input limit: 2 MiB

# One diagnostic line: `file:line:col: error message [code]`, optionally followed by ` (at path)`.
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error (?P<msg>.+) "
                        r"\[(?P<code>[a-z][a-z-]*)\]( \(at .+\))?$")
COUNT = re.compile(r"^(?P<n>\d+) problems? found\.$")

# Corpus cases whose .expected holds the correct behaviour, hand-written, that the product does
# not produce yet. Their golden test is a strict xfail, and update mode leaves their golden alone.
KNOWN_GOLDEN_BUGS: dict[str, str] = {}


# ---------------------------------------------------------------------------------------------
# helpers


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """`negatives ARGS` in process; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), prog_name="negatives", env=env)


def advise_json(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run("advise", "--format", "json", *args, env=env)
    assert result.exit_code == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def method(advice: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in advice["methods"] if m["method"] == name)


def fired(advice: dict[str, Any]) -> set[str]:
    return {step["rule"] for step in advice["explanation"]}


def rel(path: Path) -> str:
    """A corpus path as the tests pass it: relative to the repo root, with forward slashes."""
    return path.relative_to(ROOT).as_posix()


def assert_bad_input(result: Result, file: str | None = None) -> list[re.Match[str]]:
    """The bad-input contract; returns the parsed diagnostic lines."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"exception escaped: {result.exception!r}")
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stdout == "", "bad input must print nothing on stdout"
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) >= 2, result.stderr
    count = COUNT.match(lines[-1])
    assert count, f"last line is not the count line: {lines[-1]!r}"
    found = [DIAGNOSTIC.match(line) for line in lines[:-1]]
    bad = [line for line, m in zip(lines[:-1], found, strict=True) if m is None]
    assert not bad, f"lines not in `file:line:col: error message [code]` form: {bad}"
    matches = [m for m in found if m is not None]
    assert int(count["n"]) == len(matches)
    if file is not None:
        assert {m["file"] for m in matches} == {file}
    positions = [(int(m["line"]), int(m["col"])) for m in matches]
    assert positions == sorted(positions), "problems must be sorted by line and column"
    assert all(line >= 1 and col >= 1 for line, col in positions)
    return matches


def invalid_cases() -> list[Any]:
    params = []
    for path in sorted(INVALID.glob("*.yaml")):
        marks = []
        if path.stem in KNOWN_GOLDEN_BUGS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_GOLDEN_BUGS[path.stem]))
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def copy_workspace(tmp_path: Path) -> tuple[Path, Path]:
    rules = tmp_path / "rules"
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "knowledge", knowledge)
    return rules, knowledge


def set_ael_start_percent(knowledge: Path, value: int) -> None:
    """Change accentuated-eccentric `start_percent_1rm` (105) in a knowledge copy, nothing else."""
    methods = knowledge / "methods.yaml"
    text = methods.read_text(encoding="utf-8")
    edited, n = re.subn(r"(\n\s+start_percent_1rm:\n\s+value: )105\b", rf"\g<1>{value}", text)
    assert n == 1, "start_percent_1rm: value: 105 not found in knowledge/methods.yaml"
    methods.write_text(edited, encoding="utf-8")


def ael_week_percents(advice: dict[str, Any]) -> list[float]:
    rec = next(r for r in advice["recommendations"] if r["method"] == "accentuated-eccentric")
    return [w["percent_1rm"] for w in rec["weeks"]]


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repo root with no rules/knowledge override in the environment."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NEGATIVES_RULES", raising=False)
    monkeypatch.delenv("NEGATIVES_KNOWLEDGE", raising=False)
    return ROOT


# ---------------------------------------------------------------------------------------------
# advice


def test_advise_example_text(at_root: Path) -> None:
    result = run("advise", ALEX)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "Alex: should you use negatives now? YES, for your bench press." in result.stdout
    assert "week 1: 106.67% = 32 kg" in result.stdout  # the percent a 2 kg dumbbell step lifts
    explained = run("advise", ALEX, "--explain").stdout
    assert "negatives advise: Alex (examples/alex.yaml)" in explained
    assert "Answer: YES." in explained
    assert "week 1: 105% of 1RM = 32 kg" in explained


def test_advise_json_shape(at_root: Path) -> None:
    advice = advise_json(ALEX)
    assert {"answer", "methods", "recommendations", "explanation"} <= set(advice)
    assert advice["answer"] == "yes"
    assert [m["method"] for m in advice["methods"]] == METHODS
    assert advice["recommendations"], "a stalled intermediate gets a recommendation"
    assert advice["explanation"]
    assert ael_week_percents(advice) == [105.0, 107.5, 110.0]


def test_advise_json_is_byte_identical_across_runs(at_root: Path) -> None:
    first = run("advise", "--format", "json", ALEX)
    second = run("advise", "--format", "json", ALEX)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes


def test_advise_markdown_has_heading(at_root: Path) -> None:
    result = run("advise", "--format", "markdown", ALEX)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert re.search(r"^## ", result.stdout, re.MULTILINE)


def test_unknown_format_is_a_usage_error(at_root: Path) -> None:
    result = run("advise", "--format", "yaml", ALEX)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["advise", "--help"]], ids=["negatives", "advise"])
def test_help(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert "Usage: negatives" in result.stdout
    if args[0] == "advise":
        assert "ATHLETE_FILE" in result.stdout
        for option in ("--format", "--rules", "--knowledge"):
            assert option in result.stdout
    else:
        assert "advise" in result.stdout


# ---------------------------------------------------------------------------------------------
# valid athletes: exit 0 and something specific for each


def test_valid_corpus_is_complete() -> None:
    names = {p.stem for p in VALID.glob("*.yaml")}
    expected = {"novice", "fatigued", "deadlift", "pounds", "no-partner", "log-stall",
                "block-done", "mid-cycle"}
    assert expected <= names


@pytest.mark.parametrize("path", sorted(VALID.glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_valid_athlete_exits_zero(at_root: Path, path: Path, fmt: str) -> None:
    result = run("advise", "--format", fmt, rel(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip()


def test_novice_is_blocked_from_ael(at_root: Path) -> None:
    advice = advise_json("tests/fixtures/athletes/valid/novice.yaml")
    ael = method(advice, "accentuated-eccentric")
    assert ael["status"] == "blocked"
    assert ael["decided_by"]["rule"] == "ael-skip-novice"
    eo = next(r for r in advice["recommendations"] if r["method"] == "eccentric-only")
    # Beginners stay at 105%: the build-up never goes above their ceiling.
    assert [w["percent_1rm"] for w in eo["weeks"]] == [105.0, 105.0, 105.0]
    assert all(r["method"] != "accentuated-eccentric" for r in advice["recommendations"])


def test_fatigued_gets_not_now(at_root: Path) -> None:
    advice = advise_json("tests/fixtures/athletes/valid/fatigued.yaml")
    assert advice["verdict"] == "not-now"
    assert advice["answer"] == "no"
    assert {m["status"] for m in advice["methods"]} == {"not-now"}
    assert advice["recommendations"] == []
    assert method(advice, "accentuated-eccentric")["decided_by"]["rule"] == "ael-not-when-fatigued"


def test_fatigued_text_says_not_now_and_exits_zero(at_root: Path) -> None:
    result = run("advise", "tests/fixtures/athletes/valid/fatigued.yaml")
    assert result.exit_code == 0
    assert "should you use negatives now? NOT NOW." in result.stdout


def test_deadlift_is_never_loaded_eccentrically(at_root: Path) -> None:
    advice = advise_json("tests/fixtures/athletes/valid/deadlift.yaml")
    for rec in advice["recommendations"]:
        used = [rec["exercise"] or ""]
        if rec["pairing"]:
            used += [rec["pairing"]["concentric"], rec["pairing"]["eccentric"]]
        assert not any("deadlift" in name for name in used), rec
    for name in ("eccentric-only", "forced-negatives"):
        deadlifts = [c for c in method(advice, name)["candidates"]
                     if "deadlift" in (c.get("exercise") or "")]
        assert deadlifts
        assert {c["status"] for c in deadlifts} == {"blocked"}
    warnings = {w["rule"] for w in method(advice, "accentuated-eccentric")["warnings"]}
    assert "ael-deadlift-indirectly" in warnings


def test_pounds_loads_are_in_lb(at_root: Path) -> None:
    advice = advise_json("tests/fixtures/athletes/valid/pounds.yaml")
    assert advice["athlete"]["units"] == "lb"
    weeks = [w for r in advice["recommendations"] for w in r["weeks"]]
    assert weeks
    assert {w["units"] for w in weeks} == {"lb"}
    ael = next(r for r in advice["recommendations"] if r["method"] == "accentuated-eccentric")
    # 105% of a 65 lb 1RM is 68.25 lb: no 5 lb dumbbell step is "about 105%" (65 is 100%,
    # 70 is 107.7%), so the plan keeps the percentages and says why.
    assert [w["load"] for w in ael["weeks"]] == [None, None, None]
    assert [w["percent_1rm"] for w in ael["weeks"]] == [105.0, 107.5, 110.0]
    assert {w["rounding_note"] for w in ael["weeks"]} == {"no-load-fits"}
    assert "no-load-fits" in advice["load_texts"]["notes"]
    text = run("advise", "tests/fixtures/athletes/valid/pounds.yaml").stdout
    assert " kg" not in text


def test_no_partner_gets_slow_eccentrics(at_root: Path) -> None:
    advice = advise_json("tests/fixtures/athletes/valid/no-partner.yaml")
    slow = method(advice, "slow-eccentric")
    assert slow["status"] == "recommended"
    assert slow["decided_by"]["rule"] == "slow-eccentric-plateau-without-partner"
    for name in ("eccentric-only", "forced-negatives"):
        assert method(advice, name)["decided_by"]["rule"] == "eo-needs-partner-or-one-arm"
    assert all(r["method"] not in ("eccentric-only", "forced-negatives")
               for r in advice["recommendations"])


def test_stall_derived_from_log(at_root: Path) -> None:
    advice = advise_json("tests/fixtures/athletes/valid/log-stall.yaml")
    assert advice["answer"] == "yes"
    assert "lift-stalled-from-log" in fired(advice)
    assert "lift-stalled-as-given" not in fired(advice)
    assert any(r["target_lift"] == "bench press" for r in advice["recommendations"])


def test_block_of_three_weeks_done(at_root: Path) -> None:
    advice = advise_json("tests/fixtures/athletes/valid/block-done.yaml")
    ael = method(advice, "accentuated-eccentric")
    assert ael["status"] == "not-now"
    assert ael["decided_by"]["rule"] == "ael-three-weeks-max"
    assert all(r["method"] != "accentuated-eccentric" for r in advice["recommendations"])


def test_mid_cycle_without_stall_waits(at_root: Path) -> None:
    advice = advise_json("tests/fixtures/athletes/valid/mid-cycle.yaml")
    assert advice["answer"] == "no"
    assert advice["verdict"] == "not-now"
    ael = method(advice, "accentuated-eccentric")
    assert ael["status"] == "not-now"
    assert ael["decided_by"]["rule"] == "ael-wait-for-timing"
    assert advice["recommendations"] == []


# ---------------------------------------------------------------------------------------------
# --rules / --knowledge and their environment variables


def test_knowledge_option_changes_advice(at_root: Path, tmp_path: Path) -> None:
    _, knowledge = copy_workspace(tmp_path)
    set_ael_start_percent(knowledge, 107)
    advice = advise_json("--knowledge", str(knowledge), ALEX)
    assert ael_week_percents(advice)[0] == 107.0
    text = run("advise", "--knowledge", str(knowledge), ALEX).stdout
    assert "week 1: 106.67% = 32 kg" in text  # 107% of 30 kg, on a 2 kg dumbbell step


def test_knowledge_env_changes_advice(at_root: Path, tmp_path: Path) -> None:
    _, knowledge = copy_workspace(tmp_path)
    set_ael_start_percent(knowledge, 107)
    advice = advise_json(ALEX, env={"NEGATIVES_KNOWLEDGE": str(knowledge)})
    assert ael_week_percents(advice)[0] == 107.0


def test_rules_option_and_env_use_the_copy(at_root: Path, tmp_path: Path) -> None:
    rules, _ = copy_workspace(tmp_path)
    safety = rules / "advise" / "safety.yaml"
    # Drop the novice block in the copy: a novice then gets accentuated eccentrics.
    text = safety.read_text(encoding="utf-8")
    edited = text.replace("where: {experience: novice}", "where: {experience: advanced}", 1)
    assert edited != text
    safety.write_text(edited, encoding="utf-8")
    novice = "tests/fixtures/athletes/valid/novice.yaml"
    assert method(advise_json(novice), "accentuated-eccentric")["status"] == "blocked"
    by_option = advise_json("--rules", str(rules), novice)
    by_env = advise_json(novice, env={"NEGATIVES_RULES": str(rules)})
    for advice in (by_option, by_env):
        assert method(advice, "accentuated-eccentric")["status"] != "blocked"
        assert "ael-skip-novice" not in fired(advice)


def test_option_wins_over_env(at_root: Path, tmp_path: Path) -> None:
    _, knowledge = copy_workspace(tmp_path)
    set_ael_start_percent(knowledge, 107)
    advice = advise_json("--knowledge", str(ROOT / "knowledge"), ALEX,
                         env={"NEGATIVES_KNOWLEDGE": str(knowledge)})
    assert ael_week_percents(advice)[0] == 105.0


def _broken_rules_unknown_fact(rules: Path) -> tuple[str, int | None]:
    path = rules / "advise" / "safety.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("      - fact: athlete\n        where: {experience: novice}",
                          "      - fact: athelete\n        where: {experience: novice}", 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    line = edited.splitlines().index("      - fact: athelete") + 1
    return "rules/advise/safety.yaml", line


def _broken_rules_bad_yaml(rules: Path) -> tuple[str, int | None]:
    (rules / "advise" / "broken.yaml").write_text(
        "rules:\n  - id: broken\n    title: [never closed\n", encoding="utf-8")
    return "rules/advise/broken.yaml", None  # where the parser notices: line 3 or 4


def _broken_rules_unknown_field(rules: Path) -> tuple[str, int | None]:
    path = rules / "advise" / "timing.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("where: {cycle_week: 1, recovery: well-rested}",
                          "where: {cycle_wek: 1, recovery: well-rested}", 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    line = next(i for i, ln in enumerate(edited.splitlines(), 1) if "cycle_wek" in ln)
    return "rules/advise/timing.yaml", line


@pytest.mark.parametrize("breaker", [_broken_rules_unknown_fact, _broken_rules_bad_yaml,
                                     _broken_rules_unknown_field],
                         ids=["unknown-fact", "bad-yaml", "unknown-field"])
def test_broken_rule_file_is_located(at_root: Path, tmp_path: Path, breaker: Any) -> None:
    rules, _ = copy_workspace(tmp_path)
    file, line = breaker(rules)
    result = run("advise", "--rules", str(rules), ALEX)
    matches = assert_bad_input(result)
    assert all(m["file"].replace(os.sep, "/").endswith(file) for m in matches), result.stderr
    at = "\\d+" if line is None else str(line)
    assert re.search(rf"{re.escape(file)}:{at}:\d+: error ", result.stderr), result.stderr


def test_missing_rules_folder(at_root: Path, tmp_path: Path) -> None:
    result = run("advise", "--rules", str(tmp_path / "nowhere"), ALEX)
    assert_bad_input(result)


# ---------------------------------------------------------------------------------------------
# the invalid corpus: goldens


@pytest.mark.parametrize("path", invalid_cases())
def test_invalid_golden(at_root: Path, path: Path) -> None:
    result = run("advise", rel(path))
    expected = path.with_suffix(".expected")
    update = updating() and path.stem not in KNOWN_GOLDEN_BUGS
    compare_golden(expected, result.stderr, update)
    assert_bad_input(result, rel(path))


def test_every_invalid_case_has_a_golden() -> None:
    cases = {p.stem for p in INVALID.glob("*.yaml")}
    goldens = {p.stem for p in INVALID.glob("*.expected")}
    assert cases == goldens, (sorted(cases - goldens), sorted(goldens - cases))


def test_invalid_corpus_covers_the_issue() -> None:
    cases = {p.stem for p in INVALID.glob("*.yaml")}
    required = {"syntax-error", "duplicate-keys", "missing-required", "unknown-key-near-miss",
                "wrong-type-cycle-week", "wrong-type-partner", "unknown-experience",
                "unknown-units-stone", "unknown-units-near-miss", "negative-1rm", "zero-1rm",
                "absurd-1rm", "unknown-exercise", "unknown-lift", "duplicate-lift",
                "several-problems", "python-tag", "alias-bomb", "empty", "list-not-mapping",
                "binary-garbage", "not-utf8"}
    assert required <= cases, sorted(required - cases)
    assert b"\x00" in (INVALID / "binary-garbage.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        (INVALID / "not-utf8.yaml").read_bytes().decode("utf-8")
    assert (INVALID / "empty.yaml").read_bytes() == b""


def test_golden_compare_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without NEGATIVES_UPDATE_GOLDEN=1 a golden is only compared: a mismatch fails, no rewrite."""
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    assert not updating()
    golden = tmp_path / "case.expected"
    golden.write_text("old\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        compare_golden(golden, "new\n", updating())
    assert golden.read_text(encoding="utf-8") == "old\n"
    with pytest.raises(AssertionError):
        compare_golden(tmp_path / "missing.expected", "new\n", updating())
    assert not (tmp_path / "missing.expected").exists()
    monkeypatch.setenv(UPDATE_ENV, "1")
    compare_golden(golden, "new\n", updating())
    assert golden.read_text(encoding="utf-8") == "new\n"


def test_corpus_goldens_untouched_by_a_normal_run(at_root: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    before = {p: p.read_bytes() for p in INVALID.glob("*.expected")}
    path = INVALID / "duplicate-keys.yaml"
    compare_golden(path.with_suffix(".expected"), run("advise", rel(path)).stderr, updating())
    assert {p: p.read_bytes() for p in INVALID.glob("*.expected")} == before


# ---------------------------------------------------------------------------------------------
# the invalid corpus: specific properties


def test_duplicate_keys_reports_both(at_root: Path) -> None:
    matches = assert_bad_input(run("advise", "tests/fixtures/athletes/invalid/duplicate-keys.yaml"))
    assert [m["code"] for m in matches] == ["duplicate-key", "duplicate-key"]


def test_several_problems_all_reported(at_root: Path) -> None:
    path = "tests/fixtures/athletes/invalid/several-problems.yaml"
    matches = assert_bad_input(run("advise", path), path)
    assert len(matches) == 10
    assert len({int(m["line"]) for m in matches}) == 10


@pytest.mark.parametrize(("case", "hint"), [
    ("unknown-key-near-miss", "did you mean 'experience'?"),
    ("unknown-units-near-miss", "did you mean 'kg'?"),
    ("unknown-exercise", "did you mean 'dumbbell close-grip chest press'?"),
    ("unknown-lift", "did you mean 'bench press'?"),
])
def test_did_you_mean(at_root: Path, case: str, hint: str) -> None:
    result = run("advise", f"tests/fixtures/athletes/invalid/{case}.yaml")
    assert_bad_input(result)
    assert hint in result.stderr


@pytest.mark.parametrize("case", ["unknown-experience", "unknown-units-stone"])
def test_no_did_you_mean_when_nothing_is_close(at_root: Path, case: str) -> None:
    result = run("advise", f"tests/fixtures/athletes/invalid/{case}.yaml")
    assert_bad_input(result)
    assert "did you mean" not in result.stderr
    assert "expected one of" in result.stderr


def test_python_tag_never_executes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    (tmp_path / "evil.yaml").write_text(
        f'name: !!python/object/apply:os.system ["touch {marker}"]\n'
        "experience: intermediate\nunits: kg\nrecovery: normal\ncycle_week: 1\n"
        "lifts:\n  - name: bench press\n", encoding="utf-8")
    result = run("advise", "evil.yaml")
    matches = assert_bad_input(result, "evil.yaml")
    assert [(m["line"], m["code"]) for m in matches] == [("1", "tag")]
    assert not marker.exists(), "the tag was executed"


def test_alias_bomb_is_rejected_quickly(at_root: Path) -> None:
    start = time.monotonic()
    result = run("advise", "tests/fixtures/athletes/invalid/alias-bomb.yaml")
    elapsed = time.monotonic() - start
    matches = assert_bad_input(result)
    assert [m["code"] for m in matches] == ["too-large"]
    assert elapsed < 20, f"alias bomb took {elapsed:.1f} s"


def test_missing_file(at_root: Path) -> None:
    path = "tests/fixtures/athletes/invalid/does-not-exist.yaml"
    result = run("advise", path)
    assert_bad_input(result, path)
    assert result.stderr == (f"{path}:1:1: error file not found [io]\n"
                             "1 problem found.\n")


def test_file_over_two_mib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    big = tmp_path / "big.yaml"
    line = b"# padding padding padding padding padding padding padding padding padding\n"
    body = b"name: Big\n" + line * (MAX_BYTES // len(line) + 1)
    big.write_bytes(body)
    size = big.stat().st_size
    assert size > MAX_BYTES
    result = run("advise", "big.yaml")
    assert_bad_input(result, "big.yaml")
    assert result.stderr == (f"big.yaml:1:1: error file is {size} bytes; the limit is {MAX_BYTES}"
                             " [too-large]\n1 problem found.\n")


def test_file_of_exactly_two_mib_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At the limit the file is read: the problems reported are about its content, not its size."""
    monkeypatch.chdir(tmp_path)
    head = b"name: Big\n"
    big = tmp_path / "big.yaml"
    big.write_bytes(head + b"#" * (MAX_BYTES - len(head) - 1) + b"\n")
    assert big.stat().st_size == MAX_BYTES
    result = run("advise", "big.yaml")
    matches = assert_bad_input(result, "big.yaml")
    assert "too-large" not in {m["code"] for m in matches}


# ---------------------------------------------------------------------------------------------
# bugs found by these tests, fixed: each stays as a regression test


def test_folder_instead_of_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "athletes").mkdir()
    result = run("advise", "athletes")
    assert_bad_input(result, "athletes")
    assert result.stderr == ("athletes:1:1: error is a folder, not a file [io]\n"
                             "1 problem found.\n")


def test_deep_nesting_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deep.yaml").write_text("[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    assert_bad_input(run("advise", "deep.yaml"), "deep.yaml")


NAN_1RM = """\
name: Sam
experience: intermediate
units: kg
recovery: normal
cycle_week: 1
partner: true
lifts:
  - name: bench press
    stalled: true
one_rep_max:
  barbell bench press: .nan
"""


def test_nan_one_rep_max_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nan.yaml").write_text(NAN_1RM, encoding="utf-8")
    result = run("advise", "nan.yaml")
    matches = assert_bad_input(result, "nan.yaml")
    assert [(m["line"], m["col"]) for m in matches] == [("11", "24")]  # at the value itself


def test_nan_log_load_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nan-log.yaml").write_text(
        "experience: intermediate\nunits: kg\nrecovery: normal\ncycle_week: 1\n"
        "lifts:\n  - name: bench press\n    log:\n      - {week: 1, load: .nan}\n"
        "      - {week: 5, load: 100}\n", encoding="utf-8")
    result = run("advise", "nan-log.yaml")
    matches = assert_bad_input(result, "nan-log.yaml")
    assert [m["line"] for m in matches] == ["8"]


def test_tiny_one_rep_max_does_not_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.yaml").write_text(
        NAN_1RM.replace("barbell bench press: .nan", "barbell bench press: 0.00001"),
        encoding="utf-8")
    result = run("advise", "tiny.yaml")
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    assert "internal error" not in result.stderr
    if result.exit_code == 2:
        assert_bad_input(result, "tiny.yaml")


def test_same_exercise_twice_in_one_rep_max(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "twice.yaml").write_text(
        NAN_1RM.replace("barbell bench press: .nan",
                        "barbell bench press: 100\n  flat bench press: 120"), encoding="utf-8")
    result = run("advise", "twice.yaml")
    matches = assert_bad_input(result, "twice.yaml")
    assert [(m["line"], m["col"]) for m in matches] == [("12", "3")]


# ---------------------------------------------------------------------------------------------
# the real process


def test_python_dash_m_cli(at_root: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NEGATIVES_RULES",
                                                            "NEGATIVES_KNOWLEDGE")}
    done = subprocess.run([sys.executable, "-m", "negatives", "advise", ALEX], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "should you use negatives now? YES" in done.stdout


def test_process_bad_input_exits_two_without_traceback(at_root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "negatives", "advise",
         "tests/fixtures/athletes/invalid/python-tag.yaml"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    expected = (INVALID / "python-tag.expected").read_text(encoding="utf-8")
    assert done.stderr == expected
