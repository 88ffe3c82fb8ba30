"""Fuzzing the loaders with YAML-shaped text: every input is loaded or refused with a location.

Hypothesis builds documents from YAML's own pieces (keys of every file kind, indentation, flow
collections, anchors, aliases, tags, quotes), which reach far more of the loaders than random
characters do. Each test runs a bounded number of examples, so CI time stays fixed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from negatives.engine.language.rules import load_rules
from negatives.engine.load.errors import InputError
from negatives.engine.load.validate import SCHEMA_NAMES, check
from negatives.engine.load.yamlio import parse_text
from negatives.engine.model.kbread import load_knowledge
from negatives.engine.model.program import program_from_doc
from tests.conftest import budget
from tests.engine.test_properties import KB

PIECES = [
    "\n", "\n  ", "\n    ", "\n- ", "  - ", ": ", ", ", "{", "}", "[", "]", "'", '"', "#", "&a ",
    "*a", "!!python/object:os.system ", "!!str ", "<<: *a", "~", "null", "true", "-1", "0",
    "1e308", ".nan", "3.5", "2.5", "x", "name", "rules", "when", "then", "fact", "where", "id",
    "title", "priority", "because", "source", "quote", "note", "athlete", "experience",
    "novice", "lifts", "bench press", "units", "kg", "weeks", "week", "days", "day",
    "exercises", "exercise", "sets", "reps", "method", "accentuated-eccentric", "percent_1rm",
    "block", "warn", "message", "gt", "any", "not", "repeat", "methods", "parameters", "value",
    "min", "max", "pairings", "sources", "defaults", "settings", "\t", "\x00", "\u2019",
]
DOCS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
FUZZ = settings(max_examples=budget(200, 50), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def located(err: InputError, file: str) -> None:
    assert err.diagnostics
    for d in err.diagnostics:
        assert d.file.endswith(file) and d.line >= 1 and d.column >= 1, d.render()
        assert d.message and "Traceback" not in d.message


@FUZZ
@given(DOCS, st.sampled_from(sorted(SCHEMA_NAMES)))
def test_parse_and_check_never_crash(text: str, name: str) -> None:
    try:
        doc = parse_text(text, "fuzz.yaml")
        problems = check(doc, name)
    except InputError as err:
        located(err, "fuzz.yaml")
        return
    for d in problems:
        assert d.line >= 1 and d.column >= 1, d.render()


@FUZZ
@given(DOCS)
@example("&a \n- &a ")  # a redefined anchor: ruamel's warning once escaped as an exception
def test_program_loader_never_crashes(text: str) -> None:
    try:
        program_from_doc(parse_text(text, "program.yaml"), KB)
    except InputError as err:
        located(err, "program.yaml")


@settings(max_examples=budget(60, 15), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_rule_and_knowledge_loaders_never_crash(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "fuzz.yaml").write_text(text, encoding="utf-8")
        try:
            load_rules(folder, "advise", KB)
        except InputError as err:
            located(err, "fuzz.yaml")
        try:
            load_knowledge(folder)
        except InputError as err:
            located(err, "fuzz.yaml")
    assert not os.path.exists("os.system")  # a tag never runs anything
