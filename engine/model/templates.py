"""Sentence templates: `{alias.field}` placeholders in rule text, `{name}` ones in phrases."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

# `{a.cycle_week}`: a field of the fact a rule matched under alias `a` (dotted fields reach in).
RULE_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\}")
# `{lift}`: a value the text renderer supplies for a fixed phrase.
NAMED_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# Anything in braces, to report what is neither of the above.
ANY_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# Phrases of the lifter's text (knowledge/phrases.yaml): id -> the placeholders it may use.
PHRASES: dict[str, tuple[str, ...]] = {
    "title": ("name",),
    "answer-yes": ("name", "lifts"),
    "answer-not-now": ("name",),
    "answer-no": ("name",),
    "status-recommended": ("lifts",),
    "status-allowed": (),
    "status-not-now": (),
    "status-blocked": (),
    "when-now": ("lifts",),
    "when-next-cycle": ("lifts",),
    "when-not-for-you": (),
    "method-line": ("method", "status"),
    "plan-heading": (),
    "plan-item": ("n", "method", "lift"),
    "plan-pairing": ("concentric", "eccentric"),
    "plan-exercise": ("exercise",),
    "plan-tempo": ("up", "down", "pause"),
    "plan-tempo-continuous": ("up", "down"),
    "plan-sets": ("sets", "reps"),
    "plan-basis": ("exercise", "one_rep_max", "units", "convention"),
    "plan-basis-unknown": ("exercise",),
    "plan-week": ("week", "percent", "load", "units"),
    "plan-week-unknown": ("week", "percent"),
    "why-heading": (),
    "why-not-heading": (),
    "why-not-lift": ("lift", "reasons"),
    "why-not-method": ("method", "reason"),
    "why-not-cap": ("lift", "count", "chosen"),
    "why-not-unexplained": ("lift",),
    "how-heading": (),
    "risks-heading": (),
    "notes-heading": (),
    "more": ("file",),
}


def unknown_phrase_placeholders(phrase: str, text: str) -> list[str]:
    """Placeholders of a phrase's text that the renderer does not supply for it."""
    allowed = PHRASES.get(phrase, ())
    return [m for m in ANY_PLACEHOLDER.findall(text) if m not in allowed]


def fill_named(text: str, values: Mapping[str, Any]) -> str:
    return NAMED_PLACEHOLDER.sub(lambda m: show(values.get(m[1])), text)


def fill_rule(text: str, bindings: Sequence[Mapping[str, dict[str, Any]]],
              display: Callable[[str, Any], str] = lambda _, v: show(v)) -> str:
    """Fill `{alias.field}` from the facts one or more firings of a rule matched.

    Several firings give one sentence: a placeholder lists its distinct values, in order.
    `display` turns ids into names (a muscle id into the muscle's name).
    """
    def one(m: re.Match[str]) -> str:
        field = m[2].rsplit(".", 1)[-1]
        shown = [display(field, _value(b.get(m[1], {}), m[2])) for b in bindings]
        return ", ".join(dict.fromkeys(shown))

    return " ".join(RULE_PLACEHOLDER.sub(one, text).split())


def _value(fact: dict[str, Any], dotted: str) -> Any:
    value: Any = fact
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return "?" if value is None else str(value)
