"""The fact catalogue: input fact types of each domain and their typed fields (the vocabulary)."""

from __future__ import annotations

from negatives.engine.model.knowledge import Knowledge
from negatives.engine.model.vocabulary import FieldSpec

# Fields every fact carries; `id` and `sid` belong to durable_rules.
RESERVED_FIELDS = ("id", "sid", "type")
DOMAINS = ("advise", "audit")


def fact_types(kb: Knowledge, domain: str) -> list[str]:
    """The input fact types of `domain` (knowledge/facts.yaml)."""
    return [name for name, spec in kb.facts.items() if domain in spec.domains]


def fields_of(kb: Knowledge, domain: str, fact: str) -> dict[str, FieldSpec] | None:
    """The fields a rule can test on an input fact, typed; None when `fact` is no input fact."""
    spec = kb.facts.get(fact)
    if spec is None or domain not in spec.domains:
        return None
    fields = dict(spec.matchable())
    if spec.parameters:
        for method in kb.methods.values():
            for name, p in method.parameters.items():
                if name not in fields:
                    kind = "boolean" if isinstance(p.value, bool) else (
                        "number" if isinstance(p.value, (int, float)) else "string")
                    fields[name] = FieldSpec(name, kind, f"parameter {name} of a method",
                                             unit=p.unit)
    return fields
