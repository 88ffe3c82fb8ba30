"""The consultation's questions: texts from YAML, kinds and bounds from the athlete schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.records import record
from negatives.engine.load.validate import did_you_mean
from negatives.engine.load.yamlio import load, to_plain
from negatives.engine.model.kbread import knowledge_files, load_knowledge
from negatives.engine.model.knowledge import Knowledge

# Fields whose answers take a kind of their own (how they are parsed, completed and varied);
# every other question's kind follows its field in the athlete schema (KIND_BY_TYPE).
SPECIAL: dict[str, str] = {
    "lifts": "lifts", "stalled": "yesno", "equipment": "equipment", "one_rep_max": "load",
    "units": "choice",
}
KIND_BY_TYPE: dict[str, str] = {"boolean": "yesno", "integer": "integer", "number": "integer"}
YES = ("yes", "y", "true")
NO = ("no", "n", "false")


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says what would."""


@record
class Question:
    key: str
    order: int
    ask: str
    help: str
    choices: dict[str, str]
    assume: Any
    unsure: str | None
    all: str | None
    none: str | None
    which: str | None = None

    @property
    def kind(self) -> str:
        return kind_of(self.key)


def kind_of(key: str) -> str:
    if key in SPECIAL:
        return SPECIAL[key]
    spec = field_schema(key)
    return "choice" if "enum" in spec else KIND_BY_TYPE[str(spec.get("type"))]


@dataclass(frozen=True, order=True)
class Field:
    """One thing to ask: an athlete field, or a field of one lift or one exercise's 1RM."""

    key: str
    subject: str | None = None

    @property
    def id(self) -> str:
        return f"{self.key}[{self.subject}]" if self.subject else self.key


def load_questions(folder: Path) -> dict[str, Question]:
    """Every `questions:` section of the knowledge folder (validated by the knowledge schema)."""
    raw: dict[str, Any] = {}
    for path in knowledge_files(folder):
        if "questions:" in path.read_text(encoding="utf-8"):
            section = to_plain(load(path).data).get("questions")
            if isinstance(section, dict):
                raw.update(section)
    # The athlete's fields come from the fact vocabulary of this knowledge folder.
    _ATHLETE.clear()
    _ATHLETE.update(load_knowledge(folder).athlete_schema())
    fields = athlete_schema()["properties"]
    problems = [f"no question for athlete field '{k}'" for k in SPECIAL if k not in raw]
    problems += [f"question '{k}' is not an athlete field{did_you_mean(k, list(fields))}"
                 for k in raw if k != "stalled" and (k not in fields or k == "name" or
                                                     (k not in SPECIAL and not _askable(k)))]
    if problems:
        raise InputError([Diagnostic(str(folder), 1, 1, f"{message} (knowledge 'questions:' "
                                     "section)", "error", "schema") for message in problems])
    return {k: Question(k, int(v["order"]), str(v["ask"]), str(v["help"]),
                        dict(v.get("choices", {})), v.get("assume"), v.get("unsure"),
                        v.get("all"), v.get("none"), v.get("which")) for k, v in raw.items()}


def _askable(key: str) -> bool:
    spec = field_schema(key)
    return "enum" in spec or spec.get("type") in KIND_BY_TYPE


# The athlete schema of the knowledge in use (load_questions sets it; the shipped one until then).
_ATHLETE: dict[str, Any] = {}


def athlete_schema() -> dict[str, Any]:
    """The athlete file's schema, from the vocabulary of the knowledge the questions came from."""
    if not _ATHLETE:
        from negatives.engine.infer.workspace import knowledge_dir  # the shipped or env folder

        _ATHLETE.update(load_knowledge(knowledge_dir()).athlete_schema())
    return _ATHLETE


def field_schema(key: str) -> dict[str, Any]:
    props: dict[str, Any] = athlete_schema()["properties"]
    if key == "stalled":
        return dict(athlete_schema()["$defs"]["lift"]["properties"]["stalled"])
    if key == "one_rep_max":
        return dict(props["one_rep_max"]["additionalProperties"])
    return dict(props[key])


def choices(q: Question) -> list[str]:
    """The closed answers of a choice question, in schema order."""
    if q.kind == "choice":
        return [str(c) for c in field_schema(q.key)["enum"]]
    if q.kind == "yesno":
        return ["yes", "no", *([q.unsure] if q.unsure else [])]
    return []


def equipment_names() -> list[str]:
    return [str(e) for e in field_schema("equipment")["items"]["enum"]]


