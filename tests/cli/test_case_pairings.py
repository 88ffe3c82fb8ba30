"""A test case's own pairings go into a copy of the knowledge that remembers nothing of the
original's derived data (file order, lookups): a recommended coach's pairing is ranked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from negatives.engine.infer.workspace import open_workspace
from tests.conftest import ROOT

CASES = """\
base:
  name: Case
  experience: intermediate
  units: kg
  recovery: well-rested
  cycle_week: 1
  partner: true
  accentuated_eccentric_weeks_done: 0
  lifts: [{name: bench press, stalled: true}]
  one_rep_max: {dumbbell chest flye: 20}
cases:
  - name: the shipped pairings rank first
    expect:
      methods: {accentuated-eccentric: recommended}
  - name: then a coach's pairing, recommended as a candidate, is ranked too
    pairings:
      - {id: coach-press-to-flye, concentric: dumbbell bench press, eccentric: dumbbell chest flye}
    expect:
      methods: {accentuated-eccentric: recommended}
"""


def test_a_case_s_recommended_pairing_after_another_case_is_ranked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Once a "KeyError: 'coach-press-to-flye'": the copy shared the original's remembered
    # file order, computed by the first case, which lacks the case's pairing.
    monkeypatch.chdir(ROOT)
    copy = tmp_path / "mine"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(copy)]).exit_code == 0
    (copy / "rules" / "advise" / "zz.test.yaml").write_text(CASES, encoding="utf-8")
    monkeypatch.setenv("NEGATIVES_RULES", str(copy / "rules"))
    monkeypatch.setenv("NEGATIVES_KNOWLEDGE", str(copy / "knowledge"))
    result = runner.invoke(cli, ["rules", "test", "zz.test.yaml"])
    assert result.exit_code == 0 and "2 passed, 0 failed" in result.output, result.output


def test_a_copy_of_the_knowledge_starts_without_the_original_s_derived_data() -> None:
    kb = open_workspace("advise").kb
    kb.file_order(), kb.exercise("Dumbbell Chest-Flye")
    pairing = next(iter(kb.pairings.values()))
    copy = dataclasses.replace(kb, pairings={**kb.pairings,
                                             "new": dataclasses.replace(pairing, id="new")})
    assert "new" in copy.file_order()["pairings"] and "new" not in kb.file_order()["pairings"]
    assert dataclasses.replace(kb) == kb and kb.exercise("Dumbbell Chest-Flye") is not None
