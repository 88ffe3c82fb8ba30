"""`negatives plan`: a program file the audit accepts, standalone or inside the lifter's program."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from negatives.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

PROGRAM = """\
# My upper/lower split
name: Upper/Lower
units: kg
weeks:
  - week: 1
    repeat: 4
    days:
      - day: Monday    # heavy upper
        exercises:
          - {exercise: barbell bench press, sets: 5, reps: 5, load: 90}
          - {exercise: barbell row, sets: 4, reps: 8}
          - {exercise: triceps pushdown, role: accessory, sets: 3, reps: 12}
      - day: Tuesday
        exercises:
          - exercise: back squat
            sets: 5
            reps: 5
          - exercise: seated leg curl   # accessory
            sets: 3
            reps: 12
      - day: Thursday
        exercises:
          - {exercise: overhead press, sets: 4, reps: 6}
          - {exercise: lateral raise, sets: 3, reps: 15}
      - day: Friday
        exercises:
          - {exercise: conventional deadlift, sets: 3, reps: 5}
          - {exercise: plank, sets: 3, reps: 1}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="negatives")


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def audit_clean(plan: Path, athlete: str) -> None:
    result = run("audit", str(plan), "--athlete", athlete, "--fail-on", "warning")
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_audit_of_each_example_plan_is_clean(at_root: Path, tmp_path: Path,
                                                 example: Path) -> None:
    athlete = f"examples/{example.name}"
    result = run("plan", athlete)
    if result.exit_code == 1:  # nothing to do now: nothing written, the reason on stderr
        assert result.stdout == "" and "No negative work to add now." in result.stderr
        return
    assert result.exit_code == 0, result.stderr
    plan = tmp_path / "plan.yaml"
    plan.write_text(result.stdout, encoding="utf-8")
    audit_clean(plan, athlete)


def test_output_file_is_written_whole(at_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "plan.yaml"
    result = run("plan", "examples/alex.yaml", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text("utf-8") == run("plan", "examples/alex.yaml").stdout
    assert [p.name for p in out.parent.iterdir()] == ["plan.yaml"]  # no temporary file left


def test_the_block_goes_into_the_lifters_program(at_root: Path, tmp_path: Path) -> None:
    program = tmp_path / "program.yaml"
    program.write_text(PROGRAM, encoding="utf-8")
    out = tmp_path / "plan.yaml"
    result = run("plan", "examples/alex.yaml", "--program", str(program), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text("utf-8")
    # Comments, layout and the untouched days stay as written.
    assert text.startswith("# My upper/lower split\nname: Upper/Lower\n")
    assert "      - day: Monday    # heavy upper\n" in text
    assert "          - {exercise: barbell bench press, sets: 5, reps: 5, load: 90}\n" in text
    # Weeks 1-3 carry the block on the three lowest-volume days; week 4 is the program as it was.
    assert text.count("method: accentuated-eccentric") == 9
    assert text.count("triceps pushdown") == 4  # Monday is the heaviest day: kept
    assert text.count("lateral raise") == 1 and text.count("seated leg curl") == 1
    assert "  - week: 4\n" in text
    audit_clean(out, "examples/alex.yaml")


def test_a_no_answer_leaves_the_program_as_it_was(at_root: Path, tmp_path: Path) -> None:
    program = tmp_path / "program.yaml"
    program.write_text(PROGRAM.replace("units: kg", "units: lb"), encoding="utf-8")
    result = run("plan", "examples/sam-mid-cycle.yaml", "--program", str(program))
    assert result.exit_code == 0
    assert result.stdout == program.read_text("utf-8")
    assert "No negative work to add now." in result.stderr
    assert "ael-wait-for-timing" in result.stderr


def test_a_no_answer_writes_nothing_standalone(at_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = run("plan", "examples/sam-mid-cycle.yaml", "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    assert "No negative work to add now." in result.stderr


def test_units_must_match(at_root: Path, tmp_path: Path) -> None:
    program = tmp_path / "program.yaml"
    program.write_text(PROGRAM.replace("units: kg", "units: lb"), encoding="utf-8")
    result = run("plan", "examples/alex.yaml", "--program", str(program))
    assert result.exit_code == 2
    assert f"{program}:3:1: error the program is in lb" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_program_is_reported_located(at_root: Path, tmp_path: Path) -> None:
    program = tmp_path / "program.yaml"
    program.write_text("units: kg\nweeks:\n  - week: 1\n    days: []\n  - week: 1\n"
                       "    days: []\n", encoding="utf-8")
    out = tmp_path / "plan.yaml"
    result = run("plan", "examples/alex.yaml", "--program", str(program), "-o", str(out))
    assert result.exit_code == 2
    assert str(program) in result.stderr and "problem" in result.stderr
    assert not out.exists()


def test_a_block_under_way_continues_in_the_current_week(at_root: Path,
                                                         tmp_path: Path) -> None:
    result = run("plan", "examples/riley-deadlift.yaml")
    assert result.exit_code == 0
    assert "  - week: 2\n" in result.stdout and "  - week: 3\n" in result.stdout
    assert "  - week: 1\n" not in result.stdout and "  - week: 4\n" not in result.stdout