def parse(q: Question, text: str, kb: Knowledge) -> Any:
    """The value an answer stands for, or AnswerError saying what the question takes."""
    word = " ".join(text.strip().split())
    low = word.lower()
    if q.unsure and low in (q.unsure.lower(), "?", "unknown"):
        return None
    return _PARSERS[q.kind](q, low, kb)


def _choice(q: Question, low: str, kb: Knowledge) -> Any:
    options = choices(q)
    if low.isdigit() and 1 <= int(low) <= len(options):
        return options[int(low) - 1]
    hits = [o for o in options if o == low] or [o for o in options if o.startswith(low) and low]
    if len(hits) != 1:
        raise AnswerError(f"answer one of: {', '.join(options)}")
    return hits[0]


def _yesno(q: Question, low: str, kb: Knowledge) -> Any:
    if low in YES:
        return True
    if low in NO:
        return False
    raise AnswerError(f"answer {' or '.join(choices(q))}")


def _number(q: Question, low: str, kb: Knowledge) -> Any:
    spec = field_schema(q.key)
    word = low.split(" ")[0] if low else ""
    try:
        value: float | int = int(word) if spec.get("type") == "integer" else float(word)
    except ValueError:
        kind = "a whole number" if spec.get("type") == "integer" else "a number"
        raise AnswerError(f"answer {kind} from {spec['minimum']} to {spec['maximum']}"
                          + (f', or "{q.unsure}"' if q.unsure else "")) from None
    if not spec["minimum"] <= value <= spec["maximum"]:
        raise AnswerError(f"{word} is out of range: from {spec['minimum']} to {spec['maximum']}")
    return int(value) if float(value).is_integer() else value


def _names(low: str) -> list[str]:
    return [n.strip() for n in low.replace(";", ",").split(",") if n.strip()]


def _lifts(q: Question, low: str, kb: Knowledge) -> Any:
    out: list[str] = []
    for name in _names(low):
        lift = kb.lift(name)
        if lift is None:
            raise AnswerError(f"unknown lift '{name}'{did_you_mean(name, kb.lift_names())}; "
                              f"known: {', '.join(sorted(kb.lifts))}")
        if lift.name not in out:
            out.append(lift.name)
    if not out:
        raise AnswerError("name at least one lift, e.g. bench press")
    return out


def _equipment(q: Question, low: str, kb: Knowledge) -> Any:
    if q.all and low == q.all.lower():
        return None
    if q.none and low == q.none.lower():
        return []
    known = equipment_names()
    out: list[str] = []
    for name in _names(low):
        if name not in known:
            raise AnswerError(f"unknown equipment '{name}'{did_you_mean(name, known)}; "
                              f'answer "{q.all}" for a full gym')
        if name not in out:
            out.append(name)
    if not out:
        raise AnswerError(f'list your equipment, or answer "{q.all}" for a full gym')
    return out


_PARSERS = {"choice": _choice, "yesno": _yesno, "integer": _number, "load": _number,
            "lifts": _lifts, "equipment": _equipment}


def parse_known(q: Question, text: str, kb: Knowledge, offer: tuple[str, ...]) -> list[str]:
    """Which of the offered exercises' 1RMs the lifter knows (names or aliases, or none)."""
    low = " ".join(text.strip().lower().split())
    if q.none and low == q.none.lower():
        return []
    out: list[str] = []
    for name in _names(low):
        exercise = kb.exercise(name)
        if exercise is None or exercise.name not in offer:
            raise AnswerError(f"'{name}' is not one of: {', '.join(offer)}"
                              f'{did_you_mean(name, offer)}; or answer "{q.none}"')
        if exercise.name not in out:
            out.append(exercise.name)
    if not out:
        raise AnswerError(f'name the exercises, or answer "{q.none}"')
    return out


def prompt_text(q: Question, field: Field, units: str, offer: tuple[str, ...] = ()) -> str:
    """The question as put to the lifter, placeholders filled, with its closed answers."""
    if offer and q.which:
        return q.which.replace("{exercises}", ", ".join(offer)).replace("{units}", units)
    text = fill(q.ask, field, units)
    options = choices(q)
    return f"{text} [{'/'.join(options)}]" if options else text


def fill(template: str, field: Field, units: str) -> str:
    subject = field.subject or ""
    return template.replace("{lift}", subject).replace("{exercise}", subject) \
        .replace("{units}", units)
