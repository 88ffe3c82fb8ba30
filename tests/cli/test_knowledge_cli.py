"""`negatives knowledge`: browse exercises, lifts, pairings and methods as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from negatives.cli.main import cli
from negatives.engine.infer.workspace import shipped
from negatives.engine.model.kbread import load_knowledge
from tests.cli.corpus import compare_golden, updating

KINDS = ["exercises", "lifts", "pairings", "methods"]
ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "knowledge-listing"
# Exact text of a few listings (NEGATIVES_UPDATE_GOLDEN=1 rewrites them; review the diff).
GOLDEN_CASES = {"pairings-hip-thrust": ["pairings", "hip", "thrust"],
                "lifts-squat": ["lifts", "squat"],
                "exercises-reverse-curl": ["exercises", "reverse", "curl"]}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["knowledge", *args], prog_name="negatives")


def listing(kind: str, *words: str) -> list[dict[str, Any]]:
    result = run(kind, *words, "--format", "json")
    assert result.exit_code == 0, result.stderr
    items: list[dict[str, Any]] = json.loads(result.stdout)[kind]
    return items


@pytest.mark.parametrize("kind", KINDS)
def test_json_lists_every_entry_with_its_source(kind: str) -> None:
    kb = load_knowledge(shipped("knowledge"))
    items = listing(kind)
    assert len(items) == len(getattr(kb, kind)) > 0
    for item in items:
        assert item["name"]
        assert item["source"]["id"] in kb.sources
        assert item["source"].get("quote") or item["source"].get("note")


def test_exercises_give_aliases_muscles_and_equipment() -> None:
    by_name = {i["name"]: i for i in listing("exercises")}
    press = by_name["dumbbell close-grip chest press"]
    assert "db close-grip chest press" in press["aliases"]
    assert press["equipment"] == ["dumbbells", "bench"]
    assert any("pectoralis" in m for m in press["muscles"])


def test_text_names_each_entry_with_aliases_and_source() -> None:
    result = run("exercises", "squeeze")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("dumbbell close-grip chest press (also: db close-grip chest press")
    assert any(line.startswith("  muscles: ") for line in lines)
    assert any(line.startswith("  source: angelino-ael: “") for line in lines)
    total = len(load_knowledge(shipped("knowledge")).exercises)
    assert lines[-1] == f"1 of {total} exercises"


def test_words_filter_by_name_alias_muscle_or_equipment() -> None:
    assert {i["name"] for i in listing("exercises", "db", "squeeze")} == {
        "dumbbell close-grip chest press"}
    assert all("smith machine" in i["equipment"] for i in listing("exercises", "smith"))
    assert listing("exercises", "no-such-thing") == []
    pairings = listing("pairings", "hip thrust")
    assert pairings and all("hip thrust" in p["concentric"] for p in pairings)


def test_methods_give_their_parameters() -> None:
    (ael,) = listing("methods", "accentuated")
    assert ael["parameters"]["start_percent_1rm"]["value"] == 105
    text = run("methods", "accentuated").stdout
    assert "  parameters:\n" in text and "    start_percent_1rm: 105" in text


def test_an_unknown_kind_names_the_valid_ones() -> None:
    result = run("exercise")
    assert result.exit_code == 2
    assert "exercises" in result.stderr and "pairings" in result.stderr


def test_did_you_mean_hints_point_here() -> None:
    result = CliRunner().invoke(cli, ["advise", "-"], input=(
        "name: J\nexperience: novice\nunits: kg\nrecovery: normal\ncycle_week: 1\n"
        "partner: true\nlifts: [{name: bench pres, stalled: true}]\n"))
    assert result.exit_code == 2
    assert "see `negatives knowledge lifts`" in result.stderr


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_text_golden(case: str) -> None:
    result = run(*GOLDEN_CASES[case])
    assert result.exit_code == 0 and result.stderr == ""
    compare_golden(GOLDEN / f"{case}.txt", result.stdout, updating())
