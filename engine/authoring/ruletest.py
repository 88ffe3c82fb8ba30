"""Run the test cases kept beside the rules, and measure which rules they exercise."""

from __future__ import annotations

import dataclasses
import fnmatch
from dataclasses import field
from pathlib import Path
from typing import Any

from negatives.engine.advice.advise import build_advice
from negatives.engine.audit.audit import findings_from
from negatives.engine.audit.audit_facts import program_facts
from negatives.engine.infer.workspace import Workspace
from negatives.engine.language.condcover import CaseRun
from negatives.engine.language.rules import TEST_SUFFIX
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.records import record
from negatives.engine.load.validate import did_you_mean, load_checked
from negatives.engine.load.yamlio import Document, dump, parse_text
from negatives.engine.model.athlete import athlete_from_doc
from negatives.engine.model.facts import all_facts
from negatives.engine.model.knowledge import Citation, Knowledge, Pairing
from negatives.engine.model.program import program_from_doc


@record(frozen=False)
class CaseResult:
    file: str
    line: int
    name: str
    failures: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)
    run: CaseRun | None = None  # the facts and firings, for condition coverage

    @property
    def passed(self) -> bool:
        return not self.failures


@record
class Case:
    file: str
    line: int
    name: str
    athlete: dict[str, Any] | None
    program: dict[str, Any] | None
    expect: dict[str, Any]
    pairings: tuple[dict[str, Any], ...] = ()


def test_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{TEST_SUFFIX}"))


def load_cases(folder: Path, pattern: str = "*") -> list[Case]:
    """Every case of every test file of `folder` whose name or file matches `pattern`."""
    cases: list[Case] = []
    problems: list[Diagnostic] = []
    for path in test_files(folder):
        loaded = load_checked(path, "ruletest", problems)
        if loaded is None:
            continue
        doc, plain = loaded
        base = plain.get("base", {})
        for i, raw in enumerate(plain["cases"]):
            line = doc.locate(("cases", i))[0]
            athlete = {**base, **raw["athlete"]} if "athlete" in raw else (base or None)
            case = Case(doc.file, line, raw["name"], athlete, raw.get("program"), raw["expect"],
                        tuple(raw.get("pairings", [])))
            if fnmatch.fnmatch(case.name, pattern) or fnmatch.fnmatch(path.name, pattern) \
                    or pattern in case.name:
                cases.append(case)
    if problems:
        raise InputError(problems)
    return cases


def _doc(data: dict[str, Any], name: str) -> Document:
    return parse_text(dump(data), name)


def _with_pairings(kb: Knowledge, case: Case) -> Knowledge:
    """A copy of the knowledge base with the case's extra pairings (pairings are facts)."""
    if not case.pairings:
        return kb
    pairings = dict(kb.pairings)
    for raw in case.pairings:
        names = []
        for side in ("concentric", "eccentric"):
            known = kb.exercise(raw[side])
            if known is None:
                raise InputError([Diagnostic(case.file, case.line, 1, f"unknown exercise "
                                             f"'{raw[side]}' in the case's pairings", "error",
                                             "ruletest")])
            names.append(known.name)
        pairings[raw["id"]] = Pairing(raw["id"], "accentuated-eccentric",
                                      raw.get("movement_target", "other"), names[0], names[1],
                                      Citation("project-default", None, "test case",
                                               case.file, case.line))
    return dataclasses.replace(kb, pairings=pairings)


def run_case(case: Case, ws: Workspace) -> CaseResult:
    result = CaseResult(case.file, case.line, case.name)
    where = f"{case.file}:{case.line} ({case.name})"
    try:
        kb = _with_pairings(ws.kb, case)
        athlete = athlete_from_doc(_doc(case.athlete, f"{where} athlete"), kb) \
            if case.athlete is not None else None
        if ws.base.domain == "audit":
            if case.program is None:
                raise InputError([Diagnostic(case.file, case.line, 1, "an audit case needs a "
                                             "`program`", "error", "ruletest")])
            program = program_from_doc(_doc(case.program, f"{where} program"), kb)
            facts = program_facts(program, kb, athlete)
            firings = ws.runtime.evaluate(facts)
            findings = findings_from(firings, ws.compiled.rules, program)
            outcome: dict[str, Any] = {"findings": [f.as_dict() for f in findings]}
        else:
            if athlete is None:
                raise InputError([Diagnostic(case.file, case.line, 1, "an advise case needs an "
                                             "`athlete` (or a `base`)", "error", "ruletest")])
            facts = all_facts(athlete, kb)
            firings = ws.runtime.evaluate(facts)
            outcome = build_advice(athlete, kb, ws.compiled.rules, firings)
    except InputError as err:
        result.failures.append("the case's input is invalid: " +
                               "; ".join(d.message for d in err.diagnostics))
        return result
    result.fired = list(dict.fromkeys(f.rule for f in firings))
    derived = [fact for f in firings for fact in f.derived()]
    result.run = CaseRun([*facts, *derived], [(f.rule, f.bindings) for f in firings])
    result.trace = [f"{f.rule}: " + "; ".join(f"{k} {a}" for k, a in f.conclusions)
                    for f in firings]
    result.failures.extend(_unknown(case.expect, ws))
    _compare(case.expect, outcome, result)
    return result


