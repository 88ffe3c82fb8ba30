"""The fact catalogue: the fact types the engine asserts as input, per domain, with their fields."""

from __future__ import annotations

# domain -> fact type -> field -> meaning. Rules may read these and the facts other rules assert.
_KNOWLEDGE_FACTS: dict[str, dict[str, str]] = {
    "method": {"name": "method id", "needs_partner": "true when a partner is required",
               "*": "every parameter of the method in knowledge/methods.yaml, by name"},
    "pairing": {"name": "pairing id", "method": "method id", "movement_target": "pattern",
                "concentric": "lifting exercise", "eccentric": "lowering exercise"},
    "exercise": {"name": "canonical name", "pattern": "movement pattern",
                 "laterality": "bilateral | unilateral", "compound": "multi-joint",
                 "spottable": "a partner can spot it", "family": "big lift it is a variant of",
                 "unilateral_of": "its bilateral version"},
    "exercise-muscle": {"exercise": "canonical name", "muscle": "muscle id"},
    "exercise-equipment": {"exercise": "canonical name", "equipment": "equipment it needs"},
    "setting": {"name": "setting name", "value": "its value (knowledge/defaults.yaml)"},
}

FACT_TYPES: dict[str, dict[str, dict[str, str]]] = {
    "advise": {
        "athlete": {
            "name": "athlete's name", "experience": "novice | intermediate | advanced",
            "units": "kg | lb", "recovery": "well-rested | normal | fatigued",
            "cycle_week": "week of the current training cycle (1 = a new cycle starts)",
            "partner": "has a partner who can spot or lift the concentric",
            "accentuated_eccentric_weeks_done": "consecutive weeks of accentuated eccentrics done",
            "full_gym": "true when the athlete gave no equipment list",
        },
        "lift": {"name": "big lift (canonical)", "pattern": "movement pattern",
                 "stalled": "true/false as given (absent when not given)",
                 "progress_percent": "progress over the stall window, from the log",
                 "weeks_logged": "weeks in the lift's log"},
        "lift-muscle": {"lift": "big lift", "muscle": "muscle id"},
        "equipment": {"name": "equipment the athlete has"},
        "one-rep-max": {"exercise": "canonical exercise", "value": "1RM in the athlete's units"},
        **_KNOWLEDGE_FACTS,
    },
}

# Fields every fact carries; `id` and `sid` belong to durable_rules.
RESERVED_FIELDS = ("id", "sid", "type")
DOMAINS = tuple(FACT_TYPES)


def fields_of(domain: str, fact: str) -> dict[str, str] | None:
    return FACT_TYPES.get(domain, {}).get(fact)
