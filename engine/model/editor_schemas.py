"""Schemas for editors: every JSON Schema, with the knowledge base's names where files use them."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from negatives.engine.load.records import record
from negatives.engine.load.validate import SCHEMA_NAMES, schema
from negatives.engine.model.knowledge import Knowledge

NOTE = ("One of the knowledge base's names or aliases, as it spells them (negatives itself also "
        "accepts other capitals, spaces, dashes and underscores).")


@record
class NameField:
    """Where a file names an exercise or lift: a path into the base schema, and how it is named."""

    path: tuple[str, ...]
    names: Callable[[Knowledge], list[str]]
    as_keys: bool = False  # the names are the keys of an object, not a string value


# The fields whose values an editor should complete from the knowledge base, by schema.
NAME_FIELDS: dict[str, tuple[NameField, ...]] = {
    "athlete": (
        NameField(("$defs", "lift", "properties", "name"), Knowledge.lift_names),
        NameField(("properties", "one_rep_max"), Knowledge.exercise_names, as_keys=True),
        NameField(("properties", "injuries", "items"), Knowledge.region_names),
    ),
    "program": (
        NameField(("$defs", "entry", "properties", "exercise"), Knowledge.exercise_names),
        NameField(("$defs", "entry", "properties", "eccentric"), Knowledge.exercise_names),
    ),
}


def _node(tree: dict[str, Any], name: str, path: tuple[str, ...]) -> dict[str, Any]:
    node = tree
    for i, key in enumerate(path):
        if not isinstance(node.get(key), dict):
            raise KeyError(f"the {name} schema has no {'/'.join(path[:i + 1])}; "
                           f"update NAME_FIELDS in {__name__}")
        node = node[key]
    return node


def editor_schema(name: str, kb: Knowledge) -> dict[str, Any]:
    """Schema `name` as validate.py has it, its exercise and lift fields listing `kb`'s names."""
    # The input files' keys come from the fact vocabulary (knowledge/facts.yaml).
    derived = {spec.file[0] for spec in kb.facts.values() if spec.file}
    out = copy.deepcopy(kb.file_schema(name) if name in derived else schema(name))
    for spot in NAME_FIELDS.get(name, ()):
        node = _node(out, name, spot.path)
        listed = {"enum": spot.names(kb)}
        if spot.as_keys:
            node["propertyNames"] = listed
        else:
            node.update(listed)
        node["description"] = f"{node.get('description', '')} {NOTE}".strip()
    return out


def schema_file(name: str) -> str:
    return f"{name}.schema.json"


def write_schemas(folder: Path, kb: Knowledge, names: tuple[str, ...] = SCHEMA_NAMES,
                  ) -> list[Path]:
    """Write the editor schema of each name into `folder` (created); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        path = folder / schema_file(name)
        text = json.dumps(editor_schema(name, kb), indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


MODELINE = "# yaml-language-server: $schema="
# Where each kind of file lives in a folder `negatives init` made, as editor globs (the athlete and
# program folders are suggestions: files elsewhere take a $schema line).
GLOBS: dict[str, list[str]] = {
    "rule": ["rules/**/*.yaml", "!rules/**/*.test.yaml"],
    "ruletest": ["rules/**/*.test.yaml"],
    "knowledge": ["knowledge/*.yaml"],
    "athlete": ["athletes/**/*.yaml"],
    "program": ["programs/**/*.yaml"],
}


def kind_of(relative: Path) -> str | None:
    """The schema of a rules or knowledge file, by its path inside the copy."""
    top = relative.parts[0] if relative.parts else ""
    if top == "rules":
        return "ruletest" if relative.name.endswith(".test.yaml") else "rule"
    return "knowledge" if top == "knowledge" else None


def with_modeline(text: str, target: str) -> str:
    """`text` whose yaml-language-server line points at `target`: the line replaced where it is,
    else added at the end (so no other line moves and every file:line stays true)."""
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.startswith(MODELINE)]
    if found:
        for i in found:
            lines[i] = f"{MODELINE}{target}\n"
        return "".join(lines)
    end = "" if not text or text.endswith("\n") else "\n"
    return f"{text}{end}{MODELINE}{target}\n"


def point_at_schemas(root: Path, schemas: Path) -> None:
    """Give every rules and knowledge file under `root` a $schema line to its schema in `schemas`,
    and write `.vscode/settings.json` with `yaml.schemas` globs for the same files."""
    for path in sorted(root.rglob("*.yaml")):
        kind = kind_of(path.relative_to(root))
        if kind is None:
            continue
        target = Path(*[".."] * (len(path.relative_to(root).parts) - 1),
                      schemas.relative_to(root), schema_file(kind))
        text = path.read_text(encoding="utf-8")
        path.write_text(with_modeline(text, target.as_posix()), encoding="utf-8")
    settings = {"yaml.schemas": {
        f"./{(schemas.relative_to(root) / schema_file(kind)).as_posix()}": globs
        for kind, globs in GLOBS.items()}}
    (root / ".vscode").mkdir(exist_ok=True)
    (root / ".vscode" / "settings.json").write_text(json.dumps(settings, indent=2) + "\n",
                                                    encoding="utf-8")
