"""Render audit findings: text (like a linter), JSON, SARIF 2.1.0, Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from negatives.engine import __version__
from negatives.engine.audit.audit import summary
from negatives.engine.audit.finding import Finding
from negatives.engine.language.rulemodel import Rule
from negatives.engine.load.diagnostics import Diagnostic, escape

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                    "sarif-schema-2.1.0.json")
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}

# findings, the rules, and the problems of the files that could not be audited
Renderer = Callable[[list[Finding], dict[str, Rule], list[Diagnostic]], str]


def _broken(problems: list[Diagnostic]) -> list[str]:
    return list(dict.fromkeys(d.file for d in problems))


def _counts(findings: list[Finding], problems: list[Diagnostic]) -> str:
    c = summary(findings)
    files = len({f.file for f in findings})
    text = f"{c['error']} error(s), {c['warning']} warning(s), {c['info']} info"
    if c["suppressed"]:
        text += f" ({c['suppressed']} suppressed)"
    text += f" in {files} file(s)" if files > 1 else ""
    broken = len(_broken(problems))
    return text + (f"; {broken} file(s) could not be audited (see stderr)" if broken else "")


def to_text(findings: list[Finding], rules: dict[str, Rule],
            problems: list[Diagnostic]) -> str:
    lines = [f"{escape(f.file)}:{f.line}:{f.column}: {f.severity} {escape(f.rule)} "
             f"{escape(f.message)}" for f in findings if f.suppressed is None]
    lines.append(_counts(findings, problems))
    return "\n".join(lines) + "\n"


def _problem(d: Diagnostic) -> dict[str, Any]:
    return {"file": d.file, "line": d.line, "column": d.column, "message": d.message,
            "code": d.code}


def to_json(findings: list[Finding], rules: dict[str, Rule],
            problems: list[Diagnostic]) -> str:
    c = summary(findings)
    doc = {"findings": [f.as_dict() for f in findings],
           "problems": [_problem(d) for d in problems],
           "summary": {k: c[k] for k in ("error", "warning", "info")} |
           {"suppressed": c["suppressed"], "unreadable_files": len(_broken(problems))}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(rule_id: str, rules: dict[str, Rule], sample: Finding) -> dict[str, Any]:
    rule = rules.get(rule_id)
    if rule is None:
        return {"id": rule_id, "shortDescription": {"text": sample.message},
                "properties": {"source": sample.source}}
    return {"id": rule.id, "name": rule.title,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": " ".join(rule.because.split())},
            "defaultConfiguration": {"level": _SARIF_LEVEL[sample.severity]},
            "properties": {"source": rule.cite.as_dict(), "tags": list(rule.tags)}}


def _notification(d: Diagnostic) -> dict[str, Any]:
    """A file that could not be audited, as a SARIF tool execution notification."""
    out: dict[str, Any] = {
        "level": "error", "message": {"text": d.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": d.file},
            "region": {"startLine": d.line, "startColumn": d.column}}}]}
    if d.code:
        out["descriptor"] = {"id": d.code}
    return out


def to_sarif(findings: list[Finding], rules: dict[str, Rule],
             problems: list[Diagnostic]) -> str:
    ids = list(dict.fromkeys(f.rule for f in findings))
    samples = {f.rule: f for f in reversed(findings)}
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.rule, "ruleIndex": ids.index(f.rule), "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": f.file},
                "region": {"startLine": f.line, "startColumn": f.column}}}],
        }
        if f.path:
            result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": f.path}]
        if f.suppressed is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": f.suppressed}]
        results.append(result)
    log = {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [{
        "tool": {"driver": {"name": "negatives", "version": __version__,
                            "rules": [_sarif_rule(i, rules, samples[i]) for i in ids]}},
        "invocations": [{"executionSuccessful": not problems,
                         "toolExecutionNotifications": [_notification(d) for d in problems]}],
        "results": results}]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def to_markdown(findings: list[Finding], rules: dict[str, Rule],
                problems: list[Diagnostic]) -> str:
    lines = ["# Program audit", "", _counts(findings, problems), ""]
    if problems:
        lines += ["Files that could not be audited:", ""]
        lines += [f"- `{d.file}:{d.line}:{d.column}` {d.message}" for d in problems]
        lines.append("")
    shown = [f for f in findings if f.suppressed is None]
    if shown:
        lines += ["| where | severity | what is wrong and what to do | rule | source |",
                  "| --- | --- | --- | --- | --- |"]
        for f in shown:
            quote = f.source.get("quote") or f.source.get("note") or ""
            lines.append(f"| {f.file}:{f.line} | {f.severity} | {f.message} | `{f.rule}` | "
                         f"{f.source['id']}: “{quote}” |")
    else:
        lines.append("No findings in the files audited." if problems
                     else "No findings: the program follows the guidelines.")
    return "\n".join(lines) + "\n"


AUDIT_FORMATS: dict[str, Renderer] = {
    "text": to_text, "json": to_json, "sarif": to_sarif, "markdown": to_markdown,
}
