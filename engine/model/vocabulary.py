"""The fact vocabulary (knowledge/facts.yaml): typed fact fields, and the athlete schema of them."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from negatives.engine.load.validate import schema

Scalar = str | int | float | bool

# Field type -> (JSON Schema type, the words a message uses for it).
FIELD_TYPES: dict[str, tuple[str, str]] = {
    "string": ("string", "text"), "integer": ("integer", "a whole number"),
    "number": ("number", "a number"), "boolean": ("boolean", "true or false"),
}


@dataclass(frozen=True)
class ListItems:
    """An input list whose items become facts: `injuries: [knee]` -> injury {region: knee}."""

    fact: str
    field: str
    flag: str | None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class FactSpec:
    name: str
    domains: tuple[str, ...]
    description: str
    fields: dict[str, FieldSpec]
    parameters: bool

    def matchable(self) -> dict[str, FieldSpec]:
        """Fields a rule can test (an input list becomes facts of its own, not a field)."""
        return {n: f for n, f in self.fields.items() if f.input != "list"}


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
                ListItems(items["fact"], items["field"], items.get("flag")) if items else None)
        out[name] = FactSpec(name, tuple(spec["domains"]), " ".join(spec["description"].split()),
                             fields, bool(spec.get("parameters", False)))
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


def _field_schema(field: FieldSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"type": FIELD_TYPES[field.type][0]}
    if field.enum:
        out = {"enum": list(field.enum)}
    if field.min is not None:
        out["minimum"] = field.min
    if field.max is not None:
        out["maximum"] = field.max
    if field.default is not None:
        out["default"] = field.default
    out["description"] = field.description[:1].upper() + field.description[1:] + "."
    if field.input == "list":
        out = {"type": "array", "items": {"type": FIELD_TYPES[field.type][0], "minLength": 1},
               "description": out["description"]}
    return out


def athlete_schema(facts: dict[str, FactSpec]) -> dict[str, Any]:
    """The athlete file's JSON Schema: the shipped skeleton plus every `input:` athlete field."""
    out = copy.deepcopy(schema("athlete"))
    spec = facts.get("athlete")
    if spec is None:
        return out
    props: dict[str, Any] = {}
    required: list[str] = []
    for name, field in spec.fields.items():
        if field.input is None:
            continue
        props[name] = _field_schema(field)
        if field.input == "required":
            required.append(name)
    out["properties"] = {**props, **out["properties"]}
    out["required"] = [*required, *out.get("required", [])]
    return out
