"""Validate parsed YAML against the shipped JSON Schemas; report every problem with its location."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError
from negatives.engine.load.fastcheck import surely_valid
from negatives.engine.load.yamlio import Document, load, to_plain

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SCHEMA_NAMES = ("athlete", "program", "rule", "knowledge", "ruletest")


@cache
def schema(name: str) -> dict[str, Any]:
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema '{name}'; valid: {', '.join(SCHEMA_NAMES)}")
    # Beside this package, read as a file: importlib.resources costs 4-5 ms of imports.
    text = (_SCHEMAS / f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _is_integer(checker: Any, value: Any) -> bool:
    # JSON Schema counts 2.0 as an integer; the engine would then get a float where it counts
    # (range(), list indices). A whole number must be written as one.
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def _validator(name: str) -> Draft202012Validator:
    return _strict(schema(name))


def _strict(tree: dict[str, Any]) -> Draft202012Validator:
    # Imported only for a file the quick check does not pass (fastcheck.py): it costs ~50 ms.
    from jsonschema import Draft202012Validator, validators

    extended = validators.extend(
        Draft202012Validator,
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer))
    validator: Draft202012Validator = extended(tree)
    return validator


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a known word is close, else ''.

    A name holding every word of `word` as a whole word wins (`close grip press` -> `dumbbell
    close-grip chest press`); else the closest spelling, unless it only shares part of a word.
    """
    import difflib  # only on the error path

    names = list(known)
    words = set(_words(word))
    whole = sorted((n for n in names if words and words <= set(_words(n))), key=len)
    if whole:
        return f" (did you mean '{whole[0]}'?)"
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if close and len(words) > 1 and set(_words(close[0])) < words:
        return ""  # `leg press` is not `press`: a name missing a whole word is no near miss
    return f" (did you mean '{close[0]}'?)" if close else ""


def _words(name: str) -> list[str]:
    return name.lower().replace("-", " ").replace("_", " ").split()


def _messages(err: ValidationError) -> list[tuple[str, tuple[str | int, ...]]]:
    """Messages a person can act on, each with the path to point at."""
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        path = tuple(err.absolute_path)
        allowed = list(err.schema.get("properties", {}))
        return [(f"unknown key '{key}'{did_you_mean(str(key), allowed)}; allowed: "
                 f"{', '.join(allowed)}", (*path, key))
                for key in sorted(map(str, err.instance)) if key not in allowed]
    if err.validator in ("anyOf", "oneOf") and isinstance(err.instance, dict) and err.context:
        # A mapping matched none of the alternatives: explain it against the alternative that
        # takes mappings (e.g. an operator test), not with the whole value's repr.
        mapped = [e for e in err.context if e.validator == "additionalProperties"]
        if mapped:
            return _messages(mapped[0])
    return [_message(err)]


def _message(err: ValidationError) -> tuple[str, tuple[str | int, ...]]:
    path = tuple(err.absolute_path)
    if err.validator == "required":
        missing = str(err.message).split("'")[1] if "'" in err.message else err.message
        return f"missing required key '{missing}'", path
    if err.validator == "enum":
        allowed = [str(v) for v in err.validator_value]
        hint = did_you_mean(str(err.instance), allowed)
        return f"'{err.instance}' is not allowed{hint}; expected one of: {', '.join(allowed)}", path
    if err.validator == "type":
        expected = err.validator_value
        kinds = [str(k) for k in (expected if isinstance(expected, list) else [expected])]
        got = f"{_kind(err.instance)} {_show(err.instance)}"
        return f"expected {' or '.join(_TYPE_WORDS.get(k, k) for k in kinds)}, got {got}", path
    if err.validator in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "more than",
                 "maximum": "at most", "exclusiveMaximum": "less than"}
        return f"{_show(err.instance)} is out of range: must be {words[str(err.validator)]} " \
               f"{err.validator_value}", path
    if err.validator in ("anyOf", "oneOf") and isinstance(err.validator_value, list):
        wanted = " or ".join(dict.fromkeys(_expected(alt) for alt in err.validator_value))
        hint = ""
        if isinstance(err.instance, list) and "operator mapping" in wanted:
            hint = f"; for several values write {{in: {_show(err.instance)}}}"
        return f"expected {wanted}, got {_kind(err.instance)} {_show(err.instance)}{hint}", path
    if err.validator == "not" and isinstance(err.instance, dict):
        both = err.validator_value.get("required", []) if isinstance(err.validator_value,
                                                                      dict) else []
        if len(both) == 2:  # an `excludes:` of the fact vocabulary
            return f"give either `{both[0]}` or `{both[1]}`, not both", path
        return "this combination of keys is not allowed", path
    if err.validator == "minItems":
        return f"needs at least {err.validator_value} item(s)", path
    if err.validator == "pattern":
        form = str(err.schema.get("description", "")).rstrip(".") or "the form the file needs"
        return f"{_show(err.instance)} is not in the expected form: {form[:1].lower()}" \
               f"{form[1:]}", path
    return str(err.message), path


