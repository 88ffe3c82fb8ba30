"""Shared machinery of the corpora of broken rule files and broken knowledge files.

A corpus is a folder of cases, each a small overlay on a copy of the shipped `rules/` or
`knowledge/` folder (tests/fixtures/rules/broken/, tests/fixtures/knowledge/broken/):

    <case>/advise/extra.yaml         added to (or replacing a file of) the copy, same relative path
    <case>/methods.yaml.edit         text replacements in the copy's methods.yaml:
                                         <<<<
                                         old text
                                         ====
                                         new text
                                         >>>>
    <case>.expected                  the golden: every command run on the case, its exit code,
                                     its exact stdout and stderr

A case runs in a fresh temporary folder holding `rules/`, `knowledge/` and `examples/`, with that
folder as the working folder and relative paths, so the goldens hold no temporary path. The
commands: always `negatives rules check`; then `negatives advise examples/alex.yaml` when the
case touches knowledge or advise rules, `negatives audit examples/program.yaml` when it touches
audit rules, `negatives rules test <file>` when it holds a `*.test.yaml`. Commands run in process
(click's CliRunner), as the other CLI tests do.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from negatives.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
UPDATE_ENV = "NEGATIVES_UPDATE_GOLDEN"
EDIT_SUFFIX = ".edit"
TEST_SUFFIX = ".test.yaml"
PLACEHOLDER = "<tmp>"
MAX_BYTES = 2 * 1024 * 1024  # the input limit of every YAML file

FOLDERS = ("--rules", "rules", "--knowledge", "knowledge")
CHECK = ("rules", "check", *FOLDERS)
ADVISE = ("advise", "examples/alex.yaml", *FOLDERS)
AUDIT = ("audit", "examples/program.yaml", *FOLDERS)
ALEX = ROOT / "examples" / "alex.yaml"
PROGRAM = FIXTURES / "programs" / "valid" / "slow-eccentric.yaml"

# One located problem: `file:line:col: severity message [code]`, optionally ` (at path)`.
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): "
                        r"(?P<severity>error|warning|info) (?P<msg>.+) "
                        r"\[(?P<code>[a-z][a-z-]*)\]( \(at .+\))?$")
COUNT = re.compile(r"^(?P<n>\d+) problems? found\.$")
CHECK_SUMMARY = re.compile(r"^(?P<rules>\d+) rules checked: (?P<errors>\d+) error\(s\), "
                           r"(?P<warnings>\d+) warning\(s\)$")
TEST_SUMMARY = re.compile(r"^rules: (?P<passed>\d+) passed, (?P<failed>\d+) failed$")
TEST_FAIL = re.compile(r"^FAIL (?P<file>[^:\s]+):(?P<line>\d+) (?P<name>.+)$")
EDIT_BLOCK = re.compile(r"^<<<<\n(?P<old>.*?)^====\n(?P<new>.*?)^>>>>$", re.S | re.M)


@dataclass(frozen=True)
class Command:
    """One command run on a case, and what it printed."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def kind(self) -> str:
        return "test" if self.args[:2] == ("rules", "test") else (
            "check" if self.args[:2] == ("rules", "check") else self.args[0])

    def render(self) -> str:
        lines = [f"$ negatives {' '.join(self.args)}", f"exit {self.exit_code}",
                 "--- stdout", *_block(self.stdout), "--- stderr", *_block(self.stderr)]
        return "\n".join(lines) + "\n"


def _block(text: str) -> list[str]:
    lines = text.splitlines()
    if text and not text.endswith("\n"):
        lines.append("\\ no newline at end")
    return lines


@dataclass
class CaseRun:
    """A case run: its workspace, its commands, and what changed in the workspace meanwhile."""

    name: str
    ws: Path
    commands: list[Command] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def render(self) -> str:
        return "\n".join(c.render() for c in self.commands)

    def command(self, kind: str) -> Command:
        return next(c for c in self.commands if c.kind == kind)


