"""The fact vocabulary (knowledge/facts.yaml): typed fact fields, and the input files' schemas.

A fact type with `file: {schema, node}` describes one part of an input file (the athlete file,
or a program's weeks, days and exercise entries): its `input:` fields are that part's keys, and
the file's JSON Schema is the shipped skeleton (the nesting of lists and mappings) filled with
them. Adding a key to an input file is an edit of knowledge/facts.yaml.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from negatives.engine.load.records import record
from negatives.engine.load.validate import did_you_mean, schema

Scalar = str | int | float | bool

# Field type -> (JSON Schema type, the words a message uses for it).
FIELD_TYPES: dict[str, tuple[str, str]] = {
    "string": ("string", "text"), "integer": ("integer", "a whole number"),
    "number": ("number", "a number"), "boolean": ("boolean", "true or false"),
}


@record
class ListItems:
    """An input list whose items become facts: `injuries: [knee]` -> injury {region: knee}."""

    fact: str
    field: str
    flag: str | None


@record
class FieldSpec:
    name: str
    type: str
    description: str
    enum: tuple[Scalar, ...] = ()
    names: str | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    input: str | None = None
    default: Scalar | None = None
    items: ListItems | None = None
    match: bool = True  # False: a key of the input file only; the engine derives fields from it
    pattern: str | None = None  # the form of an input text (its description says it in words)
    min_length: int | None = None
    input_max: float | None = None  # the input file's bound, when narrower than the fact's
    required_when: tuple[tuple[str, Scalar], ...] = ()  # required when these fields hold these
    excludes: tuple[str, ...] = ()  # input keys that cannot be given beside this one
    listed: bool = False  # the file's schema lists the names of `names:` as the only values

    def words(self) -> str:
        """What the field holds, in words: `a whole number from 1 to 52 (weeks)`."""
        text = FIELD_TYPES[self.type][1]
        if self.enum:
            return "one of: " + ", ".join(map(str, self.enum))
        if self.min is not None and self.max is not None:
            text += f" from {_num(self.min)} to {_num(self.max)}"
        elif self.min is not None:
            text += f" of at least {_num(self.min)}"
        elif self.max is not None:
            text += f" of at most {_num(self.max)}"
        return text + (f" ({self.unit})" if self.unit else "")


@record
class FactSpec:
    name: str
    domains: tuple[str, ...]
    description: str
    fields: dict[str, FieldSpec]
    parameters: bool
    file: tuple[str, str] | None = None  # (schema name, node: "" for the root, else a $defs name)

    def matchable(self) -> dict[str, FieldSpec]:
        """Fields a rule can test (an input list becomes facts of its own, not a field)."""
        return {n: f for n, f in self.fields.items() if f.input != "list" and f.match}

    def inputs(self) -> dict[str, FieldSpec]:
        """The keys of its part of the input file."""
        return {n: f for n, f in self.fields.items() if f.input is not None}

    def as_written(self, raw: dict[str, Any], read: frozenset[str]) -> dict[str, Any]:
        """The input keys of `raw` a rule can test, as written, but those in `read` (the reader
        turns them into fields itself): a key added to the vocabulary reaches the facts."""
        return {k: raw[k] for k, f in self.inputs().items() if f.match and k not in read
                and k in raw}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def build_facts(raw: dict[str, Any]) -> dict[str, FactSpec]:
    """The `facts:` section (schema-checked) as typed specs."""
    out: dict[str, FactSpec] = {}
    for name, spec in raw.items():
        fields = {}
        for fname, f in spec["fields"].items():
            items = f.get("items")
            fields[fname] = FieldSpec(
                fname, f["type"], " ".join(str(f["description"]).split()),
                tuple(f.get("enum", ())), f.get("names"), f.get("min"), f.get("max"),
                f.get("unit"), f.get("input"), f.get("default"),
                ListItems(items["fact"], items["field"], items.get("flag")) if items else None,
                bool(f.get("match", True)), f.get("pattern"), f.get("min_length"),
                f.get("input_max"), tuple(f.get("required_when", {}).items()),
                tuple(f.get("excludes", ())), bool(f.get("listed", False)))
        where = spec.get("file")
        out[name] = FactSpec(name, tuple(spec["domains"]), " ".join(spec["description"].split()),
                             fields, bool(spec.get("parameters", False)),
                             (where["schema"], where.get("node", "")) if where else None)
    return out


def value_type(value: Any) -> str:
    """The vocabulary type of a literal value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


def fits(field: FieldSpec, value: Any) -> bool:
    """Is the literal of the right type for the field (an integer is a number too)?"""
    kind = value_type(value)
    return kind == field.type or (field.type == "number" and kind == "integer") or \
        (field.type == "integer" and kind == "number" and float(value).is_integer())


