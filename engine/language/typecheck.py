"""Typed conditions: each field test against the fact vocabulary, and tests that can never hold."""

from __future__ import annotations

import itertools
import math
from dataclasses import field

from negatives.engine.language.rulemodel import FieldTest, Group, Ref, Rule, Where
from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.records import record
from negatives.engine.load.validate import did_you_mean
from negatives.engine.model.vocabulary import FIELD_TYPES, FieldSpec, fits, value_type

ORDER_OPS = ("lt", "lte", "gt", "gte")
MAX_BRANCHES = 256  # alternatives of one pattern's conditions examined for "can never fire"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"'{value}'" if isinstance(value, str) else str(value)


def field_problems(test: FieldTest, fact: str, spec: FieldSpec) -> list[tuple[str, str]]:
    """(message, code) for every way `test` does not fit the field's type or values."""
    where = f"{fact}.{test.field}"
    kind = FIELD_TYPES[spec.type][1]
    if test.op == "exists":
        return []
    if test.op in ORDER_OPS and spec.type in ("string", "boolean"):
        return [(f"'{test.op}' compares numbers, but {where} is {kind}; use eq, ne, in or "
                 "not_in", "type")]
    if test.op == "matches" and spec.type != "string":
        return [(f"'matches' works on text, but {where} is {kind}", "type")]
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    out: list[tuple[str, str]] = []
    for value in values:
        if isinstance(value, Ref) or test.op == "matches":
            continue
        if not fits(spec, value):
            got = FIELD_TYPES[value_type(value)][1]
            out.append((f"{where} is {spec.words()}; {_show(value)} is {got}", "type"))
        elif spec.enum and test.op in ("eq", "ne", "in", "not_in") and value not in spec.enum:
            lowered = {str(v).lower(): str(v) for v in spec.enum}
            near = lowered.get(str(value).lower())
            hint = f" (did you mean '{near}'?)" if near else did_you_mean(
                str(value), [str(v) for v in spec.enum])
            out.append((f"{_show(value)} is not a value of {where}{hint}; expected one of: "
                        f"{', '.join(map(str, spec.enum))}; the test could never be true",
                        "unknown-value"))
    return out


def ref_problems(test: FieldTest, fact: str, spec: FieldSpec, other_fact: str,
                 other: FieldSpec) -> list[tuple[str, str]]:
    """A join compares two fields: their types, and their units, must agree."""
    assert isinstance(test.value, Ref)
    numeric = {"integer", "number"}
    same = spec.type == other.type or {spec.type, other.type} <= numeric
    if not same:
        return [(f"{fact}.{test.field} ({FIELD_TYPES[spec.type][1]}) is compared with "
                 f"{test.value} ({FIELD_TYPES[other.type][1]}); they can never be equal"
                 if test.op == "eq" else
                 f"{fact}.{test.field} ({FIELD_TYPES[spec.type][1]}) cannot be compared with "
                 f"{test.value} ({FIELD_TYPES[other.type][1]})", "type")]
    if test.op in ORDER_OPS and spec.type not in numeric:
        return [(f"'{test.op}' compares numbers, but {fact}.{test.field} is "
                 f"{FIELD_TYPES[spec.type][1]}", "type")]
    if spec.unit and other.unit and spec.unit != other.unit and " " not in other.unit:
        return [(f"{fact}.{test.field} is in {spec.unit} but {test.value} is in {other.unit}",
                 "unit")]
    return []


