"""One truth: the audit of what `plan` writes finds no error and no warning, for every athlete."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from bench.population import population
from negatives.engine.advice.planfile import plan_file
from negatives.engine.audit.audit import Finding, audit
from negatives.engine.infer.workspace import Workspace, knowledge_dir, open_workspace
from negatives.engine.load.errors import InputError
from negatives.engine.load.yamlio import dump, parse_text
from negatives.engine.model.athlete import parse_athlete
from negatives.engine.model.program import program_from_doc
from tests.conftest import budget
from tests.engine.test_properties import athletes

CI = os.environ.get("CI") == "true"
ADVISE = open_workspace("advise")
AUDIT = open_workspace("audit")
KB = ADVISE.kb
PROFILE = settings(max_examples=budget(100, 25), deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])
ORDINARY = sorted(e.name for e in KB.exercises.values())
ROOT = Path(__file__).resolve().parents[2]


def problems(athlete: dict[str, Any], program: str | None = None,
             advise_ws: Workspace = ADVISE, audit_ws: Workspace = AUDIT) -> list[Finding]:
    """The errors and warnings the audit finds in what `plan` writes for `athlete`."""
    parsed = parse_athlete(dump(athlete), "athlete.yaml", advise_ws.kb)
    doc = parse_text(program, "program.yaml") if program is not None else None
    _, written = plan_file(parsed, advise_ws, doc)
    if written.text is None:
        assert program is None
        return []
    plan = program_from_doc(parse_text(written.text, "plan.yaml"), audit_ws.kb)
    return [f for f in audit(plan, audit_ws, parsed)
            if f.severity in ("error", "warning") and f.suppressed is None]


@st.composite
def programs(draw: st.DrawFn, units: str) -> str:
    """An ordinary program (no negative work yet): 1-6 days, weeks as `repeat:` runs."""
    days = []
    for d in range(draw(st.integers(1, 6))):
        work = [{"exercise": draw(st.sampled_from(ORDINARY)), "sets": draw(st.integers(1, 6)),
                 "reps": draw(st.integers(1, 15))} for _ in range(draw(st.integers(1, 5)))]
        for w in work:
            if draw(st.booleans()):
                w["role"] = draw(st.sampled_from(["main", "accessory"]))
        days.append({"day": f"Day {d + 1}", "exercises": work})
    week, weeks = draw(st.integers(1, 3)), []
    for repeat in draw(st.lists(st.integers(1, 5), min_size=1, max_size=4)):
        weeks.append({"week": week, "repeat": repeat, "days": days})
        week += repeat
    return "# my program\n" + dump({"name": "Mine", "units": units, "weeks": weeks})


@PROFILE
@given(athletes())
def test_audit_of_a_standalone_plan_is_clean(athlete: dict[str, Any]) -> None:
    assert problems(athlete) == []


@PROFILE
@given(st.data())
def test_audit_of_a_plan_inside_a_program_is_clean(data: st.DataObject) -> None:
    athlete = data.draw(athletes())
    program = data.draw(programs(athlete["units"]))
    assert problems(athlete, program) == []


def test_audit_of_plans_for_the_bench_population_is_clean() -> None:
    people = population(300 if CI else 40, sorted(KB.lifts), seed=11)
    found = {a["name"]: problems(a) for a in people}
    assert {k: v for k, v in found.items() if v} == {}


def _bounds(params: dict[str, Any], name: str) -> tuple[float, float]:
    """A parameter's min and max, narrowed by the order its siblings demand."""
    p = params[name]
    low, high = float(p["min"]), float(p["max"])
    if p.get("at_least"):
        low = max(low, float(params[p["at_least"]]["value"]))
    if p.get("at_most"):
        high = min(high, float(params[p["at_most"]]["value"]))
    for other in params.values():
        if other.get("at_least") == name:
            high = min(high, float(other["value"]))
        if other.get("at_most") == name:
            low = max(low, float(other["value"]))
    return low, high


def _edits() -> list[tuple[str, str, float]]:
    """(method, parameter, value): every numeric parameter at both ends of its range."""
    yaml = YAML(typ="safe")
    methods = yaml.load((knowledge_dir(None) / "methods.yaml").read_text("utf-8"))["methods"]
    out = []
    for m in methods:
        for name, p in m["parameters"].items():
            if "min" in p and "max" in p:
                low, high = _bounds(m["parameters"], name)
                out += [(m["id"], name, low), (m["id"], name, high)]
    return out


EDITS = _edits()
CHOSEN = EDITS if CI else random.Random(5).sample(EDITS, 4)


@pytest.mark.parametrize(("method", "parameter", "value"), CHOSEN)
def test_audit_of_plans_is_clean_with_an_edited_parameter(
        tmp_path: Path, method: str, parameter: str, value: float) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(None), folder)
    yaml = YAML()
    path = folder / "methods.yaml"
    data = yaml.load(path.read_text("utf-8"))
    entry = next(m for m in data["methods"] if m["id"] == method)
    entry["parameters"][parameter]["value"] = value
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    try:
        advise_ws = open_workspace("advise", knowledge=folder)
        audit_ws = open_workspace("audit", knowledge=folder)
    except InputError as err:  # an edit the knowledge base refuses gives no advice at all
        pytest.fail(f"a value within the bounds was refused: {err.diagnostics}")
    people = population(20 if CI else 12, sorted(KB.lifts), seed=3)
    examples = [YAML(typ="safe").load(p.read_text("utf-8"))
                for p in sorted((ROOT / "examples").glob("*.yaml"))]
    found = {a.get("name", "?"): problems(a, None, advise_ws, audit_ws)
             for a in [*examples, *people]}
    assert {k: v for k, v in found.items() if v} == {}