def _field_schema(field: FieldSpec, names: Callable[[str], list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": FIELD_TYPES[field.type][0]}
    if field.enum:
        out = {"enum": list(field.enum)}
    elif field.listed and field.names:
        out = {"enum": names(field.names)}
    if field.min is not None:
        out["minimum"] = field.min
    high = field.input_max if field.input_max is not None else field.max
    if high is not None:
        out["maximum"] = high
    if field.min_length is not None:
        out["minLength"] = field.min_length
    if field.pattern is not None:
        out["pattern"] = field.pattern
    if field.default is not None:
        out["default"] = field.default
    out["description"] = field.description[:1].upper() + field.description[1:] + "."
    if field.input == "list":
        out = {"type": "array", "items": {"type": FIELD_TYPES[field.type][0], "minLength": 1},
               "description": out["description"]}
    return out


def file_schema(name: str, facts: dict[str, FactSpec],
                names: Callable[[str], list[str]]) -> dict[str, Any]:
    """Input file `name`'s JSON Schema: the shipped skeleton, each part filled from its fact.

    A part's own keys come first, then the skeleton's (its nested lists); `required_when` and
    `excludes` become the part's conditions. `names` lists a knowledge collection's names.
    """
    out = copy.deepcopy(schema(name))
    for spec in facts.values():
        if spec.file is None or spec.file[0] != name:
            continue
        node = out if not spec.file[1] else out.setdefault("$defs", {}).setdefault(
            spec.file[1], {"type": "object", "additionalProperties": False})
        props = {key: _field_schema(f, names) for key, f in spec.inputs().items()}
        required = [key for key, f in spec.inputs().items() if f.input == "required"]
        node["properties"] = {**props, **node.get("properties", {})}
        if required or node.get("required"):
            node["required"] = [*required, *node.get("required", [])]
        conditions = _conditions(spec)
        if conditions:
            node["allOf"] = [*conditions, *node.get("allOf", [])]
    return out


def _conditions(spec: FactSpec) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key, f in spec.inputs().items():
        for other, value in f.required_when:
            out.append({"if": {"properties": {other: {"const": value}}, "required": [other]},
                        "then": {"required": [key]}})
    for key, f in spec.inputs().items():
        out += [{"not": {"required": [key, other]}} for other in f.excludes]
    return out


def athlete_schema(facts: dict[str, FactSpec],
                   names: Callable[[str], list[str]] = lambda _: []) -> dict[str, Any]:
    """The athlete file's JSON Schema (the athlete fact describes the file's top level)."""
    return file_schema("athlete", facts, names)


def vocabulary_problems(raw: dict[str, Any],
                        names: Callable[[str], list[str]]) -> list[tuple[tuple[str, ...], str]]:
    """What a coach can get wrong in the input-file keys of a `facts:` section (schema-checked).

    Each problem is (the path under `facts:`, a message). `names` lists a knowledge collection.
    """
    out: list[tuple[tuple[str, ...], str]] = []
    parts: dict[str, set[str]] = {}
    for fact, spec in raw.items():
        fields: dict[str, Any] = spec["fields"]
        inputs = [n for n, f in fields.items() if "input" in f]
        where = spec.get("file")
        if where:
            node = where.get("node", "")
            skeleton = schema(where["schema"]).get("$defs", {})
            if node and node not in skeleton:
                out.append(((fact, "file", "node"), f"the {where['schema']} file has no part "
                            f"'{node}'{did_you_mean(node, skeleton)}; its parts: "
                            f"{', '.join(skeleton) or 'only the top level'}"))
            parts.setdefault(where["schema"], set()).add(node)
        elif inputs:
            out.append(((fact, "fields", inputs[0], "input"), f"fact '{fact}' has input keys "
                        "but no `file:` naming the input file they belong to (for example "
                        "`file: {schema: program, node: entry}`)"))
        for name, f in fields.items():
            at = (fact, "fields", name)
            for key in ("match", "pattern", "min_length", "input_max", "required_when",
                        "excludes", "listed"):
                if key in f and "input" not in f:
                    out.append(((*at, key), f"`{key}` is for input keys; add `input: optional`"
                                " or `input: required` to field '{name}'"))
            for other, value in f.get("required_when", {}).items():
                if other not in inputs:
                    out.append(((*at, "required_when", other), f"unknown input key "
                                f"'{other}'{did_you_mean(other, inputs)}; the keys of this "
                                f"part: {', '.join(inputs)}"))
                    continue
                allowed = _allowed(fields[other], names)
                if allowed is not None and value not in allowed:
                    out.append(((*at, "required_when", other), f"'{other}' is never "
                                f"{value!r}{did_you_mean(str(value), map(str, allowed))}, so "
                                f"'{name}' is never required; allowed: "
                                f"{', '.join(map(str, allowed))}"))
            for i, other in enumerate(f.get("excludes", ())):
                if other not in inputs or other == name:
                    out.append(((*at, "excludes", str(i)), f"'{other}' is not another input "
                                f"key of this part{did_you_mean(other, inputs)}; the keys: "
                                f"{', '.join(inputs)}"))
            if "pattern" in f:
                try:
                    re.compile(str(f["pattern"]))
                except re.error as err:
                    out.append(((*at, "pattern"), f"not a valid regular expression: {err}"))
            if f.get("listed") and not f.get("names"):
                out.append(((*at, "listed"), "`listed: true` needs `names:` (the collection "
                            "whose names the file's schema lists)"))
    for file, nodes in parts.items():
        missing = [n for n in schema(file).get("$defs", {}) if n not in nodes]
        if missing:
            out.append(((), f"no fact type describes the {file} file's part(s) "
                        f"{', '.join(missing)}: every key there would be unknown; add "
                        f"`file: {{schema: {file}, node: {missing[0]}}}` to the fact type "
                        "that holds them"))
    return out


def _allowed(field: dict[str, Any], names: Callable[[str], list[str]]) -> list[Any] | None:
    if "enum" in field:
        return list(field["enum"])
    if field.get("names"):
        return names(str(field["names"]))
    return None
