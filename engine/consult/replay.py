"""Answer a consultation with an athlete's own values (the equivalence property, the benchmark)."""

from __future__ import annotations

from typing import Any

from negatives.engine.consult.questions import Field
from negatives.engine.consult.select import Witness
from negatives.engine.consult.session import Consultation, start_from
from negatives.engine.consult.space import Athlete, Space, get, lift_entry


def value_of(truth: Athlete, field: Field) -> Any:
    """What this athlete would answer (None: "not sure", "skip", or the field left out)."""
    if field.key == "lifts":
        return [str(e["name"]) for e in truth["lifts"]]
    return get(truth, field)


def replay(space: Space, athlete: dict[str, Any]) -> tuple[Consultation, list[Witness]]:
    """The consultation an athlete (a file's data) gets by answering every question truly;
    a lift's log goes in with the lifts, as a file gives it."""
    truth = start_from(athlete, space)
    consult = Consultation(space, {"name": truth["name"]} if "name" in truth else {})
    asked: list[Witness] = []
    while (w := consult.next()) is not None:
        asked.append(w)
        if w.offer:
            consult.answer_known(w.offer, [e for e in w.offer
                                           if get(truth, Field("one_rep_max", e)) is not None])
            continue
        consult.answer(w.field, value_of(truth, w.field))
        if w.field.key == "lifts":
            for entry in truth["lifts"]:
                mine = lift_entry(consult.known, str(entry["name"]))
                if mine is not None and entry.get("log"):
                    mine["log"] = entry["log"]
    return consult, asked
