"""In-file suppressions: `# negatives: ignore[...]` for one line, `ignore-file[...]` for a file.

As in ruff and yamllint: a trailing comment silences its own line only, a comment alone on its
line silences the line below it, and `ignore-file[...]` (anywhere) silences the whole file. A
suppression must name its rules: a bare `ignore` silences nothing and is itself reported, and so
is a named rule that silenced nothing.
"""

from __future__ import annotations

import re
from dataclasses import field

from negatives.engine.audit.finding import Finding
from negatives.engine.load.records import record

UNUSED_SUPPRESSION = "unused-suppression"
INVALID_SUPPRESSION = "invalid-suppression"
# The findings the suppression pass itself reports, with their tags (for --select/--ignore).
SUPPRESSION_FINDINGS: dict[str, tuple[str, ...]] = {
    UNUSED_SUPPRESSION: ("audit", "suppression"),
    INVALID_SUPPRESSION: ("audit", "suppression"),
}
_NOTE = {"id": "project-default", "note": "A suppression names the rules it silences and must "
         "silence a finding, as ruff's RUF100 and PGH004 require of noqa comments."}

_MARK = re.compile(r"#\s*negatives:\s*(?P<body>.*)$")
_DIRECTIVE = re.compile(r"(?P<kind>ignore-file|ignore)(?P<ids>\[[^\]]*\])?"
                        r"(?:\s*--\s*(?P<reason>.*))?\s*$")
_RULE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# What is meant as a directive (`ignroe[x]`, `disable`, `ignore -- why`), not prose after
# "negatives:" in a comment (`# negatives: 3 weeks, then deload`).
_LOOKS_LIKE_DIRECTIVE = re.compile(r"[\w-]+\s*(\[|--|$)")


@record(frozen=False)
class Suppression:
    line: int
    column: int
    rules: tuple[str, ...]
    reason: str
    kind: str  # ignore | ignore-file
    targets: tuple[int, ...] | None  # the lines it silences; None = the whole file
    used: set[str] = field(default_factory=set)


@record(frozen=False)
class Marks:
    """Every suppression comment of a file, and the malformed ones as findings."""

    found: list[Suppression]
    invalid: list[Finding]


def _invalid(file: str, line: int, column: int, message: str) -> Finding:
    return Finding(INVALID_SUPPRESSION, "warning", message, file, line, column, "", _NOTE)


def parse_marks(text: str, file: str) -> Marks:
    marks = Marks([], [])
    for number, line in enumerate(text.splitlines(), 1):
        match = _MARK.search(line)
        if not match:
            continue
        column = match.start() + 1
        directive = _DIRECTIVE.match(match.group("body"))
        if directive is None and not _LOOKS_LIKE_DIRECTIVE.match(match.group("body")):
            continue
        if directive is None:
            marks.invalid.append(_invalid(file, number, column, "not a suppression: write "
                                          "`# negatives: ignore[rule-id] -- reason` or "
                                          "`ignore-file[rule-id]`; this comment silences nothing"))
            continue
        kind = directive.group("kind")
        ids = [r.strip() for r in (directive.group("ids") or "[]")[1:-1].split(",") if r.strip()]
        bad = [r for r in ids if not _RULE_ID.fullmatch(r)]
        if not ids or bad:
            what = f"`{bad[0]}` is not a rule id" if bad else f"a bare `{kind}` names no rule"
            marks.invalid.append(_invalid(file, number, column, f"{what}: it silences nothing; "
                                          f"name the rules, e.g. `{kind}[audit-ael-sets-reps]`"))
            continue
        alone = not line[:match.start()].strip()
        targets = None if kind == "ignore-file" else ((number + 1,) if alone else (number,))
        reason = (directive.group("reason") or "").strip()
        marks.found.append(Suppression(number, column, tuple(ids), reason, kind, targets))
    return marks


def apply_suppressions(findings: list[Finding], text: str, file: str,
                       known: set[str]) -> list[Finding]:
    """Mark the silenced findings; add a finding for each malformed or unused suppression."""
    marks = parse_marks(text, file)
    for f in findings:
        for mark in marks.found:
            if f.rule in mark.rules and (mark.targets is None or f.line in mark.targets):
                f.suppressed = mark.reason
                mark.used.add(f.rule)
                break
    out = findings + marks.invalid
    for mark in marks.found:
        for rule_id in mark.rules:
            if rule_id not in mark.used:
                where = "in this file" if mark.targets is None else "here"
                note = "" if rule_id in known else " (no such rule)"
                out.append(Finding(UNUSED_SUPPRESSION, "warning",
                                   f"{mark.kind}[{rule_id}] silences nothing {where}{note}; "
                                   "remove it",
                                   file, mark.line, mark.column, "", _NOTE))
    return out
