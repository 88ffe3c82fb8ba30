"""Read the knowledge folder: validate each file, build the Knowledge, derive, index, check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.validate import did_you_mean, load_checked
from negatives.engine.model.derive import DeriveError, evaluate, names_in
from negatives.engine.model.kbcheck import cross_check
from negatives.engine.model.kbentry import Entry, unique
from negatives.engine.model.knowledge import (
    Concept,
    Exercise,
    Fingerprint,
    Knowledge,
    Lift,
    LoadConvention,
    Method,
    Muscle,
    Pairing,
    Parameter,
    Phrase,
    Region,
    Rounding,
    Source,
    name_key,
)
from negatives.engine.model.vocabulary import build_facts


def knowledge_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def _read(folder: Path) -> tuple[dict[str, list[Entry]], list[Diagnostic]]:
    sections: dict[str, list[Entry]] = {}
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
                sections.setdefault(section, []).append(Entry(doc, (section,), value))
                continue
            for i, item in enumerate(value):
                sections.setdefault(section, []).append(Entry(doc, (section, i), item))
    return sections, problems


def load_knowledge(folder: Path) -> Knowledge:
    """Read, validate and cross-check every knowledge file; InputError lists every problem."""
    sections, problems = _read(folder)
    kb = Knowledge()
    problems.extend(_build(kb, sections))
    if not problems:
        problems.extend(cross_check(kb, sections))
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


def _build(kb: Knowledge, sections: dict[str, list[Entry]]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for what, key in (("sources", "id"), ("muscles", "id"), ("exercises", "name"),
                      ("lifts", "name"), ("pairings", "id"), ("methods", "id"),
                      ("concepts", "id"), ("regions", "id"), ("fingerprints", "source"),
                      ("load_conventions", "id"), ("load_notes", "id")):
        problems.extend(unique(sections.get(what, []), key, what[:-1]))
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
            Entry(e.doc, (*e.path, "family_words"), family).cite() if family else None)
    for e in sections.get("pairings", []):
        d = e.data
        kb.pairings[d["id"]] = Pairing(d["id"], d["method"], d["movement_target"],
                                       d["concentric"], d["eccentric"], e.cite())
    for e in sections.get("methods", []):
        d = e.data
        params = {
            name: Parameter(name, p.get("value", 0), p.get("unit"),
                            Entry(e.doc, (*e.path, "parameters", name), p).cite(),
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
            entry = Entry(e.doc, (*e.path, "settings", name), p)
            kb.settings[name] = Parameter(name, p["value"], p.get("unit"), entry.cite())
    problems.extend(_index(kb, sections))
    for e in sections.get("methods", []):
        problems.extend(_derive(kb.methods[e.data["id"]], e))
    return problems


def _derive(method: Method, e: Entry) -> list[Diagnostic]:
    """Compute `derived:` parameters from the others; a `value:` beside one must agree."""
    raw: dict[str, dict[str, Any]] = e.data["parameters"]
    out: list[Diagnostic] = []
    pending = {n: str(p["derived"]) for n, p in raw.items() if "derived" in p}
    for name, p in raw.items():
        if "value" not in p and name not in pending:
            sub = Entry(e.doc, (*e.path, "parameters", name), p)
            out.append(sub.problem(None, f"parameter {name} of {method.id} needs `value:` (a "
                                         "number) or `derived:` (an expression of its other "
                                         "parameters)", "schema"))
    numbers = {n: float(p.value) for n, p in method.parameters.items() if n not in pending
               and isinstance(p.value, (int, float)) and not isinstance(p.value, bool)}
    while pending:
        ready = [n for n, x in pending.items() if not set(names_in(x)) & set(pending)]
        if not ready:
            sub = Entry(e.doc, (*e.path, "parameters", sorted(pending)[0]), {})
            out.append(sub.problem("derived", f"derived parameters of {method.id} depend on each "
                                   f"other in a circle: {', '.join(sorted(pending))}", "derived"))
            return out
        for name in ready:
            expression = pending.pop(name)
            sub = Entry(e.doc, (*e.path, "parameters", name), raw[name])
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
            sub = Entry(e.doc, (*e.path, "parameters", name), p)
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


def _index(kb: Knowledge, sections: dict[str, list[Entry]]) -> list[Diagnostic]:
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