@dataclass(frozen=True)
class Corpus:
    """The cases of one corpus: `kind` is the shipped folder they overlay (rules or knowledge)."""

    kind: str
    folder: Path

    def cases(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir() if p.is_dir())

    def goldens(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.expected"))

    def golden(self, case: str) -> Path:
        return self.folder / f"{case}.expected"

    def overlay(self, case: str) -> list[Path]:
        """The case's files, relative to its folder."""
        base = self.folder / case
        return sorted(p.relative_to(base) for p in base.rglob("*") if p.is_file())

    def commands(self, case: str) -> list[tuple[str, ...]]:
        files = [p.as_posix() for p in self.overlay(case)]
        out: list[tuple[str, ...]] = [CHECK]
        if self.kind == "knowledge" or any(f.startswith("advise/") and not f.endswith(TEST_SUFFIX)
                                           for f in files):
            out.append(ADVISE)
        if any(f.startswith("audit/") and not f.endswith(TEST_SUFFIX) for f in files):
            out.append(AUDIT)
        out.extend(("rules", "test", Path(f).name, *FOLDERS) for f in files
                   if f.endswith(TEST_SUFFIX))
        return out


def apply_edits(target: Path, edit_file: Path) -> None:
    """Apply the `<<<< old ==== new >>>>` blocks of `edit_file` to `target`; each old text once."""
    text = target.read_text(encoding="utf-8")
    blocks = list(EDIT_BLOCK.finditer(edit_file.read_text(encoding="utf-8")))
    assert blocks, f"{edit_file}: no <<<< ==== >>>> block"
    for block in blocks:
        old, new = block["old"], block["new"]
        assert text.count(old) == 1, f"{edit_file}: the old text is not in {target.name} once"
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")


def make_workspace(corpus: Corpus, case: str, ws: Path) -> None:
    """A copy of the shipped rules and knowledge with the case laid over it, and the examples."""
    shutil.copytree(ROOT / "rules", ws / "rules", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(ROOT / "knowledge", ws / "knowledge", ignore=shutil.ignore_patterns("*.md"))
    (ws / "examples").mkdir()
    shutil.copyfile(ALEX, ws / "examples" / "alex.yaml")
    shutil.copyfile(PROGRAM, ws / "examples" / "program.yaml")
    for rel in corpus.overlay(case):
        source = corpus.folder / case / rel
        if rel.name.endswith(EDIT_SUFFIX):
            target = ws / corpus.kind / rel.parent / rel.name[:-len(EDIT_SUFFIX)]
            assert target.is_file(), f"{source}: edits a file the shipped {corpus.kind} lacks"
            apply_edits(target, source)
        else:
            target = ws / corpus.kind / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder`: relative path -> sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(ws: Path, args: tuple[str, ...], cache: Path) -> Command:
    """`negatives ARGS` in process, in `ws`, with no rules/knowledge override in the environment."""
    env: dict[str, str | None] = {"NEGATIVES_RULES": None, "NEGATIVES_KNOWLEDGE": None,
                                  "NEGATIVES_CACHE": str(cache)}
    with contextlib.chdir(ws):
        result = CliRunner().invoke(cli, list(args), prog_name="negatives", env=env)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "".join(traceback.format_exception(*result.exc_info))  # shows as a Traceback

    def stable(text: str) -> str:
        for prefix in {str(ws.resolve()), str(ws)}:
            text = text.replace(prefix + os.sep, PLACEHOLDER + "/").replace(prefix, PLACEHOLDER)
        return text

    return Command(args, result.exit_code, stable(result.stdout), stable(stderr))


class CorpusRunner:
    """Runs each case once per session (the golden and the contract tests share the run)."""

    def __init__(self, corpus: Corpus, factory: pytest.TempPathFactory) -> None:
        self.corpus = corpus
        self.factory = factory
        self.runs: dict[str, CaseRun] = {}

    def __call__(self, case: str) -> CaseRun:
        if case not in self.runs:
            root = self.factory.mktemp(f"{self.corpus.kind}-{case}")
            ws = root / "ws"
            ws.mkdir()
            make_workspace(self.corpus, case, ws)
            before = snapshot(ws)
            run = CaseRun(case, ws)
            for args in self.corpus.commands(case):
                run.commands.append(run_cli(ws, args, root / "cache"))
            after = snapshot(ws)
            run.changed = sorted(p for p in {*before, *after} if before.get(p) != after.get(p))
            self.runs[case] = run
        return self.runs[case]


# ---------------------------------------------------------------------------------------------
# goldens


def updating() -> bool:
    return os.environ.get(UPDATE_ENV) == "1"


def compare_golden(expected: Path, actual: str, update: bool) -> None:
    """Compare `actual` with the golden file; rewrite the golden only in update mode."""
    if update:
        expected.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert expected.exists(), f"{expected} is missing; run with {UPDATE_ENV}=1 to create it"
    assert actual == expected.read_text(encoding="utf-8")


def golden_params(corpus: Corpus, known_bugs: dict[str, str]) -> list[object]:
    params: list[object] = []
    for case in corpus.cases():
        marks = []
        if case in known_bugs:
            marks.append(pytest.mark.xfail(strict=True, reason=known_bugs[case]))
        params.append(pytest.param(case, id=case, marks=marks))
    return params


# ---------------------------------------------------------------------------------------------
# the contract every command keeps on a broken file


def diagnostics(lines: list[str]) -> list[re.Match[str]]:
    found = [DIAGNOSTIC.match(line) for line in lines]
    bad = [line for line, m in zip(lines, found, strict=True) if m is None]
    assert not bad, f"lines not in `file:line:col: severity message [code]` form: {bad}"
    return [m for m in found if m is not None]


def assert_located(ws: Path, matches: list[re.Match[str]]) -> None:
    """Each diagnostic names a path of the workspace, relative, and a line the file has."""
    for m in matches:
        file, line, col = m["file"], int(m["line"]), int(m["col"])
        assert not Path(file).is_absolute() and PLACEHOLDER not in file, m.string
        path = ws / file
        assert path.exists(), f"{m.string}: no such file in the workspace"
        assert line >= 1 and col >= 1, m.string
        if path.is_dir():
            assert (line, col) == (1, 1), m.string
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if not text or "\x00" in text:  # empty, binary or not UTF-8: no line to point at
            assert (line, col) == (1, 1), m.string
        else:  # the end of the stream (one past the last line) is where YAML notices some errors
            assert line <= len(text.splitlines()) + 1, f"{m.string}: the file has fewer lines"


def assert_bad_input(ws: Path, cmd: Command) -> None:
    """Exit 2: nothing on stdout; every problem located, then a count (or one `error:` line)."""
    assert cmd.stdout == "", "bad input must print nothing on stdout"
    lines = cmd.stderr.splitlines()
    if len(lines) == 1 and lines[0].startswith("error: "):
        return  # the rule base loaded but cannot run: one line, no file to point at
    assert len(lines) >= 2, cmd.stderr
    count = COUNT.match(lines[-1])
    assert count, f"last line is not the count line: {lines[-1]!r}"
    matches = diagnostics(lines[:-1])
    assert int(count["n"]) == len(matches)
    assert {m["severity"] for m in matches} == {"error"}
    keys = [(m["file"], int(m["line"]), int(m["col"])) for m in matches]
    assert keys == sorted(keys), "problems must be sorted by file, line and column"
    assert_located(ws, matches)


def assert_contract(run: CaseRun) -> None:
    """What every command must do with a broken file, whatever the golden says."""
    assert run.changed == [], f"the commands changed the workspace: {run.changed}"
    for cmd in run.commands:
        shown = f"{' '.join(cmd.args)}: exit {cmd.exit_code}\n{cmd.stdout}{cmd.stderr}"
        assert "Traceback" not in cmd.stdout + cmd.stderr, shown
        assert "internal error" not in cmd.stderr, shown
        allowed = {"check": {0, 1, 2}, "advise": {0, 2}, "audit": {0, 1, 2}, "test": {0, 1, 2}}
        assert cmd.exit_code in allowed[cmd.kind], shown
        if cmd.exit_code == 2:
            assert_bad_input(run.ws, cmd)
        elif cmd.kind == "check":
            assert cmd.stderr == "", shown
            lines = cmd.stdout.splitlines()
            summary = CHECK_SUMMARY.match(lines[-1])
            assert summary, shown
            matches = diagnostics(lines[:-1])
            assert_located(run.ws, matches)
            errors = sum(m["severity"] == "error" for m in matches)
            assert int(summary["errors"]) == errors, shown
            assert int(summary["warnings"]) == len(matches) - errors, shown
            assert cmd.exit_code == (1 if errors else 0), "rules check exits 1 exactly on errors"
        elif cmd.kind == "test":
            assert cmd.stderr == "", shown
            lines = cmd.stdout.splitlines()
            summary = TEST_SUMMARY.match(lines[-1])
            assert summary, shown
            fails = [TEST_FAIL.match(line) for line in lines if line.startswith("FAIL ")]
            assert all(fails) and len(fails) == int(summary["failed"]), shown
            failed = int(summary["failed"]) > 0 or int(summary["passed"]) == 0
            assert cmd.exit_code == (1 if failed else 0), shown
        else:
            assert cmd.stderr == "", shown
            assert cmd.stdout.strip(), shown


def assert_corpus_shape(corpus: Corpus) -> None:
    """Every case has a golden, and every case is one small overlay file."""
    cases, goldens = set(corpus.cases()), set(corpus.goldens())
    assert cases == goldens, (sorted(cases - goldens), sorted(goldens - cases))
    for case in corpus.cases():
        files = corpus.overlay(case)
        assert len(files) == 1, (case, files)
        assert (corpus.folder / case / files[0]).stat().st_size < 4096, case


def check_problems(run: CaseRun, codes: list[str] | None = None, hint: str | None = None) -> None:
    """`rules check` refused the case (exit 2) with these problem codes, or with this hint."""
    cmd = run.command("check")
    assert cmd.exit_code == 2
    if codes is not None:
        assert [m["code"] for m in diagnostics(cmd.stderr.splitlines()[:-1])] == codes
    if hint is not None:
        assert hint in cmd.stderr
