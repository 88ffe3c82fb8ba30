"""The knowledge base: exercises, lifts, muscles, pairings, methods, sources, defaults, loads."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.validate import did_you_mean, load_checked
from negatives.engine.load.yamlio import Document, YamlPath
from negatives.engine.model.templates import PHRASES, unknown_phrase_placeholders

ALL_METHODS = "all"


# Letters of other scripts that look like Latin ones (after case folding), as in Unicode's
# confusables list: a "deadlift" typed with a Cyrillic e must find the deadlift.
_CONFUSABLES = str.maketrans({  # written as escapes: the letters look Latin
    "\u0430": "a", "\u0432": "b", "\u0435": "e", "\u0451": "e", "\u043a": "k", "\u043c": "m",
    "\u043d": "h", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0442": "t", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0457": "i", "\u0458": "j", "\u0455": "s", "\u0501": "d",
    "\u04cf": "l", "\u0261": "g", "\u0131": "i", "\u03b1": "a", "\u03b2": "b", "\u03b5": "e",
    "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03bf": "o", "\u03c1": "p", "\u03c4": "t",
    "\u03c5": "u", "\u03c7": "x",
})


def name_key(name: str) -> str:
    """Lookup key for a name: only its letters and digits count, compared as Latin.

    NFKC folds fullwidth and compatibility forms, case folding the case, the confusables table
    look-alike letters of other scripts; separators, punctuation and invisible characters
    (zero-width spaces, soft hyphens) drop out, so "Dead-lift", "dead lift" and "deadlift" are
    one name.
    """
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_CONFUSABLES)
    return "".join(c for c in folded if c.isalnum())


@dataclass(frozen=True)
class Citation:
    source: str
    quote: str | None
    note: str | None
    file: str
    line: int

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.source}
        if self.quote:
            out["quote"] = self.quote
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    title: str
    author: str | None
    cited_by: str | None


@dataclass(frozen=True)
class Muscle:
    id: str
    name: str
    cite: Citation


@dataclass(frozen=True)
class Exercise:
    name: str
    aliases: tuple[str, ...]
    pattern: str
    laterality: str
    equipment: tuple[str, ...]
    muscles: tuple[str, ...]
    compound: bool
    spottable: bool
    family: str | None
    unilateral_of: str | None
    cite: Citation
    partner_liftable: bool = False
    load_convention: str | None = None  # as written; Knowledge.convention() resolves the default


@dataclass(frozen=True)
class LoadConvention:
    id: str
    text: str
    equipment: tuple[str, ...]
    cite: Citation


@dataclass(frozen=True)
class Lift:
    name: str
    aliases: tuple[str, ...]
    pattern: str
    muscles: tuple[str, ...]
    cite: Citation
    # Words that make any exercise named with them a variant of this lift (`family:`).
    family_words: tuple[str, ...] = ()
    family_cite: Citation | None = None


@dataclass(frozen=True)
class Pairing:
    id: str
    method: str
    movement_target: str
    concentric: str
    eccentric: str
    cite: Citation


@dataclass(frozen=True)
class Parameter:
    name: str
    value: float | bool | str
    unit: str | None
    cite: Citation
    low: float | None = None  # the knowledge file's `min`/`max` sanity bounds
    high: float | None = None

    def problem(self, value: object) -> str | None:
        """Why `value` cannot stand for this parameter (wrong type, out of bounds), or None."""
        want = bool if isinstance(self.value, bool) else str if isinstance(self.value, str) \
            else float
        got_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if (want is float and not got_number) or (want is not float and
                                                   not isinstance(value, want)):
            kind = "a number" if want is float else "true or false" if want is bool else "text"
            return f"{self.name} must be {kind}, not {value!r}"
        if got_number and ((self.low is not None and value < self.low) or  # type: ignore[operator]
                           (self.high is not None and value > self.high)):  # type: ignore[operator]
            return f"{self.name} is {value}; it must be between {self.low} and {self.high}"
        return None


@dataclass(frozen=True)
class Method:
    id: str
    name: str
    summary: str
    needs_partner: bool
    parameters: dict[str, Parameter]
    cite: Citation

    def number(self, name: str) -> float:
        value = self.parameters[name].value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"parameter {name} of {self.id} is not a number")
        return float(value)


@dataclass(frozen=True)
class Concept:
    id: str
    topic: str
    methods: tuple[str, ...]
    statement: str
    cites: tuple[str, ...]
    cite: Citation


@dataclass(frozen=True)
class Phrase:
    id: str
    text: str
    concepts: tuple[str, ...]


@dataclass(frozen=True)
class Rounding:
    units: str
    equipment: str
    step: float


@dataclass
class Knowledge:
    sources: dict[str, Source] = field(default_factory=dict)
    muscles: dict[str, Muscle] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    lifts: dict[str, Lift] = field(default_factory=dict)
    pairings: dict[str, Pairing] = field(default_factory=dict)
    methods: dict[str, Method] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    phrases: dict[str, Phrase] = field(default_factory=dict)
    rounding: list[Rounding] = field(default_factory=list)
    settings: dict[str, Parameter] = field(default_factory=dict)
    conventions: dict[str, LoadConvention] = field(default_factory=dict)
    load_notes: dict[str, LoadConvention] = field(default_factory=dict)
    exercise_index: dict[str, str] = field(default_factory=dict)
    lift_index: dict[str, str] = field(default_factory=dict)

    def exercise(self, name: str) -> Exercise | None:
        canonical = self.exercise_index.get(name_key(name))
        return self.exercises[canonical] if canonical else None

    def family_of(self, name: str) -> str | None:
        """The lift `name` is a variant of: its knowledge entry's family, else the lift whose
        family words its name holds (a "snatch-grip deadlift" the knowledge base lacks)."""
        known = self.exercise(name)
        if known is not None and known.family:
            return known.family
        key = name_key(name)
        for lift in self.lifts.values():
            if any(name_key(word) in key for word in lift.family_words if name_key(word)):
                return lift.name
        return None

    def lift(self, name: str) -> Lift | None:
        canonical = self.lift_index.get(name_key(name))
        return self.lifts[canonical] if canonical else None

    def setting(self, name: str) -> float:
        value = self.settings[name].value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"setting {name} is not a number")
        return float(value)

    def rounding_step(self, units: str, equipment: tuple[str, ...]) -> float:
        """Step of the first equipment with a rounding entry; `* machine` falls back to machine."""
        steps = {r.equipment: r.step for r in self.rounding if r.units == units}
        for item in equipment:
            if item in steps:
                return steps[item]
            if item.endswith("machine") and "machine" in steps:
                return steps["machine"]
        return steps.get("any", 0.0)

    def convention(self, exercise: Exercise) -> LoadConvention | None:
        """The exercise's own convention, else the first whose equipment it needs, else the
        first without equipment (the general one)."""
        if exercise.load_convention in self.conventions:
            return self.conventions[exercise.load_convention]
        for c in self.conventions.values():
            if set(c.equipment) & set(exercise.equipment):
                return c
        return next((c for c in self.conventions.values() if not c.equipment), None)

    def exercise_names(self) -> list[str]:
        return sorted({*self.exercises, *(a for e in self.exercises.values() for a in e.aliases)})

    def lift_names(self) -> list[str]:
        return sorted({*self.lifts, *(a for lift in self.lifts.values() for a in lift.aliases)})


@dataclass(frozen=True)
class _Entry:
    doc: Document
    path: YamlPath
    data: dict[str, Any]

    def cite(self) -> Citation:
        line, _ = self.doc.locate(self.path)
        return Citation(str(self.data.get("source", "")), self.data.get("quote"),
                        self.data.get("note"), self.doc.file, line)

    def problem(self, key: str | None, message: str, code: str = "knowledge") -> Diagnostic:
        path = (*self.path, key) if key else self.path
        return self.doc.diagnostic(path, message, code)


def knowledge_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def _read(folder: Path) -> tuple[dict[str, list[_Entry]], list[Diagnostic]]:
    sections: dict[str, list[_Entry]] = {}
    problems: list[Diagnostic] = []
    files = knowledge_files(folder)
    if not files:
        problems.append(Diagnostic(str(folder), 1, 1, "no knowledge files (*.yaml) found",
                                   "error", "io"))
    for path in files:
        loaded = load_checked(path, "knowledge", problems)
        if loaded is None:
            continue
        doc, plain = loaded
        for section, value in plain.items():
            if section in ("defaults", "questions"):  # one mapping, not a list
                sections.setdefault(section, []).append(_Entry(doc, (section,), value))
                continue
            for i, item in enumerate(value):
                sections.setdefault(section, []).append(_Entry(doc, (section, i), item))
    return sections, problems


def load_knowledge(folder: Path) -> Knowledge:
    """Read, validate and cross-check every knowledge file; InputError lists every problem."""
    sections, problems = _read(folder)
    kb = Knowledge()
    problems.extend(_build(kb, sections))
    if not problems:
        problems.extend(_cross_check(kb, sections))
    if problems:
        raise InputError(problems)
    _canonical_pairings(kb)
    return kb


def _canonical_pairings(kb: Knowledge) -> None:
    """Pairings may name exercises by alias; rules match canonical names."""
    for pid, p in kb.pairings.items():
        concentric, eccentric = kb.exercise(p.concentric), kb.exercise(p.eccentric)
        if concentric and eccentric:
            kb.pairings[pid] = Pairing(p.id, p.method, p.movement_target, concentric.name,
                                       eccentric.name, p.cite)


def _unique(entries: list[_Entry], key: str, what: str) -> Iterator[Diagnostic]:
    seen: dict[str, _Entry] = {}
    for entry in entries:
        value = name_key(str(entry.data[key]))
        if value in seen:
            first = seen[value]
            yield entry.problem(key, f"duplicate {what} '{entry.data[key]}' (first in "
                                     f"{first.doc.file}:{first.doc.locate(first.path)[0]})",
                                "duplicate")
        else:
            seen[value] = entry


def _build(kb: Knowledge, sections: dict[str, list[_Entry]]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for what, key in (("sources", "id"), ("muscles", "id"), ("exercises", "name"),
                      ("lifts", "name"), ("pairings", "id"), ("methods", "id"),
                      ("concepts", "id"), ("load_conventions", "id"), ("load_notes", "id")):
        problems.extend(_unique(sections.get(what, []), key, what[:-1]))
    for e in sections.get("sources", []):
        d = e.data
        kb.sources[d["id"]] = Source(d["id"], d["kind"], d["title"], d.get("author"),
                                     d.get("cited_by"))
    for e in sections.get("muscles", []):
        kb.muscles[e.data["id"]] = Muscle(e.data["id"], e.data["name"], e.cite())
    for e in sections.get("exercises", []):
        d = e.data
        kb.exercises[d["name"]] = Exercise(
            d["name"], tuple(d.get("aliases", [])), d["pattern"], d["laterality"],
            tuple(d["equipment"]), tuple(d["muscles"]), d["compound"], d["spottable"],
            d.get("family"), d.get("unilateral_of"), e.cite(),
            bool(d.get("partner_liftable", {}).get("value", False)), d.get("load_convention"))
    for e in sections.get("lifts", []):
        d = e.data
        family = d.get("family_words")
        kb.lifts[d["name"]] = Lift(
            d["name"], tuple(d.get("aliases", [])), d["pattern"], tuple(d["muscles"]), e.cite(),
            tuple(family["words"]) if family else (),
            _Entry(e.doc, (*e.path, "family_words"), family).cite() if family else None)
    for e in sections.get("pairings", []):
        d = e.data
        kb.pairings[d["id"]] = Pairing(d["id"], d["method"], d["movement_target"],
                                       d["concentric"], d["eccentric"], e.cite())
    for e in sections.get("methods", []):
        d = e.data
        params = {
            name: Parameter(name, p["value"], p.get("unit"),
                            _Entry(e.doc, (*e.path, "parameters", name), p).cite(),
                            p.get("min"), p.get("max"))
            for name, p in d["parameters"].items()
        }
        kb.methods[d["id"]] = Method(d["id"], d["name"], d["summary"], d["needs_partner"],
                                     params, e.cite())
    for section, table in (("load_conventions", kb.conventions), ("load_notes", kb.load_notes)):
        for e in sections.get(section, []):
            d = e.data
            table[d["id"]] = LoadConvention(d["id"], d["text"], tuple(d.get("equipment", [])),
                                            e.cite())
    for e in sections.get("concepts", []):
        d = e.data
        kb.concepts[d["id"]] = Concept(d["id"], d["topic"], tuple(d["methods"]), d["statement"],
                                       tuple(d.get("cites", [])), e.cite())
    for e in sections.get("phrases", []):
        d = e.data
        kb.phrases[d["id"]] = Phrase(d["id"], d["text"], tuple(d.get("concepts", [])))
    for e in sections.get("defaults", []):
        for r in e.data.get("rounding", []):
            kb.rounding.append(Rounding(r["units"], r["equipment"], float(r["step"])))
        for name, p in e.data.get("settings", {}).items():
            entry = _Entry(e.doc, (*e.path, "settings", name), p)
            kb.settings[name] = Parameter(name, p["value"], p.get("unit"), entry.cite())
    problems.extend(_index(kb, sections))
    return problems


def _index(kb: Knowledge, sections: dict[str, list[_Entry]]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for what, index, key in (("exercises", kb.exercise_index, "exercise"),
                             ("lifts", kb.lift_index, "lift")):
        for e in sections.get(what, []):
            for i, name in enumerate([e.data["name"], *e.data.get("aliases", [])]):
                k = name_key(name)
                if k in index and index[k] != e.data["name"]:
                    path: str | None = None if i == 0 else "aliases"
                    problems.append(e.problem(path, f"{key} name or alias '{name}' is already "
                                                    f"used by '{index[k]}'", "duplicate"))
                index.setdefault(k, e.data["name"])
    return problems


def _ref(entry: _Entry, key: str, value: str, known: dict[str, Any] | list[str],
         what: str) -> Diagnostic | None:
    names = list(known)
    if value in known:
        return None
    return entry.problem(key, f"unknown {what} '{value}'{did_you_mean(value, names)}", "unknown")


def _cross_check(kb: Knowledge, sections: dict[str, list[_Entry]]) -> list[Diagnostic]:
    out: list[Diagnostic | None] = []
    for entries in sections.values():
        for e in entries:
            if "source" in e.data:
                out.append(_ref(e, "source", e.data["source"], kb.sources, "source"))
    for e in sections.get("sources", []):
        if e.data.get("cited_by"):
            out.append(_ref(e, "cited_by", e.data["cited_by"], kb.sources, "source"))
    for e in sections.get("exercises", []) + sections.get("lifts", []):
        out.extend(_ref(e, "muscles", m, kb.muscles, "muscle") for m in e.data["muscles"])
    for e in sections.get("lifts", []):
        if e.data.get("family_words"):
            sub = _Entry(e.doc, (*e.path, "family_words"), e.data["family_words"])
            out.append(_ref(sub, "source", sub.data["source"], kb.sources, "source"))
    for e in sections.get("exercises", []):
        if e.data.get("family"):
            out.append(_ref(e, "family", e.data["family"], kb.lifts, "lift"))
        if e.data.get("unilateral_of"):
            out.append(_ref(e, "unilateral_of", e.data["unilateral_of"], kb.exercises,
                            "exercise"))
        if e.data.get("load_convention"):
            out.append(_ref(e, "load_convention", e.data["load_convention"], kb.conventions,
                            "load convention"))
        flag = e.data.get("partner_liftable")
        if flag and "source" in flag:
            sub = _Entry(e.doc, (*e.path, "partner_liftable"), flag)
            out.append(_ref(sub, "source", flag["source"], kb.sources, "source"))
    for e in sections.get("pairings", []):
        out.append(_ref(e, "method", e.data["method"], kb.methods, "method"))
        for side in ("concentric", "eccentric"):
            if kb.exercise(e.data[side]) is None:
                out.append(e.problem(side, f"unknown exercise '{e.data[side]}'"
                                     f"{did_you_mean(e.data[side], kb.exercise_names())}",
                                     "unknown"))
    for e in sections.get("methods", []):
        for name, p in e.data["parameters"].items():
            sub = _Entry(e.doc, (*e.path, "parameters", name), p)
            if "source" in p:
                out.append(_ref(sub, "source", p["source"], kb.sources, "source"))
            out.append(_in_range(sub, f"parameter {name} of {e.data['id']}"))
            out.extend(_in_order(sub, name, e.data["parameters"]))
    for e in sections.get("concepts", []):
        out.extend(_ref(e, "methods", m, [*kb.methods, ALL_METHODS], "method")
                   for m in e.data["methods"])
        out.extend(_ref(e, "cites", c, kb.sources, "source") for c in e.data.get("cites", []))
    anywhere = next((e for entries in sections.values() for e in entries[:1]), None)
    out.extend(_check_phrases(kb, sections.get("phrases", []), anywhere))
    for e in sections.get("defaults", []):
        for kind in ("rounding", "settings"):
            items = e.data.get(kind, [])
            pairs = enumerate(items) if isinstance(items, list) else items.items()
            for key, item in pairs:
                sub = _Entry(e.doc, (*e.path, kind, key), item)
                out.append(_ref(sub, "source", item["source"], kb.sources, "source"))
                if kind == "settings":
                    out.append(_in_range(sub, f"setting {key}"))
    return [d for d in out if d is not None]


def _in_order(e: _Entry, name: str, params: dict[str, Any]) -> Iterator[Diagnostic]:
    """`at_least`/`at_most` name a sibling parameter the value must not pass."""
    for key, word, sign in (("at_least", "below", -1), ("at_most", "above", 1)):
        other = e.data.get(key)
        if other is None:
            continue
        if other not in params:
            yield e.problem(key, f"unknown parameter '{other}'"
                            f"{did_you_mean(other, list(params))}", "unknown")
            continue
        mine, theirs = e.data["value"], params[other].get("value")
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                      for v in (mine, theirs))
        if numbers and (mine - theirs) * sign > 0:
            yield e.problem("value", f"parameter {name} is {mine}, {word} {other} ({theirs})",
                            "out-of-order")


def _in_range(e: _Entry, what: str) -> Diagnostic | None:
    """A number that steers advice must be one, and within the file's own `min`/`max`."""
    value, low, high = e.data["value"], e.data.get("min"), e.data.get("max")
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if (low is not None or high is not None) and not is_number:
        return e.problem("value", f"{what} must be a number, not {value!r}", "not-a-number")
    if not is_number:
        return None
    if value < 0:
        return e.problem("value", f"{what} is {value}; it cannot be negative", "out-of-range")
    if (low is not None and value < low) or (high is not None and value > high):
        return e.problem("value", f"{what} is {value}; it must be between {low} and {high} "
                         "(its min and max)", "out-of-range")
    return None


