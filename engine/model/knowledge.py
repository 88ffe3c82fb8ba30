"""The knowledge base: exercises, lifts, muscles, regions, pairings, methods, facts, loads."""

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
from negatives.engine.model.derive import DeriveError, evaluate, names_in
from negatives.engine.model.templates import PHRASES, unknown_phrase_placeholders
from negatives.engine.model.vocabulary import (
    FactSpec,
    build_facts,
    file_schema,
    vocabulary_problems,
)

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
    quote_check: str | None = None  # how its quotes are checked when it has no fingerprint


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
class Region:
    id: str
    name: str
    aliases: tuple[str, ...]
    muscles: tuple[str, ...]
    cite: Citation


@dataclass(frozen=True)
class Fingerprint:
    """Hashes of a source text's normalized word n-grams: enough to check a quote, not the text."""

    source: str
    n: int
    text_sha256: str
    grams: frozenset[str]


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
    derived: str | None = None  # the expression its value follows from

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
    regions: dict[str, Region] = field(default_factory=dict)
    facts: dict[str, FactSpec] = field(default_factory=dict)
    fingerprints: dict[str, Fingerprint] = field(default_factory=dict)
    conventions: dict[str, LoadConvention] = field(default_factory=dict)
    load_notes: dict[str, LoadConvention] = field(default_factory=dict)
    exercise_index: dict[str, str] = field(default_factory=dict)
    lift_index: dict[str, str] = field(default_factory=dict)
    region_index: dict[str, str] = field(default_factory=dict)
    _derived: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

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

    def region(self, name: str) -> Region | None:
        canonical = self.region_index.get(name_key(name))
        return self.regions[canonical] if canonical else None

    def region_names(self) -> list[str]:
        return sorted({*self.regions, *(a for r in self.regions.values() for a in r.aliases)})

    def file_schema(self, name: str) -> dict[str, Any]:
        """Input file `name`'s JSON Schema (athlete, program), derived from the vocabulary once."""
        if name not in self._derived:
            self._derived[name] = file_schema(name, self.facts, self.names)
        return self._derived[name]

    def athlete_schema(self) -> dict[str, Any]:
        return self.file_schema("athlete")

    def program_schema(self) -> dict[str, Any]:
        return self.file_schema("program")

    def names(self, collection: str) -> list[str]:
        """The names of a collection (`names:` of the vocabulary), aliases included."""
        listing: dict[str, Any] = {
            "exercises": self.exercise_names, "lifts": self.lift_names,
            "regions": self.region_names, "muscles": lambda: sorted(self.muscles),
            "methods": lambda: list(self.methods), "pairings": lambda: sorted(self.pairings)}
        return list(listing[collection]())

    def resolve(self, collection: str, name: str) -> str | None:
        """The canonical name of `name` in a collection (exercises, lifts, regions: aliases too)."""
        finders = {"exercises": self.exercise, "lifts": self.lift, "regions": self.region}
        if collection in finders:
            found = finders[collection](name)
            return None if found is None else getattr(found, "id", getattr(found, "name", None))
        names: dict[str, Any] = getattr(self, collection)
        return name if name in names else None

    def unknown(self, collection: str, name: str, browse: bool = False) -> str:
        """`unknown lift 'leg press': ...` with the nearest names, or the collection it is in.

        `browse` points to `negatives knowledge <collection>` for the whole list.
        """
        message = self._unknown(collection, name)
        return f"{message}; see `negatives knowledge {collection}`" if browse else message

    def _unknown(self, collection: str, name: str) -> str:
        what = collection.rstrip("s")
        for other in ("exercises", "lifts", "regions"):
            found = self.resolve(other, name) if other != collection else None
            if found:
                listed = sorted(getattr(self, collection))
                return (f"unknown {what} '{name}': it is {'an' if other[0] in 'aeiou' else 'a'} "
                        f"{other.rstrip('s')} ('{found}'), not a {what}; {collection}: "
                        f"{', '.join(listed)}")
        return f"unknown {what} '{name}'{did_you_mean(name.lower(), self.names_of(collection))}"

    def names_of(self, collection: str) -> list[str]:
        """Every name of a collection, aliases included."""
        lists = {"exercises": self.exercise_names, "lifts": self.lift_names,
                 "regions": self.region_names}
        return lists[collection]() if collection in lists else sorted(getattr(self, collection))


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
            if section in ("defaults", "facts", "questions"):  # one mapping, not a list
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
                      ("concepts", "id"), ("regions", "id"), ("fingerprints", "source"),
                      ("load_conventions", "id"), ("load_notes", "id")):
        problems.extend(_unique(sections.get(what, []), key, what[:-1]))
    for e in sections.get("sources", []):
        d = e.data
        kb.sources[d["id"]] = Source(d["id"], d["kind"], d["title"], d.get("author"),
                                     d.get("cited_by"), d.get("quote_check"))
    for e in sections.get("muscles", []):
        kb.muscles[e.data["id"]] = Muscle(e.data["id"], e.data["name"], e.cite())
    for e in sections.get("exercises", []):
        d = e.data
        kb.exercises[d["name"]] = Exercise(
            d["name"], tuple(d.get("aliases", [])), d["pattern"], d["laterality"],
            tuple(d["equipment"]), tuple(d["muscles"]), d["compound"], d["spottable"],
            d.get("family"), d.get("unilateral_of"), e.cite(),
            bool(d.get("partner_liftable", {}).get("value", False)), d.get("load_convention"))
    for e in sections.get("regions", []):
        d = e.data
        kb.regions[d["id"]] = Region(d["id"], d["name"], tuple(d.get("aliases", [])),
                                     tuple(d["muscles"]), e.cite())
    for e in sections.get("facts", []):
        kb.facts.update(build_facts(e.data))
    for e in sections.get("fingerprints", []):
        d = e.data
        kb.fingerprints[d["source"]] = Fingerprint(d["source"], d["n"], d["text_sha256"],
                                                   frozenset(d["grams"].split()))
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
            name: Parameter(name, p.get("value", 0), p.get("unit"),
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
    for e in sections.get("methods", []):
        problems.extend(_derive(kb.methods[e.data["id"]], e))
    return problems


def _derive(method: Method, e: _Entry) -> list[Diagnostic]:
    """Compute `derived:` parameters from the others; a `value:` beside one must agree."""
    raw: dict[str, dict[str, Any]] = e.data["parameters"]
    out: list[Diagnostic] = []
    pending = {n: str(p["derived"]) for n, p in raw.items() if "derived" in p}
    for name, p in raw.items():
        if "value" not in p and name not in pending:
            sub = _Entry(e.doc, (*e.path, "parameters", name), p)
            out.append(sub.problem(None, f"parameter {name} of {method.id} needs `value:` (a "
                                         "number) or `derived:` (an expression of its other "
                                         "parameters)", "schema"))
    numbers = {n: float(p.value) for n, p in method.parameters.items() if n not in pending
               and isinstance(p.value, (int, float)) and not isinstance(p.value, bool)}
    while pending:
        ready = [n for n, x in pending.items() if not set(names_in(x)) & set(pending)]
        if not ready:
            sub = _Entry(e.doc, (*e.path, "parameters", sorted(pending)[0]), {})
            out.append(sub.problem("derived", f"derived parameters of {method.id} depend on each "
                                   f"other in a circle: {', '.join(sorted(pending))}", "derived"))
            return out
        for name in ready:
            expression = pending.pop(name)
            sub = _Entry(e.doc, (*e.path, "parameters", name), raw[name])
            if any(n in raw and n not in numbers for n in names_in(expression)):
                continue  # it reads a parameter that is not a number: reported for that one
            try:
                value = evaluate(expression, numbers)
            except DeriveError as err:
                out.append(sub.problem("derived", f"parameter {name} of {method.id}: derived: "
                                       f"'{expression}': {err}; parameters: "
                                       f"{', '.join(sorted(numbers))}", "derived"))
                continue
            given = raw[name].get("value")
            if given is not None and (not isinstance(given, (int, float)) or
                                      abs(float(given) - value) > 1e-9):
                out.append(sub.problem("value", f"parameter {name} of {method.id} is {given}, but "
                                       f"it follows from the others: {expression} = "
                                       f"{_plain(value)}; remove `value:` so it follows by "
                                       "itself (edit the parameters it derives from), or "
                                       "remove `derived:` to set it by hand",
                                       "stale-derived"))
            low, high = raw[name].get("min"), raw[name].get("max")
            if (low is not None and value < low) or (high is not None and value > high):
                out.append(sub.problem("derived", f"parameter {name} of {method.id} follows as "
                                       f"{expression} = {_plain(value)}; it must be between "
                                       f"{low} and {high} (its min and max)", "out-of-range"))
            numbers[name] = value
            method.parameters[name] = Parameter(name, _plain(value), raw[name].get("unit"),
                                                method.parameters[name].cite, low, high,
                                                expression)
    for name, p in raw.items():
        for key, holds in (("at_most", float.__le__), ("at_least", float.__ge__)):
            other = p.get(key)
            if other is None or name not in numbers:
                continue
            sub = _Entry(e.doc, (*e.path, "parameters", name), p)
            if other not in numbers:
                out.append(sub.problem(key, f"parameter {name} of {method.id}: {key}: '{other}' "
                                       f"is no number parameter of it"
                                       f"{did_you_mean(str(other), numbers)}", "unknown"))
            elif not holds(numbers[name], numbers[other]):
                word = "at most" if key == "at_most" else "at least"
                out.append(sub.problem("value", f"parameter {name} of {method.id} is "
                                       f"{_plain(numbers[name])}, but it must be {word} {other} "
                                       f"({_plain(numbers[other])}); edit one of them",
                                       "inconsistent"))
    return out


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _index(kb: Knowledge, sections: dict[str, list[_Entry]]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for what, index, key in (("exercises", kb.exercise_index, "exercise"),
                             ("lifts", kb.lift_index, "lift"),
                             ("regions", kb.region_index, "region")):
        for e in sections.get(what, []):
            own = e.data["id" if what == "regions" else "name"]
            for i, name in enumerate([own, *e.data.get("aliases", [])]):
                k = name_key(name)
                if k in index and index[k] != own:
                    path: str | None = None if i == 0 else "aliases"
                    problems.append(e.problem(path, f"{key} name or alias '{name}' is already "
                                                    f"used by '{index[k]}'", "duplicate"))
                index.setdefault(k, own)
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
    for e in sections.get("exercises", []) + sections.get("lifts", []) + \
            sections.get("regions", []):
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
    for e in sections.get("fingerprints", []):
        out.append(_ref(e, "source", e.data["source"], kb.sources, "source"))
    for e in sections.get("facts", []):
        out.extend(e.doc.diagnostic((*e.path, *path), message, "vocabulary")
                   for path, message in vocabulary_problems(e.data, kb.names))
    if not kb.facts:
        out.append(Diagnostic(str(sections_folder(sections)), 1, 1, "no fact vocabulary: the "
                              "knowledge folder needs a `facts:` section (knowledge/facts.yaml)",
                              "error", "knowledge"))
    for e in sections.get("methods", []):
        for name, p in e.data["parameters"].items():
            sub = _Entry(e.doc, (*e.path, "parameters", name), p)
            if "source" in p:
                out.append(_ref(sub, "source", p["source"], kb.sources, "source"))
            out.append(_in_range(sub, f"parameter {name} of {e.data['id']}"))
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


def sections_folder(sections: dict[str, list[_Entry]]) -> Path:
    """The knowledge folder, from any of its entries."""
    first = next((entries[0] for entries in sections.values() if entries), None)
    return Path(first.doc.file).parent if first else Path("knowledge")


def _in_range(e: _Entry, what: str) -> Diagnostic | None:
    """A number that steers advice must be one, and within the file's own `min`/`max`."""
    if "value" not in e.data:
        return None  # derived: checked with its expression (_derive)
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
