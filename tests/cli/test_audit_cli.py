"""`negatives audit` from the command line, driven by the program corpus in tests/fixtures/programs.

Corpus layout:
  valid/<case>.yaml      clean programs: no findings
  invalid/<case>.yaml    programs that break checks
  <case>.expected.yaml   beside each: the exact findings, `- {rule, severity, line}` (order does
                         not matter; a silenced finding also has `suppressed: true`)
  <case>.athlete.yaml    optional, beside a program: passed as --athlete
  bad/<case>.yaml        files that cannot be audited (exit 2); <case>.expected.yaml lists the
                         diagnostics, `- {line, column, code}`
  golden/<case>.txt      exact text output of a few cases, compared, never written unless
                         NEGATIVES_UPDATE_GOLDEN=1 (then rewritten from the current output)

Expectations come from the rules and the guidelines, not from the tool's output. Where the tool
disagrees, the case is listed in KNOWN_BUGS and its findings test is a strict xfail.

The CLI runs in process (CliRunner) from the repo root with relative paths. Loading the knowledge
and rules takes most of a run, so the tests share one audit workspace (`open_workspace` is
memoised; each evaluation still runs in a fresh durable_rules session).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

import negatives.cli.audit as audit_command_module
from negatives.cli.main import cli
from negatives.engine.infer.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ROOT / "tests" / "fixtures" / "programs"
GOLDEN = PROGRAMS / "golden"
BAD = PROGRAMS / "bad"
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json"
AUDIT_RULES = ROOT / "rules" / "audit"
UPDATE_ENV = "NEGATIVES_UPDATE_GOLDEN"

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GOLDEN_CASES = ["invalid/ael-block-4-weeks", "invalid/suppressed", "valid/upper-lower-12-weeks"]

DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error (?P<msg>.+) "
                        r"\[(?P<code>[a-z][a-z-]*)\]( \(at .+\))?$")
COUNT = re.compile(r"^\d+ problems? found\b")
TEXT_FINDING = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) "
                          r"(?P<rule>[a-z0-9-]+) .+$")

# Cases whose expected file holds what the guidelines require and the tool does not do yet.
KNOWN_BUGS: dict[str, str] = {}

Finding = tuple[str, str, int, bool]  # rule, severity, line, suppressed


# ---------------------------------------------------------------------------------------------
# helpers


def _yaml() -> YAML:
    return YAML(typ="safe", pure=True)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def case_files() -> list[Path]:
    out = []
    for kind in ("valid", "invalid"):
        out += [p for p in sorted((PROGRAMS / kind).glob("*.yaml"))
                if not p.name.endswith((".expected.yaml", ".athlete.yaml"))]
    return out


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def program(case: str) -> Path:
    return PROGRAMS / f"{case}.yaml"


def athlete_args(path: Path) -> list[str]:
    athlete = path.with_name(f"{path.stem}.athlete.yaml")
    return ["--athlete", rel(athlete)] if athlete.exists() else []


@cache
def expected(path: Path) -> tuple[Finding, ...]:
    items = _yaml().load(path.with_name(f"{path.stem}.expected.yaml").read_text("utf-8")) or []
    return tuple((i["rule"], i["severity"], int(i["line"]), bool(i.get("suppressed", False)))
                 for i in items)


def expected_exit(findings: tuple[Finding, ...], fail_on: str) -> int:
    limit = SEVERITY_RANK[fail_on]
    return int(any(not s and SEVERITY_RANK[sev] <= limit for _, sev, _, s in findings))


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="negatives")


def audit(path: Path, *options: str) -> Result:
    return run("audit", rel(path), *athlete_args(path), *options)


def json_findings(result: Result) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def as_tuples(findings: list[dict[str, Any]]) -> Counter[Finding]:
    return Counter((f["rule"], f["severity"], f["line"], bool(f.get("suppressed", False)))
                   for f in findings)


def case_params(bugs: str = "xfail") -> list[Any]:
    """Every case; KNOWN_BUGS cases strict-xfail (`xfail`), left out (`skip`) or plain (`keep`)."""
    params = []
    for path in case_files():
        cid = case_id(path)
        if cid in KNOWN_BUGS and bugs == "skip":
            continue
        marks = []
        if cid in KNOWN_BUGS and bugs == "xfail":
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[cid]))
        params.append(pytest.param(path, id=cid, marks=marks))
    return params


def compare_golden(golden: Path, actual: str) -> None:
    if os.environ.get(UPDATE_ENV) == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing; run with {UPDATE_ENV}=1 to create it"
    assert actual == golden.read_text(encoding="utf-8")


@cache
def sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@cache
def _workspace(domain: str) -> Workspace:
    return open_workspace(domain)


def _shared_workspace(domain: str, rules: Path | None = None,
                      knowledge: Path | None = None) -> Workspace:
    if rules is None and knowledge is None:
        return _workspace(domain)
    return open_workspace(domain, rules, knowledge)


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repo root, no rules/knowledge override, one shared audit workspace."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NEGATIVES_RULES", raising=False)
    monkeypatch.delenv("NEGATIVES_KNOWLEDGE", raising=False)
    monkeypatch.setattr(audit_command_module, "open_workspace", _shared_workspace)
    return ROOT


# ---------------------------------------------------------------------------------------------
# the corpus itself


def test_corpus_is_complete() -> None:
    """Every audit rule is broken by some invalid program; every case has its expected file."""
    rule_ids = set()
    for path in AUDIT_RULES.glob("*.yaml"):
        if path.name.endswith(".test.yaml"):
            continue
        rule_ids |= {r["id"] for r in _yaml().load(path.read_text("utf-8"))["rules"]}
    assert len(rule_ids) >= 25
    broken = {f[0] for p in case_files() if p.parent.name == "invalid"
              for f in expected(p) if case_id(p) not in KNOWN_BUGS}
    assert rule_ids - broken == set()
    assert "unused-suppression" in broken
    for path in case_files():
        if path.parent.name == "valid":
            assert expected(path) == (), f"{path.name}: a clean program expects no findings"
        else:
            assert expected(path), f"{path.name}: an invalid program expects findings"
    assert {case_id(p) for p in case_files()} >= set(KNOWN_BUGS) | set(GOLDEN_CASES)


# ---------------------------------------------------------------------------------------------
# findings


@pytest.mark.parametrize("path", case_params())
def test_findings_match_expected(path: Path) -> None:
    result = audit(path, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    assert result.stderr == ""
    findings = json_findings(result)
    assert as_tuples(findings) == Counter(expected(path))
    assert result.exit_code == expected_exit(expected(path), "error")
    for f in findings:
        assert f["file"] == rel(path)
        assert f["column"] >= 1
        assert f["source"]["id"]
        assert ("justification" in f) == bool(f.get("suppressed"))


@pytest.mark.parametrize("path", case_params(bugs="skip"))
def test_exit_codes_follow_fail_on(path: Path) -> None:
    """0 without findings at or above --fail-on (default error), 1 with; suppressed never count."""
    findings = expected(path)
    for fail_on in (None, "error", "warning", "info"):
        options = ["--fail-on", fail_on] if fail_on else []
        result = audit(path, *options)
        assert result.exit_code == expected_exit(findings, fail_on or "error"), (fail_on,
                                                                                 result.stdout)
        assert result.stderr == ""


@pytest.mark.parametrize(("case", "codes"), [
    ("valid/upper-lower-12-weeks", (0, 0, 0)),
    ("invalid/eo-130", (1, 1, 1)),             # an error
    ("invalid/ael-4x8", (0, 1, 1)),            # a warning
    ("invalid/unknown-exercise", (0, 0, 1)),   # info only
    ("invalid/suppressed", (0, 0, 1)),         # a suppressed warning and an info
    ("invalid/unused-suppression", (0, 1, 1)),
])
def test_exit_codes_by_example(case: str, codes: tuple[int, int, int]) -> None:
    got = tuple(audit(program(case), "--fail-on", level).exit_code
                for level in ("error", "warning", "info"))
    assert got == codes


def test_suppressed_finding_keeps_its_justification() -> None:
    findings = json_findings(audit(program("invalid/suppressed"), "--format", "json"))
    silenced = {f["rule"]: f["justification"] for f in findings if f.get("suppressed")}
    assert silenced == {"audit-ael-sets-reps": "4 x 8 while the elbow recovers",
                        "audit-ael-start-load": "deload week"}
    summary = json.loads(audit(program("invalid/suppressed"), "--format", "json").stdout)
    assert summary["summary"] == {"error": 0, "warning": 0, "info": 1, "suppressed": 2,
                                  "unreadable_files": 0}


def test_unused_suppression_messages() -> None:
    findings = json_findings(audit(program("invalid/unused-suppression"), "--format", "json"))
    unused = sorted((f["line"], f["message"]) for f in findings
                    if f["rule"] == "unused-suppression")
    assert [line for line, _ in unused] == [11, 15, 16]
    assert "ignore[audit-ael-sets-reps]" in unused[0][1]
    assert "ignore[no-such-rule]" in unused[1][1] and "no such rule" in unused[1][1]
    assert "ignore[audit-ael-start-load]" in unused[2][1]


def test_repeated_week_gives_one_finding_naming_the_weeks() -> None:
    findings = json_findings(audit(program("invalid/ael-block-4-weeks"), "--format", "json"))
    by_rule = {f["rule"]: f["message"] for f in findings}
    assert by_rule["audit-ael-progression"].endswith("(weeks 2, 3, 4)")
    assert "Week 4 is week 4 in a row" in by_rule["audit-ael-block-too-long"]


def test_did_you_mean_hints() -> None:
    findings = json_findings(audit(program("invalid/unknown-exercise"), "--format", "json"))
    messages = sorted(f["message"] for f in findings)
    assert "did you mean 'barbell bench press'?" in messages[0]
    assert "did you mean" not in messages[1]
    findings = json_findings(audit(program("invalid/unknown-eccentric"), "--format", "json"))
    ecc = next(f for f in findings if f["rule"] == "audit-unknown-eccentric")
    assert "did you mean 'dumbbell close-grip chest press'?" in ecc["message"]


# ---------------------------------------------------------------------------------------------
# output formats


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_text_golden(case: str) -> None:
    path = program(case)
    result = audit(path)
    assert result.stderr == ""
    compare_golden(GOLDEN / f"{path.stem}.txt", result.stdout)


def test_text_lists_unsuppressed_findings_only() -> None:
    path = program("invalid/unused-suppression")
    lines = audit(path).stdout.splitlines()
    shown = Counter((m["rule"], m["sev"], int(m["line"]))
                    for m in map(TEXT_FINDING.match, lines[:-1]) if m)
    assert sum(shown.values()) == len(lines) - 1
    assert shown == Counter((r, s, n) for r, s, n, sup in expected(path) if not sup)
    assert lines[-1] == "0 error(s), 3 warning(s), 0 info (1 suppressed)"


@pytest.mark.parametrize("path", case_params(bugs="keep"))
def test_sarif_is_valid(path: Path) -> None:
    result = audit(path, "--format", "sarif")
    assert result.stderr == ""
    log = json.loads(result.stdout)
    sarif_validator().validate(log)
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    got: Counter[tuple[str, str, int, bool]] = Counter()
    for res in run_["results"]:
        assert res["level"] in ("error", "warning", "note")
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == rel(path)
        suppressed = "suppressions" in res
        if suppressed:
            assert res["suppressions"] and all(s["kind"] == "inSource"
                                               for s in res["suppressions"])
        got[(res["ruleId"], res["level"], region["startLine"], suppressed)] += 1
    if case_id(path) not in KNOWN_BUGS:
        want = Counter((r, SARIF_LEVEL[s], n, sup) for r, s, n, sup in expected(path))
        assert got == want


def test_sarif_marks_suppressed_results() -> None:
    log = json.loads(audit(program("invalid/suppressed"), "--format", "sarif").stdout)
    results = log["runs"][0]["results"]
    silenced = [r for r in results if "suppressions" in r]
    assert {r["ruleId"] for r in silenced} == {"audit-ael-sets-reps", "audit-ael-start-load"}
    assert {r["suppressions"][0]["justification"] for r in silenced} == {
        "4 x 8 while the elbow recovers", "deload week"}
    assert [r["level"] for r in results if "suppressions" not in r] == ["note"]


def test_sarif_of_a_clean_program_has_no_results() -> None:
    log = json.loads(audit(program("valid/upper-lower-12-weeks"), "--format", "sarif").stdout)
    sarif_validator().validate(log)
    assert log["runs"][0]["results"] == []


def test_markdown_has_a_table() -> None:
    path = program("invalid/suppressed")
    result = audit(path, "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| "))
    columns = lines[header].count("|") - 1
    assert columns >= 3 and "severity" in lines[header]
    assert re.fullmatch(r"\|( ?:?-{3,}:? ?\|)+", lines[header + 1])
    assert lines[header + 1].count("|") - 1 == columns
    rows = [line for line in lines[header + 2:] if line.startswith("|")]
    assert len(rows) == 1  # the info; the two suppressed warnings are not shown
    assert "audit-unknown-exercise" in rows[0] and f"{rel(path)}:10" in rows[0]


def test_markdown_of_a_clean_program() -> None:
    result = audit(program("valid/ael-block"), "--format", "markdown")
    assert result.exit_code == 0
    assert "| --- |" not in result.stdout
    assert "No findings" in result.stdout


def test_markdown_table_rows_for_errors() -> None:
    path = program("invalid/ael-deadlift-concentric")
    result = audit(path, "--format", "markdown")
    assert result.exit_code == 1
    rows = [line for line in result.stdout.splitlines()
            if line.startswith(f"| {rel(path)}:")]
    assert len(rows) == 2
    assert any("| error |" in r and "`audit-ael-deadlift`" in r for r in rows)


# ---------------------------------------------------------------------------------------------
# several files, bad files


def test_several_programs_at_once() -> None:
    first, second = program("invalid/eo-130"), program("invalid/ael-4x8")
    result = run("audit", rel(first), rel(second), "--format", "json")
    assert result.exit_code == 1
    got = Counter((f["file"], f["rule"], f["severity"], f["line"]) for f in json_findings(result))
    want = Counter((rel(p), r, s, n) for p in (first, second) for r, s, n, _ in expected(p))
    assert got == want
    text = run("audit", rel(first), rel(second)).stdout.splitlines()
    assert text[-1] == "1 error(s), 1 warning(s), 0 info in 2 file(s)"
    assert {line.split(":")[0] for line in text[:-1]} == {rel(first), rel(second)}


def test_several_clean_programs() -> None:
    files = [rel(program("valid/upper-lower-12-weeks")), rel(program("valid/slow-eccentric")),
             rel(program("valid/forced-negatives"))]
    result = run("audit", *files, "--format", "json", "--fail-on", "info")
    assert result.exit_code == 0
    assert json_findings(result) == []


def bad_params() -> list[Any]:
    return [pytest.param(p, id=p.stem) for p in sorted(BAD.glob("*.yaml"))
            if not p.name.endswith(".expected.yaml")]


def diagnostics(stderr: str, file: str) -> Counter[tuple[int, int, str]]:
    lines = stderr.splitlines()
    assert lines and COUNT.match(lines[-1]), stderr
    found: Counter[tuple[int, int, str]] = Counter()
    for line in lines[:-1]:
        m = DIAGNOSTIC.match(line)
        assert m, f"not a `file:line:col: error message [code]` line: {line!r}"
        if m["file"] == file:
            found[(int(m["line"]), int(m["col"]), m["code"])] += 1
    return found


@pytest.mark.parametrize("path", bad_params())
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_bad_program_exits_two(path: Path, fmt: str) -> None:
    result = run("audit", rel(path), "--format", fmt)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    items = _yaml().load(path.with_name(f"{path.stem}.expected.yaml").read_text("utf-8"))
    want = Counter((int(i["line"]), int(i["column"]), i["code"]) for i in items)
    assert diagnostics(result.stderr, rel(path)) == want
    # The report still prints, saying the file could not be audited.
    if fmt == "text":
        assert result.stdout.endswith("; 1 file(s) could not be audited (see stderr)\n")
    elif fmt == "json":
        doc = json.loads(result.stdout)
        assert doc["findings"] == [] and doc["summary"]["unreadable_files"] == 1
        assert Counter((p["line"], p["column"], p["code"]) for p in doc["problems"]) == want
    else:
        log = json.loads(result.stdout)
        sarif_validator().validate(log)
        (invocation,) = log["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        notes = invocation["toolExecutionNotifications"]
        assert Counter((n["locations"][0]["physicalLocation"]["region"]["startLine"],
                        n["locations"][0]["physicalLocation"]["region"]["startColumn"],
                        n["descriptor"]["id"]) for n in notes) == want


@pytest.mark.parametrize("position", [0, 1, 2])
def test_a_bad_file_among_good_ones_is_reported_and_the_others_audited(position: int) -> None:
    bad = rel(BAD / "missing-sets.yaml")
    good = [program("invalid/eo-130"), program("valid/ael-block")]
    files = [rel(p) for p in good]
    files.insert(position, bad)
    result = run("audit", *files, "--format", "json")
    assert result.exit_code == 2  # the worst: bad input beats the error finding
    lines = result.stderr.splitlines()
    assert all(line.startswith(f"{bad}:") for line in lines[:-1])
    assert diagnostics(result.stderr, bad) == Counter({(10, 13, "schema"): 1})
    want = Counter((rel(p), r, s, n) for p in good for r, s, n, _ in expected(p))
    got = Counter((f["file"], f["rule"], f["severity"], f["line"]) for f in json_findings(result))
    assert got == want


def test_every_bad_file_is_reported_at_once() -> None:
    bads = sorted(p for p in BAD.glob("*.yaml") if not p.name.endswith(".expected.yaml"))
    result = run("audit", *(rel(p) for p in bads), rel(program("valid/slow-eccentric")))
    assert result.exit_code == 2
    assert result.stdout.endswith(f"; {len(bads)} file(s) could not be audited (see stderr)\n")
    for path in bads:
        assert diagnostics(result.stderr, rel(path)), f"{path.name} not reported"


def test_sarif_with_a_bad_file_keeps_the_results_of_the_others() -> None:
    bad, good = rel(BAD / "syntax-error.yaml"), rel(program("invalid/eo-130"))
    result = run("audit", bad, good, "--format", "sarif")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    sarif_validator().validate(log)
    (run_,) = log["runs"]
    assert [r["ruleId"] for r in run_["results"]] == ["audit-eo-above-125"]
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes} == {
        bad}


def test_same_findings_without_the_shared_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memoised workspace changes nothing: a run that loads its own gives the same report."""
    path = program("invalid/ael-block-4-weeks")
    shared = audit(path, "--format", "json").stdout
    monkeypatch.setattr(audit_command_module, "open_workspace", open_workspace)
    assert audit(path, "--format", "json").stdout == shared


def test_missing_program_file() -> None:
    result = run("audit", "tests/fixtures/programs/no-such-program.yaml")
    assert result.exit_code == 2
    assert "could not be audited" in result.stdout
    assert "no-such-program.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_audit_with_a_rule_file_removed_runs_in_a_fresh_process(tmp_path: Path) -> None:
    """Regression: with `rules/audit/exercises*.yaml` deleted from a copy, durable_rules crashed
    (exit 139) while the program's facts were asserted, in most fresh processes."""
    import shutil
    import subprocess
    import sys

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for path in (rules / "audit").glob("exercises*.yaml"):
        path.unlink()
    env = {**os.environ, "NEGATIVES_CACHE": "off"}
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-m", "negatives", "audit", "--rules", str(rules),
             "tests/fixtures/programs/invalid/eo-130.yaml"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 1, done.stderr
        assert "audit-eo-above-125" in done.stdout
