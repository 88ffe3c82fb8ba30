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
                 "unilateral_of": "its bilateral version",
                 "partner_liftable": "one partner can lift the concentric above the 1RM"},
    "exercise-muscle": {"exercise": "canonical name", "muscle": "muscle id"},
    "exercise-equipment": {"exercise": "canonical name", "equipment": "equipment it needs"},
    "setting": {"name": "setting name", "value": "its value (knowledge/defaults.yaml)"},
}

_ATHLETE: dict[str, str] = {
    "name": "athlete's name", "experience": "novice | intermediate | advanced",
    "units": "kg | lb", "recovery": "well-rested | normal | fatigued",
    "cycle_week": "week of the current training cycle (1 = a new cycle starts)",
    "partner": "has a partner who can spot or lift the concentric",
    "accentuated_eccentric_weeks_done": "consecutive weeks of accentuated eccentrics done",
    "full_gym": "true when the athlete gave no equipment list",
}

FACT_TYPES: dict[str, dict[str, dict[str, str]]] = {
    "advise": {
        "athlete": _ATHLETE,
        "lift": {"name": "big lift (canonical)", "pattern": "movement pattern",
                 "stalled": "true/false as given (absent when not given)",
                 "progress_percent": "progress over the stall window, from the log",
                 "weeks_logged": "weeks in the lift's log",
                 "log_too_short": "true when the log has no week before the stall window"},
        "lift-muscle": {"lift": "big lift", "muscle": "muscle id"},
        "equipment": {"name": "equipment the athlete has"},
        "one-rep-max": {"exercise": "canonical exercise", "value": "1RM in the athlete's units"},
        "pairing-strength": {"pairing": "pairing id", "lifting_percent": "1RM of the lifting "
                             "exercise as a percent of the lowering exercise's 1RM"},
        **_KNOWLEDGE_FACTS,
    },
    "audit": {
        "program": {"name": "program name", "units": "kg | lb", "weeks": "number of weeks"},
        "entry": {
            "ref": "YAML path of the entry", "week": "cycle week", "day": "day name",
            "day_key": "week:day index, the key of its day fact",
            "position": "index in the day", "exercise": "canonical name (raw when unknown)",
            "known": "the knowledge base knows the exercise", "suggestion": "closest known name",
            "hint": "' (did you mean ...?)' or empty", "eccentric_hint": "the same for eccentric",
            "sets": "sets", "reps": "reps", "load": "load in program units",
            "percent": "percent of 1RM (given, or from load and the athlete's 1RM)",
            "percent_note": "' (200 kg = 440.9 lb, of a ...)' when a load changed units, else ''",
            "method": "negative-training method", "role": "main | accessory as written",
            "accessory": "accessory work (role, or a single-joint exercise)",
            "followed_by_other": "ordinary exercises come after it that day",
            "forced_reps": "forced negatives",
            "own_reps": "reps done alone before the forced negatives",
            "tempo_eccentric_s": "lowering seconds",
            "tempo_bottom_pause_s": "pause at the bottom", "tempo_concentric_s": "lifting seconds",
            "tempo_top_pause_s": "pause at the top", "laterality": "bilateral | unilateral",
            "spottable": "a partner can spot it", "compound": "multi-joint",
            "family": "big lift it is a variant of", "eccentric": "lowering exercise (AEL)",
            "eccentric_known": "the lowering exercise is known",
            "eccentric_suggestion": "closest known name", "eccentric_family": "its big lift",
            "pairing_known": "a pairing of the knowledge base",
            "unilateral_variant": "lowering is the one-limb version of the lifting exercise",
            "same_movement": "lifting and lowering exercise are the same",
            "run_week": "week of the consecutive accentuated-eccentric block (1-based)",
            "percent_step": "percent change against the same pairing a week earlier",
            "partner_liftable": "one partner can lift the concentric above the 1RM",
            "concentric_percent": "AEL load as a percent of the lifting exercise's 1RM",
            "start_offset": "AEL: percentage points between the load and start_percent_1rm",
        },
        "day": {"week": "cycle week", "day": "day name", "key": "week:day index (unique)",
                "ref": "first AEL entry or entry",
                "volume": "sets x reps of ordinary work", "volume_rank": "1 = lowest that week",
                "has_ael": "has accentuated eccentrics", "accessory_count": "accessory entries"},
        "week": {"week": "cycle week", "ref": "first AEL entry or the week",
                 "ael_days": "days with accentuated eccentrics",
                 "negative_days": "days with any negative work",
                 "ael_pairings": "distinct accentuated-eccentric pairings",
                 "run_week": "week of the consecutive accentuated-eccentric block"},
        "athlete": _ATHLETE,
        "method": _KNOWLEDGE_FACTS["method"],
        "setting": _KNOWLEDGE_FACTS["setting"],
    },
}

# Fields every fact carries; `id` and `sid` belong to durable_rules.
RESERVED_FIELDS = ("id", "sid", "type")
DOMAINS = tuple(FACT_TYPES)


def fields_of(domain: str, fact: str) -> dict[str, str] | None:
    return FACT_TYPES.get(domain, {}).get(fact)


# Fields whose literal values must be names the knowledge base knows (a typo there would make a
# rule silently never match): field -> knowledge collection. `name` counts for the fact types
# in NAME_OF_FACT.
NAME_FIELDS: dict[str, str] = {
    "method": "methods", "pairing": "pairings", "exercise": "exercises",
    "concentric": "exercises", "eccentric": "exercises", "lift": "lifts", "muscle": "muscles",
}
NAME_OF_FACT: dict[str, str] = {
    "method": "methods", "pairing": "pairings", "exercise": "exercises", "lift": "lifts",
    "muscle": "muscles",
}
