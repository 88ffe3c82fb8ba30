"""The deadlift promise holds for every spelling, and an unknown pairing exercise is an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli
from negatives.engine.model.knowledge import name_key

PROGRAM = """units: kg
weeks:
  - week: 1
    days:
      - day: Mon
        exercises:
          - {{exercise: "{concentric}", eccentric: "{eccentric}", method: accentuated-eccentric, \
sets: 3, reps: 10}}{comment}
"""

SPELLINGS = ["dead-lift", "dead lift", "DEADLIFT", "deficit deadlift", "snatch-grip deadlift",
             "rack pull", "block pull", "d\u0435adlift", "\uff44\uff45\uff41\uff44lift",
             "dead\u200blift", "dead\u00adlift", "dead_lift"]


def audit(tmp_path: Path, concentric: str, eccentric: str, comment: str = "") -> tuple[int, str]:
    path = tmp_path / "program.yaml"
    path.write_text(PROGRAM.format(concentric=concentric, eccentric=eccentric, comment=comment),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(path)])
    return result.exit_code, result.stdout


@pytest.mark.parametrize("name", SPELLINGS)
def test_every_spelling_of_the_deadlift_is_an_error(tmp_path: Path, name: str) -> None:
    for pair in ((name, "leg press"), ("leg press", name)):
        code, out = audit(tmp_path, *pair)
        assert code == 1, out
        assert "error audit-ael-deadlift" in out


def test_an_unknown_exercise_in_a_pairing_is_an_error_a_coach_can_suppress(tmp_path: Path) -> None:
    code, out = audit(tmp_path, "leg press", "mystery machine")
    assert code == 1 and "error audit-ael-unknown-exercise" in out
    comment = "  # negatives: ignore[audit-ael-unknown-exercise] -- coach checked the machine"
    code, out = audit(tmp_path, "leg press", "mystery machine", comment)
    assert code == 0, out
    assert "audit-ael-unknown-exercise" not in out


def test_names_compare_by_letters_in_latin() -> None:
    assert {name_key(s) for s in SPELLINGS[:3] + SPELLINGS[7:]} == {"deadlift"}
    assert name_key("Close-Grip  Bench_Press") == name_key("close grip bench press")
