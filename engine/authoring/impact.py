"""Impact of a rule edit: run the same cases with two rule bases and list what changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negatives.engine.advice.advise import advise
from negatives.engine.audit.audit import audit
from negatives.engine.infer.workspace import Workspace
from negatives.engine.load.errors import InputError
from negatives.engine.load.records import record
from negatives.engine.load.yamlio import load
from negatives.engine.model.athlete import athlete_from_doc
from negatives.engine.model.program import program_from_doc


@record
class CaseChange:
    file: str
    changes: tuple[str, ...]
    error: str | None = None


def case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if not p.name.endswith(".expected.yaml"))


def _summary(path: Path, advise_ws: Workspace, audit_ws: Workspace) -> dict[str, Any]:
    doc = load(path)
    if isinstance(doc.data, dict) and "weeks" in doc.data:
        program = program_from_doc(doc, audit_ws.kb)
        return {f"finding {f.rule} at line {f.line}": f"{f.severity}: {f.message}"
                for f in audit(program, audit_ws) if f.suppressed is None}
    advice = advise(athlete_from_doc(doc, advise_ws.kb), advise_ws)
    out: dict[str, Any] = {"answer": advice["verdict"]}
    for m in advice["methods"]:
        out[f"{m['method']}"] = m["status"]
    for r in advice["recommendations"]:
        what = r["pairing"]["id"] if r["pairing"] else r.get("exercise") or ""
        key = f"recommend {r['method']} {what} for {r['target_lift']}".replace("  ", " ")
        weeks = ", ".join(f"w{w['week']} {w['percent_1rm']:g}%"
                          + (f" = {w['load']:g} {w['units']}" if w["load"] is not None else "")
                          for w in r["weeks"])
        out[key] = f"{r['sets']} x {r['reps']}" + (f"; {weeks}" if weeks else "")
    return out


def compare(folder: Path, new: tuple[Workspace, Workspace],
            old: tuple[Workspace, Workspace]) -> list[CaseChange]:
    """Per case file, what differs between the old and the new rule bases."""
    out = []
    for path in case_files(folder):
        try:
            before, after = _summary(path, *old), _summary(path, *new)
        except InputError as err:
            out.append(CaseChange(str(path), (), err.diagnostics[0].render()))
            continue
        changes = []
        for key in list(dict.fromkeys([*before, *after])):
            a, b = before.get(key), after.get(key)
            if a != b:
                changes.append(f"{key}: {a if a is not None else '(none)'} -> "
                               f"{b if b is not None else '(none)'}")
        out.append(CaseChange(str(path), tuple(changes)))
    return out