@record(frozen=False)
class _Span:
    """What one field can still be, after the tests of one alternative."""

    spec: FieldSpec
    low: float = -math.inf
    low_open: bool = False
    high: float = math.inf
    high_open: bool = False
    allowed: set[object] | None = None
    excluded: set[object] = field(default_factory=set)
    given: bool | None = None
    tests: list[FieldTest] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.spec.min is not None:
            self.low = float(self.spec.min)
        if self.spec.max is not None:
            self.high = float(self.spec.max)
        if self.spec.enum:
            self.allowed = set(self.spec.enum)
        elif self.spec.type == "boolean":
            self.allowed = {True, False}

    def apply(self, t: FieldTest) -> None:
        self.tests.append(t)
        if t.op == "exists":
            self.given = bool(t.value) if self.given in (None, bool(t.value)) else None
            if self.given is None:  # both `exists: true` and `exists: false`
                self.allowed = set()
            return
        if t.op != "ne" and t.op != "not_in":
            self.given = True if self.given is None else self.given
        if isinstance(t.value, Ref) or t.op == "matches":
            return
        values: set[object] = set(t.value) if isinstance(t.value, tuple) else {t.value}
        if t.op in ("eq", "in"):
            self.allowed = values if self.allowed is None else self.allowed & values
        elif t.op in ("ne", "not_in"):
            self.excluded |= values
        elif isinstance(t.value, (int, float)) and not isinstance(t.value, bool):
            v = float(t.value)
            if t.op in ("gt", "gte") and (v > self.low or (v == self.low and t.op == "gt")):
                self.low, self.low_open = v, t.op == "gt"
            if t.op in ("lt", "lte") and (v < self.high or (v == self.high and t.op == "lt")):
                self.high, self.high_open = v, t.op == "lt"

    def _in_range(self, v: object) -> bool:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return True
        x = float(v)
        return (x > self.low or (x == self.low and not self.low_open)) and \
            (x < self.high or (x == self.high and not self.high_open))

    def possible(self) -> bool:
        if self.given is False:
            return all(t.op in ("exists", "ne", "not_in") for t in self.tests)
        if self.allowed is not None:
            return any(self._in_range(v) and v not in self.excluded for v in self.allowed)
        if self.low > self.high or (self.low == self.high and (self.low_open or self.high_open)):
            return False
        if self.spec.type == "integer":
            if math.isinf(self.low):
                return True
            first = math.floor(self.low) + 1 if self.low_open or not self.low.is_integer() \
                else self.low
            return any(self._in_range(v) and v not in self.excluded
                       for v in (first, first + 1, first + 2, first + 3))
        return True

    def why(self, where: str) -> str:
        said = " and ".join(f"`{t.describe()}`" for t in self.tests)
        said += {1: " can never hold", 2: " cannot both hold"}.get(len(self.tests),
                                                                 " cannot all hold")
        bound = ""
        if self.spec.min is not None or self.spec.max is not None or self.spec.enum:
            bound = f" ({where} is {self.spec.words()})"
        return f"{said}{bound}"


def _alternatives(where: Where) -> list[list[FieldTest]]:
    """The tests of each alternative (disjunctive normal form), at most MAX_BRANCHES."""
    if isinstance(where, FieldTest):
        return [[where]]
    parts = [_alternatives(item) for item in where.items]
    if where.kind == "any":
        return [alt for part in parts for alt in part][:MAX_BRANCHES]
    out: list[list[FieldTest]] = []
    for combo in itertools.product(*parts):
        out.append([t for alt in combo for t in alt])
        if len(out) >= MAX_BRANCHES:
            break
    return out


def impossible(where: Group, fact: str,
               fields: dict[str, FieldSpec | None]) -> tuple[list[tuple[FieldTest, str]], bool]:
    """Alternatives of a pattern's conditions that can never hold: (first test, why) of each,
    and whether every alternative is impossible (the pattern can never match)."""
    found: list[tuple[FieldTest, str]] = []
    alternatives = _alternatives(where)
    dead = 0
    for alt in alternatives:
        spans: dict[str, _Span] = {}
        for t in alt:
            spec = fields.get(t.field.split(".")[0])
            if spec is None or "." in t.field:
                continue
            spans.setdefault(t.field, _Span(spec)).apply(t)
        bad = next((s for s in spans.values() if not s.possible()), None)
        if bad is not None:
            dead += 1
            first = bad.tests[0]
            reason = bad.why(f"{fact}.{first.field}")
            if (first, reason) not in found:
                found.append((first, reason))
    return found, bool(alternatives) and dead == len(alternatives)


def dead_alternatives(rules: tuple[Rule, ...],
                      fields: dict[str, dict[str, FieldSpec]]) -> list[Diagnostic]:
    """Warnings for `any` alternatives that can never match in rules that can still fire."""
    out: list[Diagnostic] = []
    for rule in rules:
        for pattern in rule.patterns:
            typed: dict[str, FieldSpec | None] = dict(fields.get(pattern.fact, {}))
            found, dead = impossible(pattern.where, pattern.fact, typed)
            if dead:
                continue  # the whole pattern: an error of the rule checker
            for test, why in found:
                line, col = rule.place(test.path)
                out.append(Diagnostic(rule.file, line, col, f"rule '{rule.id}': this alternative "
                                      f"of `any` can never match: {why}", "warning",
                                      "dead-alternative"))
    return out