# JSON Schema types in words.
_TYPE_WORDS: dict[str, str] = {
    "array": "a list", "object": "a mapping", "integer": "a whole number", "number": "a number",
    "string": "text", "boolean": "true or false", "null": "nothing",
}
# What a referenced part of a schema holds, in words (for "expected ... or ...").
_REF_WORDS: dict[str, str] = {
    "scalar": "a single value (text, a number, true or false)",
    "test": "an operator mapping such as {gt: 5} or {in: [a, b]}",
    "field": "a field name",
}


def _expected(alt: Any) -> str:
    if not isinstance(alt, dict):
        return str(alt)
    if "$ref" in alt:
        name = str(alt["$ref"]).rsplit("/", 1)[-1]
        return _REF_WORDS.get(name, f"a {name.replace('_', ' ')}")
    if "enum" in alt:
        return "one of: " + ", ".join(map(str, alt["enum"]))
    if "type" in alt:
        kinds = [str(k) for k in (alt["type"] if isinstance(alt["type"], list) else [alt["type"]])]
        return " or ".join(_TYPE_WORDS.get(k, k) for k in kinds)
    return str(alt.get("description", "another form"))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "null" if value is None else type(value).__name__


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _leaves(errors: Iterable[ValidationError]) -> list[ValidationError]:
    """For anyOf/oneOf failures keep the branch errors that went deepest (the likely intent)."""
    out: list[ValidationError] = []
    for err in errors:
        if err.validator in ("anyOf", "oneOf") and err.context:
            depth = max(len(e.absolute_path) for e in err.context)
            if depth > len(err.absolute_path):
                out.extend(_leaves(e for e in err.context if len(e.absolute_path) == depth))
                continue
        out.append(err)
    return out


# id of a derived schema -> (the schema, kept alive so the id stays its own; its validator)
_DERIVED: dict[int, tuple[dict[str, Any], Draft202012Validator]] = {}


def _derived_validator(derived: dict[str, Any]) -> Draft202012Validator:
    known = _DERIVED.get(id(derived))
    if known is None or known[0] is not derived:
        known = _DERIVED[id(derived)] = (derived, _strict(derived))
    return known[1]


def check(doc: Document, name: str, plain: Any = None,
          derived: dict[str, Any] | None = None) -> list[Diagnostic]:
    """Every schema problem of `doc`, located; empty when valid.

    `derived` replaces the shipped schema `name` (the athlete schema follows the vocabulary).
    """
    data = to_plain(doc.data) if plain is None else plain
    found: list[Diagnostic] = list(doc.problems)
    if surely_valid(schema(name) if derived is None else derived, data):
        return found
    seen: set[tuple[int, int, str]] = set()
    validator = _validator(name) if derived is None else _derived_validator(derived)
    for err in _leaves(validator.iter_errors(data)):
        for message, path in _messages(err):
            diag = doc.diagnostic(path, message, "schema")
            key = (diag.line, diag.column, diag.message)
            if key not in seen:
                seen.add(key)
                found.append(diag)
    return found


def load_checked(path: Path, name: str,
                 problems: list[Diagnostic]) -> tuple[Document, Any] | None:
    """Read one file and check it against schema `name`; its problems go to `problems`.

    Returns the document and its plain data when the file is valid, else None.
    """
    try:
        doc = load(path)
    except InputError as err:
        problems.extend(err.diagnostics)
        return None
    plain = to_plain(doc.data)
    found = check(doc, name, plain)
    problems.extend(found)
    return None if found else (doc, plain)
