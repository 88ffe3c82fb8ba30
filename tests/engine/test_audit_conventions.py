"""Suppressions, selection, config and units on plain inputs (no rule engine), with properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negatives.engine.audit.finding import Finding
from negatives.engine.audit.select import Selection, is_selected
from negatives.engine.audit.suppress import (
    INVALID_SUPPRESSION,
    UNUSED_SUPPRESSION,
    apply_suppressions,
)
from negatives.engine.infer.workspace import Workspace
from negatives.engine.load.config import find_config
from negatives.engine.model.units import convert

RULES = ("rule-a", "rule-b")
SUPPRESSION_RULES = (UNUSED_SUPPRESSION, INVALID_SUPPRESSION)
# A line of a program: content, content with a trailing comment, a comment alone, or blank.
COMMENTS = st.sampled_from(["# negatives: ignore[rule-a]", "# negatives: ignore[rule-b] -- ok",
                            "# negatives: ignore[rule-a, rule-b]", "# negatives: ignore",
                            "# negatives: ignore[]", "# negatives: whatever",
                            "# negatives: ignore-file[rule-b]"])
LINES = st.one_of(st.just("  - {exercise: x}"), st.just(""),
                  COMMENTS.map(lambda c: "  " + c),
                  COMMENTS.map(lambda c: "  - {exercise: x}  " + c))


def finding(rule: str, line: int) -> Finding:
    return Finding(rule, "warning", "m", "p.yaml", line, 3, "", {"id": "x"})


def mark_targets(lines: list[str]) -> dict[str, set[int]]:
    """An oracle from the README's wording: rule id -> lines it may silence (0 = every line)."""
    out: dict[str, set[int]] = {r: set() for r in RULES}
    for number, line in enumerate(lines, 1):
        if "ignore-file[rule-b]" in line:
            out["rule-b"].add(0)
            continue
        for rule in RULES:
            if f"ignore[{rule}" in line or f"ignore[rule-a, {rule}" in line:
                out[rule].add(number + 1 if line.strip().startswith("#") else number)
    return out


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(LINES, min_size=1, max_size=12),
       spots=st.lists(st.tuples(st.sampled_from(RULES), st.integers(1, 13)), max_size=8))
def test_a_suppression_silences_exactly_its_target_lines(lines: list[str],
                                                         spots: list[tuple[str, int]]) -> None:
    text = "\n".join(lines) + "\n"
    out = apply_suppressions([finding(r, n) for r, n in spots], text, "p.yaml", set(RULES))
    targets = mark_targets(lines)
    for f in out:
        if f.rule in RULES:
            allowed = f.line in targets[f.rule] or 0 in targets[f.rule]
            assert (f.suppressed is not None) == allowed, (f.rule, f.line, lines)
    # Every comment that names no rule, or is not a suppression, is reported; none is silent.
    invalid = {f.line for f in out if f.rule == INVALID_SUPPRESSION}
    for number, line in enumerate(lines, 1):
        bare = "ignore\n" in line + "\n" or "ignore[]" in line or "whatever" in line
        assert (number in invalid) == bare, (number, line)
    # Every rule a suppression names silences something, or is reported unused.
    unused = {(f.line, f.message.split("[")[1].split("]")[0]) for f in out
              if f.rule == UNUSED_SUPPRESSION}
    for number, line in enumerate(lines, 1):
        for rule in RULES:
            if (f"[{rule}" in line or f", {rule}]" in line) and "ignore" in line:
                used = any(f.rule == rule and f.suppressed is not None for f in out)
                assert used or (number, rule) in unused, (number, rule, lines)


@pytest.mark.parametrize(("select", "ignore", "expected"), [
    ((), (), True),
    (("load",), (), True),
    (("safety",), (), False),
    (("rule-a",), (), True),
    ((), ("load",), False),
    ((), ("rule-a",), False),
    (("rule-a",), ("load",), True),      # an id beats a tag
    (("load",), ("rule-a",), False),
    (("load",), ("load",), False),       # a tie: ignore wins
    (("rule-a",), ("rule-a",), False),
])
def test_selection_by_id_and_tag(select: tuple[str, ...], ignore: tuple[str, ...],
                                 expected: bool) -> None:
    assert is_selected("rule-a", ("audit", "load"), Selection(select, ignore)) is expected


def test_the_config_file_is_found_upward_and_negatives_toml_comes_first(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[tool.negatives]\n", "utf-8")
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.black]\n", "utf-8")
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "negatives.toml").write_text("", "utf-8")
    assert find_config(deep) == tmp_path / "a" / "negatives.toml"


@settings(max_examples=200, deadline=None)
@given(load=st.floats(0, 2000, allow_nan=False))
def test_units_convert_both_ways(ws: Workspace, load: float) -> None:
    kb = ws.kb
    assert convert(convert(load, "kg", "lb", kb), "lb", "kg", kb) == pytest.approx(load)
    assert convert(load, "kg", "kg", kb) == load
    assert convert(load, "lb", "kg", kb) == pytest.approx(load * 0.45359237)
