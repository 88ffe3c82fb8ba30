"""The audit pipeline: program (+ athlete) -> facts -> durable_rules -> located findings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from negatives.engine.audit.audit_facts import program_facts
from negatives.engine.infer.runtime import Firing
from negatives.engine.infer.workspace import Workspace
from negatives.engine.language.rulemodel import SEVERITY_RANK, Rule
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.program import Program

# `# negatives: ignore[rule-id, other-id] -- reason` on the entry's line or the line above.
_IGNORE = re.compile(r"#\s*negatives:\s*ignore\[([a-z0-9,\s-]+)\](?:\s*--\s*(.*))?")
UNUSED_SUPPRESSION = "unused-suppression"


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    path: str
    source: dict[str, Any]
    suppressed: str | None = None  # the justification, when a comment silences it

    def as_dict(self) -> dict[str, Any]:
        out = {"rule": self.rule, "severity": self.severity, "message": self.message,
               "file": self.file, "line": self.line, "column": self.column, "path": self.path,
               "source": self.source}
        if self.suppressed is not None:
            out["suppressed"] = True
            out["justification"] = self.suppressed
        return out


@dataclass
class Suppression:
    line: int
    column: int
    rules: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)


def suppressions(text: str) -> dict[int, Suppression]:
    out = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _IGNORE.search(line)
        if match:
            ids = tuple(r.strip() for r in match.group(1).split(",") if r.strip())
            reason = (match.group(2) or "").strip()
            out[number] = Suppression(number, match.start() + 1, ids, reason)
    return out


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
    out = list(found.values())
    marks = suppressions(program.text)
    for f in out:
        for number in (f.line, f.line - 1):
            mark = marks.get(number)
            if mark and f.rule in mark.rules:
                f.suppressed = mark.reason
                mark.used.add(f.rule)
                break
    for mark in marks.values():
        for rule_id in mark.rules:
            if rule_id not in mark.used:
                known = "" if rule_id in rules else " (no such rule)"
                out.append(Finding(UNUSED_SUPPRESSION, "warning",
                                   f"ignore[{rule_id}] silences nothing here{known}; remove it",
                                   program.file, mark.line, mark.column, "", {
                                       "id": "project-default",
                                       "note": "A suppression must silence a finding."}))
    out.sort(key=lambda f: (f.line, f.column, SEVERITY_RANK[f.severity], f.rule, f.message))
    return out


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        if f.suppressed is None:
            counts[f.severity] += 1
    counts["suppressed"] = sum(f.suppressed is not None for f in findings)
    return counts
