"""A quick yes/no JSON Schema check for the keywords the shipped schemas use.

It answers only "valid" or "not sure": a file it calls valid is one validate.py's jsonschema
validator (Draft 2020-12, whole numbers only for "integer") accepts, so jsonschema, and the time
its import takes, is needed only for files with problems, whose messages it then words exactly as
before. Any keyword not handled here means "not sure".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_IGNORED = frozenset({"$schema", "$id", "title", "description", "default", "$defs",
                      "definitions", "examples", "$comment"})


class _Unsure(Exception):
    """A schema this module does not judge: jsonschema decides."""


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if kind == "number":
        return isinstance(value, (int, float))
    if kind == "integer":  # as validate.py counts it: 2.0 is not an integer
        return isinstance(value, int)
    raise _Unsure


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, [1] equals [1.0]."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


Check = Callable[[Any], bool]


def _unsure(_: Any) -> bool:
    raise _Unsure


class _Compiler:
    """Turns a schema into nested closures once, so checking a value walks no schema dicts.

    A keyword this module does not judge compiles to a check that raises _Unsure when reached,
    as the interpreter before it did; `$ref`s are resolved once, lazily (schemas may recurse).
    """

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda _: True
        if schema is False:
            return lambda _: False
        if not isinstance(schema, dict):
            return _unsure
        checks: list[Check] = []
        for key, rule in schema.items():
            if key in _IGNORED or key in ("then", "else"):  # judged with their `if`
                continue
            make = _KEYWORDS.get(key)
            checks.append(_unsure if make is None else make(self, rule, schema))
        if len(checks) == 1:
            return checks[0]

        def every(value: Any) -> bool:
            for check in checks:  # noqa: SIM110 -- a loop: all() and a generator cost more here
                if not check(value):
                    return False
            return True
        return every

    def ref(self, rule: Any) -> Check:
        if not isinstance(rule, str) or not rule.startswith("#/"):
            return _unsure
        if rule not in self.refs:
            self.refs[rule] = _unsure  # a cycle resolves through the lazy call below
            target: Any = self.root
            for part in rule[2:].split("/"):
                if not isinstance(target, dict) or part not in target:
                    return _unsure
                target = target[part]
            self.refs[rule] = self.compile(target)
        refs = self.refs
        return lambda value: refs[rule](value)


def _properties(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    if not isinstance(rule, dict):
        return _unsure
    props = {k: c.compile(v) for k, v in rule.items()}

    def each(value: Any) -> bool:
        if isinstance(value, dict):
            for k, v in value.items():
                check = props.get(k)
                if check is not None and not check(v):
                    return False
        return True
    return each


def _additional(c: _Compiler, rule: Any, schema: dict[str, Any]) -> Check:
    if "patternProperties" in schema:
        return _unsure
    known = schema.get("properties", {})
    check = c.compile(rule)
    return lambda value: not isinstance(value, dict) or all(
        check(v) for k, v in value.items() if k not in known)


def _if(c: _Compiler, rule: Any, schema: dict[str, Any]) -> Check:
    test, then, other = (c.compile(rule), c.compile(schema.get("then", True)),
                         c.compile(schema.get("else", True)))
    return lambda value: then(value) if test(value) else other(value)


def _items(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    if isinstance(rule, list):
        return _unsure  # the tuple form of older drafts
    check = c.compile(rule)

    def each(value: Any) -> bool:
        if isinstance(value, list):
            for v in value:
                if not check(v):
                    return False
        return True
    return each


def _pattern(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    if not isinstance(rule, str) or "\\p" in rule or "(?" in rule:
        return _unsure  # ECMA-only syntax
    try:
        search = re.compile(rule).search
    except re.error:
        return _unsure
    return lambda value: not isinstance(value, str) or search(value) is not None


def _bound(test: Callable[[Any, Any], bool]) -> Any:
    return lambda c, rule, _: (lambda value: not _number(value) or bool(test(value, rule)))


_PLAIN_TYPES: dict[str, type | tuple[type, ...]] = {"object": dict, "array": list, "string": str}


def _type(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    kinds = rule if isinstance(rule, list) else [rule]
    if len(kinds) == 1 and kinds[0] in _PLAIN_TYPES:
        plain = _PLAIN_TYPES[kinds[0]]
        return lambda value: isinstance(value, plain)
    return lambda value: any(_type_ok(k, value) for k in kinds)


def _sub(c: _Compiler, rule: Any) -> list[Check]:
    if not isinstance(rule, list):
        raise _Unsure
    return [c.compile(s) for s in rule]


def _sized(kind: type[dict[Any, Any]] | type[list[Any]] | type[str],
           test: Callable[[int, Any], bool]) -> Any:
    return lambda c, rule, _: (lambda value: not isinstance(value, kind) or test(len(value),
                                                                                 rule))


def _guarded(make: Callable[[_Compiler, Any, dict[str, Any]], Check]) -> Any:
    def build(c: _Compiler, rule: Any, schema: dict[str, Any]) -> Check:
        try:
            return make(c, rule, schema)
        except _Unsure:
            return _unsure
    return build


def _all_of(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    subs = _sub(c, rule)
    return lambda value: all(s(value) for s in subs)


def _any_of(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    subs = _sub(c, rule)
    return lambda value: any(s(value) for s in subs)


def _one_of(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    subs = _sub(c, rule)
    return lambda value: sum(s(value) for s in subs) == 1


def _not(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    check = c.compile(rule)
    return lambda value: not check(value)


def _names(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    check = c.compile(rule)
    return lambda value: not isinstance(value, dict) or all(check(k) for k in value)


def _required(c: _Compiler, rule: Any, _: dict[str, Any]) -> Check:
    return lambda value: not isinstance(value, dict) or all(k in value for k in rule)


_KEYWORDS: dict[str, Any] = {
    "type": _type,
    "enum": lambda c, rule, _: (lambda value: any(_equal(v, value) for v in rule)),
    "const": lambda c, rule, _: (lambda value: _equal(rule, value)),
    "$ref": lambda c, rule, _: c.ref(rule),
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _required,
    "propertyNames": _names,
    "minProperties": _sized(dict, lambda n, r: n >= r),
    "maxProperties": _sized(dict, lambda n, r: n <= r),
    "items": _items,
    "minItems": _sized(list, lambda n, r: n >= r),
    "maxItems": _sized(list, lambda n, r: n <= r),
    "minLength": _sized(str, lambda n, r: n >= r),
    "maxLength": _sized(str, lambda n, r: n <= r),
    "pattern": _pattern,
    "minimum": _bound(lambda v, r: v >= r),
    "maximum": _bound(lambda v, r: v <= r),
    "exclusiveMinimum": _bound(lambda v, r: v > r),
    "exclusiveMaximum": _bound(lambda v, r: v < r),
    "allOf": _guarded(_all_of),
    "anyOf": _guarded(_any_of),
    "oneOf": _guarded(_one_of),
    "not": _not,
    "if": _if,
}

# id of a schema -> (the schema, kept so the id stays its own; its compiled check)
_COMPILED: dict[int, tuple[Any, Check]] = {}


def surely_valid(schema: dict[str, Any], value: Any) -> bool:
    """True only when `value` is valid against `schema` (False: invalid, or not sure)."""
    known = _COMPILED.get(id(schema))
    if known is None or known[0] is not schema:
        if len(_COMPILED) > 64:  # derived schemas come and go with knowledge bases
            _COMPILED.clear()
        known = _COMPILED[id(schema)] = (schema, _Compiler(schema).compile(schema))
    try:
        return known[1](value)
    except (_Unsure, TypeError, re.error, RecursionError):
        return False
