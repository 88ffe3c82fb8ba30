"""The plan pipeline: athlete (+ program) -> advice -> a program file and notes for the lifter."""

from __future__ import annotations

from negatives.engine.advice.advise import Advice, advice_and_plans
from negatives.engine.advice.writeplan import Written, into_program, standalone, writable
from negatives.engine.infer.workspace import Workspace
from negatives.engine.load.errors import InputError
from negatives.engine.load.yamlio import Document
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.facts import all_facts
from negatives.engine.model.program import program_from_doc


def plan_file(athlete: Athlete, ws: Workspace, program: Document | None = None
              ) -> tuple[Advice, Written]:
    """The advice and the program to write: `program` with the negative work placed in it (its
    text unchanged when there is none), or a standalone block (None when there is none)."""
    if program is not None:
        parsed = program_from_doc(program, ws.kb)
        if parsed.units != athlete.units:
            raise InputError([program.diagnostic(
                ("units",), f"the program is in {parsed.units} and the athlete file "
                            f"({athlete.file}) in {athlete.units}: use the same units", "units")])
    firings = ws.runtime.evaluate(all_facts(athlete, ws.kb))
    advice, recs = advice_and_plans(athlete, ws.kb, ws.compiled.rules, firings)
    chosen, later = writable(recs) if advice["verdict"] == "yes" else ([], [])
    notes = [f"{ws.kb.methods[p.method].name} for the {p.target_lift} starts with your next "
             "cycle: run `negatives plan` again then." for p in later]
    if not chosen:
        why = [advice["summary"], *(m["reasons"][0] for m in advice["methods"]
                                     if m["reasons"] and m["status"] != "allowed")]
        notes = ["No negative work to add now.", *why]
        return advice, Written(program.text if program is not None else None, notes)
    if program is None:
        return advice, Written(standalone(chosen, ws.kb, athlete), notes)
    placed = into_program(program.text, chosen, ws.kb)
    return advice, Written(placed.text, notes + placed.notes)
