"""The rule language's typed form: patterns, field tests, references and conclusions."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from negatives.engine.load.records import record
from negatives.engine.model.knowledge import Citation

Scalar = str | int | float | bool
_REF = re.compile(r"^\$([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)$")

# Operators of the rule language: name -> what the explanation says.
OPERATORS: dict[str, str] = {
    "eq": "is", "ne": "is not", "lt": "<", "lte": "<=", "gt": ">", "gte": ">=",
    "in": "is one of", "not_in": "is none of", "exists": "is given", "matches": "matches",
}
# Conclusion kinds: name -> the status a method gets (None: no status of its own).
CONCLUSIONS: dict[str, str | None] = {
    "assert": None, "recommend": "recommended", "allow": "allowed", "not-now": "not-now",
    "block": "blocked", "warn": None, "prescribe": None, "finding": None, "why-not": None,
}
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
STATUS_RANK: dict[str, int] = {"blocked": 0, "not-now": 1, "allowed": 2, "recommended": 3}


def field_value(fact: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted field path (`experience.years`), or None where it is missing."""
    value: Any = fact
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


@record
class Ref:
    alias: str
    field: str

    def __str__(self) -> str:
        return f"${self.alias}.{self.field}"


Value = Scalar | Ref


def parse_value(raw: Any) -> Value:
    """`$alias.field` is a reference to a matched fact; `$$...` escapes a literal dollar."""
    if isinstance(raw, str):
        if raw.startswith("$$"):
            return raw[1:]
        match = _REF.match(raw)
        if match:
            return Ref(match.group(1), match.group(2))
    if isinstance(raw, (str, int, float, bool)):
        return raw
    raise TypeError(f"not a scalar: {raw!r}")


def looks_like_ref(raw: Any) -> bool:
    return isinstance(raw, str) and raw.startswith("$") and not raw.startswith("$$")


@record
class FieldTest:
    field: str
    op: str
    value: Value | tuple[Scalar, ...]
    path: tuple[str | int, ...]

    def describe(self) -> str:
        """The test in words (made once: explanations ask for it on every firing)."""
        return self._described

    @cached_property
    def _described(self) -> str:
        if self.op == "exists":
            return f"{self.field} {'is given' if self.value else 'is not given'}"
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return f"{self.field} {OPERATORS[self.op]} {value}"


@record
class Group:
    kind: str  # all | any
    items: tuple[Where, ...]


Where = FieldTest | Group


@record
class Pattern:
    fact: str
    alias: str
    negated: bool
    where: Group
    path: tuple[str | int, ...]

    def tests(self) -> tuple[FieldTest, ...]:
        """Every field test of the pattern, in order (flattened once: a rule never changes)."""
        return self._tests

    @cached_property
    def _tests(self) -> tuple[FieldTest, ...]:
        return tuple(_flatten(self.where))

    @cached_property
    def labelled_fields(self) -> tuple[tuple[str, str], ...]:
        """Each field the pattern tests, once, in order, with its label `alias.field`."""
        fields = dict.fromkeys(t.field for t in self.tests())
        return tuple((f"{self.alias}.{f}", f) for f in fields)


def _flatten(where: Where) -> list[FieldTest]:
    if isinstance(where, FieldTest):
        return [where]
    return [t for item in where.items for t in _flatten(item)]


@record
class Conclusion:
    kind: str
    args: dict[str, Value]
    path: tuple[str | int, ...]

    @property
    def fact(self) -> str | None:
        value = self.args.get("fact")
        return value if self.kind == "assert" and isinstance(value, str) else None


@record
class Rule:
    id: str
    title: str
    priority: int
    patterns: tuple[Pattern, ...]
    conclusions: tuple[Conclusion, ...]
    because: str
    cite: Citation
    see_also: tuple[str, ...]
    tags: tuple[str, ...]
    file: str
    line: int
    domain: str
    # (YAML path, line, column) of every pattern and field test, for reports on conditions.
    places: tuple[tuple[tuple[str | int, ...], int, int], ...] = ()
    # Safety rules this rule is declared to overrule (`overrides:`); any other is an error.
    overrides: tuple[str, ...] = ()
    # One sentence for a lifter, with {alias.field} placeholders; empty: `because` is shown.
    says: str = ""

    def place(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        return next(((line, col) for p, line, col in self.places if p == path), (self.line, 5))

    def reads(self) -> set[str]:
        return {p.fact for p in self.patterns}

    def produces(self) -> set[str]:
        return {c.fact for c in self.conclusions if c.fact}

    def negates(self) -> set[str]:
        return {p.fact for p in self.patterns if p.negated}
