"""The audit pipeline: program (+ athlete) -> facts -> durable_rules -> located findings."""

from __future__ import annotations

from negatives.engine.audit.audit_facts import program_facts
from negatives.engine.audit.finding import Finding
from negatives.engine.audit.suppress import apply_suppressions
from negatives.engine.infer.runtime import Firing
from negatives.engine.infer.workspace import Workspace
from negatives.engine.language.rulemodel import SEVERITY_RANK, Rule
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.program import Program


def audit(program: Program, ws: Workspace, athlete: Athlete | None = None) -> list[Finding]:
    firings = ws.runtime.evaluate(program_facts(program, ws.kb, athlete))
    return findings_from(firings, ws.compiled.rules, program)


def _locations(program: Program) -> dict[str, tuple[int, int]]:
    out = {e.ref: (e.line, e.column) for e in program.entries}
    out.update({ref: (line, col) for ref, line, col in program.week_refs.values()})
    return out


def findings_from(firings: list[Firing], rules: dict[str, Rule],
                  program: Program) -> list[Finding]:
    where = _locations(program)
    found: dict[tuple[str, str], Finding] = {}
    weeks: dict[tuple[str, str], list[int]] = {}
    for firing in firings:
        rule = rules[firing.rule]
        for kind, args in firing.conclusions:
            if kind != "finding":
                continue
            ref = str(args.get("at", ""))
            line, col = where.get(ref, (1, 1))
            key = (rule.id, ref)
            found.setdefault(key, Finding(rule.id, str(args["severity"]),
                                          " ".join(str(args["message"]).split()), program.file,
                                          line, col, ref, rule.cite.as_dict()))
            week = next((f["week"] for f in firing.bindings.values()
                         if f.get("ref") == ref and "week" in f), None)
            if week is not None:
                weeks.setdefault(key, []).append(int(week))
    # A repeated week writes an entry once: one finding per rule and entry, naming the weeks.
    for key, finding in found.items():
        seen = sorted(set(weeks.get(key, [])))
        if len(seen) > 1:
            finding.message += f" (weeks {', '.join(map(str, seen))})"
    out = apply_suppressions(list(found.values()), program.text, program.file, set(rules))
    out.sort(key=lambda f: (f.line, f.column, SEVERITY_RANK[f.severity], f.rule, f.message))
    return out


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        if f.suppressed is None:
            counts[f.severity] += 1
    counts["suppressed"] = sum(f.suppressed is not None for f in findings)
    return counts
