"""One consultation: the answers so far, the next question, and the athlete file they make."""

from __future__ import annotations

from dataclasses import field, replace
from typing import Any

from ruamel.yaml.comments import CommentedMap

from negatives.engine.advice.advise import Advice, advise
from negatives.engine.consult.questions import Field, Question
from negatives.engine.consult.select import Witness, completed, next_question, required
from negatives.engine.consult.space import Athlete, Space, put
from negatives.engine.load.records import record
from negatives.engine.load.yamlio import dump, to_plain
from negatives.engine.model.athlete import parse_athlete

SCHEMA_LINE = "# yaml-language-server: $schema=https://negatives.example/schemas/athlete-1.schema.json"
FILE_ORDER = ("name", "experience", "units", "recovery", "cycle_week", "partner", "equipment",
              "lifts", "one_rep_max", "accentuated_eccentric_weeks_done")


@record(frozen=False)
class Consultation:
    space: Space
    known: Athlete = field(default_factory=dict)
    asked: list[Field] = field(default_factory=list)
    settled: set[str] = field(default_factory=set)

    @property
    def answered(self) -> frozenset[str]:
        return frozenset(self.settled)

    def question(self, f: Field) -> Question:
        return self.space.questions[f.key]

    @property
    def units(self) -> str:
        return str(self.known.get("units") or self.space.questions["units"].assume)

    def next(self) -> Witness | None:
        return next_question(self.space, self.known, self.answered)

    def answer(self, f: Field, value: Any) -> None:
        self.known = put(self.known, f, value)
        self.asked.append(f)
        self.settled.add(f.id)

    def answer_known(self, offer: tuple[str, ...], known: list[str]) -> None:
        """Which of the offered 1RMs the lifter knows: the others are settled as unknown."""
        self.asked.append(Field("one_rep_max"))
        self.settled.add("one_rep_max")
        for name in offer:
            if name not in known:
                self.known = put(self.known, Field("one_rep_max", name), None)
                self.settled.add(Field("one_rep_max", name).id)

    def athlete(self) -> Athlete:
        """The answers, with what was not asked at its assumed value, in the file's key order."""
        fields = self.space.fields(self.known, set())
        case = completed(self.space, self.known, fields, self.answered)
        order = [*FILE_ORDER, *sorted(case)]
        return {k: case[k] for k in dict.fromkeys(order) if k in case}

    def assumed(self) -> list[str]:
        """Athlete fields the consultation filled in without asking (they did not matter)."""
        return [k for k in dict.fromkeys((*required(), *self.space.top))
                if k not in self.known and self.space.assume(Field(k)) is not None]

    def file_text(self) -> str:
        """The athlete file: a schema line, a comment on each value that was assumed."""
        data = CommentedMap(self.athlete())
        for key in self.assumed():
            data.yaml_add_eol_comment("not asked: it did not change the advice", key)
        head = (f"{SCHEMA_LINE}\n# Written by `negatives ask`; `negatives advise` on this file "
                "gives the same advice.\n")
        return head + dump(data)

    def advice(self, file: str, name: str | None = None) -> Advice:
        """The advice on the athlete file these answers make, read as `advise` reads it
        (`name` stands in for a name the answers do not give)."""
        athlete = parse_athlete(self.file_text(), file, self.space.ws.kb)
        if name and "name" not in self.known:
            athlete = replace(athlete, name=name)
        return advise(athlete, self.space.ws)


def start_from(data: Any, space: Space) -> Athlete:
    """An athlete file's values, with lift and exercise names made canonical."""
    known = dict(to_plain(data))
    kb = space.ws.kb
    lifts = []
    for entry in known.get("lifts") or []:
        lift = kb.lift(str(entry.get("name")))
        lifts.append({**entry, "name": lift.name if lift else entry.get("name")})
    if lifts:
        known["lifts"] = lifts
    maxes = known.get("one_rep_max")
    if isinstance(maxes, dict):
        known["one_rep_max"] = {(e.name if (e := kb.exercise(str(k))) else k): v
                                for k, v in maxes.items()}
    return known