def _unknown(expect: dict[str, Any], ws: Workspace) -> list[str]:
    """Names in the expectations that do not exist: such a case could never pass or fail."""
    rules = ws.compiled.rules
    out = [f"unknown rule '{rid}'{did_you_mean(rid, rules)}"
           for rid in [*expect.get("fires", []), *expect.get("silent", []),
                       *(f.get("rule", "") for f in expect.get("findings", []))]
           if rid not in rules]
    out += [f"unknown method '{m}'{did_you_mean(m, ws.kb.methods)}"
            for m in expect.get("methods", {}) if m not in ws.kb.methods]
    return out


def _compare(expect: dict[str, Any], outcome: dict[str, Any], result: CaseResult) -> None:
    fired = set(result.fired)
    for rule in expect.get("fires", []):
        if rule not in fired:
            result.failures.append(f"expected rule {rule} to fire; it did not")
    for rule in expect.get("silent", []):
        if rule in fired:
            result.failures.append(f"expected rule {rule} to stay silent; it fired")
    if "answer" in expect and outcome.get("answer") != expect["answer"]:
        result.failures.append(f"answer: expected {expect['answer']}, got {outcome.get('answer')}")
    statuses = {m["method"]: m["status"] for m in outcome.get("methods", [])}
    for method, status in expect.get("methods", {}).items():
        if statuses.get(method) != status:
            result.failures.append(f"method {method}: expected {status}, got "
                                   f"{statuses.get(method)}")
    recs = [_rec_keys(r) for r in outcome.get("recommendations", [])]
    for want in expect.get("recommend", []):
        if not any(all(r.get(k) == v for k, v in want.items()) for r in recs):
            result.failures.append(f"expected a recommendation {want}; got {recs or 'none'}")
    for unwanted in expect.get("no_recommend", []):
        if any(all(r.get(k) == v for k, v in unwanted.items()) for r in recs):
            result.failures.append(f"expected no recommendation {unwanted}; got {recs}")
    if "findings" in expect:
        _compare_findings(expect["findings"], outcome.get("findings", []), result)


def _rec_keys(rec: dict[str, Any]) -> dict[str, Any]:
    return {"method": rec["method"], "target_lift": rec["target_lift"],
            "pairing": rec["pairing"]["id"] if rec["pairing"] else None,
            "exercise": rec.get("exercise")}


def _compare_findings(expected: list[dict[str, Any]], actual: list[dict[str, Any]],
                      result: CaseResult) -> None:
    remaining = [f for f in actual if not f.get("suppressed")]
    for want in expected:
        match = next((f for f in remaining if all(f.get(k) == v for k, v in want.items())), None)
        if match is None:
            shown = [f"{f['rule']} {f['severity']} line {f['line']} {f['path']}" for f in remaining]
            result.failures.append(f"expected finding {want}; got {shown or 'none'}")
        else:
            remaining.remove(match)
    for extra in remaining:
        result.failures.append(f"unexpected finding {extra['rule']} {extra['severity']} at "
                               f"{extra['path']}: {extra['message']}")


@record(frozen=False)
class Coverage:
    rules: dict[str, tuple[str, int]]  # rule id -> file, line
    fired_in: dict[str, int]
    silent_in: dict[str, int]

    def gaps(self) -> list[tuple[str, int, str, str]]:
        """(file, line, rule, what is missing) for rules never fired or never silent."""
        out = []
        for rid, (file, line) in self.rules.items():
            if not self.fired_in.get(rid):
                out.append((file, line, rid, "no test case makes it fire"))
            if not self.silent_in.get(rid):
                out.append((file, line, rid, "no test case where it stays silent"))
        return out


def coverage(results: list[CaseResult], ws: Workspace) -> Coverage:
    rules = {r.id: (r.file, r.line) for r in ws.base.rules}
    fired = {rid: 0 for rid in rules}
    silent = {rid: 0 for rid in rules}
    for res in results:
        if not res.fired and res.failures:
            continue  # the case did not run
        for rid in rules:
            if rid in res.fired:
                fired[rid] += 1
            else:
                silent[rid] += 1
    return Coverage(rules, fired, silent)
