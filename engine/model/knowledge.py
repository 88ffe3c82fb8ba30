"""The knowledge base: exercises, lifts, muscles, regions, pairings, methods, facts, loads."""

from __future__ import annotations

import unicodedata
from dataclasses import field
from typing import Any, cast

from negatives.engine.load.records import record
from negatives.engine.load.validate import did_you_mean
from negatives.engine.model.vocabulary import (
    FactSpec,
    file_schema,
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


@record
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


@record
class Source:
    id: str
    kind: str
    title: str
    author: str | None
    cited_by: str | None
    quote_check: str | None = None  # how its quotes are checked when it has no fingerprint


@record
class Muscle:
    id: str
    name: str
    cite: Citation


@record
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


@record
class LoadConvention:
    id: str
    text: str
    equipment: tuple[str, ...]
    cite: Citation


@record
class Lift:
    name: str
    aliases: tuple[str, ...]
    pattern: str
    muscles: tuple[str, ...]
    cite: Citation
    # Words that make any exercise named with them a variant of this lift (`family:`).
    family_words: tuple[str, ...] = ()
    family_cite: Citation | None = None


@record
class Region:
    id: str
    name: str
    aliases: tuple[str, ...]
    muscles: tuple[str, ...]
    cite: Citation


@record
class Fingerprint:
    """Hashes of a source text's normalized word n-grams: enough to check a quote, not the text."""

    source: str
    n: int
    text_sha256: str
    grams: frozenset[str]


@record
class Pairing:
    id: str
    method: str
    movement_target: str
    concentric: str
    eccentric: str
    cite: Citation


@record
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


@record
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


@record
class Concept:
    id: str
    topic: str
    methods: tuple[str, ...]
    statement: str
    cites: tuple[str, ...]
    cite: Citation


@record
class Phrase:
    id: str
    text: str
    concepts: tuple[str, ...]


@record
class Rounding:
    units: str
    equipment: str
    step: float


@record(frozen=False)
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
    # What is computed from the above once and remembered (file order, schemas, lookups):
    # never passed in, so a copy made with dataclasses.replace starts without it.
    _derived: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, init=False,
                                                compare=False)

    def exercise(self, name: str) -> Exercise | None:
        """The exercise a name means, whatever its spelling (name_key); None for none. A name
        the knowledge does not write as such is looked up once, then remembered: at most
        4,096 of them, then they are forgotten."""
        known = self.exercises.get(name)  # a name as the knowledge writes it (the index holds
        if known is not None:  # every name's key, and two names never share one: kbread)
            return known
        memo = cast(dict[str, "Exercise | None"], self._derived.setdefault("exercise-names", {}))
        try:
            return memo[name]
        except KeyError:
            pass
        if len(memo) >= 4_096:
            memo.clear()
        canonical = self.exercise_index.get(name_key(name))
        got = memo[name] = self.exercises[canonical] if canonical else None
        return got

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
        known = self.lifts.get(name)  # as exercise(): a name as the knowledge writes it
        if known is not None:
            return known
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

    def all_equipment(self) -> tuple[str, ...]:
        """Every piece of equipment some exercise needs, sorted: a full gym (computed once)."""
        got = self._derived.get("all-equipment")
        if got is None:
            names = sorted({e for ex in self.exercises.values() for e in ex.equipment})
            got = self._derived["all-equipment"] = {"names": tuple(names)}
        names_: tuple[str, ...] = got["names"]
        return names_

    def prescription_problem(self, method: str, parameter: str, value: object) -> str | None:
        """Why `value` cannot be prescribed for the method's parameter, or None (also for a
        parameter the knowledge base does not have). Answers are remembered per value and
        its type (True is not 1 here), at most 4,096 of them: then they are forgotten."""
        memo = cast(dict[tuple[str, str, type, object], "str | None"],
                    self._derived.setdefault("prescription-problems", {}))
        try:
            return memo[method, parameter, type(value), value]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key (a list): checked, not remembered
            return self._prescription_problem(method, parameter, value)
        if len(memo) >= 4_096:
            memo.clear()
        got = memo[method, parameter, type(value), value] = self._prescription_problem(
            method, parameter, value)
        return got

    def _prescription_problem(self, method: str, parameter: str, value: object) -> str | None:
        known = self.methods.get(method)
        param = known.parameters.get(parameter) if known else None
        return param.problem(value) if param else None

    def file_order(self) -> dict[str, dict[str, int]]:
        """Each pairing id's place in the knowledge files, and each exercise name's (in turn
        a dict of their own: an id and a name may be spelled alike); computed once."""
        got = self._derived.get("file-order")
        if got is None:
            got = self._derived["file-order"] = {
                "pairings": {p: i for i, p in enumerate(self.pairings)},
                "exercises": {e: i for i, e in enumerate(self.exercises)}}
        return got

    def file_schema(self, name: str) -> dict[str, Any]:
        """Input file `name`'s JSON Schema (athlete, program), derived from the vocabulary once."""
        if name not in self._derived:
            self._derived[name] = file_schema(name, self.facts, self.names_of)
        return self._derived[name]

    def athlete_schema(self) -> dict[str, Any]:
        return self.file_schema("athlete")

    def program_schema(self) -> dict[str, Any]:
        return self.file_schema("program")

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
