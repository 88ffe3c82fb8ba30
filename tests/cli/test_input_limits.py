"""Untrusted files: regular files only, size limits before reading, control characters escaped."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from negatives.cli.main import cli
from negatives.engine.load.diagnostics import escape
from tests.conftest import ROOT

PROGRAM = """units: kg
weeks:
  - week: 1
    days:
      - day: "Mon\\e[31m"
        exercises:
          - {exercise: "mystery\\e]0;x\\a press", method: eccentric-only, sets: 3, reps: 5}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="negatives")


def in_time(*args: str) -> Result:
    """The command, which must end within 60 s (a FIFO or device must not block it)."""
    done: list[Result] = []
    worker = threading.Thread(target=lambda: done.append(run(*args)), daemon=True)
    worker.start()
    worker.join(60)
    assert done, f"negatives {' '.join(args)} did not end"
    return done[0]


def test_a_fifo_as_athlete_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "athlete.yaml"
    os.mkfifo(fifo)
    result = in_time("advise", str(fifo))
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(device: str) -> None:
    result = in_time("advise", device)
    assert result.exit_code == 2
    assert f"{device}:1:1: error is not a regular file" in result.stderr


def test_a_device_behind_a_symlink_in_the_rules_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "advise" / "zero.yaml").symlink_to("/dev/zero")
    result = in_time("rules", "check", "--rules", str(rules))
    assert result.exit_code == 2
    assert "zero.yaml:1:1: error is not a regular file" in result.stderr
    result = in_time("advise", "examples/alex.yaml", "--rules", str(rules))
    assert result.exit_code == 2


def test_a_file_name_cannot_forge_a_diagnostic(tmp_path: Path) -> None:
    evil = tmp_path / "\x1b]0;pwn\x07\nfake.yaml:1:1: error injected.yaml"
    evil.write_text("name: [", encoding="utf-8")
    result = run("advise", str(evil))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert not any(line.startswith("fake.yaml") for line in result.stderr.splitlines())
    assert "\\x1b]0;pwn\\x07\\x0afake.yaml" in result.stderr


def test_audit_text_escapes_a_file_name_and_json_keeps_it(tmp_path: Path) -> None:
    evil = tmp_path / "prog\x1b[31m.yaml"
    evil.write_text(PROGRAM, encoding="utf-8")
    text = run("audit", str(evil))
    assert "\x1b" not in text.stdout and "\x07" not in text.stdout
    assert "prog\\x1b[31m.yaml" in text.stdout and "mystery\\x1b]0;x\\x07 press" in text.stdout
    assert "prog\\u001b[31m.yaml" in run("audit", str(evil), "--format", "json").stdout


def test_escape_keeps_printable_text() -> None:
    assert escape("Émile 😀 dead-lift") == "Émile 😀 dead-lift"
    assert escape("a\u202eb\u200bc\x9bd") == "a\\u202eb\\u200bc\\x9bd"
    assert escape("two\nlines", keep_newlines=True) == "two\nlines"


def test_a_program_too_large_to_audit_is_refused_with_its_size(tmp_path: Path) -> None:
    day = "      - day: d{d}\n        exercises:\n" + \
        "          - {{exercise: back squat, sets: 3, reps: 5}}\n" * 10
    week = "  - week: 1\n    repeat: 52\n    days:\n" + "".join(day.format(d=d) for d in range(5))
    path = tmp_path / "huge.yaml"
    path.write_text("units: kg\nweeks:\n" + week, encoding="utf-8")
    result = run("audit", str(path))
    assert result.exit_code == 2
    assert "huge.yaml:2:1: error the program has 2600 exercise entries" in result.stderr
