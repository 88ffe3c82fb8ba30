"""Cross-checks of a built knowledge base: references, ranges, phrases, the vocabulary's keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.validate import did_you_mean
from negatives.engine.model.kbentry import Entry, unique
from negatives.engine.model.knowledge import ALL_METHODS, Knowledge
from negatives.engine.model.templates import PHRASES, unknown_phrase_placeholders
from negatives.engine.model.vocabulary import vocabulary_problems


def _ref(entry: Entry, key: str, value: str, known: dict[str, Any] | list[str],
         what: str) -> Diagnostic | None:
    names = list(known)
    if value in known:
        return None
    return entry.problem(key, f"unknown {what} '{value}'{did_you_mean(value, names)}", "unknown")


def cross_check(kb: Knowledge, sections: dict[str, list[Entry]]) -> list[Diagnostic]:
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
            sub = Entry(e.doc, (*e.path, "family_words"), e.data["family_words"])
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
            sub = Entry(e.doc, (*e.path, "partner_liftable"), flag)
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
                   for path, message in vocabulary_problems(e.data, kb.names_of))
    if not kb.facts:
        out.append(Diagnostic(str(sections_folder(sections)), 1, 1, "no fact vocabulary: the "
                              "knowledge folder needs a `facts:` section (knowledge/facts.yaml)",
                              "error", "knowledge"))
    for e in sections.get("methods", []):
        for name, p in e.data["parameters"].items():
            sub = Entry(e.doc, (*e.path, "parameters", name), p)
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
                sub = Entry(e.doc, (*e.path, kind, key), item)
                out.append(_ref(sub, "source", item["source"], kb.sources, "source"))
                if kind == "settings":
                    out.append(_in_range(sub, f"setting {key}"))
    return [d for d in out if d is not None]


def sections_folder(sections: dict[str, list[Entry]]) -> Path:
    """The knowledge folder, from any of its entries."""
    first = next((entries[0] for entries in sections.values() if entries), None)
    return Path(first.doc.file).parent if first else Path("knowledge")


def _in_range(e: Entry, what: str) -> Diagnostic | None:
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


def _check_phrases(kb: Knowledge, entries: list[Entry],
                   anywhere: Entry | None) -> list[Diagnostic | None]:
    """Known phrase ids, placeholders the renderer fills, concepts that exist; none missing."""
    out: list[Diagnostic | None] = [*unique(entries, "id", "phrase")]
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
