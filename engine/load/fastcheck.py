"""A quick yes/no JSON Schema check for the keywords the shipped schemas use.

It answers only "valid" or "not sure": a file it calls valid is one validate.py's jsonschema
validator (Draft 2020-12, whole numbers only for "integer") accepts, so jsonschema, and the time
its import takes, is needed only for files with problems, whose messages it then words exactly as
before. Any keyword not handled here means "not sure".
"""

from __future__ import annotations

import re
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


def _ok(schema: Any, value: Any, root: dict[str, Any]) -> bool:
    if schema is True:
        return True
    if schema is False:
        return False
    if not isinstance(schema, dict):
        raise _Unsure
    for key, rule in schema.items():
        if key in _IGNORED:
            continue
        check = _KEYWORDS.get(key)
        if check is None:
            if key in ("then", "else"):
                continue  # judged with their `if`
            raise _Unsure
        if not check(rule, value, root, schema):
            return False
    return True


def _ref(rule: Any, value: Any, root: dict[str, Any], _: dict[str, Any]) -> bool:
    if not isinstance(rule, str) or not rule.startswith("#/"):
        raise _Unsure
    target: Any = root
    for part in rule[2:].split("/"):
        if not isinstance(target, dict) or part not in target:
            raise _Unsure
        target = target[part]
    return _ok(target, value, root)


def _properties(rule: Any, value: Any, root: dict[str, Any], _: dict[str, Any]) -> bool:
    if not isinstance(value, dict):
        return True
    return all(_ok(rule[k], v, root) for k, v in value.items() if k in rule)


def _additional(rule: Any, value: Any, root: dict[str, Any], schema: dict[str, Any]) -> bool:
    if not isinstance(value, dict):
        return True
    if "patternProperties" in schema:
        raise _Unsure
    known = schema.get("properties", {})
    return all(_ok(rule, v, root) for k, v in value.items() if k not in known)


def _if(rule: Any, value: Any, root: dict[str, Any], schema: dict[str, Any]) -> bool:
    branch = "then" if _ok(rule, value, root) else "else"
    return _ok(schema.get(branch, True), value, root)


def _items(rule: Any, value: Any, root: dict[str, Any], _: dict[str, Any]) -> bool:
    if isinstance(rule, list):
        raise _Unsure  # the tuple form of older drafts
    return not isinstance(value, list) or all(_ok(rule, v, root) for v in value)


def _pattern(rule: Any, value: Any, *_: Any) -> bool:
    if not isinstance(value, str):
        return True
    if not isinstance(rule, str) or "\\p" in rule or "(?" in rule:
        raise _Unsure  # ECMA-only syntax
    return re.search(rule, value) is not None


def _bound(test: Any) -> Any:
    return lambda rule, value, *_: not _number(value) or bool(test(value, rule))


_KEYWORDS: dict[str, Any] = {
    "type": lambda rule, value, *_: any(_type_ok(k, value) for k in
                                        (rule if isinstance(rule, list) else [rule])),
    "enum": lambda rule, value, *_: any(_equal(v, value) for v in rule),
    "const": lambda rule, value, *_: _equal(rule, value),
    "$ref": _ref,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": lambda rule, value, *_: not isinstance(value, dict) or all(
        k in value for k in rule),
    "propertyNames": lambda rule, value, root, _: not isinstance(value, dict) or all(
        _ok(rule, k, root) for k in value),
    "minProperties": lambda rule, value, *_: not isinstance(value, dict) or len(value) >= rule,
    "maxProperties": lambda rule, value, *_: not isinstance(value, dict) or len(value) <= rule,
    "items": _items,
    "minItems": lambda rule, value, *_: not isinstance(value, list) or len(value) >= rule,
    "maxItems": lambda rule, value, *_: not isinstance(value, list) or len(value) <= rule,
    "minLength": lambda rule, value, *_: not isinstance(value, str) or len(value) >= rule,
    "maxLength": lambda rule, value, *_: not isinstance(value, str) or len(value) <= rule,
    "pattern": _pattern,
    "minimum": _bound(lambda v, r: v >= r),
    "maximum": _bound(lambda v, r: v <= r),
    "exclusiveMinimum": _bound(lambda v, r: v > r),
    "exclusiveMaximum": _bound(lambda v, r: v < r),
    "allOf": lambda rule, value, root, _: all(_ok(s, value, root) for s in rule),
    "anyOf": lambda rule, value, root, _: any(_ok(s, value, root) for s in rule),
    "oneOf": lambda rule, value, root, _: sum(_ok(s, value, root) for s in rule) == 1,
    "not": lambda rule, value, root, _: not _ok(rule, value, root),
    "if": _if,
}


def surely_valid(schema: dict[str, Any], value: Any) -> bool:
    """True only when `value` is valid against `schema` (False: invalid, or not sure)."""
    try:
        return _ok(schema, value, schema)
    except (_Unsure, TypeError, re.error, RecursionError):
        return False
