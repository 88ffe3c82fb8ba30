"""`.pre-commit-hooks.yaml`: valid for pre-commit, and its entry audits the files it is given."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from pre_commit.clientlib import load_manifest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / ".pre-commit-hooks.yaml"
# What pre-commit requires of each hook (pre-commit's MANIFEST_HOOK_DICT), and the keys it knows.
REQUIRED = {"id", "name", "entry", "language"}
KNOWN = REQUIRED | {"alias", "files", "exclude", "types", "types_or", "exclude_types",
                    "additional_dependencies", "args", "always_run", "fail_fast",
                    "pass_filenames", "description", "language_version", "log_file",
                    "require_serial", "stages", "verbose", "minimum_pre_commit_version"}
PROGRAM = """name: test
units: kg
weeks:
  - week: 1
    days:
      - day: Monday
        exercises:
          - {exercise: barbell bench press, method: eccentric-only, sets: 3, reps: 8,
             percent_1rm: 130}
"""


def hooks() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = YAML(typ="safe", pure=True).load(HOOKS.read_text("utf-8"))
    return loaded


def test_pre_commit_accepts_the_hooks_file() -> None:
    """pre-commit's own manifest check (pre_commit.clientlib), as `pre-commit try-repo` runs it."""
    (hook,) = load_manifest(str(HOOKS))
    assert (hook["id"], hook["entry"], hook["pass_filenames"]) == ("negatives-audit",
                                                                   "negatives audit", True)


def test_the_hooks_file_is_what_pre_commit_reads() -> None:
    items = hooks()
    assert isinstance(items, list) and items
    for hook in items:
        assert set(hook) >= REQUIRED, hook
        assert set(hook) <= KNOWN, set(hook) - KNOWN
        assert hook["language"] == "python"
        re.compile(hook["files"])
    assert [h["id"] for h in items] == ["negatives-audit"]


def test_the_entry_is_the_installed_command() -> None:
    (hook,) = hooks()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert shlex.split(hook["entry"])[0] in scripts


def test_the_files_pattern_picks_programs_only() -> None:
    (hook,) = hooks()
    pattern = re.compile(hook["files"])
    for path in ("programs/block.yaml", "coach/programs/week1/a.yml"):
        assert pattern.search(path), path
    for path in ("athletes/alex.yaml", "programs/notes.md", "rules/audit/x.yaml"):
        assert not pattern.search(path), path


def test_the_entry_runs_on_the_files_pre_commit_passes(tmp_path: Path) -> None:
    """As pre-commit runs it: the entry, then the changed files; exit 1 fails the commit."""
    (hook,) = hooks()
    (tmp_path / "programs").mkdir()
    (tmp_path / "programs" / "heavy.yaml").write_text(PROGRAM, encoding="utf-8")
    clean = PROGRAM.replace("130", "120")
    (tmp_path / "programs" / "ok.yaml").write_text(clean, encoding="utf-8")
    command = shlex.split(hook["entry"])[1:]  # `negatives` is `python -m negatives` here
    env = {k: v for k, v in os.environ.items()
           if k not in ("NEGATIVES_RULES", "NEGATIVES_KNOWLEDGE", "NEGATIVES_CONFIG")}
    env["PYTHONPATH"] = str(ROOT)
    failing = subprocess.run([sys.executable, "-m", "negatives", *command,
                              "programs/heavy.yaml", "programs/ok.yaml"], cwd=tmp_path,
                             capture_output=True, text=True, env=env, check=False)
    assert failing.returncode == 1, failing.stderr
    assert failing.stdout.startswith("programs/heavy.yaml:8:13: error audit-eo-above-125")
    passing = subprocess.run([sys.executable, "-m", "negatives", *command, "programs/ok.yaml"],
                             cwd=tmp_path, capture_output=True, text=True, env=env, check=False)
    assert passing.returncode == 0, passing.stdout + passing.stderr
