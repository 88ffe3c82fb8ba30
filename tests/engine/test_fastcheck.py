"""The quick schema check never passes a file jsonschema rejects, and passes the good files."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negatives.engine.infer.workspace import shipped
from negatives.engine.load.errors import InputError
from negatives.engine.load.fastcheck import surely_valid
from negatives.engine.load.validate import _derived_validator as _derived
from negatives.engine.load.validate import _validator, schema
from negatives.engine.load.yamlio import load, to_plain
from negatives.engine.model.kbread import load_knowledge
from tests.conftest import EXAMPLES, ROOT, budget

FIXTURES = ROOT / "tests" / "fixtures"


def _plain(path: Path) -> Any:
    try:
        return to_plain(load(path).data)
    except InputError:
        return None


def _files() -> list[tuple[str, Path]]:
    out = [("athlete", p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    out += [("athlete", p) for p in sorted((FIXTURES / "athletes").rglob("*.yaml"))]
    out += [("program", p) for p in sorted((FIXTURES / "programs").rglob("*.yaml"))]
    out += [("rule", p) for p in sorted((ROOT / "rules").rglob("*.yaml"))
            if not p.name.endswith(".test.yaml")]
    out += [("ruletest", p) for p in sorted((ROOT / "rules").rglob("*.test.yaml"))]
    out += [("knowledge", p) for p in sorted((ROOT / "knowledge").glob("*.yaml"))]
    return out


FILES = _files()
BUDGET = settings(max_examples=budget(600, 150), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])


@cache
def _schema(name: str) -> dict[str, Any]:
    """The schema a file of kind `name` is checked against (input files: from the vocabulary)."""
    kb = load_knowledge(shipped("knowledge"))
    return kb.file_schema(name) if name in ("athlete", "program") else schema(name)


@cache
def _strict(name: str) -> Any:
    return _validator(name) if _schema(name) is schema(name) else _derived(_schema(name))


@cache
def _valid() -> list[tuple[str, Any]]:
    """The fixture files jsonschema accepts, parsed when a test first needs them."""
    return [(name, data) for name, path in FILES
            if (data := _plain(path)) is not None and _strict(name).is_valid(data)]


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000),
                    st.floats(-5, 3000, allow_nan=False), st.text(max_size=6),
                    st.sampled_from(["kg", "lb", "novice", "bench press", "", "x" * 300]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)


@pytest.mark.parametrize(("name", "path"), FILES, ids=lambda x: getattr(x, "name", ""))
def test_agrees_with_jsonschema_on_every_file(name: str, path: Path) -> None:
    data = _plain(path)
    if data is None:
        pytest.skip("not YAML the loader reads (a syntax-error fixture)")
    valid = _strict(name).is_valid(data)
    assert surely_valid(_schema(name), data) == valid  # never unsure on the shipped schemas


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _nodes(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _nodes(v, (*path, i))
    return out


@st.composite
def mutants(draw: st.DrawFn) -> tuple[str, Any]:
    name, data = draw(st.sampled_from(_valid()))
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_nodes(data)))
        if not path:
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(VALUES)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(VALUES)
    return name, data


@BUDGET
@given(mutants())
def test_never_valid_when_jsonschema_says_invalid(case: tuple[str, Any]) -> None:
    name, data = case
    if surely_valid(_schema(name), data):
        assert _strict(name).is_valid(data)


def test_the_usual_advise_run_does_not_import_jsonschema() -> None:
    import subprocess
    import sys

    code = ("import sys, runpy; sys.argv = ['negatives', 'advise', 'examples/alex.yaml'];"
            "\ntry:\n    runpy.run_module('negatives', run_name='__main__')\n"
            "except SystemExit:\n    pass\nprint('jsonschema' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
