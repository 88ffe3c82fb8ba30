"""Editor schemas: `schema --write`, and an `init` copy whose $schema lines and settings resolve."""

from __future__ import annotations

import fnmatch
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from negatives.cli.main import cli
from negatives.engine.infer.workspace import shipped
from negatives.engine.load.validate import SCHEMA_NAMES
from negatives.engine.load.yamlio import load, to_plain
from negatives.engine.model.editor_schemas import (
    MODELINE,
    NAME_FIELDS,
    editor_schema,
    with_modeline,
)
from negatives.engine.model.kbread import load_knowledge
from negatives.engine.model.knowledge import Knowledge
from tests.conftest import EXAMPLES, ROOT

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@functools.cache
def validator(path: Path) -> Draft202012Validator:
    tree = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(tree)
    return Draft202012Validator(tree)


@functools.cache
def errors(schema_path: Path, file: Path) -> list[str]:
    data = to_plain(load(file).data)
    return [e.message for e in validator(schema_path).iter_errors(data)]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(shipped("knowledge"))


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "mine"
    done = invoke("init", str(folder))
    assert done.exit_code == 0, done.output
    return folder


def test_write_writes_every_schema(tmp_path: Path) -> None:
    done = invoke("schema", "--write", str(tmp_path / "out"))
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{name}.schema.json" for name in SCHEMA_NAMES)
    for path in (tmp_path / "out").iterdir():
        validator(path)


def test_athlete_and_program_schemas_list_the_knowledge_names(kb: Knowledge) -> None:
    athlete = json.loads(invoke("schema", "athlete").output)
    lift = athlete["$defs"]["lift"]["properties"]["name"]
    assert lift["enum"] == kb.lift_names()
    assert {"bench press", "bench", "ohp"} <= set(lift["enum"])
    keys = athlete["properties"]["one_rep_max"]["propertyNames"]["enum"]
    assert "dumbbell close-grip chest press" in keys
    program = editor_schema("program", kb)
    entry = program["$defs"]["entry"]["properties"]
    assert entry["exercise"]["enum"] == entry["eccentric"]["enum"] == kb.exercise_names()


def test_the_names_come_from_the_knowledge_in_use(copy: Path, tmp_path: Path) -> None:
    lifts = copy / "knowledge" / "lifts.yaml"
    original = lifts.read_text(encoding="utf-8")
    try:
        lifts.write_text(original.replace("[bench, ", "[benchy, "), encoding="utf-8")
        done = invoke("schema", "athlete", "--knowledge", str(copy / "knowledge"))
    finally:
        lifts.write_text(original, encoding="utf-8")
    names = json.loads(done.output)["$defs"]["lift"]["properties"]["name"]["enum"]
    assert "benchy" in names and "bench" not in names


def test_editor_schemas_still_validate_the_examples(copy: Path) -> None:
    tmp_path = copy / "schemas"
    for example in sorted(EXAMPLES.glob("*.yaml")):
        assert errors(tmp_path / "athlete.schema.json", example) == [], example
    program = ROOT / "tests" / "fixtures" / "programs" / "valid" / "upper-lower-12-weeks.yaml"
    assert errors(tmp_path / "program.schema.json", program) == []


def test_an_editor_schema_flags_an_unknown_name(copy: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((EXAMPLES / "alex.yaml").read_text(encoding="utf-8").replace(
        "bench press", "bench pres"), encoding="utf-8")
    assert any("bench pres" in e for e in errors(copy / "schemas" / "athlete.schema.json", bad))


def test_every_schema_line_in_an_init_copy_resolves_and_validates(copy: Path) -> None:
    files = sorted([*(copy / "rules").rglob("*.yaml"), *(copy / "knowledge").rglob("*.yaml")])
    assert len(files) > 10
    for file in files:
        lines = SCHEMA_LINE.findall(file.read_text(encoding="utf-8"))
        assert len(lines) == 1, file
        target = (file.parent / lines[0]).resolve()
        assert target.is_file() and target.parent == (copy / "schemas").resolve(), file
        assert errors(target, file) == [], file


def test_the_vscode_settings_resolve_and_validate(copy: Path) -> None:
    settings = json.loads((copy / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped: set[str] = set()
    for schema_path, globs in settings["yaml.schemas"].items():
        target = copy / schema_path
        assert target.is_file(), schema_path
        wanted = [g for g in globs if not g.startswith("!")]
        unwanted = [g[1:] for g in globs if g.startswith("!")]
        for file in sorted(copy.rglob("*.yaml")):
            rel = file.relative_to(copy).as_posix()
            if any(fnmatch.fnmatch(rel, g) for g in wanted) and not any(
                    fnmatch.fnmatch(rel, g) for g in unwanted):
                assert errors(target, file) == [], (schema_path, rel)
                mapped.add(rel)
    assert {p.relative_to(copy).as_posix() for p in copy.rglob("*.yaml")} <= mapped


def test_shipped_rules_and_knowledge_carry_schema_lines_that_resolve() -> None:
    for file in sorted([*shipped("rules").rglob("*.yaml"), *shipped("knowledge").rglob("*.yaml")]):
        (line,) = SCHEMA_LINE.findall(file.read_text(encoding="utf-8"))
        assert (file.parent / line).resolve().is_file(), file


def test_a_modeline_is_replaced_in_place_or_added_at_the_end() -> None:
    assert with_modeline("a: 1\n", "s.json") == f"a: 1\n{MODELINE}s.json\n"
    assert with_modeline("a: 1", "s.json") == f"a: 1\n{MODELINE}s.json\n"
    assert with_modeline(f"{MODELINE}old.json\na: 1\n", "s.json") == f"{MODELINE}s.json\na: 1\n"


def test_every_name_field_is_in_its_base_schema(kb: Knowledge) -> None:
    for name, spots in NAME_FIELDS.items():
        tree = editor_schema(name, kb)  # a path the base schema lacks raises KeyError
        assert len(json.dumps(tree)) > len(json.dumps(editor_schema("rule", kb))) / 10
        assert spots
