"""`negatives ask` without a terminal: an answers file or piped lines, errors, --from, --save."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from negatives.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
ALEX = (ROOT / "examples" / "alex.yaml").read_text(encoding="utf-8")
# Alex's file answers every question, once the lift and 1RMs it leaves out are settled.
ALEX_ANSWERS = ALEX.replace("  - name: squat\n", "  - name: squat\n    stalled: not sure\n") \
    .replace("  barbell bench press: 100\n", "  barbell bench press: 100\n"
             "  dumbbell chest flye: skip\n  unilateral leg press: skip\n")


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="negatives", input=stdin)


def test_an_answers_file_gives_the_advice_advise_gives_on_the_saved_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(ALEX_ANSWERS, encoding="utf-8")
    saved = tmp_path / "alex.yaml"
    result = run("ask", "--answers", str(answers), "--save", str(saved))
    assert result.exit_code == 0, result.stderr
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    again = run("advise", str(saved))
    assert again.exit_code == 0 and result.stdout == again.stdout
    assert "accentuated eccentric loading" in result.stdout


def test_a_missing_answer_names_the_question_and_writes_nothing(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(ALEX, encoding="utf-8")  # says nothing about the squat's stall
    saved = tmp_path / "out.yaml"
    result = run("ask", "--answers", str(answers), "--save", str(saved))
    assert result.exit_code == 2
    assert "no answer to question 'stalled[squat]'" in result.stderr
    assert "Traceback" not in result.stderr and not saved.exists()


def test_an_invalid_answer_is_located_and_names_the_question(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(ALEX_ANSWERS.replace("recovery: well-rested", "recovery: sleepy"),
                       encoding="utf-8")
    result = run("ask", "--answers", str(answers))
    assert result.exit_code == 2
    line = next(x for x in result.stderr.splitlines() if "question 'recovery'" in x)
    assert line.startswith(f"{answers}:6:1: error question 'recovery': answer one of: ")
    assert "(got 'sleepy') [answer]" in line


def start_file(tmp_path: Path, drop: str) -> Path:
    """Alex, with the squat's stall given (the file is complete) and without the `drop` line."""
    start = tmp_path / "start.yaml"
    text = ALEX.replace("  - name: squat\n", "  - name: squat\n    stalled: false\n")
    start.write_text("\n".join(x for x in text.splitlines() if not x.startswith(drop))
                     + "\n", encoding="utf-8")
    return start


def test_from_a_file_asks_only_what_it_lacks_and_piped_lines_answer(tmp_path: Path) -> None:
    start = start_file(tmp_path, "recovery:")
    result = run("ask", "--from", str(start), stdin="why\nhelp\nwell-rested\n"
                 "how accentuated-eccentric\nwhy not forced-negatives\n")
    assert result.exit_code == 0, result.stderr
    asked = [x for x in result.stderr.splitlines() if x.startswith("How recovered")]
    assert asked == ["How recovered do you feel this week? [well-rested/normal/fatigued] "
                     "well-rested"]
    assert "Why I ask (recovery)" in result.stderr
    assert "fatigued: sore, tired" in result.stderr
    assert "How: accentuated eccentric loading is recommended." in result.stdout
    assert "forced negatives" in result.stdout.split("How: ")[1]


def test_a_complete_file_asks_nothing(tmp_path: Path) -> None:
    result = run("ask", "--from", str(start_file(tmp_path, "#")), stdin="")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == run("advise", str(tmp_path / "start.yaml")).stdout.replace(
        str(tmp_path / "start.yaml"), "not saved")


def test_end_of_input_and_a_bad_piped_answer_exit_2_in_one_line(tmp_path: Path) -> None:
    start = start_file(tmp_path, "recovery:")
    saved = tmp_path / "out.yaml"
    result = run("ask", "--from", str(start), "--save", str(saved), stdin="")
    assert result.exit_code == 2 and not saved.exists()
    assert result.stderr == "end of input at question 'recovery': nothing was saved\n"
    result = run("ask", "--from", str(start), stdin="sleepy\n")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: question 'recovery': answer one of: well-rested, normal, fatigued (got 'sleepy')"]


def test_a_bad_start_file_is_reported_like_advise_reports_it(tmp_path: Path) -> None:
    start = tmp_path / "start.yaml"
    start.write_text("experience: expert\nlifts: [{name: bench pres}]\n", encoding="utf-8")
    result = run("ask", "--from", str(start))
    assert result.exit_code == 2
    assert "start.yaml:1:1: error 'expert' is not allowed" in result.stderr
    assert "unknown lift 'bench pres'" in result.stderr
    assert "missing required key" not in result.stderr