def _check_phrases(kb: Knowledge, entries: list[_Entry],
                   anywhere: _Entry | None) -> list[Diagnostic | None]:
    """Known phrase ids, placeholders the renderer fills, concepts that exist; none missing."""
    out: list[Diagnostic | None] = [*_unique(entries, "id", "phrase")]
    for e in entries:
        if e.data["id"] not in PHRASES:
            out.append(_ref(e, "id", e.data["id"], list(PHRASES), "phrase"))
            continue
        for name in unknown_phrase_placeholders(e.data["id"], e.data["text"]):
            allowed = ", ".join(f"{{{a}}}" for a in PHRASES[e.data["id"]]) or "none"
            out.append(e.problem("text", f"unknown placeholder '{{{name}}}' in phrase "
                                 f"'{e.data['id']}'; it can use: {allowed}", "placeholder"))
        out.extend(_ref(e, "concepts", c, kb.concepts, "concept")
                   for c in e.data.get("concepts", []))
    missing = [p for p in PHRASES if p not in kb.phrases]
    where = entries[0] if entries else anywhere
    if missing and where is not None:
        out.append(where.problem(None, f"missing phrase(s) of the lifter's text: "
                                 f"{', '.join(missing)} (see the shipped knowledge/phrases.yaml)",
                                 "missing"))
    return out
